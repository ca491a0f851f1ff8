import type { Metadata } from "next";
import { PreferenceGroupsView } from "@/components/preference-groups/groups-view";
import { MODALITIES, type TModality } from "@/lib/domain/leaderboard/snapshot";
import { db } from "@/lib/server/db";
import { getMyPreferenceGroup, getPreferenceGroups } from "@/lib/server/preference-groups/read";
import { getCurrentUser } from "@/lib/server/session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Preference groups" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function PreferenceGroupsPage({ searchParams }: { searchParams: SearchParams }) {
  const requested = (await searchParams).modality;
  const value = Array.isArray(requested) ? requested[0] : requested;
  const modality: TModality = (MODALITIES as readonly string[]).includes(value ?? "") ? (value as TModality) : "text";
  const user = await getCurrentUser();
  const [data, mine] = await Promise.all([getPreferenceGroups(db, modality), user ? getMyPreferenceGroup(db, user.id, modality) : Promise.resolve(null)]);
  return <PreferenceGroupsView modality={modality} data={data} mine={mine} />;
}
