import type { TIdentityLeak } from "./identity-leak";

export type TBattleStatus = "streaming" | "awaiting_vote" | "voted" | "revealed" | "abandoned";
type TSideStatus = "streaming" | "complete" | "error" | "empty" | "timeout";

export interface TSideState {
  status: TSideStatus;
  text: string;
}

/**
 * Why a vote is rejected or stored without counting:
 * - `answers_incomplete`: a side is still streaming (reject; the UI waits);
 * - `answer_failed`: a side errored, timed out or answered nothing (reject; the UI offers a retry);
 * - `already_voted` / `battle_closed`: the battle takes no more votes (reject);
 * - `post_reveal`: the models were revealed before this vote (stored, not rated);
 * - `identity_leak`: an answer named a model or its maker (stored, not rated);
 * - `too_fast_to_read`: an image or text vote came sooner after the answers were delivered than the
 *   reading floor (stored, not rated);
 * - `too_fast_to_listen`: a music vote came sooner after the clips were delivered than the listening
 *   minimum of both clips (stored, not rated), whatever the browser's listening events claim;
 * - `duplicate_prompt`: the prompt already has its share of counted votes (stored, not rated).
 */
type TVoteValidityReason =
  | "answers_incomplete"
  | "answer_failed"
  | "already_voted"
  | "battle_closed"
  | "post_reveal"
  | "identity_leak"
  | "too_fast_to_read"
  | "too_fast_to_listen"
  | "duplicate_prompt";

/**
 * The server-clock gate: `elapsedSeconds` from the moment the server finished delivering the answers
 * (its own clock) to the vote, against the least time a person needs (`requiredSeconds`): reading an
 * image or text pair, or listening to the minimum of both music clips.
 */
export interface TVoteTimeGate {
  kind: "read" | "listen";
  elapsedSeconds: number;
  requiredSeconds: number;
}

export interface TVoteValidityInput {
  battleStatus: TBattleStatus;
  /** Both sides of the battle, left then right. */
  sides: readonly TSideState[];
  revealedAt: Date | null;
  submittedAt: Date;
  leak: Pick<TIdentityLeak, "leaked">;
  /** Absent: no time gate (e.g. a floor of 0). */
  timeGate?: TVoteTimeGate;
  /** The prompt (by normalized hash) already has DUPLICATE_PROMPT_THRESHOLD counted votes. */
  duplicatePrompt?: boolean;
}

export interface TVoteValidity {
  /** May the vote be stored at all. */
  acceptable: boolean;
  /** Does it enter the leaderboard. Invariant: countsForRating ⇒ acceptable. */
  countsForRating: boolean;
  reasons: TVoteValidityReason[];
  /** What the UI should suggest for a rejected vote: wait for answers, or retry the failed side. */
  advice: "wait" | "retry" | null;
}

const FAILED_SIDE_STATUSES: ReadonlySet<TSideStatus> = new Set(["error", "empty", "timeout"]);

function isFailed(side: TSideState): boolean {
  return FAILED_SIDE_STATUSES.has(side.status) || (side.status === "complete" && side.text.trim() === "");
}

function reject(reason: TVoteValidityReason, advice: TVoteValidity["advice"] = null): TVoteValidity {
  return { acceptable: false, countsForRating: false, reasons: [reason], advice };
}

/**
 * Decides what happens to a submitted vote, in this order:
 * 1. a battle already voted on or abandoned takes no vote;
 * 2. a failed side (error, timeout, empty or blank answer) rejects the vote with retry advice,
 *    even if the other side is still streaming, because waiting cannot fix it;
 * 3. a side still streaming rejects the vote: nobody votes before both answers finished;
 * 4. otherwise the vote is stored, and it counts only if it was submitted before the reveal
 *    (`revealedAt` null or later than `submittedAt`), no answer leaked an identity, and at least
 *    the time gate's required seconds passed on the server's clock; every applicable exclusion
 *    reason is listed.
 */
export function decideVoteValidity(input: TVoteValidityInput): TVoteValidity {
  if (input.battleStatus === "voted") return reject("already_voted");
  if (input.battleStatus === "abandoned") return reject("battle_closed");
  if (input.sides.some(isFailed)) return reject("answer_failed", "retry");
  if (input.sides.length < 2 || input.sides.some((side) => side.status !== "complete")) {
    return reject("answers_incomplete", "wait");
  }
  const reasons: TVoteValidityReason[] = [];
  const revealedFirst =
    input.battleStatus === "revealed" || (input.revealedAt !== null && input.revealedAt.getTime() <= input.submittedAt.getTime());
  if (revealedFirst) reasons.push("post_reveal");
  if (input.leak.leaked) reasons.push("identity_leak");
  const gate = input.timeGate;
  if (gate && !(gate.elapsedSeconds >= gate.requiredSeconds)) reasons.push(gate.kind === "listen" ? "too_fast_to_listen" : "too_fast_to_read");
  if (input.duplicatePrompt) reasons.push("duplicate_prompt");
  return { acceptable: true, countsForRating: reasons.length === 0, reasons, advice: null };
}

/** The reasons as a vote row stores them (`Vote.invalidReasons`): comma-joined, "" for none. */
export const storedInvalidReasons = (reasons: readonly string[]): string => reasons.join(",");

/** A stored vote's reasons (what storedInvalidReasons wrote), [] for none. */
export const invalidReasonsOf = (stored: string): string[] => stored.split(",").filter(Boolean);
