import type { Metadata } from "next";
import { SimulatedDataNote } from "@/components/demo/simulated-data-note";
import { LeaderboardView } from "@/components/leaderboard/leaderboard-view";
import { LiftTable } from "@/components/leaderboard/lift-table";
import { MODALITIES, type TModality } from "@/lib/domain/leaderboard/snapshot";
import { env } from "@/lib/env";
import { db } from "@/lib/server/db";
import { getLift } from "@/lib/server/leaderboards/lift";
import { getLeaderboard, getPersonalLeaderboard } from "@/lib/server/leaderboards/read";
import { isLeaderboardVariant, OVERALL_VARIANT } from "@/lib/server/leaderboards/variants";
import { getMyPreferenceGroup } from "@/lib/server/preference-groups/read";
import { countSimulatedVotes } from "@/lib/server/services/demo-history";
import { getCurrentUser } from "@/lib/server/session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Leaderboard" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function LeaderboardPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const requestedModality = first(params.modality);
  const modality: TModality = (MODALITIES as readonly string[]).includes(requestedModality ?? "") ? (requestedModality as TModality) : "text";
  const requestedVariant = first(params.variant) ?? OVERALL_VARIANT;
  const variant = isLeaderboardVariant(requestedVariant) ? requestedVariant : OVERALL_VARIANT;
  const user = await getCurrentUser();
  const wantsPersonal = first(params.personal) === "1" && user !== null;

  const [view, simulatedVotes] = await Promise.all([getLeaderboard(db, modality, variant), countSimulatedVotes(db, modality)]);
  let data = view.data;
  let personalState: { available: boolean; message: string | null } | null = null;
  if (user) {
    personalState = { available: true, message: null };
    if (wantsPersonal) {
      const personal = await getPersonalLeaderboard(db, user.id, modality);
      data = personal.data;
      if (personal.reason === "no_persona") personalState = { available: false, message: "Fill in your profile to see how people like you rate the models." };
      else if (personal.reason === "not_enough_votes") personalState = { available: false, message: "Not enough votes from people like you yet; here is everyone's ranking for now." };
      if (!personal.data) data = view.data;
    }
  }
  const [lift, mine] = await Promise.all([getLift(db, modality), user ? getMyPreferenceGroup(db, user.id, modality) : null]);
  // Only a real split is "people who vote like you": with one group everyone is in it.
  const myGroup = mine?.group && mine.groupCount > 1 ? { index: mine.group.index, probability: mine.probability } : null;
  return (
    <div className="space-y-4">
      <SimulatedDataNote votes={simulatedVotes} subject={`${modality} votes behind this leaderboard`} />
      <LeaderboardView
        modality={modality}
        variant={variant}
        personal={wantsPersonal}
        data={data}
        segments={view.segments}
        categories={view.categories}
        hasStyle={view.hasStyle}
        personalState={personalState}
        myGroup={myGroup}
        provisionalMinVotes={env.PROVISIONAL_MIN_VOTES}
      />
      <LiftTable lift={lift} />
    </div>
  );
}
