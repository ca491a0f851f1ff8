"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import type { TModelStatus, TModelStatusAction } from "@/lib/schemas/model-registry";
import { useTRPC } from "@/lib/trpc/react";
import { errorMessage } from "./admin-ui";

/**
 * Activate / pause (with a reason) / resume / retire for one model. Pause and retire take a second,
 * explicit click so a slip of the mouse cannot take a model out of the arena.
 */
export function ModelStatusActions({ model }: { model: { id: string; displayName: string; status: TModelStatus } }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<"pause" | "retire" | null>(null);
  const [reason, setReason] = useState("");
  const change = useMutation(
    trpc.adminModels.changeStatus.mutationOptions({
      onSuccess: async () => {
        setConfirming(null);
        setReason("");
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.adminModels.list.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.adminModels.get.queryKey({ id: model.id }) }),
          queryClient.invalidateQueries({ queryKey: trpc.adminQuality.overview.queryKey() }),
        ]);
      },
    }),
  );
  const run = (action: TModelStatusAction) => change.mutate({ id: model.id, action, reason: action === "pause" && reason.trim() ? reason.trim() : undefined });
  const label = (verb: string) => `${verb} ${model.displayName}`;

  return (
    <div className="flex flex-wrap items-center gap-2">
      {model.status === "paused" ? (
        <Button variant="secondary" aria-label={label("Resume")} disabled={change.isPending} onClick={() => run("resume")}>Resume</Button>
      ) : null}
      {model.status === "retired" ? (
        <Button variant="secondary" aria-label={label("Activate")} disabled={change.isPending} onClick={() => run("activate")}>Activate</Button>
      ) : null}
      {model.status === "active" && confirming !== "pause" ? (
        <Button variant="secondary" aria-label={label("Pause")} onClick={() => setConfirming("pause")}>Pause</Button>
      ) : null}
      {confirming === "pause" ? (
        <span className="flex items-center gap-2">
          <input className={`${inputClass} w-48`} aria-label="Reason for pausing" placeholder="Reason (optional)" value={reason} onChange={(event) => setReason(event.target.value)} maxLength={500} />
          <Button variant="danger" disabled={change.isPending} onClick={() => run("pause")}>Confirm pause</Button>
          <Button variant="ghost" onClick={() => setConfirming(null)}>Cancel</Button>
        </span>
      ) : null}
      {model.status !== "retired" && confirming !== "retire" ? (
        <Button variant="ghost" aria-label={label("Retire")} onClick={() => setConfirming("retire")}>Retire</Button>
      ) : null}
      {confirming === "retire" ? (
        <span className="flex items-center gap-2">
          <Button variant="danger" disabled={change.isPending} onClick={() => run("retire")}>Confirm retire</Button>
          <Button variant="ghost" onClick={() => setConfirming(null)}>Cancel</Button>
        </span>
      ) : null}
      {change.isError ? <span role="alert" className="text-xs text-rose-600">{errorMessage(change.error)}</span> : null}
    </div>
  );
}
