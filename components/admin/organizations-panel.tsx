"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Card } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { useTRPC } from "@/lib/trpc/react";
import { errorMessage, selectClass, serverFieldErrors } from "./admin-ui";

export function OrganizationsPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const organizations = useQuery(trpc.adminModels.organizations.queryOptions());
  const models = useQuery(trpc.adminModels.list.queryOptions());
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [assignModelId, setAssignModelId] = useState("");
  const [assignOrganizationId, setAssignOrganizationId] = useState("");

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.adminModels.organizations.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.adminModels.list.queryKey() }),
    ]);
  const create = useMutation(trpc.adminModels.createOrganization.mutationOptions({ onSuccess: async () => { setName(""); setSlug(""); await refresh(); } }));
  const assign = useMutation(trpc.adminModels.assignOrganization.mutationOptions({ onSuccess: refresh }));
  const createErrors = create.isError ? serverFieldErrors(create.error) : {};

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate({ name, slug });
  }

  function onAssign(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (assignModelId && assignOrganizationId) assign.mutate({ modelId: assignModelId, organizationId: assignOrganizationId });
  }

  return (
    <section className="space-y-4">
      <h2 className="text-xl font-semibold">Organizations</h2>
      {organizations.isError ? <Alert>{errorMessage(organizations.error)}</Alert> : null}
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <ul className="divide-y divide-slate-100 text-sm">
            {organizations.data?.map((organization) => (
              <li key={organization.id} className="flex justify-between py-2">
                <span>
                  <span className="font-medium">{organization.name}</span> <span className="text-xs text-slate-500">{organization.slug}</span>
                </span>
                <span className="text-xs text-slate-600">{organization.models} models · {organization.members} members</span>
              </li>
            ))}
            {organizations.data?.length === 0 ? <li className="py-2 text-slate-600">No organizations yet.</li> : null}
          </ul>
        </Card>
        <div className="space-y-4">
          <Card>
            <form onSubmit={onCreate} className="space-y-3" aria-label="Create an organization">
              <h3 className="font-medium">Create an organization</h3>
              {create.isError && Object.keys(createErrors).length === 0 ? <Alert>{errorMessage(create.error)}</Alert> : null}
              <TextField label="Organization name" name="organizationName" value={name} onChange={(event) => setName(event.target.value)} error={createErrors.name} />
              <TextField label="Organization slug" name="organizationSlug" value={slug} onChange={(event) => setSlug(event.target.value)} error={createErrors.slug} hint="Lowercase letters, digits and dashes." />
              <Button type="submit" disabled={create.isPending}>Create organization</Button>
            </form>
          </Card>
          <Card>
            <form onSubmit={onAssign} className="space-y-3" aria-label="Assign a model to an organization">
              <h3 className="font-medium">Assign a model to an organization</h3>
              {assign.isError ? <Alert>{errorMessage(assign.error)}</Alert> : null}
              {assign.isSuccess ? <Alert tone="success">Moved {assign.data.displayName} to {assign.data.organization.name}.</Alert> : null}
              <div className="flex flex-wrap gap-2">
                <select aria-label="Model" className={selectClass} value={assignModelId} onChange={(event) => setAssignModelId(event.target.value)}>
                  <option value="">Model…</option>
                  {models.data?.map((model) => <option key={model.id} value={model.id}>{model.displayName} ({model.organization.name})</option>)}
                </select>
                <select aria-label="Organization" className={selectClass} value={assignOrganizationId} onChange={(event) => setAssignOrganizationId(event.target.value)}>
                  <option value="">Organization…</option>
                  {organizations.data?.map((organization) => <option key={organization.id} value={organization.id}>{organization.name}</option>)}
                </select>
                <Button type="submit" variant="secondary" disabled={assign.isPending || !assignModelId || !assignOrganizationId}>Assign</Button>
              </div>
            </form>
          </Card>
        </div>
      </div>
    </section>
  );
}
