import type { TReleasedBattle, TReleasedMedia, TReleasedTurn } from "./schema";

/**
 * Flat CSV columns of a released battle: the first turn as plain columns (most battles have one turn),
 * the first turn's media as JSON (null without media), the turns after it as JSON (`[]` for a one-turn
 * battle, so no text is written twice), persona fields as columns. Parquet uses the same columns (RELEASE_COLUMNS).
 * The FastChat `conversation_a` / `conversation_b` lists are only in battles.jsonl: in flat files they
 * would repeat every prompt and answer a third time, and they follow from `turns_json`
 * (see conversationForSide, and turnsOfFlatRow for the turns back from a flat row).
 */
/** The flat columns in file order: each one's type (CSV header, Parquet schema, data card) and whether it may be null. */
export const RELEASE_COLUMNS = {
  battle_id: { type: "STRING", nullable: false },
  modality: { type: "STRING", nullable: false },
  date: { type: "STRING", nullable: false },
  model_a: { type: "STRING", nullable: false },
  model_b: { type: "STRING", nullable: false },
  winner: { type: "STRING", nullable: false },
  personalized_a: { type: "BOOLEAN", nullable: false },
  personalized_b: { type: "BOOLEAN", nullable: false },
  category: { type: "STRING", nullable: false },
  language: { type: "STRING", nullable: true },
  prompt_hash: { type: "STRING", nullable: true },
  system_prompt_a: { type: "STRING", nullable: true },
  system_prompt_b: { type: "STRING", nullable: true },
  annotator: { type: "STRING", nullable: false },
  turn_count: { type: "INT32", nullable: false },
  prompt: { type: "STRING", nullable: true },
  answer_a: { type: "STRING", nullable: true },
  answer_b: { type: "STRING", nullable: true },
  media_a_json: { type: "STRING", nullable: true },
  media_b_json: { type: "STRING", nullable: true },
  later_turns_json: { type: "STRING", nullable: false },
  feedback_general: { type: "STRING", nullable: true },
  feedback_a: { type: "STRING", nullable: true },
  feedback_b: { type: "STRING", nullable: true },
  listening_seconds_a: { type: "DOUBLE", nullable: true },
  listening_seconds_b: { type: "DOUBLE", nullable: true },
  persona_age_band: { type: "STRING", nullable: true },
  persona_gender: { type: "STRING", nullable: true },
  persona_language_count: { type: "STRING", nullable: true },
  persona_ai_usage_frequency: { type: "STRING", nullable: true },
  persona_response_style: { type: "STRING", nullable: true },
  persona_preferences_json: { type: "STRING", nullable: false },
} as const satisfies Record<string, { type: "STRING" | "BOOLEAN" | "INT32" | "DOUBLE"; nullable: boolean }>;

export type ReleaseColumn = keyof typeof RELEASE_COLUMNS;
export type FlatReleaseRow = Record<ReleaseColumn, string | number | boolean | null>;

/** The column names in file order. */
export const CSV_HEADER = Object.keys(RELEASE_COLUMNS) as ReleaseColumn[];

/** Flattens a released battle into the CSV/Parquet columns; absent values become null. */
export function toFlatRow(row: TReleasedBattle): FlatReleaseRow {
  const firstTurn = row.turns[0];
  const { persona } = row;
  return {
    battle_id: row.battle_id,
    modality: row.modality,
    date: row.date,
    model_a: row.model_a,
    model_b: row.model_b,
    winner: row.winner,
    personalized_a: row.personalized_a,
    personalized_b: row.personalized_b,
    category: row.category.join(","),
    language: row.language,
    prompt_hash: row.prompt_hash,
    system_prompt_a: row.system_prompt_a,
    system_prompt_b: row.system_prompt_b,
    annotator: row.annotator,
    turn_count: row.turns.length,
    prompt: firstTurn?.prompt ?? null,
    answer_a: firstTurn?.answer_a ?? null,
    answer_b: firstTurn?.answer_b ?? null,
    media_a_json: firstTurn?.media_a ? JSON.stringify(firstTurn.media_a) : null,
    media_b_json: firstTurn?.media_b ? JSON.stringify(firstTurn.media_b) : null,
    later_turns_json: row.turns.length > 1 ? JSON.stringify(row.turns.slice(1)) : "[]",
    feedback_general: row.feedback.general ?? null,
    feedback_a: row.feedback.a ?? null,
    feedback_b: row.feedback.b ?? null,
    listening_seconds_a: row.listening?.seconds_a ?? null,
    listening_seconds_b: row.listening?.seconds_b ?? null,
    persona_age_band: persona.age_band,
    persona_gender: persona.gender,
    persona_language_count: persona.language_count,
    persona_ai_usage_frequency: persona.ai_usage_frequency,
    persona_response_style: persona.response_style,
    persona_preferences_json: JSON.stringify(persona.preferences),
  };
}

/** Every turn of a flat row, as in the nested form: the first-turn columns followed by later_turns_json. */
export function turnsOfFlatRow(
  flat: Pick<FlatReleaseRow, "turn_count" | "prompt" | "answer_a" | "answer_b" | "media_a_json" | "media_b_json" | "later_turns_json">,
): TReleasedTurn[] {
  if (flat.turn_count === 0 || flat.prompt === null) return [];
  const first: TReleasedTurn = { prompt: String(flat.prompt), answer_a: String(flat.answer_a ?? ""), answer_b: String(flat.answer_b ?? "") };
  if (flat.media_a_json !== null) first.media_a = JSON.parse(String(flat.media_a_json)) as TReleasedMedia;
  if (flat.media_b_json !== null) first.media_b = JSON.parse(String(flat.media_b_json)) as TReleasedMedia;
  return [first, ...(JSON.parse(String(flat.later_turns_json)) as TReleasedTurn[])];
}

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * RFC 4180 field: quoted (with doubled quotes) when it holds a comma, quote, CR or LF. null is the bare
 * empty field and the empty string is `""`, so the two stay distinguishable.
 */
export function escapeCsvField(value: string | number | boolean | null): string {
  if (value === null) return "";
  const text = String(value);
  if (text.length === 0) return '""';
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record of a flattened row, terminated by CRLF as RFC 4180 asks. */
function csvRecord(flat: FlatReleaseRow): string {
  return CSV_HEADER.map((column) => escapeCsvField(flat[column])).join(",") + "\r\n";
}

/** One CSV record for the header CSV_HEADER_LINE. */
export function toCsvRow(row: TReleasedBattle): string {
  return csvRecord(toFlatRow(row));
}

export const CSV_HEADER_LINE = CSV_HEADER.join(",") + "\r\n";
