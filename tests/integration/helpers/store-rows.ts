import type { Battle, Response, Turn, Vote } from "@/lib/generated/sqlite/client";
import { UNANSWERED } from "@/lib/server/services/battles";
import type { TNewBattleRows } from "@/lib/server/store";

/** Who a test's battles and votes belong to. */
export interface TRowOwners {
  user: string;
  modelA: string;
  modelB: string;
}

/** A new text battle of `owners` as the store inserts it: one turn ("hello"), both answers still streaming. */
export function newBattleRows(owners: TRowOwners, id: string, createdAt: Date): TNewBattleRows {
  const battle: Battle = {
    id,
    publicId: `public-${id}`,
    userId: owners.user,
    modality: "text",
    personaVersionId: null,
    personalized: false,
    modelAId: owners.modelA,
    modelBId: owners.modelB,
    status: "generating",
    isGold: false,
    goldOutcome: null,
    seed: 7,
    simulated: false,
    createdAt,
    completedAt: null,
    revealedAt: null,
    personalizedA: true,
    personalizedB: false,
    promptHash: "hash",
    categories: null,
    language: null,
    categorizedBy: null,
  };
  const turn: Turn = { id: `turn-${id}`, battleId: id, index: 0, prompt: "hello", systemPrompt: "be brief", createdAt };
  const response = (side: "a" | "b"): Response => ({
    id: `${side}-${id}`,
    turnId: turn.id,
    side,
    modelId: side === "a" ? owners.modelA : owners.modelB,
    status: "streaming",
    ...UNANSWERED,
    styleFeatures: null,
    attempt: 1,
    startedAt: createdAt,
  });
  return { battle, turn, responses: [response("a"), response("b")] };
}

/** A counted vote of `owners.user` on `battleId`, as recordVote stores it (no categories yet). */
export const voteRow = (owners: TRowOwners, battleId: string, createdAt: Date, outcome: Vote["outcome"] = "model_a"): Vote => ({
  id: `vote-${battleId}-${outcome}`,
  battleId,
  userId: owners.user,
  modality: "text",
  modelAId: owners.modelA,
  modelBId: owners.modelB,
  outcome,
  feedbackGeneral: "fine",
  feedbackA: null,
  feedbackB: null,
  listeningEvents: null,
  listenSecondsA: null,
  listenSecondsB: null,
  countsForRating: true,
  invalidReasons: "",
  secondsToVote: 1.25,
  simulated: false,
  createdAt,
  personalizedA: true,
  personalizedB: false,
  categories: null,
});
