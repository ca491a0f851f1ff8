/**
 * The byte-producing half of the release writer: CSV records, Parquet row groups, SHA-256 and file writes
 * for battles.jsonl, battles.csv and battles.parquet. Plain JavaScript importing only Node built-ins and
 * hyparquet-writer, so that release-file-worker.mjs can run it on a second core under tsx, vitest and the
 * Next.js server alike (none of them needs to compile it). For the same reason it cannot import
 * "server-only" (whose plain-Node export throws); it is reachable only from lib/server/releases.
 *
 * The release's row shape is not known here: the caller passes the columns (names, Parquet types,
 * nullability, encodings) as data, and batches of rows as their JSONL bytes (UTF-8, each line ending in
 * a newline; a transferred buffer, so it crosses threads without a copy) plus one array per column.
 * Writes are synchronous: on the worker thread they block nothing else, and they let each encode buffer
 * be reused at once instead of allocating (and page-faulting) a fresh one per chunk.
 */
import { createHash } from "node:crypto";
import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { ByteWriter, ParquetWriter, schemaFromColumnData } from "hyparquet-writer";

/**
 * @typedef {{ name: string, type: "STRING" | "BOOLEAN" | "INT32" | "DOUBLE", nullable: boolean, plain: boolean }} SinkColumn
 * @typedef {{
 *   dir: string,
 *   fileNames: { jsonl: string, csv: string, parquet: string },
 *   columns: SinkColumn[],
 *   csvHeaderLine: string,
 *   parquetRowGroupSize: number,
 *   parquetKeyValueMetadata: Array<{ key: string, value: string }>,
 *   parquetCreatedBy: string,
 * }} ReleaseFileSinkConfig
 * @typedef {{ jsonl: Uint8Array, columns: unknown[][], rows: number }} ReleaseFileBatch
 * @typedef {{ name: string, sha256: string, bytes: number, rows: number }} SinkFileEntry
 */

/** An append-only file hashed and counted as it is written, so its checksum is known when it closes. */
export class HashedFile {
  /** @param {string} path */
  constructor(path) {
    this.name = path.slice(path.lastIndexOf("/") + 1);
    this.fd = openSync(path, "wx");
    this.hash = createHash("sha256");
    this.bytes = 0;
    this.rows = 0;
  }

  /** @param {Uint8Array} bytes */
  write(bytes) {
    if (bytes.byteLength === 0) return;
    this.hash.update(bytes);
    this.bytes += bytes.byteLength;
    let offset = 0;
    while (offset < bytes.byteLength) offset += writeSync(this.fd, bytes, offset, bytes.byteLength - offset);
  }

  /** @returns {SinkFileEntry} */
  close() {
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
    return { name: this.name, sha256: this.hash.digest("hex"), bytes: this.bytes, rows: this.rows };
  }

  discard() {
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
  /** @param {HashedFile} file */
  constructor(file, size = 1 << 20) {
    this.file = file;
    this.buffer = Buffer.allocUnsafe(size);
    this.used = 0;
  }

  /** @param {string} text */
  write(text) {
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

  flush() {
    this.file.write(this.buffer.subarray(0, this.used));
    this.used = 0;
  }
}

const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;

/**
 * RFC 4180 field, as escapeCsvField in lib/domain/release/csv.ts (a test compares the two): null is the
 * bare empty field, the empty string `""`, and a value with a comma, quote, CR or LF is quoted.
 * @param {unknown} value
 */
function csvField(value) {
  if (value === null || value === undefined) return "";
  const text = String(value);
  if (text.length === 0) return '""';
  return NEEDS_QUOTES.test(text) ? `"${text.replace(QUOTE, '""')}"` : text;
}

/** hyparquet-writer's ByteWriter whose flush (after each row group and at the end) writes to the file and empties it. */
export class FileByteWriter extends ByteWriter {
  /** @param {HashedFile} file */
  constructor(file) {
    super(1 << 20);
    this.file = file;
  }

  flush() {
    this.file.write(new Uint8Array(this.buffer, 0, this.index));
    this.index = 0;
  }

  finish() {
    this.flush();
  }
}

/**
 * Opens the three data files in `config.dir` (exclusively: an existing file is an error).
 * @param {ReleaseFileSinkConfig} config
 */
export function openReleaseFileSink(config) {
  const { columns, parquetRowGroupSize } = config;
  /** @type {HashedFile[]} */
  const opened = [];
  const open = (/** @type {string} */ name) => {
    const file = new HashedFile(join(config.dir, name));
    opened.push(file);
    return file;
  };
  const discard = () => opened.forEach((file) => file.discard());
  try {
    const jsonl = open(config.fileNames.jsonl);
    const csv = open(config.fileNames.csv);
    const parquet = open(config.fileNames.parquet);
    const columnSpec = (/** @type {SinkColumn} */ column, /** @type {unknown[]} */ data) => ({
      name: column.name,
      data,
      type: column.type,
      nullable: column.nullable,
      ...(column.plain ? { encoding: /** @type {const} */ ("PLAIN") } : {}),
    });
    const parquetWriter = new ParquetWriter({
      writer: new FileByteWriter(parquet),
      schema: schemaFromColumnData({ columnData: columns.map((column) => columnSpec(column, [])) }),
      codec: "UNCOMPRESSED",
      statistics: false,
      kvMetadata: config.parquetKeyValueMetadata,
      createdBy: config.parquetCreatedBy,
    });
    /** @type {unknown[][]} */
    let group = columns.map(() => []);
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
      /** Appends a batch of rows to the three files. @param {ReleaseFileBatch} batch */
      writeBatch(batch) {
        jsonl.write(batch.jsonl);
        jsonl.rows += batch.rows;
        for (let row = 0; row < batch.rows; row++) {
          let record = csvField(batch.columns[0]?.[row] ?? null);
          for (let index = 1; index < columns.length; index++) record += "," + csvField(batch.columns[index]?.[row] ?? null);
          csvText.write(record + "\r\n");
        }
        csv.rows += batch.rows;
        for (let row = 0; row < batch.rows; row++) {
          for (let index = 0; index < columns.length; index++) group[index]?.push(batch.columns[index]?.[row] ?? null);
          if ((group[0]?.length ?? 0) >= parquetRowGroupSize) flushRowGroup();
        }
        parquet.rows += batch.rows;
      },
      /** Writes the Parquet footer, syncs and closes; entries in the order jsonl, csv, parquet. @returns {SinkFileEntry[]} */
      finish() {
        csvText.flush();
        flushRowGroup();
        parquetWriter.finish();
        return [jsonl.close(), csv.close(), parquet.close()];
      },
      /** Closes without finishing, after a failure; the caller removes the directory. */
      discard,
    };
  } catch (error) {
    discard();
    throw error;
  }
}
