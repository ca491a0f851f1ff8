import { z } from "zod";
import { validatePersonaTemplate, type TPersona } from "@/lib/domain/persona";
import { ZModalitySchema, type TModality } from "@/lib/domain/vocabulary";

/**
 * Model registry input, shared by the admin form (inline errors before submit) and the server
 * (the same rules again, so nothing invalid is ever stored). Pure: safe in client bundles.
 */

export type TModelStatus = "active" | "paused" | "retired";

export interface TProviderKindOption {
  kind: string;
  label: string;
  modality: TModality;
  /** "required": the adapter cannot work without it; "optional": null means the public API; "none": demo kinds. */
  endpoint: "required" | "optional" | "none";
  hint: string;
}

/** One entry per adapter in lib/server/providers (docs/providers.md is the long form). */
export const PROVIDER_KIND_OPTIONS = [
  {
    kind: "openai_compatible",
    label: "OpenAI-compatible chat (OpenAI, vLLM, Ollama, OpenRouter…)",
    modality: "text",
    endpoint: "required",
    hint: "Endpoint is the base URL ending in /v1, e.g. http://localhost:11434/v1. The API key variable may be empty for keyless servers.",
  },
  {
    kind: "anthropic",
    label: "Anthropic Messages API",
    modality: "text",
    endpoint: "optional",
    hint: "Leave the endpoint empty for the public API, or give a base URL including /v1. Extra parameters read: temperature, top_p, top_k, stop_sequences.",
  },
  {
    kind: "demo_text",
    label: "Offline demo text model",
    modality: "text",
    endpoint: "none",
    hint: "Provider model id is a personality: concise-expert, friendly-explainer, formal-analyst, storyteller or terse-rusher. No endpoint, no key.",
  },
  {
    kind: "openai_images",
    label: "OpenAI Images API",
    modality: "image",
    endpoint: "required",
    hint: "Base URL (…/v1); calls {endpoint}/images/generations. Extra parameters such as size and quality are forwarded.",
  },
  {
    kind: "http_image",
    label: "Generic HTTP image endpoint",
    modality: "image",
    endpoint: "required",
    hint: "Full URL receiving {prompt, persona_context, width, height, model}; answers image bytes, {url} or {b64}.",
  },
  {
    kind: "demo_image",
    label: "Offline demo image model",
    modality: "image",
    endpoint: "none",
    hint: "Provider model id is a style: geometric, gradient-stripes, pixel-mosaic or concentric.",
  },
  {
    kind: "http_music",
    label: "Generic HTTP music endpoint",
    modality: "audio",
    endpoint: "required",
    hint: "Full URL receiving {prompt, duration_seconds, lyrics, persona_context, model}; answers WAV, MP3, Ogg or FLAC.",
  },
  {
    kind: "demo_music",
    label: "Offline demo music model",
    modality: "audio",
    endpoint: "none",
    hint: "Provider model id is a timbre: sine-pad, square-chiptune, plucked-string or fm-bell.",
  },
] as const satisfies readonly TProviderKindOption[];

type TProviderKind = (typeof PROVIDER_KIND_OPTIONS)[number]["kind"];
const PROVIDER_KINDS = PROVIDER_KIND_OPTIONS.map((option) => option.kind) as [TProviderKind, ...TProviderKind[]];

export function providerKindOption(kind: string): TProviderKindOption | undefined {
  return PROVIDER_KIND_OPTIONS.find((option) => option.kind === kind);
}

/** The shape lib/env.js `readProviderSecret` accepts; anything else is never read. */
export const ENV_VAR_NAME_PATTERN = /^[A-Z][A-Z0-9_]{1,127}$/;

/**
 * The app's own secrets and connection strings. A model pointing at one of them would send it to
 * whatever endpoint the model names, so they can never be used as a model's API key variable.
 */
const RESERVED_ENV_VAR_NAMES: ReadonlySet<string> = new Set([
  "DATABASE_URL",
  "AUTH_SECRET",
  "NEXTAUTH_SECRET",
  "PSEUDONYM_SECRET",
  "ADMIN_PASSWORD",
  "GITHUB_SECRET",
  "OIDC_CLIENT_SECRET",
  "S3_ACCESS_KEY_ID",
  "S3_SECRET_ACCESS_KEY",
  "REDIS_URL",
  "METRICS_TOKEN",
]);

export const ZEnvVarNameSchema = z
  .string()
  .trim()
  .regex(ENV_VAR_NAME_PATTERN, "Use the NAME of an environment variable (capital letters, digits and _), e.g. OPENAI_API_KEY — never the key itself.")
  .refine((name) => !RESERVED_ENV_VAR_NAMES.has(name), "This variable holds one of the app's own secrets and cannot be used as a model key.");

export const ZEndpointSchema = z
  .string()
  .trim()
  .max(2000, "Use at most 2000 characters.")
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
    } catch {
      return false;
    }
  }, "Enter an http:// or https:// URL.")
  .refine((value) => !/^[a-z]+:\/\/[^/]*@/i.test(value), "Put credentials in the API key variable, not in the URL.");

/** JSON object forwarded to the provider; small and plain. */
const ZExtraParamsSchema = z
  .record(z.string(), z.unknown())
  .refine((value) => JSON.stringify(value).length <= 10_000, "Keep extra parameters under 10,000 characters of JSON.");

