import "server-only";
import { join } from "node:path";
import { ParquetWriter } from "hyparquet-writer";
import type { ReleaseFileEntry } from "@/lib/domain/release/card";
import { RELEASE_SCHEMA_VERSION, ZReleasedPersonaSchema, type TReleasedBattle, type TReleasedPersona } from "@/lib/domain/release/schema";
import { ktoRowsOf, preferenceRowOf, type TChatMessage, type TKtoRow, type TPreferenceRow } from "@/lib/domain/release/training";
import { FileByteWriter, HashedFile } from "./release-file-sink";

/**
 * The training views of a release (issue 20), in the formats Hugging Face TRL reads without remapping:
 * preference.jsonl and preference.parquet (conversational preference pairs: `prompt`, `chosen`,
 * `rejected` as message lists) and kto.parquet (unpaired: `prompt`, `completion`, `label`). Rows are
 * built from each released battle as it is written, so they carry exactly its scrubbed text; message
 * lists are Parquet LIST<STRUCT<role, content>>, which DuckDB, pandas and `datasets` read as lists of
 * {role, content}.
 */
const PREFERENCE_JSONL = "preference.jsonl";
const PREFERENCE_PARQUET = "preference.parquet";
const KTO_PARQUET = "kto.parquet";
const ROW_GROUP = 5000;

/** The persona's single-valued columns (the preference buckets go in one JSON column). */
const PERSONA_FIELDS = Object.keys(ZReleasedPersonaSchema.shape).filter((field): field is Exclude<keyof TReleasedPersona, "preferences"> => field !== "preferences");

type TSchemaElement = { name: string; type?: "BYTE_ARRAY" | "BOOLEAN"; converted_type?: "UTF8" | "LIST"; repetition_type: "REQUIRED" | "OPTIONAL" | "REPEATED"; num_children?: number };

