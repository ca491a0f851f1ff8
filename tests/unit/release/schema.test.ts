import { describe, expect, it } from "vitest";
import { conversationForSide, RELEASE_SCHEMA_VERSION, ZReleasedBattleSchema } from "@/lib/domain/release/schema";

const turns = [{ prompt: "p", answer_a: "a", answer_b: "b" }];
const valid = {
  battle_id: "b1",
  modality: "audio",
  date: "2025-03-04",
  model_a: "m-a",
  model_b: "m-b",
  winner: "both_bad",
  personalized_a: false,
  personalized_b: false,
  category: [],
  language: null,
  prompt_hash: null,
  system_prompt_a: null,
  system_prompt_b: null,
  turns: [{ ...turns[0], media_a: { sha256: "f".repeat(64), mime: "audio/mpeg" } }],
  feedback: {},
  listening: { seconds_a: 5, seconds_b: 6.5 },
  persona: {
    age_band: null, gender: null, language_count: null, ai_usage_frequency: null, response_style: null, preferences: {},
  },
  annotator: "annotator_0123456789abcdef",
  conversation_a: conversationForSide(turns, "a"),
  conversation_b: conversationForSide(turns, "b"),
};

describe("ZReleasedBattleSchema", () => {
  it("accepts a complete battle", () => {
    expect(ZReleasedBattleSchema.safeParse(valid).success).toBe(true);
  });

  it.each([
    ["an unknown winner", { winner: "tie (bothbad)" }],
    ["a timestamp instead of a date", { date: "2025-03-04T10:00:00Z" }],
    ["no turns", { turns: [] }],
    ["an unknown modality", { modality: "video" }],
    ["an unknown category", { category: ["poetry"] }],
    ["negative listening time", { listening: { seconds_a: -1 } }],
    ["a bad media hash", { turns: [{ ...turns[0], media_a: { sha256: "xyz", mime: "image/png" } }] }],
    ["a preference that is not a bucket", { persona: { ...valid.persona, preferences: { safety: "55" } } }],
  ])("rejects %s", (_, override) => {
    expect(ZReleasedBattleSchema.safeParse({ ...valid, ...override }).success).toBe(false);
  });

  it("strips fields that are not part of the schema", () => {
    const parsed = ZReleasedBattleSchema.parse({ ...valid, user_id: "secret-user" });
    expect(parsed).not.toHaveProperty("user_id");
  });

  it("has a semver version", () => {
    expect(RELEASE_SCHEMA_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("conversationForSide", () => {
  it("alternates user prompts and that side's answers", () => {
    const twoTurns = [...turns, { prompt: "p2", answer_a: "a2", answer_b: "b2" }];
    expect(conversationForSide(twoTurns, "b")).toEqual([
      { role: "user", content: "p" },
      { role: "assistant", content: "b" },
      { role: "user", content: "p2" },
      { role: "assistant", content: "b2" },
    ]);
  });
});
