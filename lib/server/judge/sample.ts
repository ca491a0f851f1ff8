import "server-only";
import type { TVoteOutcome } from "@/lib/domain/vocabulary";
import { createRandom, randomInt, seedFromString } from "@/lib/domain/random";
import type { Db } from "@/lib/server/db";
import { loadCountedVotes, preferenceFitInput } from "@/lib/server/preference-groups/fit";
import { fitOnThread } from "@/lib/server/preference-groups/fit-thread";

/** One sampled voted battle, as the judge sees it. */
export interface TJudgeSampleItem {
  voteId: string;
  human: TVoteOutcome;
  /** The first turn's system prompt: the persona exactly as the models saw it (null when not personalized). */
  personaText: string | null;
  prompt: string;
  answerA: string;
  answerB: string;
}

/**
 * A seeded sample of counted text votes whose first turn has both answers complete. Vote ids are
 * shuffled with the seed, then read in chunks until `size` usable battles are found, so the same
 * database and seed give the same sample.
 */
export async function sampleJudgedBattles(db: Db, size: number, seed: number): Promise<TJudgeSampleItem[]> {
  const votes = await loadCountedVotes(db, "text");
  const ids = votes.map((vote) => vote.id).sort();
  const random = createRandom(seed);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  const sample: TJudgeSampleItem[] = [];
  for (let start = 0; start < ids.length && sample.length < size; start += 200) {
    const chunk = ids.slice(start, start + 200);
    const rows = await db.vote.findMany({
      where: { id: { in: chunk } },
      select: {
        id: true,
        outcome: true,
        battle: { select: { turns: { where: { index: 0 }, select: { prompt: true, systemPrompt: true, responses: { select: { side: true, status: true, text: true } } } } } },
      },
    });
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const id of chunk) {
      const row = byId.get(id);
      const turn = row?.battle.turns[0];
      const answerA = turn?.responses.find((response) => response.side === "a");
      const answerB = turn?.responses.find((response) => response.side === "b");
      if (!row || !turn || answerA?.status !== "complete" || answerB?.status !== "complete" || !answerA.text || !answerB.text) continue;
      sample.push({ voteId: id, human: row.outcome as TVoteOutcome, personaText: turn.systemPrompt, prompt: turn.prompt, answerA: answerA.text, answerB: answerB.text });
      if (sample.length === size) break;
    }
  }
  return sample;
}

export interface TStatisticalPredictions {
  groupCount: number;
  /** P(left wins) per sampled vote id: the group model (persona + the annotator's other votes) and the global board. */
  groupModel: Map<string, number>;
  globalBoard: Map<string, number>;
}

/**
 * The statistical predictors a judge is compared with, fitted (on the fit thread) on every counted
 * text vote except the sampled ones: the group model's win probability for the voter (posterior
 * from their persona and other votes, or their persona alone) and the global board's.
 */
export async function statisticalPredictions(db: Db, sampledVoteIds: ReadonlySet<string>): Promise<TStatisticalPredictions> {
  const votes = await loadCountedVotes(db, "text");
  const training = votes.filter((vote) => !sampledVoteIds.has(vote.id));
  const sampled = votes.filter((vote) => sampledVoteIds.has(vote.id));
  const groupModel = new Map<string, number>();
  const globalBoard = new Map<string, number>();
  if (training.length === 0) return { groupCount: 0, groupModel, globalBoard };
  const fit = await fitOnThread(await preferenceFitInput(db, training, seedFromString("judge:statistical"), sampled));
  sampled.forEach((vote, q) => {
    const prediction = fit.predictions[q];
    if (prediction.groupModel !== null) groupModel.set(vote.id, prediction.groupModel);
    if (prediction.globalBoard !== null) globalBoard.set(vote.id, prediction.globalBoard);
  });
  return { groupCount: fit.groupCount, groupModel, globalBoard };
}
