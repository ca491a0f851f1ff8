import { z } from "zod";

/**
 * The arena's shared words: what a battle compares and how a vote ends. Every other file imports these
 * unions, their arrays and their zod enums from here, so adding a modality or an outcome is one edit.
 */

/** What a battle compares. "audio" is music: the UI says "Music", the data says "audio". */
export const MODALITIES = ["text", "image", "audio"] as const;
export type TModality = (typeof MODALITIES)[number];
export const ZModalitySchema = z.enum(MODALITIES);
export const MODALITY_LABELS: Readonly<Record<TModality, string>> = { text: "Text", image: "Image", audio: "Music" };

/**
 * How a vote ends. model_a is always the model shown on the left (sides are swapped when a battle is
 * sampled, not here); both_bad is scored like a tie everywhere (LMArena's "tie (bothbad)").
 */
export const VOTE_OUTCOMES = ["model_a", "model_b", "tie", "both_bad"] as const;
export type TVoteOutcome = (typeof VOTE_OUTCOMES)[number];
export const ZVoteOutcomeSchema = z.enum(VOTE_OUTCOMES);
/** What the vote buttons and the admin pages call each outcome. */
export const VOTE_OUTCOME_LABELS: Readonly<Record<TVoteOutcome, string>> = { model_a: "A is better", model_b: "B is better", tie: "Tie", both_bad: "Both are bad" };

/**
 * FastChat's clean-battle `winner` label of each outcome: the one mapping (exports, dump readers,
 * lib/domain/battle/outcomes.ts). LMArena's 140k release also writes "both_bad", which readers accept.
 */
export const FASTCHAT_WINNER_BY_OUTCOME = { model_a: "model_a", model_b: "model_b", tie: "tie", both_bad: "tie (bothbad)" } as const satisfies Record<TVoteOutcome, string>;
export type TFastChatWinner = (typeof FASTCHAT_WINNER_BY_OUTCOME)[TVoteOutcome];
