import { FASTCHAT_WINNER_BY_OUTCOME, VOTE_OUTCOMES, type TFastChatWinner, type TVoteOutcome } from "../vocabulary";

/** FastChat's vote event types (gradio_block_arena_anony.py). */
export type TFastChatVoteType = "leftvote" | "rightvote" | "tievote" | "bothbad_vote";

const VOTE_TYPE_BY_OUTCOME: Record<TVoteOutcome, TFastChatVoteType> = {
  model_a: "leftvote",
  model_b: "rightvote",
  tie: "tievote",
  both_bad: "bothbad_vote",
};

const OUTCOME_BY_VOTE_TYPE: ReadonlyMap<string, TVoteOutcome> = new Map(
  VOTE_OUTCOMES.map((outcome) => [VOTE_TYPE_BY_OUTCOME[outcome], outcome]),
);

const OUTCOME_BY_WINNER: ReadonlyMap<string, TVoteOutcome> = new Map<string, TVoteOutcome>([
  ...VOTE_OUTCOMES.map((outcome) => [FASTCHAT_WINNER_BY_OUTCOME[outcome], outcome] as const),
  ["both_bad", "both_bad"],
]);

export function isVoteOutcome(value: unknown): value is TVoteOutcome {
  return typeof value === "string" && (VOTE_OUTCOMES as readonly string[]).includes(value);
}

export function outcomeToFastChatVoteType(outcome: TVoteOutcome): TFastChatVoteType {
  return VOTE_TYPE_BY_OUTCOME[outcome];
}

/** The outcome of a FastChat vote type, or null for anything else (e.g. "upvote"). */
export function outcomeFromFastChatVoteType(voteType: string): TVoteOutcome | null {
  return OUTCOME_BY_VOTE_TYPE.get(voteType) ?? null;
}

export function outcomeToFastChatWinner(outcome: TVoteOutcome): TFastChatWinner {
  return FASTCHAT_WINNER_BY_OUTCOME[outcome];
}

/** The outcome of a dump's `winner` value (both "tie (bothbad)" and "both_bad" accepted), or null. */
export function outcomeFromFastChatWinner(winner: string): TVoteOutcome | null {
  return OUTCOME_BY_WINNER.get(winner) ?? null;
}

/** Which displayed side won: left for model_a, right for model_b, null for ties and both-bad. */
export function winningSide(outcome: TVoteOutcome): "left" | "right" | null {
  if (outcome === "model_a") return "left";
  if (outcome === "model_b") return "right";
  return null;
}
