import { describe, expect, it } from "vitest";
import { releasedBattleJsonLine } from "@/lib/domain/release/jsonl";
import { ZReleasedBattleSchema, type TReleasedBattle, type TReleasedTurn } from "@/lib/domain/release/schema";
import { releasedBattle } from "./released-battle";

const battleWith = (turns: TReleasedTurn[], overrides: Partial<TReleasedBattle> = {}): TReleasedBattle => ZReleasedBattleSchema.parse(releasedBattle(turns, overrides));

describe("releasedBattleJsonLine", () => {
  it("equals JSON.stringify of a schema-parsed one-turn battle", () => {
    const battle = battleWith([{ prompt: "Hi", answer_a: "Hello", answer_b: "Hey" }]);
    expect(releasedBattleJsonLine(battle)).toBe(JSON.stringify(battle));
  });

  it("equals JSON.stringify with several turns, media, feedback and listening times", () => {
    const turns = [
      { prompt: "one", answer_a: "a1", answer_b: "b1", media_a: { sha256: "f".repeat(64), mime: "audio/mpeg", file: "media/x.mp3" } },
      { prompt: "two", answer_a: "a2", answer_b: "b2", media_b: { sha256: "e".repeat(64), mime: "audio/mpeg" } },
    ];
    const battle = battleWith(turns, { modality: "audio", feedback: { general: "ok", b: "" }, listening: { seconds_a: 5, seconds_b: 6.5 } });
    expect(releasedBattleJsonLine(battle)).toBe(JSON.stringify(battle));
  });

  it("escapes quotes, backslashes, control characters, non-ASCII text and lone surrogates like JSON.stringify", () => {
    const battle = battleWith([{ prompt: 'say "hi"\\ \n\t\u0001', answer_a: "café 東京 🎵", answer_b: "broken \ud800 pair" }]);
    expect(releasedBattleJsonLine(battle)).toBe(JSON.stringify(battle));
  });

  it("writes each conversation as given when it differs from the turns", () => {
    const battle = battleWith([{ prompt: "p", answer_a: "a", answer_b: "b" }], {
      conversation_a: [{ role: "user", content: "other prompt" }],
      conversation_b: [],
    });
    expect(JSON.parse(releasedBattleJsonLine(battle))).toEqual(battle);
  });

  it("puts keys in schema order whatever the object's own order", () => {
    const battle = battleWith([{ prompt: "p", answer_a: "a", answer_b: "b" }]);
    const reordered = Object.fromEntries(Object.entries(battle).reverse()) as unknown as TReleasedBattle;
    expect(releasedBattleJsonLine(reordered)).toBe(JSON.stringify(battle));
  });

  it("is one line: newlines inside texts are escaped", () => {
    const battle = battleWith([{ prompt: "line\nbreak\r\n", answer_a: "a\n", answer_b: "b" }]);
    expect(releasedBattleJsonLine(battle)).not.toMatch(/[\r\n]/);
  });
});

describe("releasedBattleJsonLine text escaping", () => {
  it.each([
    ["plain prose", "The answer is 42."],
    ["newlines only", "first line\nsecond line\n"],
    ["a newline and a quote", 'line\n"quoted"'],
    ["a carriage return", "a\r\nb"],
    ["a backslash", "C:\\path"],
    ["a tab", "a\tb"],
    ["the empty string", ""],
    ["a paired surrogate", "🎵\n"],
    ["a lone low surrogate", "x\udc00\n"],
  ])("escapes %s exactly as JSON.stringify", (_, text) => {
    const battle = battleWith([{ prompt: text, answer_a: text, answer_b: text }]);
    expect(releasedBattleJsonLine(battle)).toBe(JSON.stringify(battle));
  });
});
