import { describe, expect, it } from "vitest";
import { createAggregateDictionaries, ModalityAggregate, type TAggregatedVote } from "@/lib/domain/leaderboard/aggregate";
import { VoteCells } from "@/lib/domain/leaderboard/cells";
import { Dictionary } from "@/lib/domain/dictionary";
import { runSteps } from "@/lib/domain/rating/bootstrap";
import { parseSegmentKey, segmentKey } from "@/lib/domain/leaderboard/segments";
import { computeOnlineElo, OUTCOME_A_WINS, OUTCOME_B_WINS, OUTCOME_TIE } from "@/lib/domain/rating";

const vote = (modelA: string, modelB: string, outcome: TAggregatedVote["outcome"], day = "2026-01-01", personaClass = ""): TAggregatedVote => ({
  modelA,
  modelB,
  outcome,
  day,
  personaClass,
});

function feed(votes: TAggregatedVote[]) {
  const aggregate = new ModalityAggregate();
  for (const item of votes) aggregate.addVote(item);
  return aggregate;
}

describe("ModalityAggregate", () => {
  it("counts votes into cells by side and outcome, ties and both-bad together", () => {
    const aggregate = feed([vote("x", "y", "model_a"), vote("x", "y", "tie"), vote("x", "y", "both_bad"), vote("y", "x", "model_b")]);
    const cells = aggregate.cells();
    expect(cells.models).toEqual(["x", "y"]);
    expect(cells.total).toBe(4);
    expect(Array.from(cells.counts.slice(3, 6))).toEqual([1, 0, 2]);
    expect(Array.from(cells.counts.slice(6, 9))).toEqual([0, 1, 0]);
  });

  it("keeps counts when more models arrive than its first capacity", () => {
    const models = Array.from({ length: 20 }, (_, i) => `m${i}`);
    const aggregate = feed(models.slice(1).map((model) => vote("m0", model, "model_a")));
    const cells = aggregate.cells();
    expect(cells.models).toEqual(models);
    const n = models.length;
    expect(cells.counts[(0 * n + 19) * 3]).toBe(1);
    expect(cells.counts.reduce((sum, value) => sum + value, 0)).toBe(19);
  });

  it("replays online Elo exactly like the rating engine", () => {
    const votes = [vote("x", "y", "model_a"), vote("y", "z", "tie"), vote("z", "x", "model_a"), vote("x", "y", "model_b")];
    const expected = computeOnlineElo(votes.map(({ modelA, modelB, outcome }) => ({ modelA, modelB, outcome })));
    const actual = feed(votes).eloRatings();
    for (const model of ["x", "y", "z"]) expect(actual[model]).toBeCloseTo(expected[model], 10);
  });

  it("selects a segment's votes by persona class", () => {
    const aggregate = feed([
      vote("x", "y", "model_a", "2026-01-01", "region=Europe,age=25-34"),
      vote("x", "y", "model_b", "2026-01-01", "region=Asia"),
      vote("x", "y", "model_b", "2026-01-01", ""),
    ]);
    expect(aggregate.segmentCells([{ dimension: "region", value: "Europe" }]).total).toBe(1);
    expect(aggregate.segmentCells([{ dimension: "region", value: "Europe" }, { dimension: "age", value: "18-24" }]).total).toBe(0);
    expect(aggregate.segmentCells([]).total).toBe(3);
  });

  it("lays segment cells out over the global model list", () => {
    const aggregate = feed([vote("x", "y", "model_a", "2026-01-01", "region=Asia"), vote("y", "z", "model_a", "2026-01-01", "region=Europe")]);
    expect(aggregate.segmentCells([{ dimension: "region", value: "Europe" }]).models).toEqual(["x", "y", "z"]);
  });

  it("splits votes by day, each day's cells summing to the global cells", () => {
    const aggregate = feed([vote("x", "y", "model_a", "2026-01-02"), vote("x", "y", "model_a", "2026-01-01"), vote("y", "x", "tie", "2026-01-02")]);
    expect(aggregate.votesByDay()).toEqual([{ day: "2026-01-01", votes: 1 }, { day: "2026-01-02", votes: 2 }]);
    const days = aggregate.cellsByDay();
    expect(days.map((entry) => entry.day)).toEqual(["2026-01-01", "2026-01-02"]);
    const summed = days[0].cells.counts.map((value, c) => value + days[1].cells.counts[c]);
    expect(Array.from(summed)).toEqual(Array.from(aggregate.cells().counts));
  });

  it("starts empty", () => {
    const aggregate = new ModalityAggregate();
    expect(aggregate.voteCount).toBe(0);
    expect(aggregate.cells().total).toBe(0);
    expect(aggregate.eloRatings()).toEqual({});
  });
});

