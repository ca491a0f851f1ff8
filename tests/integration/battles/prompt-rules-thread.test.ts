import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it, vi } from "vitest";
import { classifyPrompt, loadLanguageDetector } from "@/lib/domain/categories";
import { classifyByRules } from "@/lib/server/services/prompt-rules-thread";

const conversations = [
  ["Write a Python function that reverses a linked list."],
  ["Solve for x: 4x - 2 = 10"],
  ["Was ist die Hauptstadt von Österreich?", "Und von der Schweiz?"],
  ["Write a short poem about autumn in exactly four lines."],
  ["?!"],
];

describe("the prompt-rules thread", () => {
  afterEach(() => vi.restoreAllMocks());

  it("gives each conversation the rules' categories and language, in order, from a thread in one message a pass", async () => {
    const posted = vi.spyOn(Worker.prototype, "postMessage");
    const verdicts = await classifyByRules(conversations);
    const passes = posted.mock.calls.map(([message]) => message as { conversations?: string[][] }).filter((message) => message.conversations);
    expect(passes.map((message) => message.conversations)).toEqual([conversations]);
    const detectLanguage = await loadLanguageDetector();
    expect(verdicts).toEqual(
      conversations.map((turns) => {
        const { categories, language } = classifyPrompt(turns, detectLanguage);
        return { categories, language };
      }),
    );
  });

  it("answers passes that run at once each with their own verdicts", async () => {
    const [first, second] = await Promise.all([classifyByRules(conversations.slice(0, 2)), classifyByRules(conversations.slice(2))]);
    expect(first.map((verdict) => verdict.categories)).toEqual([["coding"], expect.arrayContaining(["math"])]);
    expect(second).toHaveLength(3);
    expect(second[0]).toMatchObject({ language: "de", categories: ["multi_turn"] });
  });
});
