import { describe, expect, it } from "vitest";
import { Dictionary } from "@/lib/domain/leaderboard/aggregate";
import { decodeVoteLogCheckpoint, decodeVoteLogCheckpointInSteps, encodeVoteLogCheckpoint, encodeVoteLogCheckpointInSteps, type TVoteLogCheckpoint } from "@/lib/domain/leaderboard/checkpoint";
import { aggregateVoteLog, VoteLog, voteLogColumn } from "@/lib/domain/leaderboard/vote-log";
import { OUTCOME_A_WINS, OUTCOME_B_WINS, OUTCOME_TIE } from "@/lib/domain/rating";

/** A log of `count` votes cycling over three models, two persona classes and two days. */
function sampleLog(count: number): VoteLog {
  const log = new VoteLog();
  const { models, personaClasses, days } = log.dictionaries;
  const names = ["alpha", "bravo", "charlie"].map((model) => models.index(model));
  const classes = ["region=Europe", ""].map((personaClass) => personaClasses.index(personaClass));
  const dayIndices = ["2026-01-01", "2026-01-02"].map((day) => days.index(day));
  const outcomes = [OUTCOME_A_WINS, OUTCOME_B_WINS, OUTCOME_TIE];
  for (let k = 0; k < count; k++) log.append(names[k % 3], names[(k + 1) % 3], outcomes[k % 3], k % 2, classes[k % 2], dayIndices[k < count / 2 ? 0 : 1]);
  return log;
}

const checkpointOf = (logs: Record<string, VoteLog>): TVoteLogCheckpoint => ({
  voters: ["user-a", "user-b"],
  logs: Object.fromEntries(Object.entries(logs).map(([name, log], k) => [name, { log, cursor: { time: 1_700_000_000_000 + k, countedThrough: log.length + k } }])),
});

