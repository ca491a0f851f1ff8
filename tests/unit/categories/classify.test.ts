import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  classifyPrompt,
  duplicatePromptWeight,
  loadLanguageDetector,
  normalizePrompt,
  PROMPT_CATEGORIES,
  promptHash,
  type TDetectLanguage,
} from "@/lib/domain/categories";

let detect: TDetectLanguage;
beforeAll(async () => {
  detect = await loadLanguageDetector();
});

const categoriesOf = (...turns: string[]) => classifyPrompt(turns, detect).categories;

describe("classifyPrompt", () => {
  it("tags a coding question as coding only", () => {
    expect(categoriesOf("Write a Python function that reverses a linked list.")).toEqual(["coding"]);
  });

  it("tags arithmetic and algebra as math", () => {
    expect(categoriesOf("Solve for x: 4x - 2 = 10")).toContain("math");
    expect(categoriesOf("What is the probability of rolling a 6 twice in a row?")).toContain("math");
    expect(categoriesOf("Wie groß ist die Wahrscheinlichkeit, zweimal eine 6 zu würfeln?")).toContain("math");
  });

  it("tags a request for a poem as creative writing but not a question about a poem", () => {
    expect(categoriesOf("Write a poem about the sea at dawn.")).toEqual(["creative_writing"]);
    expect(categoriesOf("Who wrote the poem 'Ozymandias'?")).toEqual([]);
    expect(categoriesOf("Écris un poème sur la pluie.")).toEqual(["creative_writing"]);
  });

  it("tags explicit format constraints as instruction following", () => {
    expect(categoriesOf("Name three rivers in Europe, separated by semicolons, with no other text.")).toContain("instruction_following");
    expect(categoriesOf("Explain gravity in exactly two sentences.")).toContain("instruction_following");
    expect(categoriesOf("Explain gravity.")).not.toContain("instruction_following");
  });

  it("needs six of the seven criteria for a hard prompt", () => {
    const hard = classifyPrompt(
      ["Our 40-person logistics startup loses 12% of deliveries to failed first attempts in Berlin. Design a routing and customer-notification experiment, estimate the sample size for a 3-point improvement, and list the risks to our budget."],
      detect,
    );
    expect(hard.categories).toContain("hard_prompt");
    expect(Object.values(hard.hardPrompt).filter(Boolean).length).toBeGreaterThanOrEqual(6);
    expect(categoriesOf("What is the capital of Peru?")).not.toContain("hard_prompt");
  });

  it("calls a conversation with a follow-up multi-turn and keeps the task's category", () => {
    expect(categoriesOf("How do I read a file in Node?", "And if it is huge?")).toEqual(["coding", "multi_turn"]);
  });

  it("detects the language, ignoring code and numbers", () => {
    expect(classifyPrompt(["¿Cuál es la capital de Chile y cuántos habitantes tiene?"], detect).language).toBe("es");
    expect(classifyPrompt(["Wie lange dauert die Fahrt von Köln nach Berlin mit dem Zug?"], detect).language).toBe("de");
    expect(classifyPrompt(["12 + 7 = ?"], detect).language).toBeNull();
  });

  it("returns categories in vocabulary order", () => {
    const found = categoriesOf("Write a Python script that computes the integral of x^2 from 0 to 3.", "Now add tests.");
    expect(found).toEqual(PROMPT_CATEGORIES.filter((category) => found.includes(category)));
    expect(found).toEqual(["coding", "math", "multi_turn"]);
  });

  it("reaches macro-F1 ≥ 0.8 on the labelled fixture", () => {
    const lines = readFileSync("tests/fixtures/categories/prompts.jsonl", "utf8").trim().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(300);
    let f1Sum = 0;
    for (const category of PROMPT_CATEGORIES) {
      let tp = 0, fp = 0, fn = 0;
      for (const line of lines) {
        const { turns, categories } = JSON.parse(line) as { turns: string[]; categories: string[] };
        const guess = categoriesOf(...turns).includes(category);
        const truth = categories.includes(category);
        if (guess && truth) tp++;
        else if (guess) fp++;
        else if (truth) fn++;
      }
      f1Sum += (2 * tp) / (2 * tp + fp + fn);
    }
    expect(f1Sum / PROMPT_CATEGORIES.length).toBeGreaterThanOrEqual(0.8);
  });
});

describe("prompt hashes", () => {
  it("ignore case, spacing and punctuation but not words", () => {
    expect(promptHash("What is  the capital of France?")).toBe(promptHash("what is the capital of france"));
    expect(promptHash("What is the capital of France?")).not.toBe(promptHash("What is the capital of Spain?"));
    expect(normalizePrompt("Ｈｅｌｌｏ,   World!!")).toBe("hello world");
    expect(promptHash("x")).toMatch(/^[0-9a-f]{16}$/);
  });

  it("are the first 16 hex digits of the normalized prompt's SHA-256, as stored by earlier versions (the duplicate rule counts across them)", () => {
    expect(promptHash("What is the capital of France?")).toBe("d832be57fc35827e");
  });

  it("down-weight a prompt's battles above the threshold so that together they weigh the threshold", () => {
    expect(duplicatePromptWeight(3, 10)).toBe(1);
    expect(duplicatePromptWeight(40, 10)).toBe(0.25);
    expect(40 * duplicatePromptWeight(40, 10)).toBe(10);
  });
});
