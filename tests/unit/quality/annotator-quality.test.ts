import { describe, expect, it } from "vitest";
import type { TVoteOutcome } from "@/lib/domain/vocabulary";
import {
  assessAnnotatorQuality,
  exceedsDailyCap,
  readingSpeed,
  type TAnnotatorQualityReport,
  type TQualityVoteRecord,
} from "@/lib/domain/quality/annotator-quality";
import { createRandom, randomInt, type Random } from "@/lib/domain/random";

function vote(overrides: Partial<TQualityVoteRecord> = {}): TQualityVoteRecord {
  return {
    annotatorId: "u1",
    outcome: "tie",
    sideOfWinner: null,
    secondsFromCompleteToVote: 60,
    answerLengthChars: 1000,
    isGold: false,
    ...overrides,
  };
}

function decisive(side: "left" | "right", overrides: Partial<TQualityVoteRecord> = {}): TQualityVoteRecord {
  return vote({ outcome: side === "left" ? "model_a" : "model_b", sideOfWinner: side, ...overrides });
}

function reportFor(reports: TAnnotatorQualityReport[], annotatorId: string): TAnnotatorQualityReport {
  const report = reports.find((candidate) => candidate.annotatorId === annotatorId);
  if (!report) throw new Error(`no report for ${annotatorId}`);
  return report;
}

describe("exceedsDailyCap", () => {
  it("allows votes up to the cap", () => {
    expect(exceedsDailyCap(100, 100)).toBe(false);
  });

  it("flags the vote after the cap", () => {
    expect(exceedsDailyCap(101, 100)).toBe(true);
  });

  it("never flags without a cap", () => {
    expect(exceedsDailyCap(1_000_000, null)).toBe(false);
  });

  it("flags any vote with a cap of zero", () => {
    expect(exceedsDailyCap(1, 0)).toBe(true);
  });
});

describe("readingSpeed", () => {
  it("divides characters by seconds", () => {
    expect(readingSpeed({ answerLengthChars: 500, secondsFromCompleteToVote: 10 })).toBe(50);
  });

  it("is infinite for an instant vote", () => {
    expect(readingSpeed({ answerLengthChars: 500, secondsFromCompleteToVote: 0 })).toBe(Infinity);
  });
});

describe("assessAnnotatorQuality: basics", () => {
  it("returns nothing for no votes", () => {
    expect(assessAnnotatorQuality([])).toEqual([]);
  });

  it("reports each annotator once, sorted by id", () => {
    const reports = assessAnnotatorQuality([vote({ annotatorId: "b" }), vote({ annotatorId: "a" }), vote({ annotatorId: "b" })]);
    expect(reports.map((report) => [report.annotatorId, report.votes])).toEqual([
      ["a", 1],
      ["b", 2],
    ]);
  });

  it("does not flag a careful annotator", () => {
    const records = Array.from({ length: 12 }, (_, i) => decisive(i % 2 === 0 ? "left" : "right"));
    const [report] = assessAnnotatorQuality(records);
    expect(report).toMatchObject({ flagged: false, flags: [], reasons: [] });
  });
});

describe("assessAnnotatorQuality: too fast", () => {
  it("flags an annotator who votes faster than reading speed on most long answers", () => {
    const records = Array.from({ length: 6 }, () => vote({ answerLengthChars: 2000, secondsFromCompleteToVote: 5 }));
    const [report] = assessAnnotatorQuality(records);
    expect(report.flags).toEqual(["too_fast"]);
    expect(report.speed).toEqual({ checkedVotes: 6, tooFastVotes: 6, tooFastShare: 1 });
    expect(report.reasons[0]).toMatch(/6 of 6/);
  });

  it("does not speed-check short answers", () => {
    const records = Array.from({ length: 6 }, () => vote({ answerLengthChars: 150, secondsFromCompleteToVote: 0.5 }));
    const [report] = assessAnnotatorQuality(records);
    expect(report.speed.checkedVotes).toBe(0);
    expect(report.flags).toEqual([]);
  });

  it("does not flag exactly the threshold speed", () => {
    const records = Array.from({ length: 6 }, () => vote({ answerLengthChars: 500, secondsFromCompleteToVote: 10 }));
    expect(assessAnnotatorQuality(records)[0].speed.tooFastVotes).toBe(0);
  });

  it("needs enough checked votes before flagging", () => {
    const records = Array.from({ length: 4 }, () => vote({ answerLengthChars: 2000, secondsFromCompleteToVote: 1 }));
    expect(assessAnnotatorQuality(records)[0].flags).toEqual([]);
  });

  it("does not flag an occasional fast vote", () => {
    const records = [
      ...Array.from({ length: 2 }, () => vote({ answerLengthChars: 2000, secondsFromCompleteToVote: 1 })),
      ...Array.from({ length: 8 }, () => vote({ answerLengthChars: 2000, secondsFromCompleteToVote: 100 })),
    ];
    const [report] = assessAnnotatorQuality(records);
    expect(report.speed.tooFastShare).toBeCloseTo(0.2);
    expect(report.flags).toEqual([]);
  });

  it("honours a custom reading speed", () => {
    const records = Array.from({ length: 5 }, () => vote({ answerLengthChars: 1000, secondsFromCompleteToVote: 40 }));
    expect(assessAnnotatorQuality(records, { maxCharsPerSecond: 20 })[0].flags).toEqual(["too_fast"]);
  });
});

