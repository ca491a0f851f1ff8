import { describe, expect, it } from "vitest";
import { evaluateDemoAnswers, evaluateWrittenAnswers, readPersonaCases } from "@/scripts/privacy/persona-corpus";
import { CONTEXTUAL_KINDS, evaluateScrubCorpus, readScrubCorpus, STRUCTURED_KINDS } from "@/scripts/privacy/scrub-corpus";

/** The targets on the labelled fixtures (the figures themselves come from `npm run bench:scrub`). */
describe("labelled privacy fixtures", () => {
  const corpus = [...readScrubCorpus(), ...readScrubCorpus(`${import.meta.dirname}/../../fixtures/privacy/scrub-heldout.txt`)];

  it("has at least 400 sentences with positives of every kind and hard negatives", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(400);
    const kinds = new Set(corpus.flatMap((sentence) => sentence.gold.map((span) => span.kind)));
    for (const kind of [...STRUCTURED_KINDS, ...CONTEXTUAL_KINDS, "PASSWORD", "USERNAME", "IP"]) expect(kinds.has(kind as never), kind).toBe(true);
    expect(corpus.filter((sentence) => sentence.gold.length === 0).length).toBeGreaterThanOrEqual(100);
  });

  it("meets the recall and precision targets", () => {
    const { perClass, overall } = evaluateScrubCorpus(corpus);
    for (const kind of STRUCTURED_KINDS) expect(perClass[kind]!.recall, kind).toBeGreaterThanOrEqual(0.98);
    for (const kind of CONTEXTUAL_KINDS) expect(perClass[kind]!.recall, kind).toBeGreaterThanOrEqual(0.85);
    expect(overall.precision).toBeGreaterThanOrEqual(0.9);
  });

  it("removes withheld persona values from personalized answers", () => {
    const cases = [...readPersonaCases(), ...readPersonaCases(`${import.meta.dirname}/../../fixtures/privacy/persona-answers-heldout.txt`)];
    expect(evaluateWrittenAnswers(cases).recall).toBeGreaterThanOrEqual(0.9);
    expect(evaluateDemoAnswers(cases).recall).toBe(1);
  });
});
