"use client";

import type { ReactNode } from "react";

/** The message of a tRPC (or any) error, as the server's error formatter wrote it. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : "Something went wrong. Please try again.";
}

/** Field name → message from a failed mutation (zod issues or an AppError's fieldErrors). */
export function serverFieldErrors(error: unknown): Record<string, string> {
  const data = (error as { data?: { fieldErrors?: Record<string, string> | null } } | null)?.data;
  return data?.fieldErrors ?? {};
}

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export function formatDate(value: Date | string | null | undefined): string {
  return value ? `${dateFormat.format(new Date(value))} UTC` : "—";
}

const STATUS_TONES: Record<string, string> = {
  active: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  paused: "bg-amber-50 text-amber-900 ring-amber-200",
  retired: "bg-slate-100 text-slate-600 ring-slate-200",
  flagged: "bg-rose-50 text-rose-800 ring-rose-200",
  excluded: "bg-slate-800 text-white ring-slate-800",
  gold: "bg-yellow-50 text-yellow-900 ring-yellow-300",
};

export function Badge({ tone, children }: { tone: keyof typeof STATUS_TONES | string; children: ReactNode }) {
  return <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${STATUS_TONES[tone] ?? STATUS_TONES.retired}`}>{children}</span>;
}

export function PageHeading({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-3">
      <div>
        <h1 className="text-2xl font-semibold">{title}</h1>
        {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
      </div>
      {actions}
    </div>
  );
}

export function LoadingRow({ label = "Loading…" }: { label?: string }) {
  return <p className="text-sm text-slate-500" role="status">{label}</p>;
}


export const selectClass =
  "rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100";

export interface TColumn {
  label: string;
  align?: "left" | "right";
}

/** The admin pages' table: scrolls sideways on small screens; rows are the children. */
export function AdminTable({ columns, children }: { columns: readonly TColumn[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-2xl border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full text-left text-sm">
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {columns.map((column) => (
              <th key={column.label} className={`px-3 py-2 ${column.align === "right" ? "text-right" : ""}`}>{column.label}</th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}