/** Whether two logs hold the same entries (a loop: deep equality of long columns is slow). */
function sameColumns(x: VoteLog, y: VoteLog): boolean {
  if (x.length !== y.length) return false;
  const pairs = [[x.modelA, y.modelA], [x.modelB, y.modelB], [x.outcome, y.outcome], [x.voter, y.voter], [x.personaClass, y.personaClass], [x.day, y.day]] as const;
  for (const [a, b] of pairs) for (let k = 0; k < x.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

const columnsOf = (log: VoteLog) =>
  [log.modelA, log.modelB, log.outcome, log.voter, log.personaClass, log.day].map((column) => Array.from(column.subarray(0, log.length)));

describe("encodeVoteLogCheckpoint / decodeVoteLogCheckpoint", () => {
  it("restores every column, dictionary, voter and cursor", () => {
    const text = sampleLog(2_001);
    const image = sampleLog(7);
    const decoded = decodeVoteLogCheckpoint(encodeVoteLogCheckpoint(checkpointOf({ text, image })))!;
    expect(decoded.voters).toEqual(["user-a", "user-b"]);
    expect(columnsOf(decoded.logs.text.log)).toEqual(columnsOf(text));
    expect(columnsOf(decoded.logs.image.log)).toEqual(columnsOf(image));
    expect(decoded.logs.text.log.dictionaries.models.values).toEqual(["alpha", "bravo", "charlie"]);
    expect(decoded.logs.image.log.dictionaries.days.values).toEqual(["2026-01-01", "2026-01-02"]);
    expect(decoded.logs.image.cursor).toEqual({ time: 1_700_000_000_001, countedThrough: 8 });
  });

  it("round-trips indices wider than a byte and than two bytes", () => {
    const log = new VoteLog();
    const { models, personaClasses, days } = log.dictionaries;
    for (let k = 0; k < 300; k++) days.index(`day-${k}`);
    models.index("x");
    models.index("y");
    personaClasses.index("");
    log.append(0, 1, OUTCOME_A_WINS, 69_999, 0, 299);
    log.append(1, 0, OUTCOME_B_WINS, 256, 0, 256);
    const voters = Array.from({ length: 70_000 }, (_, k) => `u${k}`);
    const decoded = decodeVoteLogCheckpoint(encodeVoteLogCheckpoint({ voters, logs: { text: { log, cursor: { time: 5, countedThrough: 2 } } } }))!;
    expect(columnsOf(decoded.logs.text.log)).toEqual(columnsOf(log));
  });

  it("takes a byte a column for small dictionaries", () => {
    const encoded = (log: VoteLog) => encodeVoteLogCheckpoint({ voters: ["user-a", "user-b"], logs: { text: { log, cursor: { time: 1, countedThrough: 1 } } } });
    const small = encoded(sampleLog(4_000));
    const header = encoded(sampleLog(0));
    // The headers differ only in the length ("4000" against "0"), at most one padding word.
    expect(small.length - header.length - 6 * 4_000).toBeGreaterThanOrEqual(0);
    expect(small.length - header.length - 6 * 4_000).toBeLessThanOrEqual(4);
  });

  it("restores an empty log with a null cursor time", () => {
    const empty = new VoteLog();
    const decoded = decodeVoteLogCheckpoint(encodeVoteLogCheckpoint({ voters: [], logs: { audio: { log: empty, cursor: { time: null, countedThrough: 0 } } } }))!;
    expect(decoded.logs.audio.log.length).toBe(0);
    expect(decoded.logs.audio.cursor.time).toBeNull();
  });

  it("replays into the same aggregate as the original log", () => {
    const text = sampleLog(300);
    const decoded = decodeVoteLogCheckpoint(encodeVoteLogCheckpoint(checkpointOf({ text })))!;
    const original = aggregateVoteLog(text, [0, 1]);
    const restored = aggregateVoteLog(decoded.logs.text.log, [0, 1]);
    expect(Array.from(restored.cells().counts)).toEqual(Array.from(original.cells().counts));
    expect(restored.eloRatings()).toEqual(original.eloRatings());
  });

  it("leaves a restored log room to append", () => {
    const decoded = decodeVoteLogCheckpoint(encodeVoteLogCheckpoint(checkpointOf({ text: sampleLog(5) })))!;
    const log = decoded.logs.text.log;
    for (let k = 0; k < 2_000; k++) log.append(0, 1, OUTCOME_TIE, 0, 0, 0);
    expect(log.length).toBe(2_005);
    expect(log.outcome[2_004]).toBe(OUTCOME_TIE);
  });

  it("decodes a checkpoint that sits at an odd byte offset", () => {
    const bytes = encodeVoteLogCheckpoint(checkpointOf({ text: sampleLog(11) }));
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(columnsOf(decodeVoteLogCheckpoint(shifted.subarray(1))!.logs.text.log)).toEqual(columnsOf(sampleLog(11)));
  });

  it("rejects bytes that are not a checkpoint", () => {
    expect(decodeVoteLogCheckpoint(new TextEncoder().encode('{"format":1}'))).toBeNull();
    expect(decodeVoteLogCheckpoint(new Uint8Array(3))).toBeNull();
  });

  it("rejects a truncated checkpoint", () => {
    const bytes = encodeVoteLogCheckpoint(checkpointOf({ text: sampleLog(10) }));
    expect(decodeVoteLogCheckpoint(bytes.subarray(0, bytes.length - 4))).toBeNull();
  });

  it("rejects a checkpoint whose indices fall outside its dictionaries", () => {
    const log = sampleLog(4);
    log.voter[2] = 9;
    expect(decodeVoteLogCheckpoint(encodeVoteLogCheckpoint(checkpointOf({ text: log })))).toBeNull();
  });

  it("rejects a checkpoint of another format version", () => {
    const bytes = encodeVoteLogCheckpoint(checkpointOf({ text: sampleLog(2) }));
    const headerLength = new Uint32Array(bytes.buffer, 4, 1)[0];
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)).replace(/"format":\d/, '"format":7');
    bytes.set(new TextEncoder().encode(header), 8);
    expect(decodeVoteLogCheckpoint(bytes)).toBeNull();
  });
});

describe("Dictionary.from", () => {
  it("numbers values in their order", () => {
    const dictionary = Dictionary.from(["b", "a", "b"]);
    expect(dictionary.values).toEqual(["b", "a"]);
    expect(dictionary.index("a")).toBe(1);
  });
});

