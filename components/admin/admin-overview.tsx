"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Alert, Card } from "@/components/ui/card";
import { useTRPC } from "@/lib/trpc/react";
import { Badge, errorMessage, formatDate, LoadingRow, PageHeading } from "./admin-ui";

function Stat({ label, value, href }: { label: string; value: number; href: string }) {
  return (
    <Link href={href} className="block rounded-2xl border border-slate-200 bg-white p-4 shadow-sm hover:border-brand-500">
      <span className="block text-sm text-slate-600">{label}</span>
      <span className="block text-2xl font-semibold" data-testid={`stat-${label.toLowerCase().replace(/\s+/g, "-")}`}>{value}</span>
    </Link>
  );
}

export function AdminOverview() {
  const trpc = useTRPC();
  const overview = useQuery(trpc.adminQuality.overview.queryOptions());
  if (overview.isPending) return <LoadingRow />;
  if (overview.isError) return <Alert>{errorMessage(overview.error)}</Alert>;
  const { modelsByStatus, pausedModels, votesToday, flaggedAnnotators, excludedAnnotators } = overview.data;
  return (
    <div className="space-y-6">
      <PageHeading title="Admin" description="Models, annotators and data quality at a glance." />
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <Stat label="Active models" value={modelsByStatus.active} href="/admin/models" />
        <Stat label="Paused models" value={modelsByStatus.paused} href="/admin/models" />
        <Stat label="Retired models" value={modelsByStatus.retired} href="/admin/models" />
        <Stat label="Votes today" value={votesToday} href="/admin/battles" />
        <Stat label="Flagged annotators" value={flaggedAnnotators} href="/admin/quality" />
        <Stat label="Excluded annotators" value={excludedAnnotators} href="/admin/quality" />
      </div>
      <Card className="space-y-3">
        <h2 className="text-lg font-semibold">Paused models</h2>
        {pausedModels.length === 0 ? (
          <p className="text-sm text-slate-600">No model is paused.</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {pausedModels.map((model) => (
              <li key={model.id} className="flex flex-wrap items-baseline justify-between gap-2 py-2 text-sm">
                <span className="space-x-2">
                  <Link href={`/admin/models/${model.id}`} className="font-medium text-brand-700 hover:underline">{model.displayName}</Link>
                  <Badge tone="paused">paused {formatDate(model.pausedAt)}</Badge>
                </span>
                <span className="text-slate-700">{model.pausedReason ?? "No reason recorded"}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
