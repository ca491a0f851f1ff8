"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Alert, Card } from "@/components/ui/card";
import { useTRPC } from "@/lib/trpc/react";
import { AdminTable, Badge, errorMessage, formatDate, LoadingRow, PageHeading } from "./admin-ui";
import { ModelStatusActions } from "./model-status-actions";

const MODEL_COLUMNS = [
  { label: "Model" },
  { label: "Modality" },
  { label: "Status" },
  { label: "Weight", align: "right" },
  { label: "Votes", align: "right" },
  { label: "API key" },
  { label: "Actions" },
] as const;

export function ModelList() {
  const trpc = useTRPC();
  const models = useQuery(trpc.adminModels.list.queryOptions());
  return (
    <section className="space-y-4">
      <PageHeading
        title="Models"
        description="Every registered model. API keys are referenced by environment variable name and never shown."
        actions={
          <Link href="/admin/models/new" className="rounded-lg bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
            Register a model
          </Link>
        }
      />
      {models.isPending ? <LoadingRow /> : null}
      {models.isError ? <Alert>{errorMessage(models.error)}</Alert> : null}
      {models.data?.length === 0 ? <Card><p className="text-sm text-slate-600">No models yet.</p></Card> : null}
      {models.data && models.data.length > 0 ? (
        <AdminTable columns={MODEL_COLUMNS}>
          {models.data.map((model) => (
            <tr key={model.id} data-testid={`model-row-${model.slug}`} className="align-top">
              <td className="px-3 py-2">
                <Link href={`/admin/models/${model.id}`} className="font-medium text-brand-700 hover:underline">{model.displayName}</Link>
                <span className="block text-xs text-slate-500">{model.slug} · {model.organization.name} · {model.providerKind}</span>
              </td>
              <td className="px-3 py-2">{model.modality}</td>
              <td className="px-3 py-2">
                <Badge tone={model.status}>{model.status}</Badge>
                {model.status === "paused" ? (
                  <span className="mt-1 block max-w-xs text-xs text-amber-900">
                    {model.pausedReason ?? "No reason recorded"} · since {formatDate(model.pausedAt)}
                  </span>
                ) : null}
                {model.consecutiveFailures > 0 ? <span className="mt-1 block text-xs text-rose-700">{model.consecutiveFailures} consecutive failures</span> : null}
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{model.samplingWeight}</td>
              <td className="px-3 py-2 text-right tabular-nums">{model.votes}</td>
              <td className="px-3 py-2 text-xs">
                {model.apiKeyEnvVar ? (
                  <>
                    <code>{model.apiKeyEnvVar}</code> <Badge tone={model.apiKeySet ? "active" : "flagged"}>{model.apiKeySet ? "set" : "not set"}</Badge>
                  </>
                ) : (
                  <span className="text-slate-500">none</span>
                )}
              </td>
              <td className="px-3 py-2">
                <ModelStatusActions model={model} />
              </td>
            </tr>
          ))}
        </AdminTable>
      ) : null}
    </section>
  );
}
