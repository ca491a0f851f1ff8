import { describe, expect, it } from "vitest";
import { ModalityAggregate } from "@/lib/domain/leaderboard/aggregate";
import { aggregateVoteLog, VoteLog, voteLogColumnsFrom, voteLogFingerprint } from "@/lib/domain/leaderboard/vote-log";
import { computeOnlineElo, OUTCOME_A_WINS, OUTCOME_B_WINS, OUTCOME_TIE } from "@/lib/domain/rating";

/** Logs votes given as [modelA, modelB, outcome code, voter, persona class, day]. */
function logOf(votes: [string, string, number, number, string, string][]): VoteLog {
  const log = new VoteLog();
  const { models, personaClasses, days } = log.dictionaries;
  for (const [a, b, outcome, voter, personaClass, day] of votes) {
    log.append(models.index(a), models.index(b), outcome, voter, personaClasses.index(personaClass), days.index(day));
  }
  return log;
}

describe("VoteLog", () => {
  it("keeps every appended vote in order past its first capacity", () => {
    const log = new VoteLog();
    const x = log.dictionaries.models.index("x");
    const y = log.dictionaries.models.index("y");
    for (let k = 0; k < 3000; k++) log.append(k % 2 ? x : y, k % 2 ? y : x, k % 3, k, 0, 0);
    expect(log.length).toBe(3000);
    expect([log.modelA[2999], log.outcome[2999], log.voter[2999]]).toEqual([x, 2999 % 3, 2999]);
  });

  it("appends up to a reserved capacity without replacing its columns, keeping the votes logged before", () => {
    const log = new VoteLog();
    for (let k = 0; k < 10; k++) log.append(0, 1, 0, k, 0, 0);
    log.reserve(5000);
    const columns = [log.modelA, log.modelB, log.outcome, log.voter, log.personaClass, log.day];
    for (let k = 10; k < 5000; k++) log.append(1, 0, 1, k, 0, 0);
    expect([log.modelA, log.modelB, log.outcome, log.voter, log.personaClass, log.day].every((column, k) => column === columns[k])).toBe(true);
    expect([log.length, log.voter[9], log.modelA[9], log.voter[4999], log.modelA[4999]]).toEqual([5000, 9, 0, 4999, 1]);
    // Reserving less than there is room for changes nothing.
    log.reserve(100);
    expect(log.modelA).toBe(columns[0]);
  });
});

