import { describe, expect, it } from "vitest";
import { createRandom, randomInt, type Random } from "@/lib/domain/random";
import { BattleDumpReader } from "@/lib/domain/rating/battle-dump";
import { jsonScanner, SCAN_JSONL_LINE } from "@/lib/domain/rating/json-scanner";
import { JSON_SCANNER_WASM_BASE64 } from "@/lib/domain/rating/json-scanner-wasm";
import { CONV_METADATA_FIELDS, styleCountsFromMetadata } from "@/lib/domain/rating/style-metadata";
import { OUTCOME_A_WINS, OUTCOME_B_WINS, OUTCOME_TIE } from "@/lib/domain/rating/types";
import { compileWat, WASM_MODULES } from "@/scripts/build-wasm";

const encode = (text: string) => new TextEncoder().encode(text);

/** What JSON.parse makes of one JSONL line, by the reader's documented rules. */
function reference(line: string): { kind: "invalid" } | { kind: "excluded" } | { kind: "battle"; a: string; b: string; outcome: number; tstamp: number | undefined } {
  let record: unknown;
  try {
    record = JSON.parse(new TextDecoder().decode(encode(line)));
  } catch {
    return { kind: "invalid" };
  }
  if (typeof record !== "object" || record === null || Array.isArray(record)) return { kind: "invalid" };
  const fields = record as Record<string, unknown>;
  const winners = ["model_a", "model_b", "tie", "tie (bothbad)", "both_bad"];
  const outcomes = [OUTCOME_A_WINS, OUTCOME_B_WINS, OUTCOME_TIE, OUTCOME_TIE, OUTCOME_TIE];
  const { model_a: a, model_b: b, winner, tstamp, anony } = fields;
  if (typeof a !== "string" || a === "" || typeof b !== "string" || b === "" || typeof winner !== "string") return { kind: "invalid" };
  if (!winners.includes(winner) || a === b) return { kind: "invalid" };
  if (tstamp !== undefined && tstamp !== null && (typeof tstamp !== "number" || !Number.isFinite(tstamp))) return { kind: "invalid" };
  if (anony !== undefined && typeof anony !== "boolean") return { kind: "invalid" };
  if (anony === false) return { kind: "excluded" };
  return { kind: "battle", a, b, outcome: outcomes[winners.indexOf(winner)], tstamp: typeof tstamp === "number" ? tstamp : undefined };
}

const BASE_RECORDS = [
  `{"question_id": "9e3779b1a", "model_a": "arena-model-012", "model_b": "arena-model-003", "winner": "model_a", "judge": "arena_user_7", "turn": 1, "anony": true, "language": "English", "tstamp": 1682000013.3712, "conv_metadata": {"sum_user_tokens": 523, "header_count_a": {"h1": 0, "h2": 1}, "list_count_a": {"ordered": 1, "unordered": 2}, "bold_count_a": {"**": 3, "__": 0}}, "is_code": false, "dedup_tag": {"high_freq": false, "sampled": true}}`,
  `{"model_a":"m1","model_b":"m2","winner":"tie (bothbad)","tstamp":null,"anony":false,"x":[1,-2.5e+3,0.125,[],{},[{"k":[null,true]}]]}`,
  ` { "winner" : "both_bad" ,\t"model_b" : "é-model" , "model_a" : "m\u00ff" , "tstamp" : -0 , "n" : 1E-7 , "s" : "ünï \u{1F600}" } `,
  `{"model_a": "a", "model_b": "b", "winner": "model_b", "model_a": "c", "tstamp": 5, "tstamp": 12345678901234567890, "anony": true}`,
  `{"conv_metadata": {"sum_assistant_a_tokens": 12, "sum_assistant_b_tokens": 7.5, "bold_count_b": {"**": 1}}, "model_a": "x", "model_b": "y", "winner": "tie", "conv_metadata": [3], "tstamp": 1e3}`,
  `{"model_a": "x", "model_b": "y", "winner": "model_a", "conv_metadata": "n/a", "extra": {"conv_metadata": {"sum_assistant_a_tokens": 1}}}`,
];

/** Bytes that matter to JSON's grammar, plus any byte. */
const ALPHABET = `{}[]:,"\\ \n\t\r0123456789-+.eEtrufalsn`;

function mutate(random: Random, text: string): string {
  let result = text;
  const edits = 1 + randomInt(random, 3);
  for (let edit = 0; edit < edits; edit++) {
    const at = randomInt(random, result.length + 1);
    const character = random() < 0.8 ? ALPHABET[randomInt(random, ALPHABET.length)] : String.fromCharCode(randomInt(random, 256));
    const kind = randomInt(random, 3);
    if (kind === 0) result = result.slice(0, at) + character + result.slice(at);
    else if (kind === 1) result = result.slice(0, at) + result.slice(at + 1);
    else result = result.slice(0, at) + character + result.slice(at + 1);
  }
  return result;
}

