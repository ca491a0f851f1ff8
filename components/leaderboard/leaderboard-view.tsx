import Link from "next/link";
import { ModalityTabs } from "@/components/leaderboard/modality-tabs";
import { Alert, Card } from "@/components/ui/card";
import { ChartFrame, RatingIntervalChart, RatingOverTimeChart, VotesBarChart, WinRateHeatmap } from "@/components/leaderboard/charts";
import { intervalHalfWidths, ratingIntervalSeries, ratingOverTimeSeries, votesPerModelSeries, winRateHeatmap } from "@/lib/domain/leaderboard/series";
import type { TLeaderboardData, TLeaderboardRow } from "@/lib/domain/leaderboard/snapshot";
import type { TModality } from "@/lib/domain/vocabulary";
import { countOf, INTERVAL_EXPLANATION, methodSentence, rowsByGroup, shrinkageSentence, STYLE_FEATURE_LABELS } from "@/lib/domain/leaderboard/wording";


export interface LeaderboardViewProps {
  modality: TModality;
  variant: string;
  personal: boolean;
  data: TLeaderboardData | null;
  segments: { variant: string; label: string; voteCount: number }[];
  categories: { variant: string; label: string; voteCount: number }[];
  hasStyle: boolean;
  /** null: not signed in (no "people like you" toggle). */
  personalState: null | { available: boolean; message: string | null };
  /** The signed-in annotator's most likely preference group (found from votes alone), null when none. */
  myGroup?: { index: number; probability: number | null } | null;
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

export function LeaderboardView({ modality, variant, personal, data, segments, categories, hasStyle, personalState, myGroup = null, provisionalMinVotes }: LeaderboardViewProps) {
  const topModels = data ? data.rows.slice(0, 8).map((row) => row.modelId) : [];
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-3xl font-semibold tracking-tight text-slate-900">Leaderboard</h1>
        <p className="text-slate-600">Scores from blind pairwise votes, with 95% intervals.</p>
        <p className="text-sm text-slate-600" data-testid="leaderboard-explanation">{INTERVAL_EXPLANATION}</p>
      </div>

      <ModalityTabs active={modality} hrefs={{ text: href("text", "overall"), image: href("image", "overall"), audio: href("audio", "overall") }} />

      <div className="flex flex-wrap items-center gap-2" aria-label="Leaderboard variant">
        <Toggle active={!personal && variant === "overall"} to={href(modality, "overall")} testId="variant-overall">Overall</Toggle>
        {hasStyle ? <Toggle active={!personal && variant === "style"} to={href(modality, "style")} testId="variant-style">Style control</Toggle> : null}
        {personalState ? <Toggle active={personal} to={href(modality, "overall", true)} testId="variant-personal">For people like you</Toggle> : null}
        {myGroup ? (
          <Toggle active={false} to={`/leaderboard/groups?modality=${modality}`} testId="variant-my-group">
            For people who vote like you: group {myGroup.index + 1}
            {myGroup.probability !== null ? ` (${Math.round(100 * myGroup.probability)} % likely)` : ""} →
          </Toggle>
        ) : null}
        {categories.map((category) => (
          <Toggle key={category.variant} active={!personal && variant === category.variant} to={href(modality, category.variant)} testId={`variant-${category.variant.replace(":", "-")}`}>
            {category.label}
          </Toggle>
        ))}
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
            {data.label} · computed {formatDate(data.computedAt)} from {countOf(data.voteCount, "vote")}
          </p>
          {methodSentence(data.method) ? <p className="text-xs text-slate-500" data-testid="leaderboard-method">{methodSentence(data.method)}</p> : null}
          {shrinkageSentence(data.shrinkage) ? (
            <Alert tone="info" data-testid="leaderboard-shrinkage">
              {shrinkageSentence(data.shrinkage)}
            </Alert>
          ) : null}
          {data.groupCount > 1 ? (
            <Alert tone="info" data-testid="leaderboard-groups">
              These votes form {data.groupCount} comparison groups: no model of one group has met a model of another, even through other models. Each group is ranked on its own, and
              scores compare only within a group.
            </Alert>
          ) : null}
          {rowsByGroup(data.rows).map(({ group, rows }) => (
            <RankingTable key={group} rows={rows} heading={data.groupCount > 1 ? `Comparison group ${group} of ${data.groupCount}` : null} segment={data.shrinkage !== null} provisionalMinVotes={provisionalMinVotes} />
          ))}
          {data.rows.some((row) => row.provisional) ? (
            <p className="text-xs text-slate-600" data-testid="provisional-legend">
              <span className="mr-1 rounded-full bg-amber-100 px-2 py-0.5 text-amber-800">provisional</span>
              fewer than {provisionalMinVotes} votes so far: the score and rank can still move a lot as votes come in.
            </p>
          ) : null}
          {data.styleCoefficients ? <StyleCoefficients coefficients={data.styleCoefficients} intervals={data.styleCoefficientIntervals} /> : null}

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

function RankingTable({ rows, heading, segment, provisionalMinVotes }: { rows: TLeaderboardRow[]; heading: string | null; segment: boolean; provisionalMinVotes: number }) {
  return (
    <div className="space-y-2">
      {heading ? <h2 className="text-lg font-semibold text-slate-900">{heading}</h2> : null}
      <div className="overflow-x-auto rounded-2xl border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full text-sm" data-testid="leaderboard-table">
          <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
            {/* On a phone the table keeps rank, model, score and interval; the vote count moves under the score. */}
            <tr>
              <th className="px-2 py-3 sm:px-4">
                Rank<span className="hidden sm:inline"> (UB)</span>
              </th>
              <th className="px-2 py-3 sm:px-4">Model</th>
              <th className="hidden px-4 py-3 sm:table-cell">Organization</th>
              <th className="px-2 py-3 text-right sm:px-4">Score</th>
              <th className="px-2 py-3 text-right sm:px-4">95% CI</th>
              <th className="hidden px-4 py-3 text-right sm:table-cell">Votes</th>
              {segment ? <th className="hidden px-4 py-3 text-right sm:table-cell" title="Share of the score that comes from this group's own votes">Own weight</th> : null}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => {
              const interval = intervalHalfWidths(row);
              return (
                <tr key={row.modelId}>
                  <td className="px-2 py-2.5 font-medium text-slate-900 sm:px-4">
                    {row.rank === null ? (
                      <span className="text-xs font-normal text-slate-500" data-testid="not-enough-votes" title={`Ranked after ${countOf(provisionalMinVotes, "vote")} with at least one win and one loss`}>
                        not enough votes yet
                      </span>
                    ) : (
                      row.rank
                    )}
                  </td>
                  <td className="px-2 py-2.5 text-slate-900 sm:px-4">
                    {row.displayName}
                    {row.provisional ? (
                      <span className="ml-2 whitespace-nowrap rounded-full bg-amber-100 px-2 py-0.5 text-xs text-amber-800" title={`Fewer than ${countOf(provisionalMinVotes, "vote")}`}>
                        provisional
                      </span>
                    ) : null}
                  </td>
                  <td className="hidden px-4 py-2.5 text-slate-600 sm:table-cell">{row.organizationName ?? "—"}</td>
                  <td className="px-2 py-2.5 text-right font-mono text-slate-900 sm:px-4">
                    {Math.round(row.rating)}
                    <span className="block font-sans text-[11px] text-slate-500 sm:hidden">{countOf(row.votes, "vote")}</span>
                  </td>
                  {/* On a phone the interval's two halves stack: a young board's "+1004/−1013" on one line pushed the column past a 390 px screen. */}
                  <td className="px-2 py-2.5 text-right font-mono text-slate-600 sm:whitespace-nowrap sm:px-4" data-testid="interval">
                    <span className="block sm:inline">+{interval.plus}</span>
                    <span className="block sm:inline">/−{interval.minus}</span>
                  </td>
                  <td className="hidden px-4 py-2.5 text-right font-mono text-slate-600 sm:table-cell">{row.votes.toLocaleString("en")}</td>
                  {segment ? <td className="hidden px-4 py-2.5 sm:table-cell text-right font-mono text-slate-600">{row.ownWeight === null ? "—" : `${Math.round(row.ownWeight * 100)}%`}</td> : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function StyleCoefficients({ coefficients, intervals }: { coefficients: Record<string, number>; intervals: TLeaderboardData["styleCoefficientIntervals"] }) {
  return (
    <Card data-testid="style-coefficients">
      <h2 className="text-base font-semibold text-slate-900">Style coefficients</h2>
      <p className="mt-1 text-sm text-slate-600">
        How much each difference in style sways a vote, in log-odds per standard deviation of the difference between the two answers (positive: voters favour more of it). The scores
        above have these effects removed.
      </p>
      <ul className="mt-2 grid gap-1 text-sm sm:grid-cols-2">
        {Object.entries(coefficients).map(([feature, value]) => {
          const interval = intervals?.[feature];
          return (
            <li key={feature} className="font-mono text-slate-700">
              {STYLE_FEATURE_LABELS[feature] ?? feature}: {value >= 0 ? "+" : ""}
              {value.toFixed(3)}
              {interval ? ` (95%: ${interval[0].toFixed(3)} to ${interval[1].toFixed(3)})` : ""}
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
