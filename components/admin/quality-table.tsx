"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Card } from "@/components/ui/card";
import { inputClass } from "@/components/ui/field";
import { useTRPC } from "@/lib/trpc/react";
import { AdminTable, Badge, errorMessage, formatDate, LoadingRow, PageHeading, selectClass } from "./admin-ui";

const WINDOWS = [7, 30, 90, 365];

const QUALITY_COLUMNS = [{ label: "Annotator" }, { label: "Votes", align: "right" }, { label: "Flags and reasons" }, { label: "Signals" }, { label: "Ratings" }] as const;

function ExclusionControl({ userId, label, excludedAt, excludedReason, suggestedReason }: {
  userId: string;
  label: string;
  excludedAt: Date | null;
  excludedReason: string | null;
  suggestedReason: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState(suggestedReason);
  const [open, setOpen] = useState(false);
  const onSuccess = async () => {
    setOpen(false);
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.adminQuality.annotators.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.adminQuality.overview.queryKey() }),
    ]);
  };
  const exclude = useMutation(trpc.adminQuality.excludeVotes.mutationOptions({ onSuccess }));
  const include = useMutation(trpc.adminQuality.includeVotes.mutationOptions({ onSuccess }));
  const failed = exclude.isError ? exclude.error : include.isError ? include.error : null;

  if (excludedAt) {
    return (
      <div className="space-y-1 text-xs">
        <Badge tone="excluded">votes excluded</Badge>
        <p className="text-slate-600">{excludedReason} · {formatDate(excludedAt)}</p>
        <Button variant="secondary" aria-label={`Re-include the votes of ${label}`} disabled={include.isPending} onClick={() => include.mutate({ userId })}>Re-include votes</Button>
        {failed ? <p role="alert" className="text-rose-600">{errorMessage(failed)}</p> : null}
      </div>
    );
  }
  return (
    <div className="space-y-1 text-xs">
      {open ? (
        <form
          className="space-y-1"
          onSubmit={(event) => {
            event.preventDefault();
            exclude.mutate({ userId, reason });
          }}
        >
          <input className={inputClass} aria-label="Reason for excluding" value={reason} onChange={(event) => setReason(event.target.value)} maxLength={500} />
          <span className="flex gap-1">
            <Button type="submit" variant="danger" disabled={exclude.isPending}>Exclude from ratings and releases</Button>
            <Button variant="ghost" onClick={() => setOpen(false)}>Cancel</Button>
          </span>
        </form>
      ) : (
        <Button variant="secondary" aria-label={`Exclude the votes of ${label}`} onClick={() => setOpen(true)}>Exclude votes…</Button>
      )}
      {failed ? <p role="alert" className="text-rose-600">{errorMessage(failed)}</p> : null}
    </div>
  );
}

export function QualityTable() {
  const trpc = useTRPC();
  const [days, setDays] = useState(30);
  const rows = useQuery(trpc.adminQuality.annotators.queryOptions({ days }));
  return (
    <div className="space-y-4">
      <PageHeading
        title="Vote quality"
        description="Signals per annotator over recent votes: too fast to have read, position bias, gold disagreement, outlier against the consensus. Flags call for review; exclusion is reversible and audited."
        actions={
          <label className="flex items-center gap-2 text-sm">
            Window
            <select className={selectClass} value={days} onChange={(event) => setDays(Number(event.target.value))}>
              {WINDOWS.map((window) => <option key={window} value={window}>last {window} days</option>)}
            </select>
          </label>
        }
      />
      {rows.isPending ? <LoadingRow /> : null}
      {rows.isError ? <Alert>{errorMessage(rows.error)}</Alert> : null}
      {rows.data?.length === 0 ? <Card><p className="text-sm text-slate-600">No votes in this window.</p></Card> : null}
      {rows.data && rows.data.length > 0 ? (
        <AdminTable columns={QUALITY_COLUMNS}>
          {rows.data.map((row) => (
            <tr key={row.annotatorId} className="align-top" data-testid="quality-row">
              <td className="px-3 py-2">
                <span className="font-medium">{row.annotator.label}</span>
                <span className="block text-xs text-slate-500">{row.annotator.role}{row.annotator.bannedAt ? " · banned" : ""}</span>
                <Link href={`/admin/battles?user=${encodeURIComponent(row.annotatorId)}`} className="text-xs text-brand-700 hover:underline">Their battles</Link>
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{row.votes}</td>
              <td className="px-3 py-2">
                {row.flagged ? (
                  <ul className="space-y-1">
                    {row.flags.map((flag, index) => (
                      <li key={flag}>
                        <Badge tone="flagged">{flag.replace("_", " ")}</Badge> <span className="text-xs text-slate-700">{row.reasons[index]}</span>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <span className="text-xs text-slate-500">No flags</span>
                )}
              </td>
              <td className="px-3 py-2 text-xs text-slate-600">
                <span className="block">Too fast: {row.speed.tooFastVotes}/{row.speed.checkedVotes}</span>
                {row.positionBias ? <span className="block">Left/right wins: {row.positionBias.leftWins}/{row.positionBias.rightWins} (p = {row.positionBias.pValue.toPrecision(2)})</span> : null}
                {row.gold ? <span className="block">Gold: {row.gold.agreed}/{row.gold.votes} agreed</span> : null}
                {row.outlier?.zScore != null ? <span className="block">Outlier z: {row.outlier.zScore.toFixed(1)}</span> : null}
              </td>
              <td className="px-3 py-2">
                <ExclusionControl
                  userId={row.annotatorId}
                  label={row.annotator.label}
                  excludedAt={row.annotator.votesExcludedAt}
                  excludedReason={row.annotator.votesExcludedReason}
                  suggestedReason={row.reasons.join("; ").slice(0, 500) || "Manual review"}
                />
              </td>
            </tr>
          ))}
        </AdminTable>
      ) : null}
    </div>
  );
}
