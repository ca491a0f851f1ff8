import { conversationForSide, type TReleasedBattle, type TReleasedTurn } from "@/lib/domain/release/schema";

/** A released battle of these turns (conversations derived from them), with `overrides` on top. */
export function releasedBattle(turns: TReleasedTurn[], overrides: Partial<TReleasedBattle> = {}): TReleasedBattle {
  return {
    battle_id: "b1",
    modality: "text",
    date: "2025-03-04",
    model_a: "m-a",
    model_b: "m-b",
    winner: "tie",
    personalized_a: true,
    personalized_b: true,
    category: [],
    language: "en",
    prompt_hash: "0123456789abcdef",
    system_prompt_a: null,
    system_prompt_b: null,
    turns,
    feedback: {},
    listening: null,
    persona: {
      age_band: "25-34",
      gender: null,
      language_count: "2",
      ai_usage_frequency: "frequent",
      response_style: null,
      preferences: { factuality: "80-100" },
    },
    annotator: "annotator_0123456789abcdef",
    conversation_a: conversationForSide(turns, "a"),
    conversation_b: conversationForSide(turns, "b"),
    ...overrides,
  };
}