/** Parses the form's JSON text: an object, or an error message to show inline. */
export function parseExtraParamsJson(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  if (text.trim() === "") return { ok: true, value: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `Not valid JSON: ${error instanceof Error ? error.message : "parse error"}` };
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    return { ok: false, error: 'Extra parameters must be a JSON object, e.g. { "temperature": 0.7 }.' };
  }
  const checked = ZExtraParamsSchema.safeParse(parsed);
  return checked.success ? { ok: true, value: checked.data } : { ok: false, error: checked.error.issues[0]?.message ?? "Invalid extra parameters." };
}

const ZPersonaTemplateSchema = z.string().superRefine((template, ctx) => {
  const validation = validatePersonaTemplate(template);
  if (!validation.ok) for (const message of validation.errors) ctx.addIssue({ code: "custom", message });
});

const ZModelSlugSchema = z
  .string()
  .trim()
  .min(2, "Use at least 2 characters.")
  .max(64, "Use at most 64 characters.")
  .regex(/^[a-z0-9]+(?:[-._][a-z0-9]+)*$/, "Use lowercase letters, digits and single - . or _ between them.");

const ZModelFieldsSchema = z.object({
  slug: ZModelSlugSchema,
  displayName: z.string().trim().min(1, "Enter a display name.").max(120, "Use at most 120 characters."),
  organizationId: z.string().trim().min(1, "Choose an organization."),
  modality: ZModalitySchema,
  providerKind: z.enum(PROVIDER_KINDS, "Choose a provider kind."),
  endpoint: ZEndpointSchema.nullable(),
  providerModelId: z.string().trim().min(1, "Enter the provider's model id.").max(200, "Use at most 200 characters."),
  apiKeyEnvVar: ZEnvVarNameSchema.nullable(),
  extraParams: ZExtraParamsSchema,
  /** null: the default persona template. */
  personaTemplate: ZPersonaTemplateSchema.nullable(),
  samplingWeight: z.number("Enter a number.").min(0, "Use 0 or more.").max(100, "Use at most 100."),
  redistributable: z.boolean(),
  timeoutMs: z.number("Enter a number.").int("Use whole milliseconds.").min(1_000, "Use at least 1000 ms.").max(600_000, "Use at most 600000 ms."),
  maxTokens: z.number("Enter a number.").int("Use a whole number.").min(1, "Use at least 1.").max(200_000, "Use at most 200000."),
  maxConcurrency: z.number("Enter a number.").int("Use a whole number.").min(1, "Use at least 1.").max(1_000, "Use at most 1000."),
});

/** Cross-field rules: the kind decides the modality and whether an endpoint is needed. */
function checkKindRules(value: z.infer<typeof ZModelFieldsSchema>, ctx: z.RefinementCtx): void {
  const option = providerKindOption(value.providerKind);
  if (!option) return;
  if (option.modality !== value.modality) {
    ctx.addIssue({ code: "custom", path: ["providerKind"], message: `This provider kind serves ${option.modality} models, not ${value.modality}.` });
  }
  if (option.endpoint === "required" && !value.endpoint) {
    ctx.addIssue({ code: "custom", path: ["endpoint"], message: "This provider kind needs an endpoint URL." });
  }
  if (option.endpoint === "none" && value.endpoint) {
    ctx.addIssue({ code: "custom", path: ["endpoint"], message: "Offline demo models take no endpoint; leave it empty." });
  }
}

export const ZCreateModelSchema = ZModelFieldsSchema.superRefine(checkKindRules);
export type TCreateModelInput = z.infer<typeof ZCreateModelSchema>;

/** Edits send the whole entry (the form always has every field). */
export const ZUpdateModelSchema = ZModelFieldsSchema.extend({ id: z.string().min(1) }).superRefine(checkKindRules);
export type TUpdateModelInput = z.infer<typeof ZUpdateModelSchema>;

const MODEL_STATUS_ACTIONS = ["activate", "pause", "resume", "retire"] as const;
export type TModelStatusAction = (typeof MODEL_STATUS_ACTIONS)[number];

export const ZModelStatusChangeSchema = z.object({
  id: z.string().min(1),
  action: z.enum(MODEL_STATUS_ACTIONS),
  /** Shown to admins next to a paused model. */
  reason: z.string().trim().max(500, "Use at most 500 characters.").optional(),
});

export const ZTestModelSchema = z.object({
  id: z.string().min(1),
  prompt: z.string().trim().min(1, "Enter a prompt.").max(4_000, "Use at most 4000 characters."),
  /** Send the sample persona rendered with the model's template as the system prompt. */
  withSamplePersona: z.boolean().default(false),
});

export const ZCreateOrganizationSchema = z.object({
  slug: ZModelSlugSchema,
  name: z.string().trim().min(1, "Enter a name.").max(120, "Use at most 120 characters."),
});

export const ZAssignModelOrganizationSchema = z.object({ modelId: z.string().min(1), organizationId: z.string().min(1) });

/** Field name → first message, for inline form errors. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[issue.path.join(".") || "form"] ??= issue.message;
  return errors;
}

/** The persona used for template previews and "test with a sample persona": every kind of field filled. */
export const SAMPLE_PREVIEW_PERSONA: TPersona = {
  ageBand: "35-44",
  gender: "woman",
  country: "CL",
  languages: ["es", "en"],
  education: "master",
  occupation: "Hydrologist",
  expertise: "science",
  aiUsageFrequency: "weekly",
  aiUseCases: ["research", "writing"],
  preferences: { factuality: 90, creativity: 30, detail: 70, formality: 60, safety: 50, personalisation: 40 },
  responseStyle: "balanced",
  aboutMe: "I study mountain rivers and like answers with sources.",
};