describe("assessAnnotatorQuality: position bias", () => {
  it("flags an annotator who always picks the left answer", () => {
    const records = Array.from({ length: 20 }, () => decisive("left"));
    const [report] = assessAnnotatorQuality(records);
    expect(report.flags).toEqual(["position_bias"]);
    expect(report.positionBias).toMatchObject({ decisiveVotes: 20, leftWins: 20, rightWins: 0 });
    expect(report.reasons[0]).toMatch(/left answer in 20 of 20/);
  });

  it("flags a right-side bias too", () => {
    const records = [...Array.from({ length: 18 }, () => decisive("right")), decisive("left")];
    expect(assessAnnotatorQuality(records)[0].reasons[0]).toMatch(/right answer in 18 of 19/);
  });

  it("does not test fewer than ten decisive votes", () => {
    const records = Array.from({ length: 9 }, () => decisive("left"));
    const [report] = assessAnnotatorQuality(records);
    expect(report.positionBias).toBeNull();
    expect(report.flags).toEqual([]);
  });

  it("ignores ties and both-bad votes", () => {
    const records = [...Array.from({ length: 9 }, () => decisive("left")), ...Array.from({ length: 20 }, () => vote())];
    expect(assessAnnotatorQuality(records)[0].positionBias).toBeNull();
  });

  it("does not flag a mild imbalance", () => {
    const records = [...Array.from({ length: 13 }, () => decisive("left")), ...Array.from({ length: 7 }, () => decisive("right"))];
    const [report] = assessAnnotatorQuality(records);
    expect(report.positionBias?.pValue).toBeGreaterThan(0.2);
    expect(report.flags).toEqual([]);
  });
});

describe("assessAnnotatorQuality: gold agreement", () => {
  function gold(outcome: TVoteOutcome, expected: TVoteOutcome): TQualityVoteRecord {
    return vote({ outcome, isGold: true, goldExpected: expected });
  }

  it("reports agreement over gold votes only", () => {
    const [report] = assessAnnotatorQuality([gold("model_a", "model_a"), gold("model_b", "model_a"), vote()]);
    expect(report.gold).toEqual({ votes: 2, agreed: 1, agreementRate: 0.5 });
  });

  it("is null without gold votes", () => {
    expect(assessAnnotatorQuality([vote()])[0].gold).toBeNull();
  });

  it("flags low agreement over enough gold votes", () => {
    const records = [gold("model_a", "model_b"), gold("model_a", "model_b"), gold("model_a", "model_a")];
    const [report] = assessAnnotatorQuality(records);
    expect(report.flags).toEqual(["gold_disagreement"]);
    expect(report.reasons[0]).toBe("Agreed with the expected answer in 1 of 3 gold battles");
  });

  it("does not flag with too few gold votes", () => {
    expect(assessAnnotatorQuality([gold("tie", "model_a"), gold("tie", "model_a")])[0].flags).toEqual([]);
  });

  it("treats a tie as disagreeing with an expected both-bad", () => {
    expect(assessAnnotatorQuality([gold("tie", "both_bad")])[0].gold?.agreed).toBe(0);
  });

  it("ignores gold votes without an expected outcome", () => {
    expect(assessAnnotatorQuality([vote({ isGold: true })])[0].gold).toBeNull();
  });
});

