import { describe, expect, it } from "vitest";

import { parsePersonaHints } from "@/lib/domain/demo/persona-hints";
import {
  containsIdentityWord,
  DEMO_PERSONALITIES,
  demoAnswerAppeal,
  generateDemoAnswer,
  scrubIdentityWords,
  type DemoMessage,
  type DemoPersonalityId,
} from "@/lib/domain/demo/text-personalities";

const ids = DEMO_PERSONALITIES.map((personality) => personality.id);
const ask = (prompt: string, system?: string): DemoMessage[] => [
  ...(system ? [{ role: "system" as const, content: system }] : []),
  { role: "user" as const, content: prompt },
];
const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

const PROMPTS = [
  "How do I make sourdough bread at home?",
  "Explain quantum entanglement",
  "Why is the sky blue?",
  "Write a short story about a lighthouse",
  "Is ChatGPT better than Claude or Gemini for coding?",
  "What is the best way to learn the piano as an adult",
];

describe("generateDemoAnswer", () => {
  it("offers at least five personalities", () => {
    expect(new Set(ids).size).toBeGreaterThanOrEqual(5);
  });

  it.each(ids)("%s answers the same conversation identically", (id) => {
    expect(generateDemoAnswer(id, ask(PROMPTS[0]))).toBe(generateDemoAnswer(id, ask(PROMPTS[0])));
  });

  it.each(ids)("%s answers different prompts differently", (id) => {
    expect(generateDemoAnswer(id, ask(PROMPTS[1]))).not.toBe(generateDemoAnswer(id, ask(PROMPTS[2])));
  });

  it.each(ids)("%s never returns an empty answer", (id) => {
    for (const prompt of [...PROMPTS, "?", ""]) expect(generateDemoAnswer(id, ask(prompt)).trim().length).toBeGreaterThan(0);
  });

  it("gives five distinct answers to the same prompt", () => {
    const answers = ids.map((id) => generateDemoAnswer(id, ask(PROMPTS[0])));
    expect(new Set(answers).size).toBe(ids.length);
  });

  it.each(ids)("%s never names a real model or company, even when the prompt does", (id) => {
    for (const prompt of PROMPTS) expect(containsIdentityWord(generateDemoAnswer(id, ask(prompt)))).toBe(false);
  });

  it("mentions the topic of the user's question", () => {
    expect(generateDemoAnswer("friendly-explainer", ask("Explain quantum entanglement"))).toContain("quantum entanglement");
  });

  it("uses headers for the formal analyst and bullets for the friendly explainer", () => {
    expect(generateDemoAnswer("formal-analyst", ask(PROMPTS[1]))).toMatch(/^## /m);
    expect(generateDemoAnswer("friendly-explainer", ask(PROMPTS[1]))).toMatch(/^- /m);
  });

  it("makes the formal analyst longer than the concise expert, who is longer than the terse one", () => {
    const length = (id: DemoPersonalityId) => wordCount(generateDemoAnswer(id, ask(PROMPTS[5])));
    expect(length("formal-analyst")).toBeGreaterThan(length("concise-expert"));
    expect(length("concise-expert")).toBeGreaterThan(length("terse-rusher"));
  });

  it("has the storyteller tell a story", () => {
    expect(generateDemoAnswer("storyteller", ask(PROMPTS[3]))).toMatch(/once|lighthouse keeper/i);
  });

  it("mentions the persona's field as a background", () => {
    expect(generateDemoAnswer("friendly-explainer", ask(PROMPTS[1], "Field: nursing"))).toContain("With your background in nursing");
  });

  it("mentions the persona's country where local differences matter", () => {
    expect(generateDemoAnswer("friendly-explainer", ask("Give me some ideas for a weekend trip", "Country: Kenya"))).toContain("Kenya");
  });

  it("answers in the persona's language", () => {
    expect(generateDemoAnswer("friendly-explainer", ask(PROMPTS[1], "Language: fr"))).toMatch(/question|Voyons|J'espère/);
    expect(generateDemoAnswer("formal-analyst", ask(PROMPTS[1], "Language: de"))).toContain("## Überblick");
  });

  it("answers in the language the user writes in when the persona states none", () => {
    expect(generateDemoAnswer("formal-analyst", ask("¿Por qué el cielo es azul para los niños y los adultos?"))).toContain("## Resumen");
  });

  it("shortens answers for a persona who prefers concise answers", () => {
    const plain = wordCount(generateDemoAnswer("formal-analyst", ask(PROMPTS[5])));
    const concise = wordCount(generateDemoAnswer("formal-analyst", ask(PROMPTS[5], "Preferred style: concise")));
    expect(concise).toBeLessThan(plain);
  });

  it("adds a simple analogy for novices and skips it for experts in the explainer", () => {
    expect(generateDemoAnswer("friendly-explainer", ask(PROMPTS[1], "Expertise: novice"))).toMatch(/In simple terms/);
    expect(generateDemoAnswer("friendly-explainer", ask(PROMPTS[1], "Expertise: expert"))).not.toMatch(/In simple terms/);
  });

  it("greets older personas more formally", () => {
    expect(generateDemoAnswer("friendly-explainer", ask(PROMPTS[1], "Age: 65+"))).toMatch(/^Thank you for the question/);
  });
});

describe("demoAnswerAppeal", () => {
  const expert = parsePersonaHints("Expertise: expert");
  const novice = parsePersonaHints("Expertise: novice");
  const best = (hints: ReturnType<typeof parsePersonaHints>, prompt: string) =>
    [...ids].sort((a, b) => demoAnswerAppeal(b, hints, prompt) - demoAnswerAppeal(a, hints, prompt))[0];

  it("makes experts prefer the concise expert", () => {
    expect(best(expert, PROMPTS[1])).toBe("concise-expert");
  });

  it("makes novices prefer the friendly explainer", () => {
    expect(best(novice, PROMPTS[1])).toBe("friendly-explainer");
  });

  it("makes creative prompts favour the storyteller", () => {
    expect(best(parsePersonaHints(null), PROMPTS[3])).toBe("storyteller");
  });

  it("ranks the terse rusher last for a persona without preferences", () => {
    const hints = parsePersonaHints(null);
    const lowest = [...ids].sort((a, b) => demoAnswerAppeal(a, hints, PROMPTS[0]) - demoAnswerAppeal(b, hints, PROMPTS[0]))[0];
    expect(lowest).toBe("terse-rusher");
  });
});

describe("identity words", () => {
  it("scrubs identity words with their version suffix but leaves lookalike words", () => {
    expect(scrubIdentityWords("gpt-4o and llama3.1 handle metadata")).toBe("another assistant and another assistant handle metadata");
  });

});