describe("ModalityAggregate.addIndexedVotes", () => {
  /** [modelA, modelB, outcome code, voter, persona class, day] */
  const votes: [string, string, number, number, string, string][] = [
    ["x", "y", OUTCOME_A_WINS, 0, "region=Europe,age=25-34", "2026-01-01"],
    ["y", "z", OUTCOME_TIE, 1, "region=Asia", "2026-01-01"],
    ["z", "x", OUTCOME_B_WINS, 2, "region=Europe", "2026-01-02"],
    ["x", "z", OUTCOME_A_WINS, 0, "region=Europe,age=25-34", "2026-01-03"],
    ["y", "x", OUTCOME_B_WINS, 1, "", "2026-01-03"],
  ];

  /** Both aggregates over one set of dictionaries; `columns` holds the votes as indices. */
  function fixtures() {
    const dictionaries = createAggregateDictionaries();
    const { models, personaClasses, days } = dictionaries;
    const columns = { modelA: [] as number[], modelB: [] as number[], outcome: [] as number[], voter: [] as number[], personaClass: [] as number[], day: [] as number[] };
    for (const [a, b, outcome, voter, personaClass, day] of votes) {
      columns.modelA.push(models.index(a));
      columns.modelB.push(models.index(b));
      columns.outcome.push(outcome);
      columns.voter.push(voter);
      columns.personaClass.push(personaClasses.index(personaClass));
      columns.day.push(days.index(day));
    }
    return { columns, byVote: new ModalityAggregate(dictionaries), bulk: new ModalityAggregate(dictionaries) };
  }

  const europe = [{ dimension: "region", value: "Europe" }] as const;
  const europeAged = [...europe, { dimension: "age", value: "25-34" }] as const;

  it("gives the cells, segments, days and Elo of feeding the votes one by one, without the excluded voters", () => {
    const { columns, byVote, bulk } = fixtures();
    const isExcluded = [0, 1, 0];
    for (let k = 0; k < votes.length; k++) {
      if (isExcluded[columns.voter[k]]) continue;
      byVote.addIndexedVote(columns.modelA[k], columns.modelB[k], columns.outcome[k], columns.personaClass[k], columns.day[k]);
    }
    bulk.addIndexedVotes(columns, votes.length, isExcluded);
    expect(bulk.voteCount).toBe(3);
    expect(Array.from(bulk.cells().counts)).toEqual(Array.from(byVote.cells().counts));
    expect(Array.from(bulk.segmentCells(europe).counts)).toEqual(Array.from(byVote.segmentCells(europe).counts));
    expect(bulk.segmentCells(europe).total).toBe(3);
    expect(bulk.segmentCells(europeAged).total).toBe(2);
    expect(bulk.votesByDay()).toEqual(byVote.votesByDay());
    expect(bulk.eloRatings()).toEqual(byVote.eloRatings());
  });

  it("gives the same cells, segments, days and Elo with every persona class defined ahead (defineClassesInSteps), pausing every 64 classes", () => {
    const { columns, byVote, bulk } = fixtures();
    const steps = bulk.defineClassesInSteps();
    let pauses = 0;
    while (!steps.next().done) pauses++;
    expect(pauses).toBe(0);
    // Defining counts nothing.
    expect(bulk.voteCount).toBe(0);
    bulk.addIndexedVotes(columns, votes.length, []);
    byVote.addIndexedVotes(columns, votes.length, []);
    expect(Array.from(bulk.cells().counts)).toEqual(Array.from(byVote.cells().counts));
    expect(bulk.segmentCells(europe)).toEqual(byVote.segmentCells(europe));
    expect(bulk.segmentCells(europeAged)).toEqual(byVote.segmentCells(europeAged));
    expect(bulk.cellsByDay()).toEqual(byVote.cellsByDay());
    expect(bulk.eloRatings()).toEqual(byVote.eloRatings());
    const many = createAggregateDictionaries();
    for (let k = 0; k < 130; k++) many.personaClasses.index(`region=Europe,age=${k}`);
    const manySteps = new ModalityAggregate(many).defineClassesInSteps();
    pauses = 0;
    while (!manySteps.next().done) pauses++;
    expect(pauses).toBe(2);
  });

  it("continues an aggregate that already holds votes", () => {
    const { columns, byVote, bulk } = fixtures();
    for (let k = 0; k < votes.length; k++) byVote.addIndexedVote(columns.modelA[k], columns.modelB[k], columns.outcome[k], columns.personaClass[k], columns.day[k]);
    bulk.addIndexedVote(columns.modelA[0], columns.modelB[0], columns.outcome[0], columns.personaClass[0], columns.day[0]);
    const rest = Object.fromEntries(Object.entries(columns).map(([name, column]) => [name, column.slice(1)])) as typeof columns;
    bulk.addIndexedVotes(rest, votes.length - 1, []);
    expect(bulk.voteCount).toBe(votes.length);
    expect(Array.from(bulk.segmentCells(europe).counts)).toEqual(Array.from(byVote.segmentCells(europe).counts));
    expect(bulk.eloRatings()).toEqual(byVote.eloRatings());
  });

  it("counts only the first `length` votes", () => {
    const { columns, bulk } = fixtures();
    bulk.addIndexedVotes(columns, 2, []);
    expect(bulk.voteCount).toBe(2);
    expect(bulk.votesByDay()).toEqual([{ day: "2026-01-01", votes: 2 }]);
  });
});

