import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createRandom, randomInt } from "@/lib/domain/random";
import { BattleDumpReader, InvalidBattleRecordError } from "@/lib/domain/rating/battle-dump";
import { feedBattleDump, jsonlCutPoint, jsonlPartBounds, readUntakenParts } from "@/scripts/ratings/battle-dump-file";

const directory = mkdtempSync(join(tmpdir(), "battle-dump-file-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** FastChat-shaped JSONL; models first seen late, a non-anonymous battle and nested fields in both halves. */
function dumpLines(count: number, seed: number): string[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, (_, k) => {
    const a = randomInt(random, 3 + Math.floor(k / 40));
    const b = (a + 1 + randomInt(random, 2)) % (4 + Math.floor(k / 40));
    const side = (key: string) => ({ [`sum_assistant_${key}_tokens`]: k % 50, [`header_count_${key}`]: { h1: k % 3 }, [`list_count_${key}`]: { ordered: 1 }, [`bold_count_${key}`]: { "**": k % 2 } });
    return JSON.stringify({
      question_id: `q${k}`,
      model_a: `m${a}`,
      model_b: `m${b === a ? a + 1 : b}`,
      winner: ["model_a", "model_b", "tie", "tie (bothbad)"][randomInt(random, 4)],
      anony: k % 97 !== 5,
      tstamp: 1000 + k + random(),
      conv_metadata: { ...side("a"), ...side("b") },
      dedup_tag: { high_freq: false, sampled: [true, { deep: [1, 2.5e3, null] }] },
    });
  });
}

function write(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

function readWhole(path: string) {
  const reader = new BattleDumpReader({ styleMetadata: true });
  const fd = openSync(path, "r");
  feedBattleDump(reader, fd, null);
  closeSync(fd);
  return reader;
}

/** The CLI's two-thread read, on one thread: first part, then the rest read by a second reader and appended. */
function readInTwoParts(path: string, size: number) {
  const fd = openSync(path, "r");
  const cut = jsonlCutPoint(fd, size);
  const first = new BattleDumpReader({ styleMetadata: true });
  const second = new BattleDumpReader({ styleMetadata: true });
  const readTo = feedBattleDump(first, fd, { start: 0, end: cut, final: false });
  feedBattleDump(second, fd, { start: cut, end: size, final: true });
  closeSync(fd);
  first.append(second.part());
  return { cut, readTo, reader: first };
}

describe("reading a battle dump in two parts", () => {
  it("gives exactly the sequential result: battles, model order, timestamps, styles and counts", () => {
    const text = `${dumpLines(400, 3).join("\n")}\n`;
    const path = write("dump.jsonl", text);
    const whole = readWhole(path);
    const { cut, readTo, reader } = readInTwoParts(path, text.length);
    expect(cut).toBeGreaterThan(text.length / 2 - 1);
    expect(cut).toBeLessThan(text.length);
    expect(text[cut - 1]).toBe("\n");
    expect(readTo).toBe(cut);
    expect(reader.builder.build().models.length).toBeGreaterThan(10);
    expect(reader.builder.buildInTimeOrder()).toEqual(whole.builder.buildInTimeOrder());
    expect(reader.builder.part().timestamps).toEqual(whole.builder.part().timestamps);
    expect(reader.styles!.subarray(0, reader.stats.accepted * 8)).toEqual(whole.styles!.subarray(0, whole.stats.accepted * 8));
    expect(reader.stats).toEqual(whole.stats);
    expect(whole.stats.excludedNonAnonymous).toBeGreaterThan(1);
  });

  it("reads parts taken from a shared counter, appended in file order, as one sequential read", () => {
    const text = `${dumpLines(600, 6).join("\n")}\n`;
    const path = write("parts.jsonl", text);
    const fd = openSync(path, "r");
    const bounds = jsonlPartBounds(fd, text.length, 4096)!;
    expect(bounds.length).toBeGreaterThan(10);
    for (let k = 1; k < bounds.length - 1; k++) expect(text[bounds[k] - 1]).toBe("\n");
    const untaken = { bounds, next: new Int32Array(new SharedArrayBuffer(4)).fill(1), options: { styleMetadata: true } };
    const reader = new BattleDumpReader({ styleMetadata: true });
    expect(feedBattleDump(reader, fd, { start: 0, end: bounds[1], final: false })).toBe(bounds[1]);
    // Two "threads" in turn: the second finds every part taken.
    const taken = readUntakenParts(fd, untaken);
    const rest = readUntakenParts(fd, untaken);
    closeSync(fd);
    expect(taken.map(({ index }) => index)).toEqual(Array.from({ length: bounds.length - 2 }, (_, k) => k + 1));
    expect(rest).toEqual([]);
    for (const { part } of [...taken, ...rest].sort((x, y) => x.index - y.index)) reader.append(part);
    const whole = readWhole(path);
    expect(reader.builder.buildInTimeOrder()).toEqual(whole.builder.buildInTimeOrder());
    expect(reader.styles!.subarray(0, reader.stats.accepted * 8)).toEqual(whole.styles!.subarray(0, whole.stats.accepted * 8));
    expect(reader.stats).toEqual(whole.stats);
  });

  it("leaves out a part that fails, and line numbers after appended parts count from the file's start", () => {
    const lines = dumpLines(600, 7);
    lines[450] = JSON.stringify({ model_a: "m1", model_b: "m1", winner: "tie" });
    const text = `${lines.join("\n")}\n`;
    const path = write("bad-part.jsonl", text);
    const fd = openSync(path, "r");
    const bounds = jsonlPartBounds(fd, text.length, 4096)!;
    const badPart = bounds.findIndex((bound, k) => bound <= text.indexOf(lines[450]) && text.indexOf(lines[450]) < bounds[k + 1]);
    const reader = new BattleDumpReader();
    feedBattleDump(reader, fd, { start: 0, end: bounds[1], final: false });
    // The failing part ends the reading: only the parts before it come back.
    const parts = readUntakenParts(fd, { bounds, next: new Int32Array(new SharedArrayBuffer(4)).fill(1), options: {} });
    expect(parts.map(({ index }) => index)).toEqual(Array.from({ length: badPart - 1 }, (_, k) => k + 1));
    for (const { part } of parts) reader.append(part);
    // What the CLI then does: read from the failing part on in sequence.
    expect(() => feedBattleDump(reader, fd, { start: bounds[badPart], end: text.length, final: true })).toThrow(/^line 451: model_a and model_b are both "m1"$/);
    closeSync(fd);
  });

  it("drops the timestamps when the appended part lacks one, as a sequential read does", () => {
    const lines = dumpLines(100, 4);
    lines[80] = JSON.stringify({ model_a: "m1", model_b: "m2", winner: "tie" });
    const text = `${lines.join("\n")}\n`;
    const path = write("untimed.jsonl", text);
    const { reader } = readInTwoParts(path, text.length);
    expect(reader.builder.part().timestamps).toBeNull();
    expect(reader.builder.buildInTimeOrder()).toEqual(readWhole(path).builder.buildInTimeOrder());
  });

  it("does not cut a JSON array", () => {
    const text = JSON.stringify(dumpLines(50, 5).map((record) => JSON.parse(record) as unknown), null, 2);
    const path = write("array.json", text);
    const fd = openSync(path, "r");
    expect(jsonlCutPoint(fd, text.length)).toBe(-1);
    expect(jsonlPartBounds(fd, text.length, 1024)).toBeNull();
    closeSync(fd);
  });

  it("refuses to append a part with invalid records (their line numbers count from the part's start)", () => {
    const reader = new BattleDumpReader({ skipInvalid: true });
    reader.consume(new TextEncoder().encode('{"model_a": "a", "model_b": "a", "winner": "tie"}\n'), 49, true);
    expect(reader.stats.skippedInvalid).toBe(1);
    expect(() => new BattleDumpReader().append(reader.part())).toThrow(/invalid records/);
  });

  it("still rejects invalid JSON inside a nested field the ratings do not read", () => {
    for (const bad of ['{"x": [1,,2]}', '{"x": {"a" 1}}', '{"x": [1, 2}', '{"x": {"a": tru}}', '{"x": [[[]]}']) {
      const record = `{"model_a": "a", "model_b": "b", "winner": "tie", "extra": ${bad}}`;
      const reader = new BattleDumpReader();
      const bytes = new TextEncoder().encode(record);
      expect(() => reader.consume(bytes, bytes.length, true), bad).toThrow(InvalidBattleRecordError);
    }
  });
});
