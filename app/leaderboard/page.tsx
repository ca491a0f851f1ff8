import type { Metadata } from "next";
import { SimulatedDataNote } from "@/components/demo/simulated-data-note";
import { LeaderboardView } from "@/components/leaderboard/leaderboard-view";
import { LiftTable } from "@/components/leaderboard/lift-table";
import { env } from "@/lib/env";
import { ZLeaderboardPageQuerySchema } from "@/lib/schemas/leaderboard";
import { api } from "@/lib/trpc/server";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Leaderboard" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function LeaderboardPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const { modality, variant } = ZLeaderboardPageQuerySchema.parse({ modality: first(params.modality), variant: first(params.variant) });
  const user = await api.auth.me();
  const wantsPersonal = first(params.personal) === "1" && user !== null;

  const [view, simulatedVotes] = await Promise.all([api.leaderboard.get({ modality, variant }), api.stats.simulatedVotes({ modality })]);
  let data = view.data;
  let personalState: { available: boolean; message: string | null } | null = null;
  if (user) {
    personalState = { available: true, message: null };
    if (wantsPersonal) {
      const personal = await api.leaderboard.personal({ modality });
      data = personal.data;
      if (personal.reason === "no_persona") personalState = { available: false, message: "Fill in your profile to see how people like you rate the models." };
      else if (personal.reason === "not_enough_votes") personalState = { available: false, message: "Not enough votes from people like you yet; here is everyone's ranking for now." };
      if (!personal.data) data = view.data;
    }
  }
  const [lift, mine] = await Promise.all([api.leaderboard.lift({ modality }), user ? api.preferenceGroups.mine({ modality }) : null]);
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
