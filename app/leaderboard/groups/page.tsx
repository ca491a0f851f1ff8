import type { Metadata } from "next";
import { PreferenceGroupsView } from "@/components/preference-groups/groups-view";
import { ZLeaderboardPageQuerySchema } from "@/lib/schemas/leaderboard";
import { api } from "@/lib/trpc/server";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Preference groups" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function PreferenceGroupsPage({ searchParams }: { searchParams: SearchParams }) {
  const requested = (await searchParams).modality;
  const { modality } = ZLeaderboardPageQuerySchema.pick({ modality: true }).parse({ modality: Array.isArray(requested) ? requested[0] : requested });
  const user = await api.auth.me();
  const [data, mine] = await Promise.all([api.preferenceGroups.get({ modality }), user ? api.preferenceGroups.mine({ modality }) : Promise.resolve(null)]);
  return <PreferenceGroupsView modality={modality} data={data} mine={mine} />;
}
