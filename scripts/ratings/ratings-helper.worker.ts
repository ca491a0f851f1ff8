/**
 * The ratings command's second thread (started once by scripts/ratings.ts through
 * lib/server/workers/start-worker.ts, served as ./blocking-worker-reply.ts describes): it reads parts
 * of a large JSONL dump while the main thread reads others, each taking the next unread part from a
 * shared counter until none is left (whichever thread is slower takes fewer), and answers with the parts
 * it read (see BattleDumpReader.append); then it takes blocks of bootstrap rounds from a shared counter
 * as the main thread does, writing their samples into the job's shared memory (see runUntakenRounds).
 */
import { closeSync, openSync } from "node:fs";
import { runUntakenRounds, type BootstrapJob } from "@/lib/domain/rating/bootstrap";
import { readUntakenParts, type TDumpParts, type TUntakenParts } from "./battle-dump-file";
import { serveBlockingStarter } from "./blocking-worker-reply";

/** Untaken parts of the dump at `path` (see readUntakenParts). */
export interface TDumpPartsJob extends TUntakenParts {
  kind: "dump-parts";
  path: string;
}

export type TRatingsHelperJob = TDumpPartsJob | { kind: "bootstrap-rounds"; job: BootstrapJob };

/** The parts read, or how many bootstrap rounds were run (their samples are in the job's shared memory). */
export type TRatingsHelperAnswer = TDumpParts | number;

function readParts(job: TDumpPartsJob): TDumpParts {
  const fd = openSync(job.path, "r");
  try {
    return readUntakenParts(fd, job);
  } finally {
    closeSync(fd);
  }
}

function transferOf(answer: TRatingsHelperAnswer): ArrayBuffer[] {
  if (typeof answer === "number") return [];
  const buffers = answer.flatMap(({ part }) => [part.log.modelA.buffer, part.log.modelB.buffer, part.log.outcome.buffer, part.log.timestamps?.buffer, part.styles?.buffer]);
  return [...new Set(buffers.filter((buffer): buffer is ArrayBuffer => buffer instanceof ArrayBuffer))];
}

serveBlockingStarter<TRatingsHelperJob, TRatingsHelperAnswer>((job) => (job.kind === "dump-parts" ? readParts(job) : runUntakenRounds(job.job)), transferOf);
