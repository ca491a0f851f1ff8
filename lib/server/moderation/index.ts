import "server-only";
import { env, readProviderSecret } from "@/lib/env";
import { buildBlocklist } from "@/lib/domain/moderation/blocklist";
import { detectPersonalData, personalDataFieldMessage } from "@/lib/domain/moderation/personal-data";
import type { ScrubKind } from "@/lib/domain/anonymization/scrub";
import {
  ALLOWED,
  decideFromVerdict,
  evaluatePromptLocally,
  UNAVAILABLE_MESSAGE,
  type LocalModerationPolicy,
  type ModerationDecision,
} from "@/lib/domain/moderation/policy";
import { AppError } from "@/lib/server/errors";
import { moderationRejections } from "@/lib/server/metrics";
import { createOpenAiModerationProvider, type ModerationProvider } from "./provider";

export { createOpenAiModerationProvider, ModerationProviderError } from "./provider";
export type { ModerationDecision } from "@/lib/domain/moderation/policy";

export interface PromptModeratorConfig extends LocalModerationPolicy {
  provider: ModerationProvider | null;
  /** "open": a provider failure lets the prompt through (logged); "closed": it refuses the prompt. */
  failureMode: "open" | "closed";
  warn?: (message: string, error: unknown) => void;
}

export type PromptModerator = (text: string, options?: { signal?: AbortSignal }) => Promise<ModerationDecision>;

/** Local checks first (no prompt leaves the server when they refuse), then the provider when configured. */
export function createPromptModerator({ provider, failureMode, warn = (message, error) => console.warn(message, error), ...policy }: PromptModeratorConfig): PromptModerator {
  return async (text, options) => {
    const local = evaluatePromptLocally(text, policy);
    if (!local.allowed || !provider) return local;
    try {
      return decideFromVerdict(await provider.moderate(text, options));
    } catch (error) {
      warn(`[moderation] ${provider.name} failed; failing ${failureMode}.`, error);
      if (failureMode === "open") return ALLOWED;
      return { allowed: false, reason: "moderation_unavailable", message: UNAVAILABLE_MESSAGE, details: [] };
    }
  };
}

function moderationConfigFromEnv(): PromptModeratorConfig {
  const apiKey = env.MODERATION_API_KEY_ENV ? readProviderSecret(env.MODERATION_API_KEY_ENV) : undefined;
  return {
    blocklist: buildBlocklist(env.MODERATION_BLOCKLIST),
    personalData: env.MODERATION_PII,
    failureMode: env.MODERATION_FAILURE_MODE,
    provider: env.MODERATION_ENDPOINT
      ? createOpenAiModerationProvider({ endpoint: env.MODERATION_ENDPOINT, apiKey, model: env.MODERATION_MODEL, timeoutMs: env.MODERATION_TIMEOUT_MS })
      : null,
  };
}

let defaultModerator: PromptModerator | undefined;

/** Moderates a prompt with the configuration from the environment. Call before any provider sees it. */
export async function moderatePrompt(text: string, options?: { signal?: AbortSignal }): Promise<ModerationDecision> {
  defaultModerator ??= createPromptModerator(moderationConfigFromEnv());
  const decision = await defaultModerator(text, options);
  if (!decision.allowed) moderationRejections.inc({ reason: decision.reason });
  return decision;
}

/**
 * moderatePrompt for services: throws BAD_REQUEST (field `prompt`) with the person-facing message when the
 * content is refused, PROVIDER_ERROR when moderation is unavailable and fails closed.
 */
export async function assertPromptAllowed(text: string, options?: { signal?: AbortSignal }): Promise<void> {
  const decision = await moderatePrompt(text, options);
  if (decision.allowed) return;
  if (decision.reason === "moderation_unavailable") throw new AppError("PROVIDER_ERROR", decision.message);
  throw new AppError("BAD_REQUEST", decision.message, { prompt: decision.message });
}

export interface TCheckedField {
  /** The input's field path, as forms name it ("feedback.general", "occupation"). */
  field: string;
  /** How the person knows the field: "Your feedback on answer A", "Occupation". */
  label: string;
  text: string | null | undefined;
}

/**
 * The personal-data check of every entry point other than prompts (feedback, persona free text), with
 * the detector the prompts and releases use. With MODERATION_PII=block, throws BAD_REQUEST naming each
 * field that carries personal data of `kinds` (one message per field), before anything is stored; with
 * `allow` it lets the text through (releases still scrub it).
 */
export function assertNoPersonalData(fields: readonly TCheckedField[], kinds: readonly ScrubKind[], mode: "block" | "allow" = env.MODERATION_PII): void {
  if (mode !== "block") return;
  const fieldErrors: Record<string, string> = {};
  for (const { field, label, text } of fields) {
    if (!text) continue;
    const found = detectPersonalData(text, kinds);
    if (found.length > 0) fieldErrors[field] = personalDataFieldMessage(label, found);
  }
  const messages = Object.values(fieldErrors);
  if (messages.length === 0) return;
  moderationRejections.inc({ reason: "personal_data" });
  throw new AppError("BAD_REQUEST", messages.join(" "), fieldErrors);
}
