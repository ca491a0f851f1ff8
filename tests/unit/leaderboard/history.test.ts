import { describe, expect, it } from "vitest";
import { ModalityAggregate } from "@/lib/domain/leaderboard/aggregate";
import { pickCheckpointDays, ratingHistory } from "@/lib/domain/leaderboard/history";
import { computeLeaderboard } from "@/lib/domain/rating";

describe("pickCheckpointDays", () => {
  it("keeps every day when there are few", () => {
    expect(pickCheckpointDays(["a", "b", "c"], 5)).toEqual(["a", "b", "c"]);
  });

  it("keeps at most the maximum, evenly spread, always with the last day", () => {
    const days = Array.from({ length: 100 }, (_, i) => String(i).padStart(3, "0"));
    const picked = pickCheckpointDays(days, 10);
    expect(picked.length).toBeLessThanOrEqual(11);
    expect(picked.at(-1)).toBe("099");
    expect([...picked].sort()).toEqual(picked);
  });
});

function aggregateOf(days: number, perDay: [string, string, "model_a" | "model_b"][]) {
  const aggregate = new ModalityAggregate();
  for (let d = 1; d <= days; d++) {
    for (const [modelA, modelB, outcome] of perDay) aggregate.addVote({ modelA, modelB, outcome, day: `2026-01-0${d}`, personaClass: "" });
  }
  return aggregate;
}

describe("ratingHistory", () => {
  const perDay: [string, string, "model_a" | "model_b"][] = [
    ["x", "y", "model_a"],
    ["x", "y", "model_a"],
    ["x", "y", "model_b"],
    ["y", "z", "model_a"],
    ["y", "z", "model_a"],
    ["y", "z", "model_b"],
    ["x", "z", "model_a"],
    ["x", "z", "model_b"],
  ];

  it("with the boards' prior, plots finite points that match the table after a single vote", () => {
    const aggregate = aggregateOf(1, [["x", "y", "model_a"]]);
    const plain = ratingHistory(aggregate.cellsByDay()).at(-1)!.ratings;
    const history = ratingHistory(aggregate.cellsByDay(), undefined, 800).at(-1)!.ratings;
    const table = computeLeaderboard(aggregate.cells(), { bootstrapRounds: 0, priorSdPoints: 800 });
    for (const entry of table.models) expect(history[entry.model].rating).toBeCloseTo(entry.rating, 6);
    // Complete separation: the plain fit runs off to the cap, the prior keeps it within a few hundred points.
    expect(Math.abs(plain.x.rating - plain.y.rating)).toBeGreaterThan(1000);
    expect(Math.abs(history.x.rating - history.y.rating)).toBeLessThan(1000);
    expect(history.x.lower).not.toBeNull();
    expect(history.x.upper! - history.x.lower!).toBeGreaterThan(200);
  });

  it("is empty without votes", () => {
    expect(ratingHistory([])).toEqual([]);
  });

  it("ends with the current BT ratings on all votes", () => {
    const aggregate = aggregateOf(3, perDay);
    const history = ratingHistory(aggregate.cellsByDay());
    const current = computeLeaderboard(aggregate.cells(), { bootstrapRounds: 0 });
    expect(history.at(-1)?.votes).toBe(24);
    for (const entry of current.models) expect(history.at(-1)!.ratings[entry.model].rating).toBeCloseTo(entry.rating, 6);
  });

  it("accumulates votes from checkpoint to checkpoint", () => {
    expect(ratingHistory(aggregateOf(3, perDay).cellsByDay()).map((checkpoint) => checkpoint.votes)).toEqual([8, 16, 24]);
  });

  it("gives intervals around the rating that narrow as votes accumulate", () => {
    const history = ratingHistory(aggregateOf(3, perDay).cellsByDay());
    const width = (k: number) => history[k].ratings.x.upper! - history[k].ratings.x.lower!;
    expect(history[0].ratings.x.lower).toBeLessThan(history[0].ratings.x.rating);
    expect(width(2)).toBeLessThan(width(0));
    expect(width(0) / width(2)).toBeCloseTo(Math.sqrt(3), 1);
  });

  it("leaves out models that have not played yet", () => {
    const aggregate = new ModalityAggregate();
    aggregate.addVote({ modelA: "x", modelB: "y", outcome: "model_a", day: "2026-01-01", personaClass: "" });
    aggregate.addVote({ modelA: "y", modelB: "x", outcome: "model_a", day: "2026-01-01", personaClass: "" });
    aggregate.addVote({ modelA: "z", modelB: "x", outcome: "model_a", day: "2026-01-02", personaClass: "" });
    const history = ratingHistory(aggregate.cellsByDay());
    expect(Object.keys(history[0].ratings).sort()).toEqual(["x", "y"]);
    expect(Object.keys(history[1].ratings).sort()).toEqual(["x", "y", "z"]);
  });

  it("has no intervals outside the largest connected group", () => {
    const aggregate = new ModalityAggregate();
    for (const [modelA, modelB] of [["a", "b"], ["b", "c"], ["c", "a"], ["a", "b"], ["d", "e"]]) {
      aggregate.addVote({ modelA, modelB, outcome: "model_a", day: "2026-01-01", personaClass: "" });
      aggregate.addVote({ modelA, modelB, outcome: "model_b", day: "2026-01-01", personaClass: "" });
    }
    const [checkpoint] = ratingHistory(aggregate.cellsByDay());
    expect(checkpoint.ratings.d.lower).toBeNull();
    expect(checkpoint.ratings.a.lower).not.toBeNull();
  });
});
