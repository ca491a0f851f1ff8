import "server-only";
import { decideVoteValidity, detectIdentityLeak, invalidReasonsOf, storedInvalidReasons, type TBattleStatus, type TSideState, type TVoteTimeGate } from "@/lib/domain/battle";
import type { TVoteOutcome } from "@/lib/domain/vocabulary";
import { SIDES, type TSide, type TSideSnapshot } from "@/lib/domain/battle/stream-events";
import { hasListenedEnough, summarizeListening, type TListeningBySide } from "@/lib/domain/listening";
import { env } from "@/lib/env";
import { Prisma, type Vote } from "@/lib/generated/sqlite/client";
import { sidesOf } from "@/lib/server/battles/snapshots";
import { battleHub } from "@/lib/server/battles/stream-hub";
import type { Db } from "@/lib/server/db";
import { AppError } from "@/lib/server/errors";
import { votesRecorded } from "@/lib/server/metrics";
import { FEEDBACK_MAX_LENGTH } from "@/lib/schemas/battle";
import { assertUnderDailyVoteCap, dailyVoteCapStatus, enforceRateLimit, startOfUtcDay } from "@/lib/server/rate-limit";
import { getBattleView, loadOwnBattleToVote, revealedModels, toBattleView, type TBattleView, type TLoadedBattle, type TRevealedModel } from "@/lib/server/services/battle-view";
import { newId } from "@/lib/server/services/battles";
import { saveVote } from "@/lib/server/battles/write-batcher";
import { storeOf, type TVoteCounts } from "@/lib/server/store";
import { BLOCKING_PERSONAL_DATA_KINDS } from "@/lib/domain/moderation/personal-data";
import { assertNoPersonalData } from "@/lib/server/moderation";
import { isUniqueViolation } from "@/lib/server/db/errors";
import { assertCurrentConsent } from "@/lib/server/services/consent";
import { scheduleBattleCategorization } from "@/lib/server/services/categorize-battles";
import { scheduleLeaderboardRecompute } from "@/lib/server/leaderboards/recompute";


export interface TRecordVoteInput {
  battleId: string;
  outcome: TVoteOutcome;
  feedback?: { general?: string; a?: string; b?: string };
  /** Audio battles: the players' events per side; the server recomputes the listened seconds. */
  listening?: TListeningBySide;
}

export interface TVoteResult {
  voteId: string;
  outcome: TVoteOutcome;
  countsForRating: boolean;
  invalidReasons: string[];
  /** Model names, revealed by the vote. */
  models: Record<TSide, TRevealedModel>;
  /** The battle as stored with its vote: the arena page shows it without asking for it again (battle.get). */
  battle: TBattleView;
}

/** The annotator-facing battle state the validity rules work on (Prisma's status has no "revealed"). */
function toValidityStatus(battle: Pick<TLoadedBattle, "status" | "revealedAt">): TBattleStatus {
  switch (battle.status) {
    case "generating":
      return "streaming";
    case "voted":
      return "voted";
    case "abandoned":
      return "abandoned";
    case "ready":
      return battle.revealedAt ? "revealed" : "awaiting_vote";
  }
}

/** A side as the validity rules see it; timeouts and empty answers are named so the advice fits. */
function toValiditySide(side: TSideSnapshot): TSideState {
  if (side.status === "pending" || side.status === "streaming") return { status: "streaming", text: side.text };
  if (side.status === "error") return { status: side.errorKind === "timeout" ? "timeout" : side.errorKind === "empty" ? "empty" : "error", text: side.text };
  // Media answers have no text; their presence is what counts.
  return { status: "complete", text: side.media ? side.media.sha256 : side.text };
}

/**
 * The battle read once its vote is known to be committed. Read again rather than taken from an earlier
 * read that found the vote: a store may read a battle's rows with several queries that are not one
 * snapshot (PostgreSQL's pool), so that read may hold the vote but not yet the battle marked voted.
 */
const viewWithVote = (db: Db, userId: string, battleId: string) => getBattleView(db, userId, battleId);

/**
 * The battle as committing `vote` left it, without reading it back: the commit marks the battle voted and
 * revealed at the vote unless it was revealed before, and stores the vote as given (ArenaStore.commit).
 */
const viewOfCommittedVote = (battle: TLoadedBattle, vote: Vote): TBattleView =>
  toBattleView({ ...battle, status: "voted", revealedAt: battle.revealedAt ?? vote.createdAt, vote });

