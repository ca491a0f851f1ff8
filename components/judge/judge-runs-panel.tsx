"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Card } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { useTRPC } from "@/lib/trpc/react";
import { JUDGE_RUN_METHODS, type TJudgeRunSummary } from "@/lib/server/judge/schema";

const METHOD_LABELS: Record<(typeof JUDGE_RUN_METHODS)[number], string> = {
  judge_persona: "Judge with persona",
  judge_blind: "Same judge without persona",
  group_model: "Group model (persona + other votes)",
  global_board: "Global board win probability",
};

const percent = (value: number | null) => (value === null ? "—" : `${(100 * value).toFixed(1)} %`);

function SummaryTable({ summary }: { summary: TJudgeRunSummary }) {
  const levels = [1, 3, 5, 7, 9];
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="judge-summary">
        <thead className="text-slate-500">
          <tr>
            <th className="py-1 pr-3">Method</th>
            <th className="py-1 pr-3">Agreement</th>
            <th className="py-1 pr-3">Abstained</th>
            {levels.map((level) => (
              <th key={level} className="py-1 pr-3">
                certainty ≥ {level}: coverage / agreement
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {JUDGE_RUN_METHODS.map((method) => {
            const result = summary.methods[method];
            return (
              <tr key={method} className="border-t border-slate-100">
                <td className="py-1 pr-3">{METHOD_LABELS[method]}</td>
                <td className="py-1 pr-3 tabular-nums">{percent(result.agreement)}</td>
                <td className="py-1 pr-3 tabular-nums">
                  {result.abstained}
                  {Object.keys(result.abstentions).length > 0 ? ` (${Object.entries(result.abstentions).map(([reason, count]) => `${reason}: ${count}`).join(", ")})` : ""}
                </td>
                {levels.map((level) => {
                  const point = result.curve[level - 1];
                  return (
                    <td key={level} className="py-1 pr-3 tabular-nums">
                      {percent(point.coverage)} / {percent(point.agreement)}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="mt-2 text-xs text-slate-500">
        {summary.sampled} battles · group model with {summary.groupCount} group(s), fitted without the sampled votes · {summary.tokens} judge tokens
        {summary.stoppedEarly ? ` · ${summary.stoppedEarly}` : ""}
      </p>
    </div>
  );
}

function AttachToRelease({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const [version, setVersion] = useState("");
  const attach = useMutation(trpc.judge.attachToRelease.mutationOptions());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    attach.mutate({ runId, version: version.trim() });
  };
  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-2" aria-label="Attach to a release">
      <TextField label="Release version" name="version" placeholder="2026-11" value={version} onChange={(event) => setVersion(event.target.value)} />
      <Button type="submit" variant="secondary" disabled={attach.isPending || version.trim() === ""}>
        Attach as judge.parquet
      </Button>
      {attach.data ? <Alert tone="success">Attached: {attach.data.file.rows} rows in release {attach.data.version}.</Alert> : null}
      {attach.error ? <Alert>{attach.error.message}</Alert> : null}
    </form>
  );
}

function RunDetail({ id, canAttach }: { id: string; canAttach: boolean }) {
  const trpc = useTRPC();
  const run = useQuery({ ...trpc.judge.get.queryOptions({ id }), refetchInterval: (query) => (query.state.data && ["queued", "running"].includes(query.state.data.status) ? 2000 : false) });
  if (!run.data) return <p className="text-sm text-slate-500">Loading…</p>;
  const data = run.data;
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-700" data-testid="judge-run-status">
        {data.judgeLabel} · prompt {data.promptVersion} · sample {data.sampleSize} · seed {data.seed} · <strong>{data.status}</strong> ({data.done}/{data.total} calls, {data.abstained} abstained)
      </p>
      {data.error ? <Alert>{data.error}</Alert> : null}
      {data.summary ? <SummaryTable summary={data.summary} /> : null}
      {canAttach && data.status === "completed" ? <AttachToRelease runId={data.id} /> : null}
      {data.abstentions.length > 0 ? (
        <details className="text-sm text-slate-600">
          <summary className="cursor-pointer">Why the judge abstained (first {data.abstentions.length})</summary>
          <ul className="mt-1 list-disc pl-5">
            {data.abstentions.map((item, index) => (
              <li key={index}>
                {item.withPersona ? "with persona" : "without persona"}: {item.abstention} — {item.detail}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

export function JudgeRunsPanel({ canStart, judgeModels }: { canStart: boolean; judgeModels: { id: string; displayName: string }[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const runs = useQuery({ ...trpc.judge.list.queryOptions(), refetchInterval: 3000 });
  const [selected, setSelected] = useState<string | null>(null);
  const [judgeModelId, setJudgeModelId] = useState("demo");
  const [sampleSize, setSampleSize] = useState("200");
  const [seed, setSeed] = useState("1");
  const start = useMutation(
    trpc.judge.start.mutationOptions({
      onSuccess: async (run) => {
        setSelected(run.id);
        await queryClient.invalidateQueries({ queryKey: trpc.judge.list.queryKey() });
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate({ judgeModelId: judgeModelId === "demo" ? null : judgeModelId, sampleSize: Number(sampleSize), seed: Number(seed) });
  };
  return (
    <div className="space-y-6">
      {canStart ? (
        <Card>
          <form onSubmit={submit} className="grid gap-3 md:grid-cols-4 md:items-end" aria-label="Start a judge run">
            <label className="text-sm font-medium text-slate-700">
              Judge model
              <select value={judgeModelId} onChange={(event) => setJudgeModelId(event.target.value)} className="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2" name="judgeModelId">
                <option value="demo">Demo judge (offline)</option>
                {judgeModels.map((model) => (
                  <option key={model.id} value={model.id}>
                    {model.displayName}
                  </option>
                ))}
              </select>
            </label>
            <TextField label="Sample size" name="sampleSize" type="number" min={1} max={2000} value={sampleSize} onChange={(event) => setSampleSize(event.target.value)} />
            <TextField label="Seed" name="seed" type="number" min={0} value={seed} onChange={(event) => setSeed(event.target.value)} />
            <Button type="submit" disabled={start.isPending}>
              Start run
            </Button>
          </form>
          {start.error ? <Alert className="mt-3">{start.error.message}</Alert> : null}
        </Card>
      ) : null}
      <Card>
        <h2 className="mb-3 text-lg font-semibold">Runs</h2>
        {runs.data && runs.data.length === 0 ? <p className="text-sm text-slate-500">No judge runs yet.</p> : null}
        <ul className="space-y-1 text-sm">
          {(runs.data ?? []).map((run) => (
            <li key={run.id}>
              <button type="button" onClick={() => setSelected(run.id)} className={`text-left hover:underline ${selected === run.id ? "font-semibold text-brand-700" : "text-slate-700"}`}>
                {new Date(run.createdAt).toISOString().slice(0, 16).replace("T", " ")} · {run.judgeLabel} · n={run.sampleSize} · {run.status} ({run.done}/{run.total})
              </button>
            </li>
          ))}
        </ul>
      </Card>
      {selected ? (
        <Card>
          <RunDetail id={selected} canAttach={canStart} />
        </Card>
      ) : null}
    </div>
  );
}
