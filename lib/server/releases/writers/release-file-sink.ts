/**
 * The byte-producing half of the release writer: CSV records, Parquet row groups, SHA-256 and file writes
 * for battles.jsonl, battles.csv and battles.parquet. Runs on the release file thread
 * (release-file.worker.ts, started by release-writer.ts); training-files.ts reuses its HashedFile and
 * FileByteWriter on the publishing thread.
 *
 * The release's row shape is not known here: the caller passes the columns (names, Parquet types,
 * nullability, encodings) as data, and batches of rows as their JSONL bytes (UTF-8, each line ending in
 * a newline; a transferred buffer, so it crosses threads without a copy) plus one array per column.
 * Writes are synchronous: on the worker thread they block nothing else, and they let each encode buffer
 * be reused at once instead of allocating (and page-faulting) a fresh one per chunk.
 */
import "server-only";
import { createHash } from "node:crypto";
import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { ByteWriter, ParquetWriter, schemaFromColumnData } from "hyparquet-writer";
import type { ReleaseFileEntry } from "@/lib/domain/release/card";
import { escapeCsvField, type FlatReleaseRow } from "@/lib/domain/release/csv";

interface SinkColumn {
  name: string;
  type: "STRING" | "BOOLEAN" | "INT32" | "DOUBLE";
  nullable: boolean;
  plain: boolean;
}

export interface ReleaseFileSinkConfig {
  dir: string;
  fileNames: { jsonl: string; csv: string; parquet: string };
  columns: SinkColumn[];
  csvHeaderLine: string;
  parquetRowGroupSize: number;
  parquetKeyValueMetadata: Array<{ key: string; value: string }>;
  parquetCreatedBy: string;
}

type TCell = FlatReleaseRow[keyof FlatReleaseRow];

/** Rows as their JSONL bytes (each line ending in a newline) plus one array of cells per column. */
export interface ReleaseFileBatch {
  jsonl: Uint8Array;
  columns: TCell[][];
  rows: number;
}

/** An append-only file hashed and counted as it is written, so its checksum is known when it closes. */
export class HashedFile {
  readonly name: string;
  private fd: number;
  private readonly hash = createHash("sha256");
  private bytes = 0;
  rows = 0;

  constructor(path: string) {
    this.name = path.slice(path.lastIndexOf("/") + 1);
    this.fd = openSync(path, "wx");
  }

  write(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    this.hash.update(bytes);
    this.bytes += bytes.byteLength;
    let offset = 0;
    while (offset < bytes.byteLength) offset += writeSync(this.fd, bytes, offset, bytes.byteLength - offset);
  }

  close(): ReleaseFileEntry {
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
    return { name: this.name, sha256: this.hash.digest("hex"), bytes: this.bytes, rows: this.rows };
  }

  discard(): void {
    if (this.fd < 0) return;
    try {
      closeSync(this.fd);
    } catch {
      // The directory is removed next; a close error changes nothing.
    }
    this.fd = -1;
  }
}

/**
 * Text appended to a HashedFile through one reused buffer of `size` bytes, written out when full: no
 * large string is ever built or flattened, and no buffer allocated per chunk.
 */
class BufferedTextWriter {
  private readonly buffer: Buffer;
  private used = 0;

  constructor(
    private readonly file: HashedFile,
    size = 1 << 20,
  ) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  write(text: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit; the exact length is measured only near the end.
    const fits = () => text.length * 3 <= this.buffer.length - this.used || Buffer.byteLength(text, "utf8") <= this.buffer.length - this.used;
    if (!fits()) {
      this.flush();
      if (!fits()) {
        this.file.write(Buffer.from(text, "utf8"));
        return;
      }
    }
    this.used += this.buffer.write(text, this.used, "utf8");
  }

  flush(): void {
    this.file.write(this.buffer.subarray(0, this.used));
    this.used = 0;
  }
}