/** The answer to a vote; `view` is the battle as stored with this vote. */
function toResult(vote: Vote, battle: TLoadedBattle, view: TBattleView): TVoteResult {
  return {
    voteId: vote.id,
    outcome: vote.outcome,
    countsForRating: vote.countsForRating,
    invalidReasons: invalidReasonsOf(vote.invalidReasons),
    models: revealedModels(battle),
    battle: view,
  };
}

function cleanFeedback(text: string | undefined): string | null {
  const trimmed = text?.trim() ?? "";
  if (trimmed.length > FEEDBACK_MAX_LENGTH) throw new AppError("BAD_REQUEST", `Feedback can be at most ${FEEDBACK_MAX_LENGTH} characters.`);
  return trimmed === "" ? null : trimmed;
}

const REJECTION_MESSAGES: Record<string, string> = {
  answers_incomplete: "Please wait until both answers have finished before voting.",
  answer_failed: "One answer failed, so it cannot be judged. Retry that side, then vote.",
  battle_closed: "This battle was closed and takes no more votes.",
  already_voted: "This battle already has your vote.",
};

/** Every answer of the conversation, both sides, for identity-leak detection. */
function answerTexts(battle: TLoadedBattle): string {
  return battle.turns.flatMap((turn) => turn.responses.map((response) => response.text ?? "")).join("\n\n");
}

function listeningSeconds(battle: TLoadedBattle, listening: TListeningBySide | undefined): Record<TSide, number> | null {
  if (battle.modality !== "audio") return null;
  const last = battle.turns.at(-1);
  const sides = last ? sidesOf(last.responses) : null;
  const seconds = Object.fromEntries(
    SIDES.map((side) => [side, summarizeListening(listening?.[side] ?? [], { durationSeconds: sides?.[side].media?.durationSeconds ?? null }).seconds]),
  ) as Record<TSide, number>;
  const short = SIDES.filter((side) => !hasListenedEnough(seconds[side], env.MIN_LISTEN_SECONDS));
  if (short.length > 0) {
    const names = short.map((side) => side.toUpperCase()).join(" and ");
    throw new AppError("BAD_REQUEST", `Please listen to at least ${env.MIN_LISTEN_SECONDS} seconds of ${short.length === 2 ? "both tracks" : `track ${names}`} before voting.`);
  }
  return seconds;
}

/**
 * The least time a person needs between the delivery of the answers and a vote: the listening minimum
 * of both clips one after the other (a clip shorter than MIN_LISTEN_SECONDS needs its length), or the
 * reading floor for images and text.
 */
function timeGateFor(modality: TLoadedBattle["modality"], sides: Record<TSide, TSideSnapshot>, elapsedSeconds: number): TVoteTimeGate {
  if (modality !== "audio") return { kind: "read", elapsedSeconds, requiredSeconds: env.MIN_READ_SECONDS };
  const requiredSeconds = SIDES.reduce((sum, side) => sum + Math.min(env.MIN_LISTEN_SECONDS, sides[side].media?.durationSeconds ?? env.MIN_LISTEN_SECONDS), 0);
  return { kind: "listen", elapsedSeconds, requiredSeconds };
}

/**
 * LMArena down-samples prompts that recur too often (deduplication.py). Here the first
 * DUPLICATE_PROMPT_THRESHOLD counted votes of a prompt (same normalized hash) count for the ratings and
 * later ones are stored with the reason `duplicate_prompt`, so a heavily repeated prompt weighs at most
 * as much as DUPLICATE_PROMPT_THRESHOLD battles, whatever its count.
 */
const isFrequentPrompt = (counts: TVoteCounts) => counts.countedVotesOfPrompt >= env.DUPLICATE_PROMPT_THRESHOLD;

/**
 * Records the annotator's vote and reveals the models.
 *
 * - One vote per battle: a repeated submit (even two at once) returns the vote already stored; the
 *   unique battleId decides the race, the loser reads the winner's row.
 * - Needs current consent to the data terms, both answers finished and saved, and no failed side
 *   (the page offers a retry). Audio needs MIN_LISTEN_SECONDS of each track, recomputed here.
 * - Stored but not rated: votes after a "skip and reveal" (post_reveal), battles whose answers
 *   name a participant (identity_leak), and votes sooner after delivery than a person can read
 *   (MIN_READ_SECONDS; image, text) or hear both clips (2 × MIN_LISTEN_SECONDS; music), timed on
 *   the server's clock (too_fast_to_read / too_fast_to_listen); the reasons are kept on the vote.
 *   The browser's listening events are kept as detail; their own check only refuses a vote early.
 * - secondsToVote runs from the moment the last answer finished, by the server's clock.
 * - Feedback carrying personal data is refused field by field (MODERATION_PII=block) before anything else.
 */
