/**
 * Reads bytes [start, end) of a JSONL battle dump on a thread of its own (started by
 * scripts/ratings.ts through lib/server/workers/start-worker.ts) while the starter reads the part
 * before `start`; answers with the reader's part (see BattleDumpReader.append).
 */
import { closeSync, openSync } from "node:fs";
import { BattleDumpReader, type BattleDumpReaderOptions, type TBattleDumpPart } from "@/lib/domain/rating/battle-dump";
import { feedBattleDump } from "./battle-dump-file";
import { replyToBlockingStarter } from "./blocking-worker-reply";

export interface TBattleDumpPartInput {
  path: string;
  start: number;
  end: number;
  options: BattleDumpReaderOptions;
}

function readPart({ path, start, end, options }: TBattleDumpPartInput): TBattleDumpPart {
  const reader = new BattleDumpReader(options);
  const fd = openSync(path, "r");
  try {
    feedBattleDump(reader, fd, { start, end, final: true });
  } finally {
    closeSync(fd);
  }
  return reader.part();
}

replyToBlockingStarter(readPart, (part) => {
  const buffers = [part.log.modelA.buffer, part.log.modelB.buffer, part.log.outcome.buffer, part.log.timestamps?.buffer, part.styles?.buffer];
  return [...new Set(buffers.filter((buffer): buffer is ArrayBuffer => buffer instanceof ArrayBuffer))];
});
