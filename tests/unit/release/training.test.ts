import { describe, expect, it } from "vitest";
import { ktoRowsOf, preferenceRowOf, type TTrainingSource } from "@/lib/domain/release/training";

const persona = {
  age_band: "25-34", gender: null, language_count: "*", ai_usage_frequency: null, response_style: null, preferences: {},
};

function battle(overrides: Partial<TTrainingSource & { model_a: string; model_b: string }> = {}) {
  return {
    battle_id: "b1", annotator: "user1", modality: "text" as const, winner: "model_b" as const,
    model_a: "alpha", model_b: "beta", persona, category: ["coding"], language: "en",
    system_prompt_a: "You are talking to a [OCCUPATION].", system_prompt_b: "You are talking to a [OCCUPATION].",
    conversation_a: [{ role: "user" as const, content: "Sort a list?" }, { role: "assistant" as const, content: "Use sorted()." }],
    conversation_b: [{ role: "user" as const, content: "Sort a list?" }, { role: "assistant" as const, content: "list.sort() sorts in place." }],
    ...overrides,
  };
}

describe("preferenceRowOf", () => {
  it("puts the system prompt and the user turn in prompt, the winner in chosen", () => {
    const row = preferenceRowOf(battle())!;
    expect(row.prompt).toEqual([
      { role: "system", content: "You are talking to a [OCCUPATION]." },
      { role: "user", content: "Sort a list?" },
    ]);
    expect(row.chosen).toEqual([{ role: "assistant", content: "list.sort() sorts in place." }]);
    expect(row.rejected).toEqual([{ role: "assistant", content: "Use sorted()." }]);
    expect([row.chosen_model, row.rejected_model]).toEqual(["beta", "alpha"]);
  });

  it("makes no pair from a tie, both-bad, an image battle or sides with different system prompts", () => {
    expect(preferenceRowOf(battle({ winner: "tie" }))).toBeNull();
    expect(preferenceRowOf(battle({ winner: "both_bad" }))).toBeNull();
    expect(preferenceRowOf(battle({ modality: "image" }))).toBeNull();
    expect(preferenceRowOf(battle({ system_prompt_b: null }))).toBeNull();
  });

  it("ends the prompt of a multi-turn battle at the first user message the sides share", () => {
    const row = preferenceRowOf(
      battle({
        system_prompt_a: null, system_prompt_b: null, winner: "model_a",
        conversation_a: [{ role: "user", content: "Q1" }, { role: "assistant", content: "A1" }, { role: "user", content: "Q2" }, { role: "assistant", content: "A2" }],
        conversation_b: [{ role: "user", content: "Q1" }, { role: "assistant", content: "B1" }, { role: "user", content: "Q2" }, { role: "assistant", content: "B2" }],
      }),
    )!;
    expect(row.prompt).toEqual([{ role: "user", content: "Q1" }]);
    expect(row.chosen.map((message) => message.content)).toEqual(["A1", "Q2", "A2"]);
  });
});

describe("ktoRowsOf", () => {
  it("labels the winner true and the loser false", () => {
    const rows = ktoRowsOf(battle());
    expect(rows.map((row) => [row.model, row.label])).toEqual([["alpha", false], ["beta", true]]);
    expect(rows[1].completion).toEqual([{ role: "assistant", content: "list.sort() sorts in place." }]);
  });

  it("gives two false rows for both-bad and none for a tie; keeps each side's own system prompt", () => {
    expect(ktoRowsOf(battle({ winner: "both_bad" })).map((row) => row.label)).toEqual([false, false]);
    expect(ktoRowsOf(battle({ winner: "tie" }))).toEqual([]);
    const rows = ktoRowsOf(battle({ system_prompt_b: null }));
    expect(rows[0].prompt[0].role).toBe("system");
    expect(rows[1].prompt[0].role).toBe("user");
  });
});