export async function recordVote(db: Db, user: { id: string }, input: TRecordVoteInput, ip: string | null = null): Promise<TVoteResult> {
  assertNoPersonalData(
    [
      { field: "feedback.general", label: "Your feedback", text: input.feedback?.general },
      { field: "feedback.a", label: "Your feedback on answer A", text: input.feedback?.a },
      { field: "feedback.b", label: "Your feedback on answer B", text: input.feedback?.b },
    ],
    BLOCKING_PERSONAL_DATA_KINDS,
  );
  // The battle with the daily cap's count (today, UTC) and the duplicate-prompt rule's, in one read.
  const since = startOfUtcDay(new Date());
  let { battle, counts } = await loadOwnBattleToVote(db, user.id, input.battleId, since);
  if (battle.vote) return toResult(battle.vote, battle, await viewWithVote(db, user.id, battle.id));
  await assertCurrentConsent(db, user.id);

  const live = battleHub.get(battle.id);
  if (live && !live.answersFinished) throw new AppError("CONFLICT", REJECTION_MESSAGES.answers_incomplete);
  if (live) {
    await live.settled;
    ({ battle, counts } = await loadOwnBattleToVote(db, user.id, input.battleId, since));
    if (battle.vote) return toResult(battle.vote, battle, await viewWithVote(db, user.id, battle.id));
  }

  const last = battle.turns.at(-1);
  const sides = last ? sidesOf(last.responses) : null;
  const submittedAt = new Date();
  // When the server finished delivering the newest answers (its own clock): the time gates run from here.
  const finishedAt = last?.responses.reduce((latest, response) => Math.max(latest, response.completedAt?.getTime() ?? 0), 0) ?? 0;
  const secondsToVote = finishedAt > 0 ? Math.max(0, (submittedAt.getTime() - finishedAt) / 1000) : null;
  const leak = detectIdentityLeak(answerTexts(battle), [battle.modelA, battle.modelB].map((model) => ({ slug: model.slug, displayName: model.displayName, organizationName: model.organization.name })));
  const validity = decideVoteValidity({
    battleStatus: toValidityStatus(battle),
    sides: sides ? SIDES.map((side) => toValiditySide(sides[side])) : [],
    revealedAt: battle.revealedAt,
    submittedAt,
    leak,
    timeGate: secondsToVote === null || !sides ? undefined : timeGateFor(battle.modality, sides, secondsToVote),
    duplicatePrompt: isFrequentPrompt(counts),
  });
  if (!validity.acceptable) throw new AppError("CONFLICT", REJECTION_MESSAGES[validity.reasons[0]] ?? "This vote cannot be accepted.");

  const listenSeconds = listeningSeconds(battle, input.listening);
  await enforceRateLimit("vote", { userId: user.id, ip });
  assertUnderDailyVoteCap(dailyVoteCapStatus(counts.votesOfUserSince));

  const vote: Vote = {
    id: newId(),
    battleId: battle.id,
    userId: user.id,
    modality: battle.modality,
    modelAId: battle.modelAId,
    modelBId: battle.modelBId,
    outcome: input.outcome,
    feedbackGeneral: cleanFeedback(input.feedback?.general),
    feedbackA: cleanFeedback(input.feedback?.a),
    feedbackB: cleanFeedback(input.feedback?.b),
    listeningEvents: listenSeconds && input.listening ? (input.listening as unknown as Prisma.JsonValue) : null,
    listenSecondsA: listenSeconds?.a ?? null,
    listenSecondsB: listenSeconds?.b ?? null,
    countsForRating: validity.countsForRating,
    invalidReasons: storedInvalidReasons(validity.reasons),
    secondsToVote,
    createdAt: submittedAt,
    personalizedA: battle.personalizedA,
    personalizedB: battle.personalizedB,
    categories: null,
    simulated: false,
  };
  try {
    await saveVote(db, vote);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Another submit of this battle's vote won the race: answer with the stored one.
    const existing = await (await storeOf(db)).readVoteOfBattle(battle.id);
    if (!existing) throw error;
    return toResult(existing, battle, await viewWithVote(db, user.id, battle.id));
  }
  votesRecorded.inc({ modality: battle.modality, outcome: input.outcome });
  if (battle.modality === "text") scheduleBattleCategorization(db);
  if (vote.countsForRating) scheduleLeaderboardRecompute(db);
  // The battle as stored with the vote (voted, revealed), which the page shows instead of sending battle.get.
  return toResult(vote, battle, viewOfCommittedVote(battle, vote));
}
