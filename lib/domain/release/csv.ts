import type { TReleasedBattle, TReleasedMedia, TReleasedTurn } from "./schema";

/**
 * Flat CSV columns of a released battle: the first turn as plain columns (most battles have one turn),
 * the first turn's media as JSON (null without media), the turns after it as JSON (`[]` for a one-turn
 * battle, so no text is written twice), persona fields as columns. Parquet uses the same columns (see RELEASE_COLUMN_TYPES).
 * The FastChat `conversation_a` / `conversation_b` lists are only in battles.jsonl: in flat files they
 * would repeat every prompt and answer a third time, and they follow from `turns_json`
 * (see conversationForSide, and turnsOfFlatRow for the turns back from a flat row).
 */
export const CSV_HEADER = [
  "battle_id",
  "modality",
  "date",
  "model_a",
  "model_b",
  "winner",
  "personalized_a",
  "personalized_b",
  "category",
  "language",
  "prompt_hash",
  "system_prompt_a",
  "system_prompt_b",
  "annotator",
  "turn_count",
  "prompt",
  "answer_a",
  "answer_b",
  "media_a_json",
  "media_b_json",
  "later_turns_json",
  "feedback_general",
  "feedback_a",
  "feedback_b",
  "listening_seconds_a",
  "listening_seconds_b",
  "persona_age_band",
  "persona_gender",
  "persona_language_count",
  "persona_ai_usage_frequency",
  "persona_response_style",
  "persona_preferences_json",
] as const;

export type ReleaseColumn = (typeof CSV_HEADER)[number];
export type FlatReleaseRow = Record<ReleaseColumn, string | number | boolean | null>;

/** Column types shared by the CSV header and the Parquet schema. */
export const RELEASE_COLUMN_TYPES: Record<ReleaseColumn, "STRING" | "BOOLEAN" | "INT32" | "DOUBLE"> = {
  battle_id: "STRING",
  modality: "STRING",
  date: "STRING",
  model_a: "STRING",
  model_b: "STRING",
  winner: "STRING",
  personalized_a: "BOOLEAN",
  personalized_b: "BOOLEAN",
  category: "STRING",
  language: "STRING",
  prompt_hash: "STRING",
  system_prompt_a: "STRING",
  system_prompt_b: "STRING",
  annotator: "STRING",
  turn_count: "INT32",
  prompt: "STRING",
  answer_a: "STRING",
  answer_b: "STRING",
  media_a_json: "STRING",
  media_b_json: "STRING",
  later_turns_json: "STRING",
  feedback_general: "STRING",
  feedback_a: "STRING",
  feedback_b: "STRING",
  listening_seconds_a: "DOUBLE",
  listening_seconds_b: "DOUBLE",
  persona_age_band: "STRING",
  persona_gender: "STRING",
  persona_language_count: "STRING",
  persona_ai_usage_frequency: "STRING",
  persona_response_style: "STRING",
  persona_preferences_json: "STRING",
};

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
