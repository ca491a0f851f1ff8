import { describe, expect, it, vi } from "vitest";
import { aggregateVoteLog, voteLogFingerprint } from "@/lib/domain/leaderboard/vote-log";
import type { BoardFitter } from "@/lib/server/leaderboards/board-fitter";
import type { TFitJob } from "@/lib/server/leaderboards/boards";
import { fitModality } from "@/lib/server/leaderboards/fit";
import { emptyState } from "@/lib/server/leaderboards/state";
import { db } from "../helpers/caller";

/** What happened, in order: the log hashed for its fingerprint, or a job posted to the fitter. */
const events = vi.hoisted(() => [] as string[]);

vi.mock("@/lib/domain/leaderboard/vote-log", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/domain/leaderboard/vote-log")>();
  return {
    ...original,
    voteLogFingerprintInSteps: function* (log: InstanceType<typeof original.VoteLog>) {
      events.push("hash");
      return yield* original.voteLogFingerprintInSteps(log);
    },
  };
});

/** A fitter that records each job it is given and fits nothing. */
const recordingFitter: BoardFitter = {
  fit: async (job: TFitJob) => {
    events.push(`fit ${job.kind}`);
    return [];
  },
  fitLifts: async () => [],
};

/** An aggregate state whose image log holds 60 votes between two models. */
function stateWithImageVotes() {
  const state = emptyState("0:0", new Set());
  const entry = state.modalities.image;
  const { models, personaClasses, days } = entry.log.dictionaries;
  for (let k = 0; k < 60; k++) entry.log.append(models.index("m1"), models.index("m2"), k % 3, state.voters.index(`u${k % 4}`), personaClasses.index(""), days.index("2026-01-01"));
  entry.aggregate = aggregateVoteLog(entry.log, []);
  return state;
}

// Which boards of a modality are fitted, and when (lib/server/leaderboards/fit.ts).
describe("fitting a modality", () => {
  it("posts the boards of a modality certainly refitted before hashing its log, and still gives its fingerprint", async () => {
    events.length = 0;
    const state = stateWithImageVotes();
    const context = { info: new Map(), infoFingerprint: 1, now: new Date(0), rebuild: true, fitter: recordingFitter, byCounts: Promise.resolve([]) };
    const fit = await fitModality(db, state, "image", context);
    expect(events).toEqual(["fit overall", "fit segments", "hash"]);
    expect(fit.fingerprint.split("|")[1]).toBe(voteLogFingerprint(state.modalities.image.log));
    expect(fit.current).toEqual([]);
  });
});
