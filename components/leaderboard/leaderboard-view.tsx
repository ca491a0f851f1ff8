import Link from "next/link";
import { Alert, Card } from "@/components/ui/card";
import { ChartFrame, RatingIntervalChart, RatingOverTimeChart, VotesBarChart, WinRateHeatmap } from "@/components/leaderboard/charts";
import { intervalHalfWidths, ratingIntervalSeries, ratingOverTimeSeries, votesPerModelSeries, winRateHeatmap } from "@/lib/domain/leaderboard/series";
import type { TLeaderboardData, TModality } from "@/lib/domain/leaderboard/snapshot";

export const MODALITY_TABS: { modality: TModality; label: string }[] = [
  { modality: "text", label: "Text" },
  { modality: "image", label: "Image" },
  { modality: "audio", label: "Music" },
];

export interface LeaderboardViewProps {
  modality: TModality;
  variant: string;
  personal: boolean;
  data: TLeaderboardData | null;
  segments: { variant: string; label: string; voteCount: number }[];
  hasStyle: boolean;
  /** null: not signed in (no "people like you" toggle). */
  personalState: null | { available: boolean; message: string | null };
  provisionalMinVotes: number;
}

function href(modality: TModality, variant: string, personal = false) {
  const params = new URLSearchParams({ modality });
  if (variant !== "overall") params.set("variant", variant);
  if (personal) params.set("personal", "1");
  return `/leaderboard?${params.toString()}`;
}

function Toggle({ active, to, children, testId }: { active: boolean; to: string; children: React.ReactNode; testId?: string }) {
  return (
    <Link
      href={to}
      aria-current={active ? "page" : undefined}
      data-testid={testId}
      className={`rounded-full px-3 py-1.5 text-sm ring-1 ${active ? "bg-brand-600 text-white ring-brand-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-100"}`}
    >
      {children}
    </Link>
  );
}

const formatDate = (iso: string) => new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";

