"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  ErrorBar,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { heatmapColor, type THeatmap, type TRatingIntervalPoint, type TRatingOverTime } from "@/lib/domain/leaderboard/series";

/** Charts only draw: every series comes prepared from lib/domain/leaderboard/series.ts. */

const PALETTE = ["#4f46e5", "#0891b2", "#16a34a", "#ca8a04", "#dc2626", "#9333ea", "#db2777", "#0d9488", "#ea580c", "#475569"];

export function ChartFrame({ title, testId, children }: { title: string; testId: string; children: React.ReactNode }) {
  return (
    <figure className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm" data-testid={testId}>
      <figcaption className="mb-3 text-sm font-semibold text-slate-800">{title}</figcaption>
      {children}
    </figure>
  );
}

export function RatingIntervalChart({ points }: { points: TRatingIntervalPoint[] }) {
  const low = Math.min(...points.map((point) => point.rating - point.error[0]));
  const high = Math.max(...points.map((point) => point.rating + point.error[1]));
  return (
    <ResponsiveContainer width="100%" height={260}>
      <ComposedChart data={points} margin={{ top: 8, right: 16, bottom: 40, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey="label" type="category" angle={-30} textAnchor="end" interval={0} tick={{ fontSize: 11 }} />
        <YAxis domain={[Math.floor(low - 10), Math.ceil(high + 10)]} tick={{ fontSize: 11 }} />
        <Tooltip />
        <Scatter dataKey="rating" name="Rating" fill="#4f46e5">
          <ErrorBar dataKey="error" direction="y" width={6} stroke="#64748b" />
        </Scatter>
      </ComposedChart>
    </ResponsiveContainer>
  );
}

export function WinRateHeatmap({ heatmap }: { heatmap: THeatmap }) {
  const size = heatmap.labels.length;
  return (
    <div className="overflow-x-auto">
      <div className="grid gap-px text-[11px]" style={{ gridTemplateColumns: `minmax(7rem, auto) repeat(${size}, minmax(2.75rem, 1fr))` }} role="table" aria-label="Win rate of the row model against the column model">
        <div role="columnheader" />
        {heatmap.labels.map((label) => (
          <div key={label} role="columnheader" className="truncate px-1 text-center font-medium text-slate-600" title={label}>
            {label}
          </div>
        ))}
        {heatmap.rows.map((row, i) => (
          <div key={heatmap.modelIds[i]} role="row" className="contents">
            <div role="rowheader" className="truncate pr-2 text-right font-medium text-slate-600" title={heatmap.labels[i]}>
              {heatmap.labels[i]}
            </div>
            {row.map((cell) => (
              <div
                key={cell.columnModelId}
                role="cell"
                className="rounded-sm py-1.5 text-center text-slate-900"
                style={{ backgroundColor: heatmapColor(cell.winRate) }}
                title={`${cell.text} over ${cell.battles} battles`}
              >
                {cell.text}
              </div>
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}

export function RatingOverTimeChart({ series, showIntervals = false }: { series: TRatingOverTime; showIntervals?: boolean }) {
  return (
    <ResponsiveContainer width="100%" height={280}>
      <LineChart data={series.points} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey="day" tick={{ fontSize: 11 }} />
        <YAxis domain={["auto", "auto"]} tick={{ fontSize: 11 }} />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {series.series.map((line, index) => (
          <Line
            key={line.key}
            dataKey={line.key}
            name={line.label}
            stroke={PALETTE[index % PALETTE.length]}
            dot={series.singlePoint}
            connectNulls
            isAnimationActive={false}
          >
            {showIntervals ? <ErrorBar dataKey={`${line.key}:errors`} width={4} stroke={PALETTE[index % PALETTE.length]} /> : null}
          </Line>
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

export function VotesBarChart({ data, xKey, height = 240 }: { data: { votes: number }[]; xKey: string; height?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={data} margin={{ top: 8, right: 16, bottom: 40, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey={xKey} angle={-30} textAnchor="end" interval="preserveStartEnd" tick={{ fontSize: 11 }} />
        <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
        <Tooltip />
        <Bar dataKey="votes" name="Votes" fill="#0891b2" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
