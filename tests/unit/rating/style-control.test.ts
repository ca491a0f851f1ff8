import { describe, expect, it } from "vitest";
import { createRandom, randomInt } from "@/lib/domain/random";
import { battleLogFromBattles } from "@/lib/domain/rating/battle-log";
import { fitBradleyTerry } from "@/lib/domain/rating/bradley-terry";
import { aggregateBattleCells } from "@/lib/domain/rating/cells";
import {
  computeStyleControlledRatings,
  countMarkdownStyle,
  type StyleCounts,
  type StyledBattle,
} from "@/lib/domain/rating/style-control";

describe("countMarkdownStyle", () => {
  it("counts headers of levels 1 to 6", () => {
    expect(countMarkdownStyle("# One\ntext\n### Three\n####### seven is not a header").headers).toBe(2);
  });

  it("counts unordered and ordered list items", () => {
    expect(countMarkdownStyle("- a\n* b\n  + c\n1. d\n10. e\nnot - a list").lists).toBe(5);
  });

  it("counts bold spans with stars and underscores", () => {
    expect(countMarkdownStyle("**bold** and __also__ but *not*").bold).toBe(2);
  });

  it("ignores markdown inside fenced code blocks", () => {
    expect(countMarkdownStyle("```\n# not a header\n- not a list\n```\n# header")).toMatchObject({ headers: 1, lists: 0 });
  });

  it("approximates tokens as 1.3 per whitespace-separated word, rounded", () => {
    expect(countMarkdownStyle("one two  three\nfour").tokens).toBe(5);
    expect(countMarkdownStyle("").tokens).toBe(0);
  });
});

const PLAIN: StyleCounts = { tokens: 100, headers: 0, lists: 0, bold: 0 };
const VERBOSE: StyleCounts = { tokens: 400, headers: 0, lists: 0, bold: 0 };

/**
 * Equal-strength models where "long" always answers at length and length itself wins:
 * P(A wins) = σ(1.0 · z_length(A − B)), sides random.
 */
function lengthBiasedBattles(count: number, seed: number): StyledBattle[] {
  const random = createRandom(seed);
  const models = ["long", "short1", "short2", "short3"];
  const battles: StyledBattle[] = [];
  for (let k = 0; k < count; k++) {
    const a = randomInt(random, 4);
    let b = randomInt(random, 3);
    if (b >= a) b++;
    const styleA = models[a] === "long" ? VERBOSE : { ...PLAIN, tokens: 80 + randomInt(random, 60) };
    const styleB = models[b] === "long" ? VERBOSE : { ...PLAIN, tokens: 80 + randomInt(random, 60) };
    const lengthEdge = (styleA.tokens - styleB.tokens) / (styleA.tokens + styleB.tokens + 1);
    const aWins = random() < 1 / (1 + Math.exp(-2.5 * lengthEdge));
    battles.push({ modelA: models[a], modelB: models[b], outcome: aWins ? "model_a" : "model_b", styleA, styleB });
  }
  return battles;
}

describe("computeStyleControlledRatings", () => {
  const battles = lengthBiasedBattles(8000, 12);
  const styled = computeStyleControlledRatings(battles);
  const plainFit = fitBradleyTerry(aggregateBattleCells(battleLogFromBattles(battles)));
  const plain = Object.fromEntries(plainFit.models.map((m, i) => [m, plainFit.ratings[i]]));

  it("finds a positive length coefficient", () => {
    expect(styled.coefficients.tokens).toBeGreaterThan(0.3);
  });

  it("removes the verbose model's advantage that plain BT shows", () => {
    expect(plain.long - plain.short1).toBeGreaterThan(80);
    expect(Math.abs(styled.ratings.long - styled.ratings.short1)).toBeLessThan(30);
  });

  it("leaves constant features at zero", () => {
    expect(styled.coefficients.headers).toBe(0);
    expect(styled.featureStdDevs.headers).toBe(0);
  });

  it("centres the ratings at 1000", () => {
    const values = Object.values(styled.ratings);
    expect(values.reduce((s, v) => s + v, 0) / values.length).toBeCloseTo(1000, 6);
  });

  it("equals plain BT when answers have identical style", () => {
    const same = battles.map((b) => ({ ...b, styleA: PLAIN, styleB: PLAIN }));
    const result = computeStyleControlledRatings(same);
    for (const model of Object.keys(plain)) expect(result.ratings[model]).toBeCloseTo(plain[model], 3);
  });

  it("gives the same answer when every battle is written from the other side", () => {
    const swapped = battles.map(
      (b): StyledBattle => ({
        modelA: b.modelB,
        modelB: b.modelA,
        outcome: b.outcome === "model_a" ? "model_b" : "model_a",
        styleA: b.styleB,
        styleB: b.styleA,
      }),
    );
    const mirrored = computeStyleControlledRatings(swapped);
    expect(mirrored.coefficients.tokens).toBeCloseTo(styled.coefficients.tokens, 6);
    for (const model of Object.keys(styled.ratings)) expect(mirrored.ratings[model]).toBeCloseTo(styled.ratings[model], 4);
  });

  it("applies an anchor", () => {
    const anchored = computeStyleControlledRatings(battles, { anchor: { model: "short2", rating: 1200 } });
    expect(anchored.ratings.short2).toBeCloseTo(1200, 9);
  });
});