describe("VoteLog.fromColumns", () => {
  it("rejects a column shorter than the log", () => {
    const short = new Uint32Array(1);
    const columns = { modelA: short, modelB: short, outcome: new Uint8Array(2), voter: short, personaClass: short, day: short };
    expect(() => VoteLog.fromColumns(new VoteLog().dictionaries, 2, columns)).toThrow(/shorter/);
  });

  it("takes the log's own columns as they are and copies narrow ones; the log grows past them", () => {
    const length = 3_000;
    const narrow = Uint16Array.from({ length }, (_, k) => k % 2);
    const voter = voteLogColumn("voter", length);
    voter.set(narrow);
    const outcome = voteLogColumn("outcome", length);
    outcome.set(Uint8Array.from({ length }, (_, k) => k % 3));
    expect(voter).toBeInstanceOf(Uint32Array);
    expect(outcome).toBeInstanceOf(Uint8Array);
    expect(voter.length).toBeGreaterThan(length);
    const log = VoteLog.fromColumns(new VoteLog().dictionaries, length, { modelA: narrow, modelB: narrow, outcome, voter, personaClass: narrow, day: narrow });
    expect(log.voter).toBe(voter);
    expect(log.outcome).toBe(outcome);
    expect(log.modelA).not.toBe(narrow);
    expect(Array.from(log.modelA.subarray(0, 3))).toEqual([0, 1, 0]);
    log.append(1, 0, OUTCOME_TIE, 7, 1, 1);
    expect(log.length).toBe(length + 1);
    expect(log.voter[length]).toBe(7);
    expect(log.outcome[length]).toBe(OUTCOME_TIE);
  });
});

describe("decodeVoteLogCheckpointInSteps", () => {
  it("pauses within a long column (never widening a whole million-entry column in one step) and decodes the logs", () => {
    const log = sampleLog(70_000);
    const steps = decodeVoteLogCheckpointInSteps(encodeVoteLogCheckpoint(checkpointOf({ text: log })));
    let pauses = 0;
    let next = steps.next();
    for (; !next.done; next = steps.next()) pauses++;
    // Two steps of at most 65,536 entries per column.
    expect(pauses).toBe(6 * 2);
    expect(sameColumns(next.value!.logs.text.log, log)).toBe(true);
  });

  it("rejects an out-of-range index found in a later step of a column", () => {
    const log = sampleLog(70_000);
    log.voter[69_999] = 9;
    const steps = decodeVoteLogCheckpointInSteps(encodeVoteLogCheckpoint(checkpointOf({ text: log })));
    let next = steps.next();
    while (!next.done) next = steps.next();
    expect(next.value).toBeNull();
  });
});

describe("encodeVoteLogCheckpointInSteps", () => {
  it("pauses before each column of each log (never narrowing two columns in one step) and encodes what decodes to the logs", () => {
    const checkpoint = checkpointOf({ text: sampleLog(3_000), image: sampleLog(5) });
    const steps = encodeVoteLogCheckpointInSteps(checkpoint);
    let pauses = 0;
    let next = steps.next();
    for (; !next.done; next = steps.next()) pauses++;
    expect(pauses).toBe(2 * 6);
    const decoded = decodeVoteLogCheckpoint(next.value)!;
    expect(columnsOf(decoded.logs.text.log)).toEqual(columnsOf(sampleLog(3_000)));
    expect(columnsOf(decoded.logs.image.log)).toEqual(columnsOf(sampleLog(5)));
  });

  it("pauses within a long column too (never narrowing more than 65,536 entries in one step), with the same bytes", () => {
    const checkpoint = checkpointOf({ text: sampleLog(70_000) });
    const steps = encodeVoteLogCheckpointInSteps(checkpoint);
    let pauses = 0;
    let next = steps.next();
    for (; !next.done; next = steps.next()) pauses++;
    // Two steps of at most 65,536 entries per column.
    expect(pauses).toBe(6 * 2);
    expect(Buffer.compare(next.value, encodeVoteLogCheckpoint(checkpoint))).toBe(0);
    expect(sameColumns(decodeVoteLogCheckpoint(next.value)!.logs.text.log, sampleLog(70_000))).toBe(true);
  });
});
