import { z } from "zod";

/**
 * The arena's shared words: what a battle compares and how a vote ends. Every other file imports these
 * unions, their arrays and their zod enums from here, so adding a modality or an outcome is one edit.
 */

/** What a battle compares. "audio" is music: the UI says "Music", the data says "audio". */
export const MODALITIES = ["text", "image", "audio"] as const;
export type TModality = (typeof MODALITIES)[number];
export const ZModalitySchema = z.enum(MODALITIES);

/**
 * How a vote ends. model_a is always the model shown on the left (sides are swapped when a battle is
 * sampled, not here); both_bad is scored like a tie everywhere (LMArena's "tie (bothbad)").
 */
export const VOTE_OUTCOMES = ["model_a", "model_b", "tie", "both_bad"] as const;
export type TVoteOutcome = (typeof VOTE_OUTCOMES)[number];
export const ZVoteOutcomeSchema = z.enum(VOTE_OUTCOMES);

/**
 * FastChat's clean-battle `winner` labels, in VOTE_OUTCOMES order (lib/domain/battle/outcomes.ts maps
 * between the two); LMArena's 140k release also writes "both_bad", which readers accept.
 */
export const FASTCHAT_WINNERS = ["model_a", "model_b", "tie", "tie (bothbad)"] as const;
export type TFastChatWinner = (typeof FASTCHAT_WINNERS)[number];
