"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Card } from "@/components/ui/card";
import { TextAreaField, TextField } from "@/components/ui/field";
import type { TModality } from "@/lib/domain/vocabulary";
import {
  ENV_VAR_NAME_PATTERN,
  fieldErrorsOf,
  parseExtraParamsJson,
  PROVIDER_KIND_OPTIONS,
  providerKindOption,
  ZCreateModelSchema,
  ZUpdateModelSchema,
} from "@/lib/schemas/model-registry";
import { useTRPC } from "@/lib/trpc/react";
import { Badge, errorMessage, PageHeading, selectClass, serverFieldErrors } from "./admin-ui";
import { PersonaTemplateEditor } from "./persona-template-editor";

/** The registry fields the form edits; an existing model from `adminModels.get` fits. */
export interface TModelFormInitial {
  id: string;
  slug: string;
  displayName: string;
  organization: { id: string };
  providerKind: string;
  endpoint: string | null;
  providerModelId: string;
  apiKeyEnvVar: string | null;
  extraParams: Record<string, unknown>;
  personaTemplate: string | null;
  samplingWeight: number;
  redistributable: boolean;
  timeoutMs: number;
  maxTokens: number;
  maxConcurrency: number;
}

type TFormState = Record<
  "slug" | "displayName" | "organizationId" | "providerKind" | "endpoint" | "providerModelId" | "apiKeyEnvVar" | "extraParams" | "personaTemplate" | "samplingWeight" | "timeoutMs" | "maxTokens" | "maxConcurrency",
  string
> & { redistributable: boolean };

function initialState(model?: TModelFormInitial): TFormState {
  return {
    slug: model?.slug ?? "",
    displayName: model?.displayName ?? "",
    organizationId: model?.organization.id ?? "",
    providerKind: model?.providerKind ?? "openai_compatible",
    endpoint: model?.endpoint ?? "",
    providerModelId: model?.providerModelId ?? "",
    apiKeyEnvVar: model?.apiKeyEnvVar ?? "",
    extraParams: model ? JSON.stringify(model.extraParams, null, 2) : "{}",
    personaTemplate: model?.personaTemplate ?? "",
    samplingWeight: String(model?.samplingWeight ?? 1),
    timeoutMs: String(model?.timeoutMs ?? 60_000),
    maxTokens: String(model?.maxTokens ?? 1024),
    maxConcurrency: String(model?.maxConcurrency ?? 8),
    redistributable: model?.redistributable ?? true,
  };
}

const slugFromName = (name: string) =>
  name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64);

/** Numbers as typed: an empty or non-numeric field stays NaN so the schema reports it. */
const numberOf = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));

/** "set" / "not set" for the typed variable name, asked of the server; the value never travels. */
function EnvVarIndicator({ name }: { name: string }) {
  const trpc = useTRPC();
  const valid = ENV_VAR_NAME_PATTERN.test(name);
  const status = useQuery({ ...trpc.adminModels.envVarStatus.queryOptions({ name }), enabled: valid, staleTime: 5_000 });
  if (!name) return <span className="text-xs text-slate-500">No key (keyless endpoint or demo model).</span>;
  if (!valid || !status.data) return null;
  return (
    <span className="text-xs" data-testid="env-var-status">
      {status.data.isSet ? <Badge tone="active">set on the server</Badge> : <Badge tone="flagged">not set on the server</Badge>}
    </span>
  );
}