export function LeaderboardView({ modality, variant, personal, data, segments, hasStyle, personalState, provisionalMinVotes }: LeaderboardViewProps) {
  const topModels = data ? data.rows.slice(0, 8).map((row) => row.modelId) : [];
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-3xl font-semibold tracking-tight text-slate-900">Leaderboard</h1>
        <p className="text-slate-600">Bradley–Terry scores from blind pairwise votes, with 95% bootstrap intervals. Rank (UB) counts the models that are clearly better.</p>
      </div>

      <nav className="flex gap-2 border-b border-slate-200" aria-label="Modality">
        {MODALITY_TABS.map((tab) => (
          <Link
            key={tab.modality}
            href={href(tab.modality, "overall")}
            role="tab"
            aria-selected={tab.modality === modality}
            className={`-mb-px border-b-2 px-4 py-2 text-sm font-medium ${tab.modality === modality ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
          >
            {tab.label}
          </Link>
        ))}
      </nav>

      <div className="flex flex-wrap items-center gap-2" aria-label="Leaderboard variant">
        <Toggle active={!personal && variant === "overall"} to={href(modality, "overall")} testId="variant-overall">Overall</Toggle>
        {hasStyle ? <Toggle active={!personal && variant === "style"} to={href(modality, "style")} testId="variant-style">Style control</Toggle> : null}
        {personalState ? <Toggle active={personal} to={href(modality, "overall", true)} testId="variant-personal">For people like you</Toggle> : null}
        {segments.length > 0 ? (
          <details className="relative">
            <summary className="cursor-pointer list-none rounded-full bg-white px-3 py-1.5 text-sm text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100">
              {variant.startsWith("segment:") && !personal ? (data?.label ?? "Persona segment") : "Persona segment"} ▾
            </summary>
            <div className="absolute z-10 mt-2 max-h-80 w-72 overflow-y-auto rounded-xl border border-slate-200 bg-white p-2 shadow-lg">
              {segments.map((segment) => (
                <Link key={segment.variant} href={href(modality, segment.variant)} className="block rounded-lg px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100">
                  {segment.label} <span className="text-slate-400">({segment.voteCount})</span>
                </Link>
              ))}
            </div>
          </details>
        ) : null}
      </div>

      {personal && personalState?.message ? <Alert tone="info">{personalState.message}</Alert> : null}

      {!data ? (
        <Card className="text-center" data-testid="leaderboard-empty">
          <p className="text-lg font-medium text-slate-800">No ranking yet</p>
          <p className="mt-1 text-slate-600">
            {variant === "overall" && !personal ? "Nobody has voted in this category yet. Votes appear here shortly after they are cast." : "Not enough votes for this view yet."}
          </p>
          <Link href="/arena" className="mt-4 inline-block rounded-lg bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">Vote in the arena</Link>
        </Card>
      ) : (
        <>
          <p className="text-sm text-slate-600" data-testid="leaderboard-meta">
            {data.label} · computed {formatDate(data.computedAt)} from {data.voteCount.toLocaleString("en")} votes
            {data.shrinkStrength !== null ? " · shrunk toward the overall ratings so small groups do not show noise" : ""}
          </p>
          {/* On a phone the table keeps rank, model, score and interval; the vote count moves under the score. */}
          <div className="overflow-x-auto rounded-2xl border border-slate-200 bg-white shadow-sm">
            <table className="min-w-full text-sm" data-testid="leaderboard-table">
              <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="px-2 py-3 sm:px-4">
                    Rank<span className="hidden sm:inline"> (UB)</span>
                  </th>
                  <th className="px-2 py-3 sm:px-4">Model</th>
                  <th className="hidden px-4 py-3 sm:table-cell">Organization</th>
                  <th className="px-2 py-3 text-right sm:px-4">Score</th>
                  <th className="px-2 py-3 text-right sm:px-4">95% CI</th>
                  <th className="hidden px-4 py-3 text-right sm:table-cell">Votes</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {data.rows.map((row) => {
                  const interval = intervalHalfWidths(row);
                  return (
                    <tr key={row.modelId}>
                      <td className="px-2 py-2.5 font-medium text-slate-900 sm:px-4">{row.rank}</td>
                      <td className="px-2 py-2.5 text-slate-900 sm:px-4">
                        {row.displayName}
                        {row.provisional ? (
                          <span className="ml-2 whitespace-nowrap rounded-full bg-amber-100 px-2 py-0.5 text-xs text-amber-800" title={`Fewer than ${provisionalMinVotes} votes`}>
                            provisional
                          </span>
                        ) : null}
                      </td>
                      <td className="hidden px-4 py-2.5 text-slate-600 sm:table-cell">{row.organizationName ?? "—"}</td>
                      <td className="px-2 py-2.5 text-right font-mono text-slate-900 sm:px-4">
                        {Math.round(row.rating)}
                        <span className="block font-sans text-[11px] text-slate-500 sm:hidden">{row.votes.toLocaleString("en")} votes</span>
                      </td>
                      <td className="whitespace-nowrap px-2 py-2.5 text-right font-mono text-slate-600 sm:px-4">+{interval.plus}/−{interval.minus}</td>
                      <td className="hidden px-4 py-2.5 text-right font-mono text-slate-600 sm:table-cell">{row.votes.toLocaleString("en")}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {data.rows.some((row) => row.provisional) ? (
            <p className="text-xs text-slate-600" data-testid="provisional-legend">
              <span className="mr-1 rounded-full bg-amber-100 px-2 py-0.5 text-amber-800">provisional</span>
              fewer than {provisionalMinVotes} votes so far: the score and rank can still move a lot as votes come in.
            </p>
          ) : null}

          <div className="grid gap-4 lg:grid-cols-2">
            <ChartFrame title="Scores with 95% intervals" testId="chart-ratings">
              <RatingIntervalChart points={ratingIntervalSeries(data.rows)} />
            </ChartFrame>
            <ChartFrame title="Votes per model" testId="chart-votes">
              <VotesBarChart data={votesPerModelSeries(data.rows)} xKey="label" />
            </ChartFrame>
            <ChartFrame title="Win rate (row beats column, ties excluded)" testId="chart-heatmap">
              <WinRateHeatmap heatmap={winRateHeatmap(data)} />
            </ChartFrame>
            {data.history.length > 0 ? (
              <ChartFrame title="Score over time" testId="chart-history">
                <RatingOverTimeChart series={ratingOverTimeSeries(data.history, data.rows, topModels)} />
              </ChartFrame>
            ) : null}
          </div>
        </>
      )}
      <p className="text-xs text-slate-500">
        Also available as <a className="underline" href={`/api/v1/leaderboard?modality=${modality}&variant=${encodeURIComponent(variant)}&format=json`}>JSON</a> and{" "}
        <a className="underline" href={`/api/v1/leaderboard?modality=${modality}&variant=${encodeURIComponent(variant)}&format=csv`}>CSV</a>.
      </p>
    </div>
  );
}
