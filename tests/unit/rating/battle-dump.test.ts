import { describe, expect, it } from "vitest";
import { BattleDumpReader, BattleDumpSyntaxError, InvalidBattleRecordError } from "@/lib/domain/rating/battle-dump";
import { OUTCOME_A_WINS, OUTCOME_B_WINS, OUTCOME_TIE } from "@/lib/domain/rating/types";

const encode = (text: string) => new TextEncoder().encode(text);

/** Feeds the text in chunks of `chunkSize` bytes, carrying unconsumed bytes like the CLI does. */
function readDump(text: string, options: { skipInvalid?: boolean; chunkSize?: number } = {}) {
  const reader = new BattleDumpReader({ skipInvalid: options.skipInvalid });
  const bytes = encode(text);
  const chunkSize = options.chunkSize ?? bytes.length + 1;
  let pending = new Uint8Array(0);
  for (let offset = 0; ; offset += chunkSize) {
    const chunk = bytes.subarray(offset, offset + chunkSize);
    const buffer = new Uint8Array(pending.length + chunk.length);
    buffer.set(pending);
    buffer.set(chunk, pending.length);
    const final = offset + chunkSize >= bytes.length;
    const consumed = reader.consume(buffer, buffer.length, final);
    pending = buffer.slice(consumed);
    if (final) break;
  }
  return { log: reader.builder.buildInTimeOrder(), stats: reader.stats };
}

const line = (fields: Record<string, unknown>) => JSON.stringify(fields);
const JSONL = [
  line({ model_a: "m1", model_b: "m2", winner: "model_a", tstamp: 3 }),
  line({ model_a: "m2", model_b: "m3", winner: "tie (bothbad)", tstamp: 1, judge: "x", conv: [{ a: [1, 2] }] }),
  line({ model_a: "m3", model_b: "m1", winner: "model_b", tstamp: 2.5 }),
].join("\n");

