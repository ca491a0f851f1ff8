/**
 * The ratings command's second thread (started once by scripts/ratings.ts through
 * lib/server/workers/start-worker.ts, served as ./blocking-worker-reply.ts describes): it reads the
 * second part of a large JSONL dump while the main thread reads the first, answering with the
 * reader's part (see BattleDumpReader.append), then runs a share of the bootstrap rounds while the
 * main thread runs the rest, answering with their samples (seeds.length × models ratings).
 */
import { closeSync, openSync } from "node:fs";
import { BattleDumpReader, type BattleDumpReaderOptions, type TBattleDumpPart } from "@/lib/domain/rating/battle-dump";
import { bootstrapRoundSamples, type BootstrapJob } from "@/lib/domain/rating/bootstrap";
import { feedBattleDump } from "./battle-dump-file";
import { serveBlockingStarter } from "./blocking-worker-reply";

export type TRatingsHelperJob =
  | { kind: "dump-part"; path: string; start: number; end: number; options: BattleDumpReaderOptions }
  | { kind: "bootstrap-rounds"; job: BootstrapJob };

export type TRatingsHelperAnswer = TBattleDumpPart | Float64Array;

function readPart({ path, start, end, options }: { path: string; start: number; end: number; options: BattleDumpReaderOptions }): TBattleDumpPart {
  const reader = new BattleDumpReader(options);
  const fd = openSync(path, "r");
  try {
    feedBattleDump(reader, fd, { start, end, final: true });
  } finally {
    closeSync(fd);
  }
  return reader.part();
}

function transferOf(answer: TRatingsHelperAnswer): ArrayBuffer[] {
  if (answer instanceof Float64Array) return [answer.buffer as ArrayBuffer];
  const buffers = [answer.log.modelA.buffer, answer.log.modelB.buffer, answer.log.outcome.buffer, answer.log.timestamps?.buffer, answer.styles?.buffer];
  return [...new Set(buffers.filter((buffer): buffer is ArrayBuffer => buffer instanceof ArrayBuffer))];
}

serveBlockingStarter<TRatingsHelperJob, TRatingsHelperAnswer>((job) => (job.kind === "dump-part" ? readPart(job) : bootstrapRoundSamples(job.job)), transferOf);
