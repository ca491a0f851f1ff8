import type { ScrubKind } from "../anonymization/scrub";
import { findBlockedTerm } from "./blocklist";
import { BLOCKING_PERSONAL_DATA_KINDS, describePersonalData, detectPersonalData } from "./personal-data";

/**
 * - blocklist: a term of the block list occurs;
 * - personal_data: the prompt carries personal data or a secret (details: the kinds found);
 * - flagged: the moderation provider flagged it (details: its categories);
 * - moderation_unavailable: the provider could not be asked and the policy fails closed.
 */
type ModerationReason = "blocklist" | "personal_data" | "flagged" | "moderation_unavailable";

export type ModerationDecision =
  | { allowed: true }
  | {
      allowed: false;
      reason: ModerationReason;
      /** Shown to the person as is: says what to change, never repeats the offending text. */
      message: string;
      /** For logs and admins: the matched term, the personal-data kinds or the provider's categories. */
      details: string[];
    };

export interface LocalModerationPolicy {
  /** Normalized terms (see buildBlocklist). */
  blocklist: readonly string[];
  personalData: "block" | "allow";
  personalDataKinds?: readonly ScrubKind[];
}

export const ALLOWED: ModerationDecision = { allowed: true };

export const BLOCKLIST_MESSAGE = "This prompt can't be sent: it asks for content that is never allowed on Persona Arena.";
export const UNAVAILABLE_MESSAGE = "We can't check prompts right now, so sending is paused. Please try again in a minute.";

function personalDataMessage(kinds: readonly ScrubKind[]): string {
  return `Your prompt seems to contain ${describePersonalData(kinds)}. Please remove personal data before sending.`;
}

export function flaggedMessage(categories: readonly string[]): string {
  const readable = categories.map((category) => category.replace(/[/_-]+/g, " "));
  const because = readable.length > 0 ? ` (${readable.join(", ")})` : "";
  return `This prompt can't be sent: our safety check flagged it${because}. Please rephrase it.`;
}

/**
 * The checks that need no network, in order: block list, then personal data. Deterministic; the first
 * failing check decides.
 */
export function evaluatePromptLocally(text: string, policy: LocalModerationPolicy): ModerationDecision {
  const term = findBlockedTerm(text, policy.blocklist);
  if (term !== null) return { allowed: false, reason: "blocklist", message: BLOCKLIST_MESSAGE, details: [term] };
  if (policy.personalData === "block") {
    const kinds = detectPersonalData(text, policy.personalDataKinds ?? BLOCKING_PERSONAL_DATA_KINDS);
    if (kinds.length > 0) return { allowed: false, reason: "personal_data", message: personalDataMessage(kinds), details: kinds };
  }
  return ALLOWED;
}

export interface ProviderVerdict {
  flagged: boolean;
  /** Names of the categories marked true, sorted, without repeats. */
  categories: string[];
}

export class ModerationResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModerationResponseError";
  }
}

/**
 * Reads an OpenAI-compatible /v1/moderations response: `{ results: [{ flagged, categories: {name: bool} }] }`.
 * Flagged when any result is; throws ModerationResponseError for any other shape, so a broken provider is
 * treated as unavailable rather than as "not flagged".
 */
export function interpretModerationResponse(body: unknown): ProviderVerdict {
  const results = (body as { results?: unknown } | null)?.results;
  if (!Array.isArray(results) || results.length === 0) throw new ModerationResponseError("response has no results");
  let flagged = false;
  const categories = new Set<string>();
  for (const result of results) {
    const entry = result as { flagged?: unknown; categories?: unknown } | null;
    if (typeof entry?.flagged !== "boolean") throw new ModerationResponseError("a result has no boolean `flagged`");
    flagged ||= entry.flagged;
    if (entry.categories && typeof entry.categories === "object") {
      for (const [name, value] of Object.entries(entry.categories)) if (value === true) categories.add(name);
    }
  }
  return { flagged, categories: [...categories].sort() };
}

/** The decision for a provider's verdict. */
export function decideFromVerdict(verdict: ProviderVerdict): ModerationDecision {
  if (!verdict.flagged) return ALLOWED;
  return { allowed: false, reason: "flagged", message: flaggedMessage(verdict.categories), details: verdict.categories };
}