describe("aggregateVoteLog", () => {
  const votes: [string, string, number, number, string, string][] = [
    ["x", "y", OUTCOME_A_WINS, 0, "region=Europe", "2026-01-01"],
    ["y", "z", OUTCOME_TIE, 1, "region=Asia", "2026-01-01"],
    ["z", "x", OUTCOME_A_WINS, 0, "region=Europe", "2026-01-02"],
    ["x", "y", OUTCOME_B_WINS, 2, "", "2026-01-02"],
  ];

  it("leaves out the excluded voters' votes", () => {
    const aggregate = aggregateVoteLog(logOf(votes), [0, 1, 0]);
    expect(aggregate.voteCount).toBe(3);
    expect(aggregate.segmentCells([{ dimension: "region", value: "Asia" }]).total).toBe(0);
  });

  it("replays online Elo in log order without the excluded votes", () => {
    const aggregate = aggregateVoteLog(logOf(votes), [1]);
    const expected = computeOnlineElo([
      { modelA: "y", modelB: "z", outcome: "tie" },
      { modelA: "x", modelB: "y", outcome: "model_b" },
    ]);
    const actual = aggregate.eloRatings();
    for (const model of ["y", "z"]) expect(actual[model]).toBeCloseTo(expected[model], 10);
    expect(actual.x).toBeCloseTo(expected.x, 10);
  });

  it("keeps models seen only in excluded votes, with no votes", () => {
    const aggregate = aggregateVoteLog(logOf(votes), [1, 1, 0]);
    const cells = aggregate.cells();
    expect(cells.models).toEqual(["x", "y", "z"]);
    expect(cells.total).toBe(1);
  });

  it("counts a single-condition segment like the classes holding it", () => {
    const log = logOf([
      ["x", "y", OUTCOME_A_WINS, 0, "region=Europe,age=25-34", "2026-01-01"],
      ["x", "y", OUTCOME_B_WINS, 1, "region=Europe", "2026-01-01"],
      ["x", "y", OUTCOME_TIE, 2, "age=25-34", "2026-01-01"],
    ]);
    const aggregate = aggregateVoteLog(log, []);
    const europe = aggregate.segmentCells([{ dimension: "region", value: "Europe" }]);
    expect(europe.total).toBe(2);
    expect(Array.from(europe.counts.slice(3, 6))).toEqual([1, 1, 0]);
    expect(aggregate.segmentCells([{ dimension: "region", value: "Europe" }, { dimension: "age", value: "25-34" }]).total).toBe(1);
  });

  it("matches an aggregate fed vote by vote", () => {
    const byVote = new ModalityAggregate();
    const outcomes = ["model_a", "model_b", "tie"] as const;
    for (const [modelA, modelB, outcome, , personaClass, day] of votes) byVote.addVote({ modelA, modelB, outcome: outcomes[outcome], personaClass, day });
    const replayed = aggregateVoteLog(logOf(votes), []);
    expect(Array.from(replayed.cells().counts)).toEqual(Array.from(byVote.cells().counts));
    expect(replayed.votesByDay()).toEqual(byVote.votesByDay());
  });

  it("gives the same aggregate fed window by window, also when new models make the tables grow", () => {
    // 12 models: the aggregate's tables start at 8 models and grow in the third window.
    const models = Array.from({ length: 12 }, (_, k) => `m${k}`);
    const classes = ["region=Europe", "region=Asia", "region=Europe,age=25-34", ""];
    const many: [string, string, number, number, string, string][] = Array.from({ length: 300 }, (_, k) => {
      const limit = k < 200 ? 6 : 12;
      const a = (k * 7) % limit;
      const b = (a + 1 + (k % (limit - 1))) % limit;
      return [models[a], models[b], k % 3, k % 5, classes[k % 4], `2026-01-0${1 + (k % 3)}`];
    });
    const log = logOf(many);
    const excluded = [0, 0, 1];
    const whole = aggregateVoteLog(log, excluded);
    const windowed = new ModalityAggregate(log.dictionaries);
    for (const [from, to] of [[0, 90], [90, 200], [200, 300]]) {
      const part = new VoteLog(log.dictionaries);
      for (let k = from; k < to; k++) part.append(log.modelA[k], log.modelB[k], log.outcome[k], log.voter[k], log.personaClass[k], log.day[k]);
      windowed.addIndexedVotes(voteLogColumnsFrom(part, 0), part.length, excluded);
    }
    expect(Array.from(windowed.cells().counts)).toEqual(Array.from(whole.cells().counts));
    expect(windowed.eloRatings()).toEqual(whole.eloRatings());
    expect(windowed.votesByDay()).toEqual(whole.votesByDay());
    const segments = [[{ dimension: "region", value: "Europe" }], [{ dimension: "region", value: "Asia" }], [{ dimension: "region", value: "Europe" }, { dimension: "age", value: "25-34" }]] as const;
    expect(whole.segmentCells(segments[2]).total).toBeGreaterThan(0);
    for (const segment of segments) {
      expect(Array.from(windowed.segmentCells(segment).counts)).toEqual(Array.from(whole.segmentCells(segment).counts));
    }
  });
});

describe("voteLogFingerprint", () => {
  const votes: [string, string, number, number, string, string][] = [
    ["x", "y", OUTCOME_A_WINS, 0, "region=Europe", "2026-01-01"],
    ["y", "z", OUTCOME_TIE, 1, "region=Asia", "2026-01-02"],
  ];

  it("is equal for logs with equal entries and dictionaries", () => {
    expect(voteLogFingerprint(logOf(votes))).toBe(voteLogFingerprint(logOf(votes)));
    expect(voteLogFingerprint(logOf(votes))).toMatch(/^[0-9a-f]{16}$/);
  });

  it("changes when a vote is appended", () => {
    expect(voteLogFingerprint(logOf([...votes, ["x", "z", OUTCOME_B_WINS, 0, "", "2026-01-02"]]))).not.toBe(voteLogFingerprint(logOf(votes)));
  });

  it("changes when one entry differs", () => {
    const changed = logOf(votes);
    changed.outcome[1] = OUTCOME_B_WINS;
    expect(voteLogFingerprint(changed)).not.toBe(voteLogFingerprint(logOf(votes)));
  });

  it("changes when two votes swap places (online Elo depends on the order)", () => {
    expect(voteLogFingerprint(logOf([votes[1], votes[0]]))).not.toBe(voteLogFingerprint(logOf(votes)));
  });

  it("changes when a dictionary value differs under the same indices", () => {
    const renamed: typeof votes = votes.map(([a, b, outcome, voter, personaClass, day]) => [a, b, outcome, voter, personaClass.replace("Asia", "Africa"), day]);
    expect(voteLogFingerprint(logOf(renamed))).not.toBe(voteLogFingerprint(logOf(votes)));
  });
});
