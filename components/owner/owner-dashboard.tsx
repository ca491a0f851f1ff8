import { formatLift, liftVerdict } from "@/lib/domain/leaderboard/lift-format";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { ChartFrame, RatingOverTimeChart, VotesBarChart } from "@/components/leaderboard/charts";
import { intervalHalfWidths, modelHistorySeries, opponentWinRateSeries, votesPerDaySeries } from "@/lib/domain/leaderboard/series";
import type { TOwnerDashboard } from "@/lib/server/services/owner-dashboard";
import { MODALITY_LABELS } from "@/lib/domain/vocabulary";

export interface OwnerDashboardViewProps {
  organizations: { id: string; name: string }[];
  dashboard: TOwnerDashboard;
}

export function OwnerDashboardView({ organizations, dashboard }: OwnerDashboardViewProps) {
  const { organization, models, feedback } = dashboard;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-3xl font-semibold tracking-tight text-slate-900">{organization.name}</h1>
          <p className="text-slate-600">
            Your models on the arena{dashboard.computedAt ? ` · leaderboards computed ${new Date(dashboard.computedAt).toISOString().slice(0, 16).replace("T", " ")} UTC` : ""}.
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {organizations.length > 1 ? (
            <nav aria-label="Organization" className="flex flex-wrap gap-1" data-testid="org-switcher">
              {organizations.map((entry) => (
                <Link
                  key={entry.id}
                  href={`/dashboard?org=${entry.id}`}
                  aria-current={entry.id === organization.id ? "page" : undefined}
                  className={`rounded-full px-3 py-1.5 text-sm ring-1 ${entry.id === organization.id ? "bg-brand-600 text-white ring-brand-600" : "bg-white text-slate-700 ring-slate-300"}`}
                >
                  {entry.name}
                </Link>
              ))}
            </nav>
          ) : null}
          <a href={`/api/v1/owner/battles?organizationId=${organization.id}`} className="rounded-lg bg-white px-4 py-2 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100" data-testid="export-battles">
            Export battles (JSONL)
          </a>
        </div>
      </div>

      {models.length === 0 ? <Card>This organization has no models yet.</Card> : null}

      {models.map((model) => {
        const interval = model.current ? intervalHalfWidths(model.current) : null;
        return (
          <section key={model.modelId} className="space-y-4 rounded-2xl border border-slate-200 bg-slate-50/50 p-4" data-testid="owner-model">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <h2 className="text-xl font-semibold text-slate-900">
                {model.displayName} <span className="text-sm font-normal text-slate-500">{MODALITY_LABELS[model.modality]}</span>
              </h2>
              {model.current && interval ? (
                <p className="font-mono text-sm text-slate-700">
                  {model.current.rank === null ? "not enough votes yet" : `rank ${model.current.rank}`} · score {Math.round(model.current.rating)} (+{interval.plus}/−{interval.minus}) · {model.current.votes} votes
                  {model.current.provisional ? " · provisional" : ""}
                </p>
              ) : (
                <p className="text-sm text-slate-500">No counted votes yet.</p>
              )}
            </div>
            <div className="grid gap-4 lg:grid-cols-2">
              {model.history.length > 0 ? (
                <ChartFrame title="Score and 95% interval over time" testId="owner-chart-history">
                  <RatingOverTimeChart
                    series={modelHistorySeries(
                      model.history,
                      model,
                      model.current && dashboard.computedAt ? { day: dashboard.computedAt.slice(0, 10), rating: model.current.rating, ciLower: model.current.ciLower, ciUpper: model.current.ciUpper } : null,
                    )}
                    showIntervals
                  />
                </ChartFrame>
              ) : null}
              {model.votesByDay.length > 0 ? (
                <ChartFrame title="Votes per day (last 90 days)" testId="owner-chart-votes">
                  <VotesBarChart data={votesPerDaySeries(model.votesByDay)} xKey="day" height={220} />
                </ChartFrame>
              ) : null}
              {model.opponents.length > 0 ? (
                <Card className="p-4">
                  <h3 className="mb-2 text-sm font-semibold text-slate-800">Win rate against each opponent</h3>
                  <table className="w-full text-sm">
                    <tbody className="divide-y divide-slate-100">
                      {opponentWinRateSeries(model.opponents).map((opponent) => (
                        <tr key={opponent.label}>
                          <td className="py-1.5 text-slate-700">{opponent.label}</td>
                          <td className="py-1.5 text-right font-mono">{opponent.winRate === null ? "–" : `${opponent.winRate}%`}</td>
                          <td className="py-1.5 text-right text-slate-500">{opponent.battles} battles</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </Card>
              ) : null}
              <Card className="p-4" data-testid="owner-lift">
                <h3 className="mb-2 text-sm font-semibold text-slate-800">Personalization lift</h3>
                {model.lift ? (
                  <p className="text-sm text-slate-700">
                    <span className="font-mono">{formatLift(model.lift.lift, model.lift.lower, model.lift.upper)}</span>: {liftVerdict(model.lift.lower, model.lift.upper)}{" "}
                    <span className="text-slate-500">({model.lift.experimentBattles} experiment battles)</span>
                  </p>
                ) : (
                  <p className="text-sm text-slate-500">No personalization-experiment votes yet.</p>
                )}
                <p className="mt-1 text-xs text-slate-500">How much more often this model&apos;s personalized answers win than its generic ones, against the same opponents.</p>
              </Card>
              {model.segments.length > 0 ? (
                <Card className="p-4">
                  <h3 className="mb-2 text-sm font-semibold text-slate-800">By persona segment</h3>
                  <table className="w-full text-sm">
                    <tbody className="divide-y divide-slate-100">
                      {model.segments.map((segment) => (
                        <tr key={segment.variant}>
                          <td className="py-1.5 text-slate-700">{segment.label}</td>
                          <td className="py-1.5 text-right font-mono">{Math.round(segment.rating)}</td>
                          <td className="py-1.5 text-right text-slate-500">{segment.rank === null ? "not enough votes yet" : `rank ${segment.rank}`}</td>
                          <td className="py-1.5 text-right text-slate-500">{segment.votes} votes</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </Card>
              ) : null}
            </div>
          </section>
        );
      })}

      <Card>
        <h2 className="mb-3 text-lg font-semibold text-slate-900">Recent feedback</h2>
        {feedback.length === 0 ? (
          <p className="text-slate-600">No written feedback about your models yet.</p>
        ) : (
          <ul className="space-y-3" data-testid="owner-feedback">
            {feedback.map((item, index) => (
              <li key={`${item.at}-${index}`} className="text-sm">
                <span className="font-medium text-slate-800">{item.modelName}</span>{" "}
                <span className="text-slate-500">({item.result}, {item.at.slice(0, 10)})</span>
                <p className="text-slate-700">{item.text}</p>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
