import { z } from "zod";
import { PROMPT_CATEGORIES } from "../categories/vocabulary";
import { ZModalitySchema, ZVoteOutcomeSchema } from "../vocabulary";

/**
 * The public shape of one released battle. Bump RELEASE_SCHEMA_VERSION (semver) on any change: a new
 * optional field is a minor bump, a renamed or removed field a major one.
 */
export const RELEASE_SCHEMA_VERSION = "5.0.0";

/** The survey's 20-point buckets of a 0–100 preference slider: not released (the row shows bands). */
export type PreferenceBucket = "0-19" | "20-39" | "40-59" | "60-79" | "80-100";
/** The finest form of a stated preference in the persona row: low / middle / high. */
const PREFERENCE_BANDS = ["0-39", "40-79", "80-100"] as const;

export type PreferenceBand = (typeof PREFERENCE_BANDS)[number];
/** A released preference: its band, "0-79" (not high) where k-anonymity coarsened it, or "*" (withheld). */
const RELEASED_PREFERENCE_VALUES = [...PREFERENCE_BANDS, "0-79", "*"] as const;
export type ReleasedPreference = (typeof RELEASED_PREFERENCE_VALUES)[number];

const ZReleasedMediaSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  file: z.string().optional(),
  mime: z.string().min(1),
});

const ZReleasedTurnSchema = z.object({
  prompt: z.string(),
  answer_a: z.string(),
  answer_b: z.string(),
  media_a: ZReleasedMediaSchema.optional(),
  media_b: ZReleasedMediaSchema.optional(),
});

/**
 * Generalized persona of the annotator, the quasi-identifiers that are k-anonymous jointly: each is its
 * precise released value, a coarser group from its hierarchy (e.g. age band → "18-34" → "18-54"), "*"
 * when withheld, or null when the annotator did not answer. Stated preferences are released as bands
 * ("0-39" / "40-79" / "80-100"), coarsened to "0-79" / "80-100" then "*"; an unanswered preference has no
 * key. Languages are released as how many ("1", "2", "3+"; schema 5); country, education, occupation,
 * expertise and the language list are not released at all (schema 4's per-release counts in the manifest
 * could be differenced across releases).
 */
export const ZReleasedPersonaSchema = z.object({
  age_band: z.string().nullable(),
  gender: z.string().nullable(),
  language_count: z.string().nullable(),
  ai_usage_frequency: z.string().nullable(),
  response_style: z.string().nullable(),
  preferences: z.record(z.string(), z.enum(RELEASED_PREFERENCE_VALUES)),
});

/** One message of a FastChat-compatible conversation (OpenAI chat format). */
const ZConversationMessageSchema = z.object({
  role: z.enum(["user", "assistant"]),
  content: z.string(),
});

export const ZReleasedBattleSchema = z.object({
  battle_id: z.string().min(1),
  modality: ZModalitySchema,
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  model_a: z.string().min(1),
  model_b: z.string().min(1),
  winner: ZVoteOutcomeSchema,
  /** Whether side A / side B saw the annotator's persona (they differ in personalization-experiment battles). */
  personalized_a: z.boolean(),
  personalized_b: z.boolean(),
  /** Prompt categories of a text battle (empty for a general prompt and for image and music battles). */
  category: z.array(z.enum(PROMPT_CATEGORIES)),
  /** ISO 639-1 language of the prompts, when it could be told. */
  language: z.string().nullable(),
  /** Normalized hash of the first prompt: equal prompts (up to case, spacing and punctuation) share it. */
  prompt_hash: z.string().nullable(),
  /** The persona system prompt each side saw (null when none), released under the same rules as other text. */
  system_prompt_a: z.string().nullable(),
  system_prompt_b: z.string().nullable(),
  turns: z.array(ZReleasedTurnSchema).min(1),
  feedback: z.object({ general: z.string().optional(), a: z.string().optional(), b: z.string().optional() }),
  listening: z.object({ seconds_a: z.number().nonnegative().optional(), seconds_b: z.number().nonnegative().optional() }).nullable(),
  persona: ZReleasedPersonaSchema,
  annotator: z.string().min(1),
  conversation_a: z.array(ZConversationMessageSchema),
  conversation_b: z.array(ZConversationMessageSchema),
});

export type TReleasedMedia = z.infer<typeof ZReleasedMediaSchema>;
export type TReleasedTurn = z.infer<typeof ZReleasedTurnSchema>;
export type TReleasedPersona = z.infer<typeof ZReleasedPersonaSchema>;
export type TConversationMessage = z.infer<typeof ZConversationMessageSchema>;
export type TReleasedBattle = z.infer<typeof ZReleasedBattleSchema>;

/** The FastChat `conversation_a` / `conversation_b` message list of one side of a battle. */
export function conversationForSide(turns: readonly TReleasedTurn[], side: "a" | "b"): TConversationMessage[] {
  return turns.flatMap((turn) => [
    { role: "user" as const, content: turn.prompt },
    { role: "assistant" as const, content: side === "a" ? turn.answer_a : turn.answer_b },
  ]);
}
