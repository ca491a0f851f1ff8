import { describe, expect, it } from "vitest";
import { createRandom, randomInt } from "@/lib/domain/random";
import { OUTCOME_A_WINS, OUTCOME_B_WINS, OUTCOME_CODES, OUTCOME_TIE, type BattleCells } from "@/lib/domain/rating";
import { runFitJob, segmentBoard, type TBoardSettings } from "@/lib/server/leaderboards/boards";

const SETTINGS: TBoardSettings = { priorSdPoints: 400, minVotes: 30, bootstrapRounds: 200 };
const MODELS = ["m0", "m1", "m2", "m3", "m4"];
const STRENGTHS = [0.8, 0.3, 0, -0.4, -0.7];

/** Cells of `votes` battles between the planted models (a random pair each, ties 10%). */
function cellsOf(votes: number, seed: number): BattleCells {
  const random = createRandom(seed);
  const n = MODELS.length;
  const counts = new Float64Array(n * n * OUTCOME_CODES);
  for (let k = 0; k < votes; k++) {
    const a = randomInt(random, n);
    const b = (a + 1 + randomInt(random, n - 1)) % n;
    const p = 1 / (1 + Math.exp(STRENGTHS[b] - STRENGTHS[a]));
    const outcome = random() < 0.1 ? OUTCOME_TIE : random() < p ? OUTCOME_A_WINS : OUTCOME_B_WINS;
    counts[(a * n + b) * OUTCOME_CODES + outcome] += 1;
  }
  return { models: MODELS, counts, total: votes };
}

describe("fit jobs", () => {
  it("shrinks a segment job's boards toward the overall board's ratings, without waiting for that board", () => {
    const overallCells = cellsOf(3000, 1);
    const segmentCells = cellsOf(200, 2);
    const job = { settings: SETTINGS, info: new Map(), modality: "text" as const, computedAt: new Date("2030-01-01T00:00:00Z") };
    const [overall] = runFitJob({ ...job, kind: "overall", overall: { cells: overallCells, elo: {}, cellsByDay: [], votesByDay: [] } });
    const segments = runFitJob({ ...job, kind: "segments", overallCells, segments: [{ variant: "segment:a", label: "A", cells: segmentCells }] });
    const globalRatings = Object.fromEntries(overall.rows.map((row) => [row.modelId, row.rating]));
    expect(segments).toEqual([segmentBoard({ modality: "text", variant: "segment:a", label: "A", computedAt: job.computedAt }, segmentCells, globalRatings, job.info, SETTINGS)]);
    expect(segments[0].shrinkStrength).toBeGreaterThan(0);
  });

  it("fits no segment board when a modality has none", () => {
    const job = { settings: SETTINGS, info: new Map(), modality: "image" as const, computedAt: new Date("2030-01-01T00:00:00Z") };
    expect(runFitJob({ ...job, kind: "segments", overallCells: cellsOf(100, 3), segments: [] })).toEqual([]);
  });
});
