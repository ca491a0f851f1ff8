import { describe, expect, it } from "vitest";

import { asGerundPhrase, detectRequestKind, readRequest } from "@/lib/domain/demo/request-kind";

describe("detectRequestKind", () => {
  it.each([
    ["Write a Python function that reverses a string", "code"],
    ["write a SQL query to count orders per customer", "code"],
    ["Why does this JavaScript loop throw an exception?", "code"],
    ["```js\nconsole.log(x)\n```\nwhat is wrong here", "code"],
    ["How do I make sourdough bread at home?", "how-to"],
    ["how to change a flat tire", "how-to"],
    ["What is the best way to learn the piano as an adult", "how-to"],
    ["Explain how vaccines work to my grandmother", "explanation"],
    ["Why is the sky blue?", "explanation"],
    ["How does photosynthesis work?", "explanation"],
    ["Give me 5 tips for learning Spanish", "list"],
    ["List some ideas for a rainy day", "list"],
    ["Write a short poem about a lighthouse", "creative"],
    ["Write a haiku about autumn rain", "creative"],
    ["Tell me a story about a dragon who loves tea", "creative"],
    ["What is the capital of Peru?", "factual"],
    ["Who wrote Romeo and Juliet?", "factual"],
    ["How many planets are there?", "factual"],
    ["I feel stuck at work lately", "general"],
  ] as const)("reads %j as %s", (prompt, kind) => {
    expect(detectRequestKind(prompt)).toBe(kind);
  });
});

describe("readRequest", () => {
  it("separates the audience from the subject instead of mangling it", () => {
    expect(readRequest("Explain how vaccines work to my grandmother")).toMatchObject({ task: "how vaccines work", subject: "vaccines", audience: "your grandmother" });
  });

  it("reads 'like I am 10' as an audience", () => {
    expect(readRequest("Explain photosynthesis like I am 10")).toMatchObject({ subject: "photosynthesis", audience: "a 10-year-old" });
  });

  it("turns a why-question into a clause", () => {
    expect(readRequest("Why is the sky blue?").task).toBe("why the sky is blue");
    expect(readRequest("Why does ice float?").task).toBe("why ice floats");
  });

  it("turns a how-to into a gerund phrase in second person", () => {
    expect(readRequest("How do I make my sourdough starter more active?").subject).toBe("making your sourdough starter more active");
  });

  it("reads the poem form, the programming language and the list size", () => {
    expect(readRequest("Write a haiku about autumn rain")).toMatchObject({ form: "haiku", subject: "autumn rain" });
    expect(readRequest("write a SQL query to count orders per customer")).toMatchObject({ codeLanguage: "sql" });
    expect(readRequest("Write a function that reverses a string")).toMatchObject({ codeLanguage: "python", subject: "reversing a string" });
    expect(readRequest("Give me 5 tips for learning Spanish")).toMatchObject({ count: 5, itemNoun: "tips", subject: "learning Spanish" });
  });

  it("never returns an empty subject", () => {
    for (const prompt of ["", "?", "   ", "please"]) expect(readRequest(prompt).subject.length).toBeGreaterThan(0);
  });

  it("makes gerunds of common verbs", () => {
    expect(asGerundPhrase("make bread")).toBe("making bread");
    expect(asGerundPhrase("tie a tie")).toBe("tying a tie");
    expect(asGerundPhrase("run a marathon")).toBe("running a marathon");
  });
});