/** The battles a reader reads from these JSONL lines (skipping invalid ones), in file order, and its counts. */
function readLines(lines: string[], styleMetadata = false) {
  const reader = new BattleDumpReader({ skipInvalid: true, styleMetadata });
  // A first line that is a record, so that the input reads as JSONL whatever the mutated lines start with.
  const bytes = encode([BASE_RECORDS[0], ...lines].join("\n"));
  reader.consume(bytes, bytes.length, true);
  const log = reader.builder.part();
  const battles = Array.from({ length: log.length - 1 }, (_, j) => j + 1).map((k) => ({
    a: log.models[log.modelA[k]],
    b: log.models[log.modelB[k]],
    outcome: log.outcome[k],
    tstamp: log.timestamps ? log.timestamps[k] : undefined,
  }));
  const styles = reader.styles ? reader.styles.slice(CONV_METADATA_FIELDS.length, log.length * CONV_METADATA_FIELDS.length) : null;
  return { battles, stats: reader.stats, styles };
}

/** The style counts JSON.parse's reading gives the battles among these lines, in order. */
function referenceStyles(lines: string[]): Float32Array {
  const battles = lines.filter((line) => reference(line).kind === "battle");
  const styles = new Float32Array(battles.length * CONV_METADATA_FIELDS.length);
  battles.forEach((line, k) => styleCountsFromMetadata((JSON.parse(line) as Record<string, unknown>).conv_metadata, styles, k * CONV_METADATA_FIELDS.length));
  return styles;
}

describe("the record scanner (lib/domain/rating/json-scanner.wat)", () => {
  it("is checked in as the compilation of its source (npm run build:wasm)", async () => {
    const [{ source }] = WASM_MODULES;
    expect(Buffer.from(await compileWat(source)).toString("base64")).toBe(JSON_SCANNER_WASM_BASE64);
  });

  it("accepts well-formed records itself (the fast path), as JSONL lines and as array elements", () => {
    const scanner = jsonScanner();
    for (const record of BASE_RECORDS) {
      const bytes = encode(`${record}\n`);
      const area = scanner.inputArea(bytes.length);
      area.set(bytes);
      for (const flags of [SCAN_JSONL_LINE, 0]) {
        expect(scanner.scanRecord(area.byteOffset, area.byteOffset + bytes.length, flags) - area.byteOffset).toBe(encode(record.trimEnd()).length);
      }
    }
  });

  it("reads every mutated record as JSON.parse does: never accepts invalid JSON, same fields", () => {
    const random = createRandom(18);
    for (let batch = 0; batch < 20; batch++) {
      const lines = Array.from({ length: 500 }, () => mutate(random, BASE_RECORDS[randomInt(random, BASE_RECORDS.length)]).replace(/\n/g, " "));
      const expected = lines.map(reference);
      const { battles, stats } = readLines(lines);
      const expectedBattles = expected.filter((entry) => entry.kind === "battle").map(({ a, b, outcome, tstamp }) => ({ a, b, outcome, tstamp }));
      // Timestamps are kept only when every battle has one.
      const withTimestamps = expectedBattles.every((battle) => battle.tstamp !== undefined);
      expect(battles).toEqual(expectedBattles.map((battle) => ({ ...battle, tstamp: withTimestamps ? battle.tstamp : undefined })));
      expect(stats.excludedNonAnonymous).toBe(expected.filter((entry) => entry.kind === "excluded").length);
      expect(stats.skippedInvalid).toBe(expected.filter((entry) => entry.kind === "invalid").length - lines.filter((line) => line.trim() === "").length);
      // With style metadata: conv_metadata's value as JSON.parse reads it (the last one when repeated; only the top level's).
      expect(readLines(lines, true).styles).toEqual(referenceStyles(lines));
    }
  }, 60_000);

  it("fails a record that spans lines, and one with a newline inside a string in a JSON array", () => {
    const broken = `{"model_a": "a",\n"model_b": "b", "winner": "tie"}`;
    expect(readLines([broken]).stats.skippedInvalid).toBe(2);
    const reader = new BattleDumpReader({ skipInvalid: true });
    const array = encode(`[${broken}, {"model_a": "a\nb", "model_b": "b", "winner": "tie"}]`);
    reader.consume(array, array.length, true);
    expect(reader.stats).toMatchObject({ accepted: 1, skippedInvalid: 1 });
  });
});
