import { describe, expect, it } from "vitest";

import { DEMO_FEEDBACK_SHARE, DEMO_HISTORY_DAYS, DEMO_HISTORY_PROMPTS, demoHistoryConfig, demoVoteFeedback } from "@/lib/domain/demo/history";
import { createRandom } from "@/lib/domain/random";
import { detectRequestKind } from "@/lib/domain/demo/request-kind";
import { simulatePopulation } from "@/lib/domain/simulation";
import type { TVoteOutcome } from "@/lib/domain/vocabulary";

const NOW = new Date("2026-12-06T10:00:00Z");
const TEXT_MODELS = [
  { id: "m-concise", personality: "concise-expert" as const },
  { id: "m-friendly", personality: "friendly-explainer" as const },
  { id: "m-formal", personality: "formal-analyst" as const },
  { id: "m-story", personality: "storyteller" as const },
  { id: "m-terse", personality: "terse-rusher" as const },
];

describe("demoHistoryConfig", () => {
  it("needs two models", () => {
    expect(demoHistoryConfig("image", [{ id: "only", personality: null }], NOW)).toBeNull();
  });

  it("puts every vote in the 60 days before now", () => {
    const population = simulatePopulation(demoHistoryConfig("image", [{ id: "a", personality: null }, { id: "b", personality: null }], NOW)!, 1);
    for (const vote of population.votes) {
      expect(vote.timestamp).toBeGreaterThanOrEqual(NOW.getTime() - DEMO_HISTORY_DAYS * 86_400_000);
      expect(vote.timestamp).toBeLessThanOrEqual(NOW.getTime());
    }
  });

  it("ties text tastes to persona groups: the arts group prefers the storyteller, coders the concise expert", () => {
    const population = simulatePopulation(demoHistoryConfig("text", TEXT_MODELS, NOW)!, 1);
    const strongest = (groupId: string) => {
      const group = population.truth.groups.find((entry) => entry.id === groupId)!;
      return Object.entries(group.strengths).sort(([, x], [, y]) => y - x)[0][0];
    };
    expect(strongest("creatives")).toBe("m-story");
    expect(strongest("coders")).toBe("m-concise");
    expect(strongest("casual")).toBe("m-friendly");
    expect(strongest("careful")).toBe("m-formal");
    expect(population.annotators.length).toBeGreaterThanOrEqual(200);
  });

  it("asks text prompts of every request kind", () => {
    const kinds = new Set(DEMO_HISTORY_PROMPTS.text.map(detectRequestKind));
    expect([...kinds].sort()).toEqual(["code", "creative", "explanation", "factual", "how-to", "list"]);
  });
});

describe("demoVoteFeedback", () => {
  it("comments on a small share of votes", () => {
    const random = createRandom(4);
    const commented = Array.from({ length: 5000 }, () => demoVoteFeedback("model_a", random)).filter((feedback) => feedback !== null).length;
    expect(commented / 5000).toBeGreaterThan(DEMO_FEEDBACK_SHARE - 0.02);
    expect(commented / 5000).toBeLessThan(DEMO_FEEDBACK_SHARE + 0.02);
  });

  it("praises the winner or criticises the loser of a decisive vote, and comments generally on ties and both-bad", () => {
    const random = createRandom(9);
    const all = (outcome: TVoteOutcome) => Array.from({ length: 2000 }, () => demoVoteFeedback(outcome, random)).filter((feedback) => feedback !== null);
    for (const feedback of all("model_b")) expect(Object.keys(feedback)).toHaveLength(1);
    const sides = all("model_a");
    expect(sides.some((feedback) => feedback.feedbackA && !feedback.feedbackB)).toBe(true);
    expect(sides.some((feedback) => feedback.feedbackB && !feedback.feedbackA)).toBe(true);
    expect(sides.every((feedback) => feedback.feedbackGeneral === undefined)).toBe(true);
    expect(all("both_bad").every((feedback) => Object.keys(feedback).join() === "feedbackGeneral")).toBe(true);
  });
});