const messagesSchema = (name: string): TSchemaElement[] => [
  { name, repetition_type: "REQUIRED", converted_type: "LIST", num_children: 1 },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  { name: "element", repetition_type: "REQUIRED", num_children: 2 },
  { name: "role", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
  { name: "content", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
];
const stringSchema = (name: string, nullable: boolean): TSchemaElement => ({ name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: nullable ? "OPTIONAL" : "REQUIRED" });
const stringListSchema = (name: string): TSchemaElement[] => [
  { name, repetition_type: "REQUIRED", converted_type: "LIST", num_children: 1 },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  { name: "element", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
];

interface TColumn<Row> {
  name: string;
  schema: TSchemaElement[];
  value: (row: Row) => unknown;
}

function sharedColumns<Row extends TPreferenceRow | TKtoRow>(): TColumn<Row>[] {
  return [
    { name: "battle_id", schema: [stringSchema("battle_id", false)], value: (row) => row.battle_id },
    { name: "annotator", schema: [stringSchema("annotator", false)], value: (row) => row.annotator },
    { name: "category", schema: stringListSchema("category"), value: (row) => row.category },
    { name: "language", schema: [stringSchema("language", true)], value: (row) => row.language },
    ...PERSONA_FIELDS.map((field): TColumn<Row> => ({ name: `persona_${field}`, schema: [stringSchema(`persona_${field}`, true)], value: (row) => row.persona[field] })),
    { name: "persona_preferences_json", schema: [stringSchema("persona_preferences_json", false)], value: (row) => JSON.stringify(row.persona.preferences) },
  ];
}

const messages = (name: string, pick: (row: TPreferenceRow) => TChatMessage[]): TColumn<TPreferenceRow> => ({ name, schema: messagesSchema(name), value: pick });

const PREFERENCE_COLUMNS: TColumn<TPreferenceRow>[] = [
  messages("prompt", (row) => row.prompt),
  messages("chosen", (row) => row.chosen),
  messages("rejected", (row) => row.rejected),
  { name: "chosen_model", schema: [stringSchema("chosen_model", false)], value: (row) => row.chosen_model },
  { name: "rejected_model", schema: [stringSchema("rejected_model", false)], value: (row) => row.rejected_model },
  ...sharedColumns<TPreferenceRow>(),
];

const KTO_COLUMNS: TColumn<TKtoRow>[] = [
  { name: "prompt", schema: messagesSchema("prompt"), value: (row) => row.prompt },
  { name: "completion", schema: messagesSchema("completion"), value: (row) => row.completion },
  { name: "label", schema: [{ name: "label", type: "BOOLEAN", repetition_type: "REQUIRED" }], value: (row) => row.label },
  { name: "model", schema: [stringSchema("model", false)], value: (row) => row.model },
  ...sharedColumns<TKtoRow>(),
];

/** One Parquet file written row group by row group. */
class ParquetRows<Row> {
  private readonly file: HashedFile;
  private readonly writer: ParquetWriter;
  private group: Row[] = [];

  constructor(path: string, private readonly columns: TColumn<Row>[]) {
    this.file = new HashedFile(path);
    const schema = [{ name: "root", num_children: columns.length }, ...columns.flatMap((column) => column.schema)];
    this.writer = new ParquetWriter({
      writer: new FileByteWriter(this.file),
      schema: schema as ConstructorParameters<typeof ParquetWriter>[0]["schema"],
      codec: "UNCOMPRESSED",
      statistics: false,
      kvMetadata: [{ key: "persona_arena.release_schema_version", value: RELEASE_SCHEMA_VERSION }],
      createdBy: "persona-arena release writer (hyparquet-writer)",
    });
  }

  push(row: Row): void {
    this.group.push(row);
    this.file.rows += 1;
    if (this.group.length >= ROW_GROUP) this.flush();
  }

  private flush(): void {
    if (this.group.length === 0) return;
    const rows = this.group;
    this.group = [];
    this.writer.write({ columnData: this.columns.map((column) => ({ name: column.name, data: rows.map(column.value) })), rowGroupSize: rows.length });
  }

  close(): ReleaseFileEntry {
    this.flush();
    this.writer.finish();
    return this.file.close();
  }

  discard(): void {
    this.file.discard();
  }
}

interface TTrainingCounts {
  preference: number;
  kto: number;
  /** Battles that made no pair: ties, both-bad, non-text, or sides shown different system prompts. */
  withoutPair: number;
  /** Text battles with a tie: no unpaired label either. */
  ties: number;
}

/** Writes the training files of one release directory as its battles are written. */
export function openTrainingFiles(dir: string) {
  const jsonl = new HashedFile(join(dir, PREFERENCE_JSONL));
  const opened: { discard(): void }[] = [jsonl];
  const preference = new ParquetRows(join(dir, PREFERENCE_PARQUET), PREFERENCE_COLUMNS);
  opened.push(preference);
  const kto = new ParquetRows(join(dir, KTO_PARQUET), KTO_COLUMNS);
  opened.push(kto);
  const encoder = new TextEncoder();
  const counts: TTrainingCounts = { preference: 0, kto: 0, withoutPair: 0, ties: 0 };
  return {
    counts,
    write(battle: TReleasedBattle): void {
      const pair = preferenceRowOf(battle);
      if (pair) {
        jsonl.write(encoder.encode(JSON.stringify(pair) + "\n"));
        jsonl.rows += 1;
        preference.push(pair);
        counts.preference += 1;
      } else counts.withoutPair += 1;
      if (battle.modality === "text" && battle.winner === "tie") counts.ties += 1;
      for (const row of ktoRowsOf(battle)) {
        kto.push(row);
        counts.kto += 1;
      }
    },
    /** Finishes the three files; entries in the order preference.jsonl, preference.parquet, kto.parquet. */
    close(): ReleaseFileEntry[] {
      return [jsonl.close(), preference.close(), kto.close()];
    },
    discard(): void {
      for (const file of opened) file.discard();
    },
  };
}
