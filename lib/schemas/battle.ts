import { z } from "zod";
import { ZListeningBySideSchema } from "@/lib/domain/listening";
import { ZModalitySchema, ZVoteOutcomeSchema } from "@/lib/domain/vocabulary";

/** Shared by the battle page (inline limits) and the battle router (the boundary). */
export const PROMPT_MAX_LENGTH = 8000;
export const FEEDBACK_MAX_LENGTH = 2000;

const ZSideSchema = z.enum(["a", "b"]);

/** Characters that show nothing: spaces, controls, format characters (zero-width space/joiners, BOM, direction marks) and blank fillers. */
const INVISIBLE = /^[\s\p{Z}\p{Cc}\p{Cf}\u115F\u1160\u2800\u3164\uFFA0]*$/u;

/** Characters as people count them: code points, so an emoji is one, not two UTF-16 units. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

export const ZPromptSchema = z
  .string()
  .trim()
  .min(1, "Write a prompt first.")
  .refine((prompt) => characterCount(prompt) <= PROMPT_MAX_LENGTH, `Use at most ${PROMPT_MAX_LENGTH} characters.`)
  .refine((prompt) => !INVISIBLE.test(prompt), "This prompt has no visible characters. Write something for the models to answer.");

const ZFeedbackTextSchema = z.string().max(FEEDBACK_MAX_LENGTH, `Feedback can be at most ${FEEDBACK_MAX_LENGTH} characters.`).optional();

export const ZBattleIdSchema = z.string().min(1).max(64);

export const ZCreateBattleSchema = z.object({
  modality: ZModalitySchema.default("text"),
  prompt: ZPromptSchema,
  personalized: z.boolean().default(true),
});

export const ZContinueBattleSchema = z.object({ battleId: ZBattleIdSchema, prompt: ZPromptSchema });
export const ZRetrySideSchema = z.object({ battleId: ZBattleIdSchema, side: ZSideSchema });

export const ZVoteSchema = z.object({
  battleId: ZBattleIdSchema,
  outcome: ZVoteOutcomeSchema,
  feedback: z.object({ general: ZFeedbackTextSchema, a: ZFeedbackTextSchema, b: ZFeedbackTextSchema }).optional(),
  listening: ZListeningBySideSchema.optional(),
  /** Lets a client correlate retries; idempotency itself comes from one vote per battle. */
  clientRequestId: z.string().max(100).optional(),
});
