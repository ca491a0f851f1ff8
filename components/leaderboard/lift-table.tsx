import { formatLift, liftVerdict } from "@/lib/domain/leaderboard/lift-format";
import type { TLiftData } from "@/lib/server/leaderboards/lift";
import { Card } from "@/components/ui/card";

/**
 * "Does personalization help?": per model, the win rate of its personalized answers minus its
 * generic answers against the same opponents, from the personalization experiment.
 */
export function LiftTable({ lift }: { lift: TLiftData | null }) {
  return (
    <Card className="p-4" data-testid="lift-table">
      <h2 className="text-lg font-semibold text-slate-900">Does personalization help?</h2>
      <p className="mt-1 text-sm text-slate-600">
        In some battles only one side, chosen at random, sees the voter&apos;s persona. The lift is how much more often a model&apos;s
        personalized answer wins than its generic one against the same opponents, in win-rate points, with a 95% interval. It is
        estimated with a Bradley–Terry model that controls for the opponent.
      </p>
      {!lift || lift.models.length === 0 ? (
        <p className="mt-3 text-sm text-slate-600">No personalization-experiment votes yet.</p>
      ) : (
        <>
          <LiftRows models={lift.models} />
          <p className="mt-2 text-xs text-slate-500">From {lift.experimentVotes} experiment {lift.experimentVotes === 1 ? "vote" : "votes"}.</p>
          {lift.segments.length > 0 ? (
            <details className="mt-3">
              <summary className="cursor-pointer text-sm font-medium text-slate-700">By persona segment</summary>
              {lift.segments.map((segment) => (
                <div key={segment.key} className="mt-3">
                  <h3 className="text-sm font-semibold text-slate-800">
                    {segment.label} <span className="font-normal text-slate-500">({segment.experimentVotes} experiment votes)</span>
                  </h3>
                  <LiftRows models={segment.models} />
                </div>
              ))}
            </details>
          ) : null}
        </>
      )}
    </Card>
  );
}

function LiftRows({ models }: { models: TLiftData["models"] }) {
  return (
    <table className="mt-3 w-full text-sm">
      <thead className="text-left text-xs uppercase text-slate-500">
        <tr>
          <th className="py-1">Model</th>
          <th className="py-1 text-right">Lift</th>
          <th className="hidden py-1 text-right sm:table-cell">Experiment battles</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {models.map((row) => (
          <tr key={row.modelId}>
            <td className="py-1.5 text-slate-800">{row.displayName}</td>
            <td className="py-1.5 text-right">
              <span className="font-mono">{formatLift(row.lift ?? 0, row.lower, row.upper)}</span>
              <span className="block text-xs text-slate-500">{liftVerdict(row.lower, row.upper)}</span>
            </td>
            <td className="hidden py-1.5 text-right text-slate-500 sm:table-cell">{row.experimentBattles}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
