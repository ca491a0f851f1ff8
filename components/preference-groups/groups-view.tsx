import Link from "next/link";
import { ModalityTabs } from "@/components/leaderboard/modality-tabs";
import { Alert, Card } from "@/components/ui/card";
import type { TModality } from "@/lib/domain/vocabulary";
import type { TPreferenceGroup, TPreferenceGroupsData } from "@/lib/server/preference-groups/schema";


const percent = (value: number) => `${Math.round(100 * value)} %`;

export interface PreferenceGroupsViewProps {
  modality: TModality;
  data: TPreferenceGroupsData | null;
  /** null: not signed in. */
  mine: null | { group: TPreferenceGroup | null; probability: number | null; reason: string | null };
}

function GroupCard({ group, highlight, probability }: { group: TPreferenceGroup; highlight: boolean; probability?: number | null }) {
  return (
    <Card className={highlight ? "ring-2 ring-brand-600" : ""} data-testid={`preference-group-${group.index}`}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-lg font-semibold text-slate-900">
          Group {group.index + 1}
          {highlight ? <span className="ml-2 rounded-full bg-brand-600 px-2 py-0.5 text-xs text-white">Your group{probability != null ? ` (${percent(probability)} likely)` : ""}</span> : null}
        </h2>
        <p className="text-sm text-slate-600">
          {percent(group.share)} of annotators · {group.members} members
        </p>
      </div>
      {group.traits.length > 0 ? (
        <ul className="mt-2 flex flex-wrap gap-2 text-sm" aria-label="Typical persona answers">
          {group.traits.map((trait) => (
            <li key={`${trait.attribute}=${trait.value}`} className="rounded-full bg-slate-100 px-3 py-1 text-slate-700">
              {trait.label}: {percent(trait.groupShare)} here vs {percent(trait.overallShare)} overall
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-2 text-sm text-slate-500">No persona answer stands out in this group{group.members < 10 ? " (too few members to describe)" : ""}.</p>
      )}
      <table className="mt-4 w-full text-left text-sm">
        <thead className="text-slate-500">
          <tr>
            <th className="py-1">Rank</th>
            <th className="py-1">Model</th>
            <th className="py-1 text-right">Rating</th>
            <th className="py-1 text-right">Votes</th>
          </tr>
        </thead>
        <tbody>
          {group.rows.map((row) => (
            <tr key={row.modelId} className="border-t border-slate-100">
              <td className="py-1">{row.rank}</td>
              <td className="py-1">{row.displayName}</td>
              <td className="py-1 text-right tabular-nums">{Math.round(row.rating)}</td>
              <td className="py-1 text-right tabular-nums">{Math.round(row.votes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

export function PreferenceGroupsView({ modality, data, mine }: PreferenceGroupsViewProps) {
  const myIndex = mine?.group?.index ?? null;
  const ordered = data ? [...data.groups].sort((x, y) => (x.index === myIndex ? -1 : y.index === myIndex ? 1 : x.index - y.index)) : [];
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-3xl font-semibold tracking-tight text-slate-900">Preference groups</h1>
        <p className="text-slate-600">
          Groups of annotators who rank the models differently, found from the votes alone (a mixture of Bradley–Terry models; the number of groups is chosen on held-out
          annotators, and one group means no distinct groups were found). Each group is described by the persona answers over-represented in it.{" "}
          <Link href={`/leaderboard?modality=${modality}`} className="text-brand-700 underline">
            Back to the leaderboard
          </Link>
        </p>
      </div>
      <ModalityTabs active={modality} hrefs={{ text: "/leaderboard/groups?modality=text", image: "/leaderboard/groups?modality=image", audio: "/leaderboard/groups?modality=audio" }} />
      {!data ? <Alert tone="info">No preference groups yet: they are fitted in the background once a modality has enough votes.</Alert> : null}
      {data ? (
        <p className="text-sm text-slate-600" data-testid="preference-groups-summary">
          {data.groupCount === 1 ? "One group: the votes show no distinct preference groups." : `${data.groupCount} groups`} from {data.voteCount} votes of {data.annotatorCount} annotators, computed{" "}
          {new Date(data.computedAt).toISOString().slice(0, 16).replace("T", " ")} UTC.
        </p>
      ) : null}
      {mine && data && mine.reason === "not_fitted_yet" ? <Alert tone="info">Your votes are not in the current fit yet; your group appears after the next refit.</Alert> : null}
      <div className="grid gap-4 lg:grid-cols-2">
        {ordered.map((group) => (
          <GroupCard key={group.index} group={group} highlight={group.index === myIndex} probability={group.index === myIndex ? mine?.probability : null} />
        ))}
      </div>
    </div>
  );
}
