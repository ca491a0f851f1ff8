"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { TextField } from "@/components/ui/field";
import { FormCard } from "@/components/ui/form-card";
import { useTRPC } from "@/lib/trpc/react";

const RELEASE_HEADERS = ["Version", "Status", "Battles", "k", "Downloads", "Note"];

const STATUS_STYLE = { published: "text-emerald-700", publishing: "text-amber-700", failed: "text-rose-700" } as const;

/** Admin: publish a window on demand and see every release with its status. */
export function AdminReleasesPanel({ defaultWindow }: { defaultWindow: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [window, setWindow] = useState(defaultWindow);
  const releases = useQuery(trpc.release.adminList.queryOptions());
  const publish = useMutation(
    trpc.release.publish.mutationOptions({ onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.release.adminList.queryKey() }) }),
  );
  return (
    <div className="space-y-6">
      <FormCard
        title="Publish a release"
        onSubmit={() => publish.mutate({ window: window.trim() })}
        outcome={
          <>
            {publish.error ? <Alert>{publish.error.message}</Alert> : null}
            {publish.data ? <Alert tone="success">Release {publish.data.version} published with {publish.data.rowCount} battles.</Alert> : null}
          </>
        }
      >
        <div className="w-60">
          <TextField label="Window" name="window" value={window} onChange={(event) => setWindow(event.target.value)} hint="A month (2026-11) or an ISO week (2026-W47)." />
        </div>
        <Button type="submit" disabled={publish.isPending}>{publish.isPending ? "Publishing…" : "Publish"}</Button>
      </FormCard>
      <Card>
        <DataTable headers={RELEASE_HEADERS}>
          {(releases.data ?? []).map((release) => (
            <tr key={release.version} className="border-t border-slate-100" data-testid={`release-row-${release.version}`}>
              <td className="py-2 pr-4 font-medium">{release.version}</td>
              <td className={`py-2 pr-4 ${STATUS_STYLE[release.status]}`}>{release.status}</td>
              <td className="py-2 pr-4">{release.rowCount.toLocaleString("en")}</td>
              <td className="py-2 pr-4">{release.kAnonymity}</td>
              <td className="py-2 pr-4">{release.downloadCount}</td>
              <td className="py-2 text-xs text-slate-600">{release.error ?? ""}</td>
            </tr>
          ))}
        </DataTable>
        {releases.data?.length === 0 ? <p className="text-sm text-slate-600">No releases yet.</p> : null}
      </Card>
    </div>
  );
}