export function ModelForm({ initial }: { initial?: TModelFormInitial }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const organizations = useQuery(trpc.adminModels.organizations.queryOptions());
  const [form, setForm] = useState<TFormState>(() => initialState(initial));
  const [slugTouched, setSlugTouched] = useState(Boolean(initial));
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);

  const onSaved = async (id: string) => {
    await queryClient.invalidateQueries({ queryKey: trpc.adminModels.list.queryKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.adminModels.get.queryKey({ id }) });
  };
  const create = useMutation(trpc.adminModels.create.mutationOptions({ onSuccess: async (model) => { await onSaved(model.id); router.push(`/admin/models/${model.id}`); } }));
  const update = useMutation(trpc.adminModels.update.mutationOptions({ onSuccess: async (model) => { await onSaved(model.id); setSaved(true); } }));
  const mutation = initial ? update : create;

  const kind = providerKindOption(form.providerKind);
  const extraParams = useMemo(() => parseExtraParamsJson(form.extraParams), [form.extraParams]);
  const serverErrors = mutation.isError ? serverFieldErrors(mutation.error) : {};
  const errorFor = (field: string) => clientErrors[field] ?? serverErrors[field] ?? null;

  const set = <K extends keyof TFormState>(key: K, value: TFormState[K]) => {
    setSaved(false);
    setClientErrors((current) => {
      const next = { ...current };
      delete next[key];
      return next;
    });
    setForm((current) => {
      const next = { ...current, [key]: value };
      if (key === "displayName" && !slugTouched) next.slug = slugFromName(String(value));
      if (key === "providerKind" && providerKindOption(String(value))?.endpoint === "none") next.endpoint = "";
      return next;
    });
  };

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!extraParams.ok) return setClientErrors({ extraParams: extraParams.error });
    const input = {
      slug: form.slug,
      displayName: form.displayName,
      organizationId: form.organizationId,
      modality: (kind?.modality ?? "text") as TModality,
      providerKind: form.providerKind,
      endpoint: form.endpoint.trim() || null,
      providerModelId: form.providerModelId,
      apiKeyEnvVar: form.apiKeyEnvVar.trim() || null,
      extraParams: extraParams.value,
      personaTemplate: form.personaTemplate.trim() ? form.personaTemplate : null,
      samplingWeight: numberOf(form.samplingWeight),
      redistributable: form.redistributable,
      timeoutMs: numberOf(form.timeoutMs),
      maxTokens: numberOf(form.maxTokens),
      maxConcurrency: numberOf(form.maxConcurrency),
    };
    const parsed = initial ? ZUpdateModelSchema.safeParse({ ...input, id: initial.id }) : ZCreateModelSchema.safeParse(input);
    if (!parsed.success) return setClientErrors(fieldErrorsOf(parsed.error));
    setClientErrors({});
    if (initial) update.mutate({ ...input, id: initial.id } as Parameters<typeof update.mutate>[0]);
    else create.mutate(input as Parameters<typeof create.mutate>[0]);
  }

  const hasErrors = Object.keys(clientErrors).length > 0;
  return (
    <div className="space-y-4">
      {initial ? null : <PageHeading title="Register a model" description="The model joins matchmaking as soon as it is saved (status active)." />}
      <Card>
        <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label={initial ? "Edit model" : "Register a model"}>
          {hasErrors ? <Alert>Please correct the highlighted fields.</Alert> : null}
          {mutation.isError && Object.keys(serverErrors).length === 0 ? <Alert>{errorMessage(mutation.error)}</Alert> : null}
          {saved ? <Alert tone="success">Saved.</Alert> : null}

          <div className="grid gap-4 sm:grid-cols-2">
            <TextField label="Display name" name="displayName" value={form.displayName} onChange={(event) => set("displayName", event.target.value)} error={errorFor("displayName")} />
            <TextField
              label="Slug"
              name="slug"
              value={form.slug}
              onChange={(event) => {
                setSlugTouched(true);
                set("slug", event.target.value);
              }}
              error={errorFor("slug")}
              hint="Unique id used in URLs and releases, e.g. llama-3-8b."
            />
            <label className="block space-y-1">
              <span className="text-sm font-medium text-slate-700">Organization</span>
              <select name="organizationId" className={`${selectClass} w-full`} value={form.organizationId} onChange={(event) => set("organizationId", event.target.value)} aria-invalid={Boolean(errorFor("organizationId"))}>
                <option value="">Choose…</option>
                {organizations.data?.map((organization) => (
                  <option key={organization.id} value={organization.id}>{organization.name}</option>
                ))}
              </select>
              {errorFor("organizationId") ? <span role="alert" className="block text-xs text-rose-600">{errorFor("organizationId")}</span> : null}
            </label>
            <label className="block space-y-1">
              <span className="text-sm font-medium text-slate-700">Provider kind</span>
              <select name="providerKind" className={`${selectClass} w-full`} value={form.providerKind} onChange={(event) => set("providerKind", event.target.value)}>
                {PROVIDER_KIND_OPTIONS.map((option) => (
                  <option key={option.kind} value={option.kind}>{option.label} · {option.modality}</option>
                ))}
              </select>
              {errorFor("providerKind") ? <span role="alert" className="block text-xs text-rose-600">{errorFor("providerKind")}</span> : null}
            </label>
          </div>
          {kind ? <p className="rounded-lg bg-sky-50 px-3 py-2 text-xs text-sky-900" data-testid="provider-kind-hint">Modality: {kind.modality}. {kind.hint}</p> : null}

          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              label="Endpoint URL"
              name="endpoint"
              type="url"
              value={form.endpoint}
              disabled={kind?.endpoint === "none"}
              placeholder={kind?.endpoint === "none" ? "Not used by demo models" : "https://…"}
              onChange={(event) => set("endpoint", event.target.value)}
              error={errorFor("endpoint")}
              hint={kind?.endpoint === "optional" ? "Optional: empty means the provider's public API." : "http:// or https:// only."}
            />
            <TextField label="Provider model id" name="providerModelId" value={form.providerModelId} onChange={(event) => set("providerModelId", event.target.value)} error={errorFor("providerModelId")} />
            <div className="space-y-1">
              <TextField
                label="API key environment variable"
                name="apiKeyEnvVar"
                autoComplete="off"
                spellCheck={false}
                placeholder="e.g. OPENAI_API_KEY"
                value={form.apiKeyEnvVar}
                onChange={(event) => set("apiKeyEnvVar", event.target.value.toUpperCase())}
                error={errorFor("apiKeyEnvVar")}
                hint="The NAME of the server's environment variable that holds the key. The key itself is never stored or shown."
              />
              <EnvVarIndicator name={form.apiKeyEnvVar.trim()} />
            </div>
            <TextAreaField
              label="Extra parameters (JSON object)"
              name="extraParams"
              rows={4}
              className="font-mono text-xs"
              value={form.extraParams}
              onChange={(event) => set("extraParams", event.target.value)}
              error={extraParams.ok ? errorFor("extraParams") : extraParams.error}
              hint='Forwarded to the API, e.g. { "temperature": 0.7 }.'
            />
          </div>

          <PersonaTemplateEditor value={form.personaTemplate} onChange={(value) => set("personaTemplate", value)} serverError={errorFor("personaTemplate") ?? undefined} />

          <div className="grid gap-4 sm:grid-cols-4">
            <TextField label="Sampling weight" name="samplingWeight" type="number" step="0.1" min={0} value={form.samplingWeight} onChange={(event) => set("samplingWeight", event.target.value)} error={errorFor("samplingWeight")} />
            <TextField label="Timeout (ms)" name="timeoutMs" type="number" min={1000} value={form.timeoutMs} onChange={(event) => set("timeoutMs", event.target.value)} error={errorFor("timeoutMs")} />
            <TextField label="Max tokens" name="maxTokens" type="number" min={1} value={form.maxTokens} onChange={(event) => set("maxTokens", event.target.value)} error={errorFor("maxTokens")} />
            <TextField label="Max concurrency" name="maxConcurrency" type="number" min={1} value={form.maxConcurrency} onChange={(event) => set("maxConcurrency", event.target.value)} error={errorFor("maxConcurrency")} />
          </div>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="redistributable" checked={form.redistributable} onChange={(event) => set("redistributable", event.target.checked)} />
            Outputs may be redistributed in data releases (otherwise releases carry only their hashes)
          </label>

          <Button type="submit" disabled={mutation.isPending}>{mutation.isPending ? "Saving…" : initial ? "Save changes" : "Register model"}</Button>
        </form>
      </Card>
    </div>
  );
}
