import { describe, expect, it } from "vitest";

import { DEMO_PERSONALITIES, generateDemoAnswer, type DemoMessage, type DemoPersonalityId } from "@/lib/domain/demo/text-personalities";

const ids = DEMO_PERSONALITIES.map((personality) => personality.id);
const strong = ids.filter((id) => id !== "terse-rusher");
const ask = (prompt: string, system?: string): DemoMessage[] => [
  ...(system ? [{ role: "system" as const, content: system }] : []),
  { role: "user" as const, content: prompt },
];
const answer = (id: DemoPersonalityId, prompt: string, system?: string, seed = 1) => generateDemoAnswer(id, ask(prompt, system), seed);

const RETIRED_TEACHER = "About the user:\n- Age: 65+\n- Occupation: retired teacher\n- Field of expertise: Education and teaching";

describe("demo answers take the shape of the request", () => {
  it.each(strong)("%s answers a coding question with a fenced code block in the asked language", (id) => {
    expect(answer(id, "Write a Python function that reverses a string")).toMatch(/```python\n[\s\S]*def reverse_string[\s\S]*\n```/);
    expect(answer(id, "Write a JavaScript function to check if a word is a palindrome")).toMatch(/```javascript\n[\s\S]*function isPalindrome/);
  });

  it.each(strong)("%s writes a SQL query for a SQL question", (id) => {
    expect(answer(id, "write a SQL query to count orders per customer")).toMatch(/```sql\n[\s\S]*GROUP BY/);
  });

  it("writes a named skeleton for a coding task it does not know", () => {
    expect(answer("concise-expert", "Write a Python function that merges overlapping calendar events")).toMatch(/```python\ndef merge_overlapping_calendar/);
  });

  it.each(["concise-expert", "friendly-explainer", "formal-analyst"] as const)("%s answers a how-to with numbered steps", (id) => {
    const text = answer(id, "How do I make sourdough bread at home?");
    expect(text).toMatch(/^1\. /m);
    expect(text).toMatch(/^4\. /m);
    expect(text).toMatch(/starter/);
  });

  it.each(["concise-expert", "friendly-explainer", "formal-analyst"] as const)("%s answers a list request with the asked number of items", (id) => {
    const text = answer(id, "Give me 3 tips for learning Spanish");
    const items = text.split("\n").filter((line) => /^(\d+\.|-) /.test(line));
    expect(items).toHaveLength(3);
  });

  it.each(strong)("%s answers a poem request with verse, not prose about the topic", (id) => {
    const text = answer(id, "Write a short poem about a lighthouse");
    const verse = text.split("\n").filter((line) => line.includes("lighthouse") || /[,;.]$/.test(line));
    expect(verse.length).toBeGreaterThanOrEqual(4);
    expect(text).not.toMatch(/examines|structured analysis/);
  });

  it("writes a three-line haiku", () => {
    expect(answer("concise-expert", "Write a haiku about autumn rain").split("\n")).toHaveLength(3);
  });

  it("answers a short factual question directly", () => {
    expect(answer("concise-expert", "What is the capital of Peru?")).toBe("The capital of Peru is Lima.");
    expect(answer("friendly-explainer", "Who wrote Romeo and Juliet?")).toContain("William Shakespeare");
  });

  it.each(ids)("%s never echoes an unknown question back as a topic", (id) => {
    for (const prompt of ["Is ChatGPT better than Claude or Gemini for coding?", "What was the population of Rome in 300 AD?", "I feel stuck at work lately"]) {
      const text = answer(id, prompt);
      expect(text).not.toMatch(/another assistant better|population of Rome|you feel stuck at work/i);
    }
  });

  it("acknowledges a stated feeling before giving advice", () => {
    expect(answer("friendly-explainer", "I feel stuck at work lately")).toMatch(/^Feeling stuck is hard/);
  });

  it.each(strong)("%s explains a known topic with real facts", (id) => {
    expect(answer(id, "How does photosynthesis work?")).toMatch(/chlorophyll|carbon dioxide|light/i);
  });

  it("keeps 'to my grandmother' as the audience, not part of the topic", () => {
    for (const id of ids) {
      const text = answer(id, "Explain how vaccines work to my grandmother");
      expect(text).not.toMatch(/work to your grandmother systematically|examines how vaccines work to/);
    }
    expect(answer("friendly-explainer", "Explain how vaccines work to my grandmother")).toContain("explain how vaccines work to your grandmother");
  });
});

describe("demo answers use persona facts correctly", () => {
  it("speaks of a retired teacher's work in the past", () => {
    for (const id of ids) {
      const text = answer(id, "How do I make sourdough bread at home?", RETIRED_TEACHER);
      expect(text).not.toMatch(/you work in|your work as|since you work/i);
    }
    expect(answer("friendly-explainer", "How do I make sourdough bread at home?", RETIRED_TEACHER)).toContain("From your years as a teacher");
  });

  it("speaks of a current occupation in the present", () => {
    expect(answer("friendly-explainer", "How do I make sourdough bread at home?", "- Occupation: nurse")).toContain("In your work as a nurse");
  });

  it("treats a field of expertise as a background, not a job", () => {
    const text = answer("friendly-explainer", "How does photosynthesis work?", "- Field of expertise: Law");
    expect(text).toContain("With your background in law");
  });

  it("says nothing about work when the persona gives none", () => {
    expect(answer("friendly-explainer", "How does photosynthesis work?", "- Age: 25-34")).not.toMatch(/your work|your years as|your background/);
  });

  it("greets an older persona calmly and a younger one casually", () => {
    expect(answer("friendly-explainer", "How does photosynthesis work?", "- Age: 65+")).toMatch(/^Thank you for the question/);
    expect(answer("friendly-explainer", "How does photosynthesis work?", "- Age: 18-24")).toMatch(/^Nice one!/);
  });
});

describe("per-battle seed", () => {
  it.each(ids)("%s answers the same prompt differently in another battle and identically with the same seed", (id) => {
    const prompt = "List some ideas for a rainy day";
    const bySeed = new Set(Array.from({ length: 6 }, (_, seed) => answer(id, prompt, undefined, seed)));
    expect(bySeed.size).toBeGreaterThan(1);
    expect(answer(id, prompt, undefined, 42)).toBe(answer(id, prompt, undefined, 42));
  });
});

describe("the personalities stay distinct", () => {
  it("ranks lengths formal > friendly > concise > terse on an explanation", () => {
    const words = (id: DemoPersonalityId) => answer(id, "Explain black holes").split(/\s+/).length;
    expect(words("formal-analyst")).toBeGreaterThan(words("concise-expert"));
    expect(words("friendly-explainer")).toBeGreaterThan(words("concise-expert"));
    expect(words("concise-expert")).toBeGreaterThan(words("terse-rusher"));
  });

  it("has the terse rusher write buggy or unfenced code", () => {
    const texts = Array.from({ length: 8 }, (_, seed) => answer("terse-rusher", "Write a Python function that reverses a string", undefined, seed));
    expect(texts.every((text) => !text.includes("```"))).toBe(true);
    expect(texts.some((text) => text.includes("text.reverse()"))).toBe(true);
  });
});
