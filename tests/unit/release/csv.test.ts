import { describe, expect, it } from "vitest";
import { CSV_HEADER, CSV_HEADER_LINE, escapeCsvField, toCsvRow, toFlatRow, turnsOfFlatRow } from "@/lib/domain/release/csv";
import type { TReleasedBattle } from "@/lib/domain/release/schema";
import { releasedBattle } from "./released-battle";

const TURNS = [
  { prompt: "Hi, there", answer_a: 'He said "yes"', answer_b: "line1\nline2" },
  { prompt: "again", answer_a: "a2", answer_b: "b2" },
];

const battle = (overrides: Partial<TReleasedBattle> = {}): TReleasedBattle => releasedBattle(TURNS, { feedback: { general: "" }, ...overrides });

describe("escapeCsvField", () => {
  it.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["cr\r", '"cr\r"'],
    ["", '""'],
    [null, ""],
    [true, "true"],
    [12.5, "12.5"],
  ] as const)("escapes %j as %j", (value, expected) => {
    expect(escapeCsvField(value)).toBe(expected);
  });
});

describe("toFlatRow", () => {
  it("puts the first turn into plain columns", () => {
    const flat = toFlatRow(battle());
    expect([flat.prompt, flat.answer_a, flat.answer_b]).toEqual(["Hi, there", 'He said "yes"', "line1\nline2"]);
  });

  it("keeps the turns after the first in later_turns_json", () => {
    const flat = toFlatRow(battle());
    expect(flat.turn_count).toBe(2);
    expect(JSON.parse(flat.later_turns_json as string)).toEqual(battle().turns.slice(1));
  });

  it("writes an empty later_turns_json for a one-turn battle, so no text appears twice", () => {
    const oneTurn = { ...battle(), turns: battle().turns.slice(0, 1) };
    expect(toFlatRow(oneTurn).later_turns_json).toBe("[]");
  });

  it("gives every turn back from a flat row", () => {
    expect(turnsOfFlatRow(toFlatRow(battle()))).toEqual(battle().turns);
  });

  it("keeps the first turn's media as JSON and null without media", () => {
    const media = { sha256: "a".repeat(64), mime: "image/png", file: `media/${"a".repeat(64)}.png` };
    const [first, ...rest] = battle().turns;
    const flat = toFlatRow({ ...battle(), turns: [{ ...first!, media_a: media }, ...rest] });
    expect(JSON.parse(flat.media_a_json as string)).toEqual(media);
    expect(flat.media_b_json).toBeNull();
    expect(turnsOfFlatRow(flat)[0]!.media_a).toEqual(media);
  });

  it("flattens persona fields into columns and preferences into JSON", () => {
    const flat = toFlatRow(battle());
    expect(flat.persona_age_band).toBe("25-34");
    expect(flat.persona_language_count).toBe("2");
    expect(Object.keys(flat).filter((column) => /country|languages|education|occupation|expertise/.test(column))).toEqual([]);
    expect(flat.persona_gender).toBeNull();
    expect(JSON.parse(flat.persona_preferences_json as string)).toEqual({ factuality: "80-100" });
  });

  it("writes missing feedback and listening times as null", () => {
    const flat = toFlatRow(battle());
    expect([flat.feedback_a, flat.listening_seconds_a]).toEqual([null, null]);
    expect(flat.feedback_general).toBe("");
  });

  it("carries listening seconds of audio battles", () => {
    const flat = toFlatRow(battle({ modality: "audio", listening: { seconds_a: 7.5 } }));
    expect([flat.listening_seconds_a, flat.listening_seconds_b]).toEqual([7.5, null]);
  });

  it("has a value for every header column", () => {
    expect(Object.keys(toFlatRow(battle())).sort()).toEqual([...CSV_HEADER].sort());
  });
});

describe("toCsvRow", () => {
  it("ends each record with CRLF", () => {
    expect(toCsvRow(battle()).endsWith("\r\n")).toBe(true);
    expect(CSV_HEADER_LINE).toBe(CSV_HEADER.join(",") + "\r\n");
  });

  it("quotes fields with commas, quotes and newlines", () => {
    const row = toCsvRow(battle());
    expect(row).toContain('"Hi, there"');
    expect(row).toContain('"He said ""yes"""');
    expect(row).toContain('"line1\nline2"');
  });

  it("starts with the battle id and metadata in header order", () => {
    expect(toCsvRow(battle()).startsWith("b1,text,2025-03-04,m-a,m-b,tie,true,true,\"\",en,0123456789abcdef,,,annotator_0123456789abcdef,2,")).toBe(true);
  });
});