describe("assessAnnotatorQuality: outlier test", () => {
  const strengths: Record<string, number> = { m1: 2, m2: 1, m3: 0, m4: -1, m5: -2 };
  const models = Object.keys(strengths);

  function battle(random: Random, annotatorId: string, judge: (a: string, b: string) => TVoteOutcome): TQualityVoteRecord {
    const a = models[randomInt(random, models.length)];
    let b = models[randomInt(random, models.length - 1)];
    if (b === a) b = models[models.length - 1];
    const outcome = judge(a, b);
    const sideOfWinner = outcome === "model_a" ? "left" : outcome === "model_b" ? "right" : null;
    return vote({ annotatorId, modelA: a, modelB: b, outcome, sideOfWinner });
  }

  function honest(random: Random) {
    return (a: string, b: string): TVoteOutcome =>
      random() < 1 / (1 + Math.exp(strengths[b] - strengths[a])) ? "model_a" : "model_b";
  }

  const inverted = (a: string, b: string): TVoteOutcome => (strengths[a] < strengths[b] ? "model_a" : "model_b");

  function population(seed: number, adversaries: number) {
    const random = createRandom(seed);
    const records: TQualityVoteRecord[] = [];
    for (let judge = 0; judge < 12; judge++) {
      for (let i = 0; i < 30; i++) records.push(battle(random, `honest-${String(judge).padStart(2, "0")}`, honest(random)));
    }
    for (let judge = 0; judge < adversaries; judge++) {
      for (let i = 0; i < 30; i++) records.push(battle(random, `adversary-${judge}`, inverted));
    }
    return records;
  }

  it("flags a judge who always picks the weaker model", () => {
    const reports = assessAnnotatorQuality(population(11, 1));
    const adversary = reportFor(reports, "adversary-0");
    expect(adversary.flags).toContain("outlier");
    expect(adversary.outlier?.zScore).toBeLessThan(-3.5);
  });

  it("does not flag honest judges", () => {
    const reports = assessAnnotatorQuality(population(11, 1));
    const flaggedHonest = reports.filter((report) => report.annotatorId.startsWith("honest") && report.flags.includes("outlier"));
    expect(flaggedHonest).toEqual([]);
  });

  it("scores the adversary's votes below every honest judge", () => {
    const reports = assessAnnotatorQuality(population(12, 1));
    const adversary = reportFor(reports, "adversary-0").outlier!.meanLogLikelihood;
    const honestScores = reports.filter((report) => report.annotatorId.startsWith("honest")).map((report) => report.outlier!.meanLogLikelihood);
    expect(Math.min(...honestScores)).toBeGreaterThan(adversary);
  });

  it("still flags two adversaries, since each is scored without its own votes", () => {
    const reports = assessAnnotatorQuality(population(13, 2));
    expect(reportFor(reports, "adversary-0").flags).toContain("outlier");
    expect(reportFor(reports, "adversary-1").flags).toContain("outlier");
  });

  it("skips judges with fewer than five rated votes", () => {
    const records = [...population(14, 0), ...population(15, 0).slice(0, 4).map((record) => ({ ...record, annotatorId: "newcomer" }))];
    expect(reportFor(assessAnnotatorQuality(records), "newcomer").outlier).toBeNull();
  });

  it("gives no z-score when fewer than five judges qualify", () => {
    const records = population(16, 0).filter((record) => record.annotatorId < "honest-04");
    const reports = assessAnnotatorQuality(records);
    expect(reports).toHaveLength(4);
    for (const report of reports) expect(report.outlier?.zScore).toBeNull();
  });

  it("ignores votes without both model ids", () => {
    const records = Array.from({ length: 10 }, () => decisive("left", { annotatorId: "anon" }));
    expect(assessAnnotatorQuality(records)[0].outlier).toBeNull();
  });

  it("flags a coin-flipping judge with 60 votes", () => {
    const random = createRandom(21);
    const coin = (): TVoteOutcome => (random() < 0.5 ? "model_a" : "model_b");
    const records = [...population(21, 0), ...Array.from({ length: 60 }, () => battle(random, "coin", coin))];
    expect(reportFor(assessAnnotatorQuality(records), "coin").flags).toContain("outlier");
  });

  it("scores honest judges near zero on average", () => {
    const honestScores = assessAnnotatorQuality(population(22, 0)).map((report) => report.outlier!.zScore!);
    const mean = honestScores.reduce((sum, score) => sum + score, 0) / honestScores.length;
    expect(mean).toBeGreaterThan(-1);
    expect(mean).toBeLessThan(2);
  });

  it("leaves ties out of the judge's score", () => {
    const records = [...population(23, 0), ...Array.from({ length: 8 }, (_, i) => vote({ annotatorId: "tier", modelA: "m1", modelB: `m${2 + (i % 4)}` }))];
    expect(reportFor(assessAnnotatorQuality(records), "tier").outlier).toBeNull();
  });

  it("is deterministic", () => {
    expect(assessAnnotatorQuality(population(17, 1))).toEqual(assessAnnotatorQuality(population(17, 1)));
  });
});
