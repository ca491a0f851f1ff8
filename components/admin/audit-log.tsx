"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Card } from "@/components/ui/card";
import { inputClass } from "@/components/ui/field";
import { useTRPC } from "@/lib/trpc/react";
import { AdminTable, errorMessage, formatDate, LoadingRow, PageHeading } from "./admin-ui";

const PAGE_SIZE = 50;

const AUDIT_COLUMNS = [{ label: "When" }, { label: "Actor" }, { label: "Action" }, { label: "Target" }, { label: "Details" }] as const;

export function AuditLogView() {
  const trpc = useTRPC();
  const [actionInput, setActionInput] = useState("");
  const [action, setAction] = useState<string | undefined>(undefined);
  const log = useInfiniteQuery(
    trpc.adminUsers.auditLog.infiniteQueryOptions({ limit: PAGE_SIZE, action }, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  const items = log.data?.pages.flatMap((page) => page.items) ?? [];

  function onFilter(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setAction(actionInput.trim() || undefined);
  }

  return (
    <div className="space-y-4">
      <PageHeading title="Audit log" description="Every administrative action, newest first. System actions (such as automatic pauses) have no actor." />
      <form onSubmit={onFilter} className="flex gap-2">
        <input className={inputClass} aria-label="Filter by action" placeholder="Action, e.g. model.pause" value={actionInput} onChange={(event) => setActionInput(event.target.value)} />
        <Button type="submit" variant="secondary">Filter</Button>
      </form>
      {log.isPending ? <LoadingRow /> : null}
      {log.isError ? <Alert>{errorMessage(log.error)}</Alert> : null}
      {log.isSuccess && items.length === 0 ? <Card><p className="text-sm text-slate-600">No entries.</p></Card> : null}
      {items.length > 0 ? (
        <AdminTable columns={AUDIT_COLUMNS}>
          {items.map((entry) => (
            <tr key={entry.id} className="align-top" data-testid="audit-row">
              <td className="whitespace-nowrap px-3 py-2 text-xs">{formatDate(entry.createdAt)}</td>
              <td className="px-3 py-2 text-xs">{entry.actor ? entry.actor.email ?? entry.actor.name ?? entry.actor.id : "system"}</td>
              <td className="px-3 py-2"><code className="text-xs">{entry.action}</code></td>
              <td className="px-3 py-2 text-xs">{entry.targetType}{entry.targetId ? ` ${entry.targetId}` : ""}</td>
              <td className="px-3 py-2"><code className="block max-w-md whitespace-pre-wrap break-all text-xs text-slate-600">{entry.details ? JSON.stringify(entry.details) : ""}</code></td>
            </tr>
          ))}
        </AdminTable>
      ) : null}
      {log.hasNextPage ? <Button variant="secondary" disabled={log.isFetchingNextPage} onClick={() => log.fetchNextPage()}>Older entries</Button> : null}
    </div>
  );
}
