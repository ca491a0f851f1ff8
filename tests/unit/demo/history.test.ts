import { describe, expect, it } from "vitest";

import { DEMO_HISTORY_DAYS, DEMO_HISTORY_PROMPTS, demoHistoryConfig } from "@/lib/domain/demo/history";
import { detectRequestKind } from "@/lib/domain/demo/request-kind";
import { simulatePopulation } from "@/lib/domain/simulation";

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
