import { describe, expect, it } from "vitest";
import { createRandom, randomInt } from "@/lib/domain/random";
import { DEFAULT_PRIOR_SD_POINTS } from "@/lib/domain/rating";
import { boardFitter } from "@/lib/server/leaderboards/board-fitter";
import type { TFitJob } from "@/lib/server/leaderboards/boards";

const MODELS = 20;

/** A plain board's job over fixed random cells of MODELS models, with `bootstrapRounds` rounds (its cells are its own: they are transferred). */
function plainJob(variant: string, bootstrapRounds: number): TFitJob {
  const random = createRandom(11);
  const counts = new Float64Array(MODELS * MODELS * 3);
  for (let k = 0; k < 20_000; k++) {
    const a = randomInt(random, MODELS);
    const b = (a + 1 + randomInt(random, MODELS - 1)) % MODELS;
    counts[(a * MODELS + b) * 3 + randomInt(random, 3)] += 1;
  }
  const cells = { models: Array.from({ length: MODELS }, (_, k) => `m${k}`), counts, total: 20_000 };
  return {
    kind: "plain",
    modality: "text",
    computedAt: new Date(0),
    settings: { priorSdPoints: DEFAULT_PRIOR_SD_POINTS, minVotes: 10, bootstrapRounds },
    info: new Map(),
    boards: [{ variant, label: variant, cells }],
    bootstrapRounds,
  };
}

// The recomputation's fitting threads (lib/server/leaderboards/board-fitter.ts).
describe("the board fitter", () => {
  it("gives a job to the first thread free, not to one busy with a long job", async () => {
    const fitter = await boardFitter(2);
    const finished: string[] = [];
    const fit = (variant: string, rounds: number) =>
      fitter.fit(plainJob(variant, rounds)).then((boards) => {
        finished.push(variant);
        return boards;
      });
    // Posted together: the long one takes a thread, the short ones must both run on the other.
    const boards = await Promise.all([fit("long", 4_000), fit("short-1", 0), fit("short-2", 0)]);
    expect(finished).toEqual(["short-1", "short-2", "long"]);
    expect(boards.map((fitted) => fitted.map((board) => board.variant))).toEqual([["long"], ["short-1"], ["short-2"]]);
    expect(boards[0][0].method?.bootstrapRounds).toBe(4_000);
  });
});