describe("BattleDumpReader", () => {
  it("reads JSONL records and orders them by tstamp", () => {
    const { log } = readDump(JSONL);
    expect(log.models).toEqual(["m1", "m2", "m3"]);
    expect(Array.from(log.outcome)).toEqual([OUTCOME_TIE, OUTCOME_B_WINS, OUTCOME_A_WINS]);
    expect(Array.from(log.modelA)).toEqual([1, 2, 0]);
  });

  it("gives the same result whatever the chunk boundaries", () => {
    const whole = readDump(JSONL);
    for (const chunkSize of [1, 7, 64]) expect(readDump(JSONL, { chunkSize }).log).toEqual(whole.log);
  });

  it("reads a pretty-printed JSON array", () => {
    const text = JSON.stringify(
      [
        { model_a: "a", model_b: "b", winner: "model_b", anony: true, tstamp: 1 },
        { model_a: "b", model_b: "c", winner: "tie", anony: true, tstamp: 2 },
      ],
      null,
      2,
    );
    const { log } = readDump(text, { chunkSize: 5 });
    expect(log.length).toBe(2);
    expect(Array.from(log.outcome)).toEqual([OUTCOME_B_WINS, OUTCOME_TIE]);
  });

  it("reads an empty JSON array", () => {
    expect(readDump("  [ ]\n").log.length).toBe(0);
  });

  it("excludes non-anonymous battles and counts them", () => {
    const { log, stats } = readDump(
      [line({ model_a: "a", model_b: "b", winner: "model_a", anony: false }), line({ model_a: "a", model_b: "b", winner: "tie", anony: true })].join("\n"),
    );
    expect(log.length).toBe(1);
    expect(stats.excludedNonAnonymous).toBe(1);
  });

  it("keeps file order when a tstamp is missing", () => {
    const { log } = readDump(
      [line({ model_a: "a", model_b: "b", winner: "model_a", tstamp: 9 }), line({ model_a: "b", model_b: "a", winner: "model_a" })].join("\n"),
    );
    expect(Array.from(log.modelA)).toEqual([0, 1]);
  });

  it("accepts both_bad and a null tstamp", () => {
    const { log } = readDump(line({ model_a: "a", model_b: "b", winner: "both_bad", tstamp: null }));
    expect(Array.from(log.outcome)).toEqual([OUTCOME_TIE]);
  });

  it("decodes escaped names through JSON.parse to the same model as plain ones", () => {
    const { log } = readDump(['{"model_a": "caf\\u00e9", "model_b": "b", "winner": "model_a"}', line({ model_a: "café", model_b: "b", winner: "tie" })].join("\n"));
    expect(log.models).toEqual(["café", "b"]);
    expect(Array.from(log.modelA)).toEqual([0, 0]);
  });

  it("ignores blank lines, CRLF endings and a byte order mark", () => {
    const { log } = readDump(`\ufeff${line({ model_a: "a", model_b: "b", winner: "model_a" })}\r\n\r\n${line({ model_a: "a", model_b: "b", winner: "model_b" })}\r\n`);
    expect(log.length).toBe(2);
  });

  it.each([
    ["bad JSON", '{"model_a": "a", "model_b": "b", "winner": "model_a"', /line 2: not valid JSON/],
    ["a missing field", line({ model_a: "a", winner: "model_a" }), /line 2: missing field "model_b"/],
    ["an unknown winner", line({ model_a: "a", model_b: "b", winner: "draw" }), /line 2: winner "draw" is not one of/],
    ["identical models", line({ model_a: "a", model_b: "a", winner: "tie" }), /line 2: model_a and model_b are both "a"/],
    ["a string tstamp", line({ model_a: "a", model_b: "b", winner: "tie", tstamp: "noon" }), /line 2: "tstamp" must be a number/],
    ["a non-object", "[1, 2]", /line 2: not a JSON object/],
    ["a raw control character", '{"model_a": "a", "model_b": "b", "winner": "tie", "x": "\t"}', /line 2: not valid JSON/],
    ["trailing garbage", `${line({ model_a: "a", model_b: "b", winner: "tie" })} x`, /line 2: not valid JSON/],
  ])("rejects %s naming the line", (_, bad, message) => {
    const text = [line({ model_a: "a", model_b: "b", winner: "tie" }), bad].join("\n");
    expect(() => readDump(text)).toThrow(InvalidBattleRecordError);
    expect(() => readDump(text)).toThrow(message);
  });

  it("names the element index in a JSON array", () => {
    const text = JSON.stringify([{ model_a: "a", model_b: "b", winner: "tie" }, { model_a: "a", model_b: "b", winner: "?" }]);
    expect(() => readDump(text)).toThrow(/element 1: winner "\?"/);
  });

  it("skips invalid records with skipInvalid and counts them", () => {
    const text = [line({ model_a: "a", model_b: "b", winner: "tie" }), "oops", line({ model_a: "a", model_b: "a", winner: "tie" })].join("\n");
    const { log, stats } = readDump(text, { skipInvalid: true });
    expect(log.length).toBe(1);
    expect(stats.skippedInvalid).toBe(2);
    expect(stats.skipReasons[0]).toMatch(/^line 2:/);
  });

  it("fails on a broken array structure even with skipInvalid", () => {
    const text = '[{"model_a": "a", "model_b": "b", "winner": "tie"} {"model_a": "a", "model_b": "b", "winner": "tie"}]';
    expect(() => readDump(text, { skipInvalid: true })).toThrow(BattleDumpSyntaxError);
  });

  it("fails on an unclosed array", () => {
    expect(() => readDump('[{"model_a": "a", "model_b": "b", "winner": "tie"},')).toThrow(BattleDumpSyntaxError);
  });

  it("parses timestamps exactly like JSON.parse", () => {
    const stamps = [1707700514.3167, 0.1, 1e3, -2.5, 12345678901234567000, 1.7e9];
    const text = stamps.map((tstamp, k) => line({ model_a: `a${k}`, model_b: "b", winner: "tie", tstamp })).join("\n");
    const { log } = readDump(text);
    const sortedNames = [...stamps.keys()].sort((x, y) => stamps[x] - stamps[y]).map((k) => `a${k}`);
    expect(Array.from(log.modelA, (i) => log.models[i])).toEqual(sortedNames);
  });
});