/** hyparquet-writer's ByteWriter whose flush (when full, after each row group and at the end) writes to the file and empties it. */
export class FileByteWriter extends ByteWriter {
  constructor(private readonly file: HashedFile) {
    super(1 << 20);
  }

  /**
   * Writes out what is buffered before the buffer would grow, as hyparquet-writer's own file writer does:
   * the buffer stays at 1 MiB (or one data page, appended whole) instead of doubling to a whole row group and
   * staying that size (17 MB for the 5,000-row groups of preference.parquet). Every write appends, and the
   * writer only reads `offset`, so the bytes are the same.
   */
  override ensure(size: number): void {
    if (this.index > 0 && this.index + size > this.buffer.byteLength) this.flush();
    super.ensure(size);
  }

  flush(): void {
    this.file.write(new Uint8Array(this.buffer, 0, this.index));
    this.index = 0;
  }

  finish(): void {
    this.flush();
  }
}

export interface ReleaseFileSink {
  /** Appends a batch of rows to the three files. */
  writeBatch(batch: ReleaseFileBatch): void;
  /** Writes the Parquet footer, syncs and closes; entries in the order jsonl, csv, parquet. */
  finish(): ReleaseFileEntry[];
  /** Closes without finishing, after a failure; the caller removes the directory. */
  discard(): void;
}

/** Opens the three data files in `config.dir` (exclusively: an existing file is an error). */
export function openReleaseFileSink(config: ReleaseFileSinkConfig): ReleaseFileSink {
  const { columns, parquetRowGroupSize } = config;
  const opened: HashedFile[] = [];
  const open = (name: string) => {
    const file = new HashedFile(join(config.dir, name));
    opened.push(file);
    return file;
  };
  const discard = () => opened.forEach((file) => file.discard());
  try {
    const jsonl = open(config.fileNames.jsonl);
    const csv = open(config.fileNames.csv);
    const parquet = open(config.fileNames.parquet);
    const columnSpec = (column: SinkColumn, data: TCell[]) => ({
      name: column.name,
      data,
      type: column.type,
      nullable: column.nullable,
      ...(column.plain ? { encoding: "PLAIN" as const } : {}),
    });
    const parquetWriter = new ParquetWriter({
      writer: new FileByteWriter(parquet),
      schema: schemaFromColumnData({ columnData: columns.map((column) => columnSpec(column, [])) }),
      codec: "UNCOMPRESSED",
      statistics: false,
      kvMetadata: config.parquetKeyValueMetadata,
      createdBy: config.parquetCreatedBy,
    });
    let group: TCell[][] = columns.map(() => []);
    const flushRowGroup = () => {
      const size = group[0]?.length ?? 0;
      if (size === 0) return;
      const columnData = columns.map((column, index) => columnSpec(column, group[index] ?? []));
      group = columns.map(() => []);
      parquetWriter.write({ columnData, rowGroupSize: size });
    };
    const csvText = new BufferedTextWriter(csv);
    csvText.write(config.csvHeaderLine);

    return {
      writeBatch(batch) {
        jsonl.write(batch.jsonl);
        jsonl.rows += batch.rows;
        for (let row = 0; row < batch.rows; row++) {
          let record = escapeCsvField(batch.columns[0]?.[row] ?? null);
          for (let index = 1; index < columns.length; index++) record += "," + escapeCsvField(batch.columns[index]?.[row] ?? null);
          csvText.write(record + "\r\n");
        }
        csv.rows += batch.rows;
        for (let row = 0; row < batch.rows; row++) {
          for (let index = 0; index < columns.length; index++) group[index]?.push(batch.columns[index]?.[row] ?? null);
          if ((group[0]?.length ?? 0) >= parquetRowGroupSize) flushRowGroup();
        }
        parquet.rows += batch.rows;
      },
      finish() {
        csvText.flush();
        flushRowGroup();
        parquetWriter.finish();
        return [jsonl.close(), csv.close(), parquet.close()];
      },
      discard,
    };
  } catch (error) {
    discard();
    throw error;
  }
}
