import "server-only";
import type { ReleaseFileEntry } from "@/lib/domain/release/card";
import { CSV_HEADER, CSV_HEADER_LINE, RELEASE_COLUMNS, toFlatRow, type ReleaseColumn } from "@/lib/domain/release/csv";
import { releasedBattleJsonLine } from "@/lib/domain/release/jsonl";
import { RELEASE_SCHEMA_VERSION, ZReleasedBattleSchema, type TReleasedBattle } from "@/lib/domain/release/schema";
import { AppError } from "@/lib/server/errors";
import { prepareWorker, startWorker } from "@/lib/server/workers/start-worker";
import type { ReleaseFileBatch, ReleaseFileSinkConfig } from "./release-file-sink";
import type { TReleaseFileReply, TReleaseFileRequest } from "./release-file.worker";

const RELEASE_FILE_NAMES = {
  jsonl: "battles.jsonl",
  csv: "battles.csv",
  parquet: "battles.parquet",
} as const;

export interface ReleaseWriterOptions {
  /** Rows per Parquet row group; memory grows with it (default 10,000). */
  parquetRowGroupSize?: number;
  /** Validate every row with ZReleasedBattleSchema before writing (default true). */
  validateRows?: boolean;
}

export interface ReleaseWriter {
  /** Appends one battle to all three files. Await it: it is where backpressure from the disk applies. */
  write(row: TReleasedBattle): Promise<void>;
  /** Finishes and closes the files; `files` are in the order jsonl, csv, parquet. */
  close(): Promise<{ files: ReleaseFileEntry[] }>;
  /** Closes the files without finishing them, after a failure; the caller removes the directory. */
  abort(): Promise<void>;
}

const DEFAULT_PARQUET_ROW_GROUP_SIZE = 10_000;
/**
 * Most rows per batch sent to the sink. Small batches keep few rows alive between young-generation
 * collections, so little is promoted to the old generation (whose churn costs GC time and page faults).
 */
const BATCH_ROWS = 250;
/** JSONL bytes per batch buffer (a longer line gets a buffer of its own size); ~400 chat-sized battles. */
const JSONL_BATCH_BYTES = 2 << 20;
/** Batches posted and not yet written; the writer waits beyond this, so memory stays flat. */
const MAX_BATCHES_IN_FLIGHT = 4;
const NEWLINE = 0x0a;
const RELEASE_FILE_WORKER = "lib/server/releases/writers/release-file.worker.ts";

/** Long, mostly unique text: dictionary encoding would only cost time. */
const PLAIN_COLUMNS = new Set<ReleaseColumn>([
  "battle_id",
  "prompt",
  "answer_a",
  "answer_b",
  "media_a_json",
  "media_b_json",
  "later_turns_json",
  "feedback_general",
  "feedback_a",
  "feedback_b",
]);

function validatedBattle(row: TReleasedBattle): TReleasedBattle {
  const parsed = ZReleasedBattleSchema.safeParse(row);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new AppError("INTERNAL", `Battle ${String(row.battle_id)} does not match the release schema at ${issue?.path.join(".")}: ${issue?.message}`);
}

/** The release file thread, as the writer uses it. Once a batch is written, its JSONL buffer is handed to `recycle`. */
interface BatchChannel {
  /** Resolves when another batch may be sent. */
  send(batch: ReleaseFileBatch): Promise<void>;
  finish(): Promise<ReleaseFileEntry[]>;
  abort(): Promise<void>;
}

type Recycle = (buffer: ArrayBufferLike) => void;

async function openWorkerChannel(config: ReleaseFileSinkConfig, recycle: Recycle): Promise<BatchChannel> {
  await prepareWorker(RELEASE_FILE_WORKER);
  const worker = startWorker(RELEASE_FILE_WORKER, { workerData: config, background: true });
  const post = (request: TReleaseFileRequest, transfer: ArrayBuffer[] = []) => worker.postMessage(request, transfer);
  const waiting: Array<{ resolve: (reply: TReleaseFileReply) => void; reject: (error: Error) => void }> = [];
  let failure: Error | null = null;
  const fail = (error: Error) => {
    failure ??= error;
    for (const request of waiting.splice(0)) request.reject(failure);
    void worker.terminate();
  };
  worker.on("message", (reply: TReleaseFileReply) => {
    if (reply.type === "failed") fail(new AppError("INTERNAL", `Writing the release files failed: ${reply.message}`));
    else {
      if (reply.type === "written") recycle(reply.buffer);
      waiting.shift()?.resolve(reply);
    }
  });
  worker.on("error", (error) => fail(error));
  worker.on("exit", (code) => fail(new AppError("INTERNAL", `The release file worker stopped (exit code ${code}).`)));
  const nextReply = () => {
    const reply = new Promise<TReleaseFileReply>((resolve, reject) => (failure ? reject(failure) : waiting.push({ resolve, reject })));
    // Marked handled now; whoever awaits it later still sees the rejection.
    reply.catch(() => undefined);
    return reply;
  };
  const inFlight: Array<Promise<TReleaseFileReply>> = [];
  await nextReply();
  return {
    async send(batch) {
      if (failure) throw failure;
      inFlight.push(nextReply());
      post({ type: "batch", batch }, [batch.jsonl.buffer as ArrayBuffer]);
      if (inFlight.length >= MAX_BATCHES_IN_FLIGHT) await inFlight.shift();
    },
    async finish() {
      await Promise.all(inFlight.splice(0));
      const finished = nextReply();
      post({ type: "finish" });
      const reply = await finished;
      await worker.terminate();
      return reply.type === "finished" ? reply.files : [];
    },
    async abort() {
      if (!failure) {
        const aborted = nextReply();
        post({ type: "abort" });
        await aborted.catch(() => undefined);
      }
      await worker.terminate();
    },
  };
}

