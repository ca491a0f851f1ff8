"use client";

import { useQuery } from "@tanstack/react-query";
import { Alert, Card } from "@/components/ui/card";
import { useTRPC } from "@/lib/trpc/react";
import { Badge, errorMessage, formatDate, LoadingRow, PageHeading } from "./admin-ui";
import { ModelForm } from "./model-form";
import { ModelStatusActions } from "./model-status-actions";
import { ModelTestPanel } from "./model-test-panel";

export function ModelEditor({ modelId }: { modelId: string }) {
  const trpc = useTRPC();
  const model = useQuery(trpc.adminModels.get.queryOptions({ id: modelId }));
  if (model.isPending) return <LoadingRow />;
  if (model.isError) return <Alert>{errorMessage(model.error)}</Alert>;
  const data = model.data;
  return (
    <div className="space-y-6">
      <PageHeading title={data.displayName} description={`${data.slug} · ${data.organization.name} · ${data.modality} · ${data.votes} votes`} />
      <Card className="space-y-2">
        <div className="flex flex-wrap items-center gap-3">
          <span className="text-sm font-medium">Status</span>
          <Badge tone={data.status}>{data.status}</Badge>
          <ModelStatusActions model={data} />
        </div>
        {data.status === "paused" ? (
          <p className="text-sm text-amber-900" data-testid="paused-reason">{data.pausedReason ?? "No reason recorded"} (since {formatDate(data.pausedAt)})</p>
        ) : null}
        {data.consecutiveFailures > 0 ? <p className="text-sm text-rose-700">{data.consecutiveFailures} consecutive failures</p> : null}
      </Card>
      <ModelTestPanel modelId={data.id} modality={data.modality} />
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Registry entry</h2>
        <ModelForm key={data.id} initial={data} />
      </section>
    </div>
  );
}
