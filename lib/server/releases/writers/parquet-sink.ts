import "server-only";
import { ByteWriter, ParquetWriter, schemaFromColumnData, type ColumnSource } from "hyparquet-writer";
import { CSV_HEADER, RELEASE_COLUMN_TYPES, type FlatReleaseRow, type ReleaseColumn } from "@/lib/domain/release/csv";
import { RELEASE_SCHEMA_VERSION } from "@/lib/domain/release/schema";
import type { HashingFile } from "./hashing-file";

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

const NON_NULL_COLUMNS = new Set<ReleaseColumn>([
  "battle_id",
  "modality",
  "date",
  "model_a",
  "model_b",
  "winner",
  "personalized",
  "annotator",
  "turn_count",
  "later_turns_json",
  "persona_preferences_json",
]);

function columnSpec(name: ReleaseColumn, data: unknown[]): ColumnSource {
  return {
    name,
    data,
    type: RELEASE_COLUMN_TYPES[name],
    nullable: !NON_NULL_COLUMNS.has(name),
    ...(PLAIN_COLUMNS.has(name) ? { encoding: "PLAIN" as const } : {}),
  };
}

/**
 * hyparquet-writer's ByteWriter whose flush (called by ParquetWriter after every row group and at the end)
 * hands the encoded bytes to the release file and empties the buffer, so memory holds one row group.
 */
class FileByteWriter extends ByteWriter {
  constructor(private readonly file: HashingFile) {
    super(1 << 20);
  }

  flush(): Promise<void> {
    const bytes = new Uint8Array(this.buffer, 0, this.index).slice();
    this.index = 0;
    return this.file.write(bytes);
  }

  override finish(): Promise<void> {
    return this.flush();
  }
}

/**
 * Streams flat release rows into a Parquet file, one row group per `rowGroupSize` rows. Columns use
 * plain types (UTF8 strings, BOOLEAN, INT32, DOUBLE), uncompressed (hyparquet-writer's JS Snappy cost more
 * time than the rest of the release; the text is mostly unique prose), readable by pyarrow, pandas, DuckDB
 * and hyparquet without options.
 */
export class ParquetSink {
  private columns: Record<ReleaseColumn, unknown[]>;
  private readonly writer: ParquetWriter;
  rows = 0;

  constructor(
    readonly file: HashingFile,
    private readonly rowGroupSize: number,
  ) {
    this.columns = ParquetSink.emptyColumns();
    const schema = schemaFromColumnData({ columnData: CSV_HEADER.map((name) => columnSpec(name, [])) });
    this.writer = new ParquetWriter({
      writer: new FileByteWriter(file),
      schema,
      codec: "UNCOMPRESSED",
      statistics: false,
      kvMetadata: [{ key: "persona_arena.release_schema_version", value: RELEASE_SCHEMA_VERSION }],
      createdBy: "persona-arena release writer (hyparquet-writer)",
    });
  }

  private static emptyColumns(): Record<ReleaseColumn, unknown[]> {
    return Object.fromEntries(CSV_HEADER.map((name) => [name, []])) as unknown as Record<ReleaseColumn, unknown[]>;
  }

  async append(row: FlatReleaseRow): Promise<void> {
    for (const name of CSV_HEADER) this.columns[name].push(row[name]);
    this.rows += 1;
    if (this.columns.battle_id.length >= this.rowGroupSize) await this.flushRowGroup();
  }

  private async flushRowGroup(): Promise<void> {
    const size = this.columns.battle_id.length;
    if (size === 0) return;
    const columnData = CSV_HEADER.map((name) => columnSpec(name, this.columns[name]));
    this.columns = ParquetSink.emptyColumns();
    await this.writer.write({ columnData, rowGroupSize: size });
  }

  async finish(): Promise<void> {
    await this.flushRowGroup();
    await this.writer.finish();
  }
}