/**
 * Writes battles.jsonl, battles.csv and battles.parquet into an existing directory, streaming. This
 * thread validates each battle, encodes its JSON line into a reusable batch buffer and flattens it into
 * columns; batches (BATCH_ROWS rows or a full buffer) go to a worker thread (release-file.worker.ts) that
 * builds the CSV records and Parquet row groups, hashes (SHA-256) and writes, with at most
 * MAX_BATCHES_IN_FLIGHT batches queued, so memory holds a few batches and one Parquet row group whatever
 * the number of rows. The JSONL buffers are transferred, not copied, and come back for reuse. Files are
 * created exclusively, so an existing file is an error.
 */
export async function createReleaseWriter(dir: string, options: ReleaseWriterOptions = {}): Promise<ReleaseWriter> {
  const rowGroupSize = options.parquetRowGroupSize ?? DEFAULT_PARQUET_ROW_GROUP_SIZE;
  if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1) {
    throw new AppError("INTERNAL", `parquetRowGroupSize must be a positive integer, got ${rowGroupSize}.`);
  }
  const validateRows = options.validateRows ?? true;
  const config: ReleaseFileSinkConfig = {
    dir,
    fileNames: RELEASE_FILE_NAMES,
    columns: CSV_HEADER.map((name) => ({ name, ...RELEASE_COLUMNS[name], plain: PLAIN_COLUMNS.has(name) })),
    csvHeaderLine: CSV_HEADER_LINE,
    parquetRowGroupSize: rowGroupSize,
    parquetKeyValueMetadata: [{ key: "persona_arena.release_schema_version", value: RELEASE_SCHEMA_VERSION }],
    parquetCreatedBy: "persona-arena release writer (hyparquet-writer)",
  };
  const spareBuffers: ArrayBufferLike[] = [];
  const recycle: Recycle = (buffer) => {
    if (buffer.byteLength === JSONL_BATCH_BYTES) spareBuffers.push(buffer);
  };
  const channel = await openWorkerChannel(config, recycle);

  const emptyColumns = (): ReleaseFileBatch["columns"] => CSV_HEADER.map(() => []);
  const batchBuffer = (bytes = JSONL_BATCH_BYTES) => Buffer.from(bytes === JSONL_BATCH_BYTES ? (spareBuffers.pop() ?? new ArrayBuffer(bytes)) : new ArrayBuffer(bytes));
  let jsonl = batchBuffer();
  let jsonlBytes = 0;
  let columns = emptyColumns();
  let rows = 0;
  let state: "open" | "closed" = "open";

  async function sendBatch(): Promise<void> {
    if (rows === 0) return;
    const batch: ReleaseFileBatch = { jsonl: jsonl.subarray(0, jsonlBytes), columns, rows };
    columns = emptyColumns();
    rows = 0;
    jsonlBytes = 0;
    await channel.send(batch);
    jsonl = batchBuffer();
  }

  /** Appends one JSON line to the batch buffer, sending the batch first when the line does not fit. */
  async function appendJsonLine(line: string): Promise<void> {
    // UTF-8 needs at most 3 bytes per UTF-16 unit; the exact length is measured only near the end.
    const fits = (free: number) => line.length * 3 < free || Buffer.byteLength(line, "utf8") < free;
    if (!fits(jsonl.length - jsonlBytes)) {
      await sendBatch();
      if (!fits(jsonl.length)) jsonl = batchBuffer(Buffer.byteLength(line, "utf8") + 1);
    }
    jsonlBytes += jsonl.write(line, jsonlBytes, "utf8");
    jsonl[jsonlBytes++] = NEWLINE;
  }

  function assertOpen(): void {
    if (state !== "open") throw new AppError("INTERNAL", "The release writer is already closed.");
  }

  return {
    async write(row) {
      assertOpen();
      const battle = validateRows ? validatedBattle(row) : row;
      await appendJsonLine(releasedBattleJsonLine(battle));
      const flat = toFlatRow(battle);
      for (let index = 0; index < CSV_HEADER.length; index++) columns[index]!.push(flat[CSV_HEADER[index]!]);
      rows += 1;
      if (rows >= BATCH_ROWS) await sendBatch();
    },
    async close() {
      assertOpen();
      state = "closed";
      try {
        await sendBatch();
        return { files: await channel.finish() };
      } catch (error) {
        await channel.abort();
        throw error;
      }
    },
    async abort() {
      state = "closed";
      await channel.abort();
    },
  };
}