describe("ModalityAggregate.mergePartialInSteps", () => {
  /** Votes of `count` models, every pair both ways over three days and three persona classes. */
  function manyVotes(count: number): TAggregatedVote[] {
    const classes = ["region=Europe,age=25-34", "region=Asia", ""];
    const outcomes = ["model_a", "model_b", "tie", "both_bad"] as const;
    const votes: TAggregatedVote[] = [];
    for (let a = 0; a < count; a++) {
      for (let b = 0; b < count; b++) {
        if (a !== b) votes.push(vote(`m${a}`, `m${b}`, outcomes[(a + 2 * b) % 4], `2026-01-0${1 + ((a * b) % 3)}`, classes[(a + b) % 3]));
      }
    }
    return votes;
  }

  /** The cells of `votes` numbered as a read-ahead worker would (its own dictionaries, in its own order). */
  function partialOf(votes: TAggregatedVote[]) {
    const [models, classes, days] = [new Dictionary(), new Dictionary(), new Dictionary()];
    const cells = new VoteCells();
    for (const item of [...votes].reverse()) {
      const [a, b] = [models.index(item.modelA), models.index(item.modelB)];
      const code = item.outcome === "model_a" ? OUTCOME_A_WINS : item.outcome === "model_b" ? OUTCOME_B_WINS : OUTCOME_TIE;
      const known = classes.size;
      const personaClass = classes.index(item.personaClass);
      if (personaClass === known) cells.defineClass(personaClass, (parseSegmentKey(item.personaClass) ?? []).map((condition) => segmentKey([condition])));
      cells.add(a, b, code, personaClass, days.index(item.day), models.size);
    }
    return cells.toPartial(models.values, classes.values, days.values);
  }

  const europe = [{ dimension: "region", value: "Europe" }] as const;
  const europeAged = [...europe, { dimension: "age", value: "25-34" }] as const;

  it.each([3, 20])("gives the aggregate of adding every vote, with %i models, the Elo steps taken in order and the cells merged from two partials", (count) => {
    const votes = manyVotes(count);
    const byVote = feed(votes);
    const dictionaries = createAggregateDictionaries();
    const merged = new ModalityAggregate(dictionaries);
    for (const item of votes) {
      // The log numbers everything first, in vote order (as the read's request thread does).
      dictionaries.personaClasses.index(item.personaClass);
      dictionaries.days.index(item.day);
      const code = item.outcome === "model_a" ? OUTCOME_A_WINS : item.outcome === "model_b" ? OUTCOME_B_WINS : OUTCOME_TIE;
      merged.addElo(dictionaries.models.index(item.modelA), dictionaries.models.index(item.modelB), code);
    }
    const half = Math.floor(votes.length / 2);
    runSteps(merged.mergePartialInSteps(partialOf(votes.slice(half))));
    runSteps(merged.mergePartialInSteps(partialOf(votes.slice(0, half))));
    expect(merged.voteCount).toBe(votes.length);
    expect(merged.cells()).toEqual(byVote.cells());
    expect(merged.segmentCells(europe)).toEqual(byVote.segmentCells(europe));
    expect(merged.segmentCells(europeAged)).toEqual(byVote.segmentCells(europeAged));
    expect(merged.cellsByDay()).toEqual(byVote.cellsByDay());
    expect(merged.eloRatings()).toEqual(byVote.eloRatings());
  });

  it("counts nothing for an empty partial", () => {
    const aggregate = new ModalityAggregate();
    runSteps(aggregate.mergePartialInSteps(new VoteCells().toPartial([], [], [])));
    expect(aggregate.voteCount).toBe(0);
    expect(aggregate.votesByDay()).toEqual([]);
  });
});
