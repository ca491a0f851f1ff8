import "server-only";
import { basename, join } from "node:path";
import { CSV_HEADER_LINE, csvRecord, toFlatRow } from "@/lib/domain/release/csv";
import type { ReleaseFileEntry } from "@/lib/domain/release/card";
import { AppError } from "@/lib/server/errors";
import { ZReleasedBattleSchema, type TReleasedBattle } from "@/lib/domain/release/schema";
import { HashingFile, TextSink } from "./hashing-file";
import { ParquetSink } from "./parquet-sink";

export const RELEASE_FILE_NAMES = {
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

export const DEFAULT_PARQUET_ROW_GROUP_SIZE = 10_000;

function validatedBattle(row: TReleasedBattle): TReleasedBattle {
  const parsed = ZReleasedBattleSchema.safeParse(row);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new AppError("INTERNAL", `Battle ${String(row.battle_id)} does not match the release schema at ${issue?.path.join(".")}: ${issue?.message}`);
}

/**
 * Writes battles.jsonl, battles.csv and battles.parquet into an existing directory, streaming: memory
 * holds one Parquet row group and ~1 MiB of text per file, whatever the number of rows. SHA-256 and byte
 * counts are computed while writing. Files are created exclusively, so an existing file is an error.
 */
export async function createReleaseWriter(dir: string, options: ReleaseWriterOptions = {}): Promise<ReleaseWriter> {
  const rowGroupSize = options.parquetRowGroupSize ?? DEFAULT_PARQUET_ROW_GROUP_SIZE;
  if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1) {
    throw new AppError("INTERNAL", `parquetRowGroupSize must be a positive integer, got ${rowGroupSize}.`);
  }
  const validateRows = options.validateRows ?? true;
  const files = await Promise.all(
    [RELEASE_FILE_NAMES.jsonl, RELEASE_FILE_NAMES.csv, RELEASE_FILE_NAMES.parquet].map((name) =>
      HashingFile.create(join(dir, name)),
    ),
  );
  const [jsonlFile, csvFile, parquetFile] = files as [HashingFile, HashingFile, HashingFile];
  const jsonl = new TextSink(jsonlFile);
  const csv = new TextSink(csvFile);
  const parquet = new ParquetSink(parquetFile, rowGroupSize);
  await csv.append(CSV_HEADER_LINE, 0);
  let state: "open" | "closed" = "open";

  function assertOpen(): void {
    if (state !== "open") throw new AppError("INTERNAL", "The release writer is already closed.");
  }

  return {
    async write(row) {
      assertOpen();
      const battle = validateRows ? validatedBattle(row) : row;
      const flat = toFlatRow(battle);
      await jsonl.append(JSON.stringify(battle) + "\n");
      await csv.append(csvRecord(flat));
      await parquet.append(flat);
    },
    async close() {
      assertOpen();
      state = "closed";
      await jsonl.flush();
      await csv.flush();
      await parquet.finish();
      const entries: ReleaseFileEntry[] = [];
      for (const [sinkRows, file] of [
        [jsonl.rows, jsonlFile],
        [csv.rows, csvFile],
        [parquet.rows, parquetFile],
      ] as const) {
        const bytes = file.bytes;
        const sha256 = await file.close();
        entries.push({ name: basename(file.path), sha256, bytes, rows: sinkRows });
      }
      return { files: entries };
    },
    async abort() {
      state = "closed";
      await Promise.all(files.map((file) => file.discard()));
    },
  };
}
