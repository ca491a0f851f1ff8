"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Card } from "@/components/ui/card";
import { inputClass } from "@/components/ui/field";
import { describeAuditAction, describeAuditDetails } from "@/lib/domain/audit/describe";
import { useTRPC } from "@/lib/trpc/react";
import { AdminTable, errorMessage, formatDate, LoadingRow, PageHeading } from "./admin-ui";

const PAGE_SIZE = 50;

const AUDIT_COLUMNS = [{ label: "When" }, { label: "Who" }, { label: "What" }, { label: "On" }, { label: "Details" }] as const;

const TARGET_NOUNS: Record<string, string> = { ArenaModel: "Model", User: "User", user: "User", Organization: "Organization", Battle: "Battle", release: "Release" };
const TARGET_PAGES: Record<string, (id: string) => string> = { ArenaModel: (id) => `/admin/models/${id}`, Battle: (id) => `/admin/battles/${id}` };

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
              <td className="px-3 py-2 text-xs">{entry.actor ? (entry.actor.name ?? entry.actor.email ?? "an account") : "System"}{entry.actor?.name && entry.actor.email ? <span className="block text-slate-500">{entry.actor.email}</span> : null}</td>
              <td className="px-3 py-2 text-sm">
                {describeAuditAction(entry.action)}
                <code className="block text-[10px] text-slate-400">{entry.action}</code>
              </td>
              <td className="px-3 py-2 text-xs">
                <AuditTarget type={entry.targetType} id={entry.targetId} label={entry.targetLabel} />
              </td>
              <td className="px-3 py-2">
                <ul className="max-w-md space-y-0.5 text-xs text-slate-600">
                  {describeAuditDetails(entry.details).map((line) => (
                    <li key={line} className="break-words">{line}</li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </AdminTable>
      ) : null}
      {log.hasNextPage ? <Button variant="secondary" disabled={log.isFetchingNextPage} onClick={() => log.fetchNextPage()}>Older entries</Button> : null}
    </div>
  );
}

/** The target by name, linked to its admin page when there is one; a deleted target shows its kind and version or "(deleted)". */
function AuditTarget({ type, id, label }: { type: string; id: string | null; label: string | null }) {
  const noun = TARGET_NOUNS[type] ?? type;
  if (!id) return <>{noun}</>;
  const name = label ?? (type === "release" ? id : "(deleted)");
  const page = label ? TARGET_PAGES[type]?.(id) : undefined;
  return (
    <>
      <span className="text-slate-500">{noun} </span>
      {page ? <a href={page} className="text-brand-600 underline">{name}</a> : <span className="font-medium text-slate-800">{name}</span>}
    </>
  );
}
