import { describe, expect, it } from "vitest";
import {
  buildJudgeMessages,
  demoJudgeVerdict,
  evaluateJudgesOnSimulation,
  parseJudgeOutput,
  readJudgeMessage,
  statedLengthPreference,
  summariseAgreement,
  verdictFromProbability,
} from "@/lib/domain/judge";
import { DEFAULT_PERSONA_TEMPLATE, renderPersonaPrompt } from "@/lib/domain/persona/template";

describe("parseJudgeOutput", () => {
  it("reads a clean verdict", () => {
    expect(parseJudgeOutput('{"choice":"B","rationale":"Shorter and direct.","certainty":7}')).toEqual({
      ok: true,
      verdict: { choice: "B", rationale: "Shorter and direct.", certainty: 7 },
    });
  });

  it("finds the JSON inside a code fence or prose and normalises the choice and certainty", () => {
    const parsed = parseJudgeOutput('Sure!\n```json\n{"choice": "Answer A", "rationale": "It fits. Also more.", "certainty": "9"}\n```');
    expect(parsed).toEqual({ ok: true, verdict: { choice: "A", rationale: "It fits.", certainty: 9 } });
    expect(parseJudgeOutput('{"choice":"both bad","rationale":"x","certainty":3}')).toMatchObject({ ok: true, verdict: { choice: "both_bad" } });
    expect(parseJudgeOutput('{"choice":"TIE","rationale":"x {with braces}","certainty":1}')).toMatchObject({ ok: true, verdict: { choice: "tie" } });
  });

  it("turns malformed output into an abstention with its reason", () => {
    expect(parseJudgeOutput("   ")).toMatchObject({ ok: false, reason: "empty" });
    expect(parseJudgeOutput("I prefer A.")).toMatchObject({ ok: false, reason: "not_json" });
    expect(parseJudgeOutput('{"choice": "A", "rationale": "cut off')).toMatchObject({ ok: false, reason: "not_json" });
    expect(parseJudgeOutput('{"choice":"C","rationale":"x","certainty":5}')).toMatchObject({ ok: false, reason: "invalid_fields", detail: expect.stringContaining("choice") });
    expect(parseJudgeOutput('{"choice":"A","rationale":"x","certainty":11}')).toMatchObject({ ok: false, reason: "invalid_fields", detail: expect.stringContaining("certainty") });
    expect(parseJudgeOutput('{"choice":"A","rationale":"x","certainty":6.5}')).toMatchObject({ ok: false, reason: "invalid_fields" });
    expect(parseJudgeOutput('{"choice":"A","certainty":6}')).toMatchObject({ ok: false, reason: "invalid_fields", detail: expect.stringContaining("rationale") });
  });

  it("keeps one sentence of rationale, capped in length", () => {
    const long = "word ".repeat(200);
    const parsed = parseJudgeOutput(JSON.stringify({ choice: "A", rationale: long, certainty: 5 }));
    expect(parsed.ok && parsed.verdict.rationale.length).toBe(400);
  });
});

describe("judge prompts", () => {
  it("carries persona, prompt and answers in sections the demo judge can read back", () => {
    const input = { personaText: "The user prefers short, concise answers.", prompt: "Why is the sky blue?", answerA: "Rayleigh scattering.", answerB: "Because of scattering of sunlight by air molecules." };
    const messages = buildJudgeMessages(input, "judge-v1");
    expect(messages.system).toContain('"certainty"');
    expect(readJudgeMessage(messages.user)).toEqual(input);
    expect(readJudgeMessage(buildJudgeMessages({ ...input, personaText: null }).user)?.personaText).toBeNull();
    expect(readJudgeMessage("no sections here")).toBeNull();
  });
});

describe("demo judge", () => {
  const long = "x".repeat(900);
  const short = "y".repeat(300);
  const renderedWith = (preferences: Record<string, number>) => renderPersonaPrompt(DEFAULT_PERSONA_TEMPLATE, { preferences }).systemPrompt;

  it("reads the stated length preference from the persona as the models saw it", () => {
    expect(statedLengthPreference(renderedWith({ detail: 90 }))).toBe(1);
    expect(statedLengthPreference(renderedWith({ detail: 70 }))).toBe(1);
    expect(statedLengthPreference(renderedWith({ detail: 10 }))).toBe(-1);
    expect(statedLengthPreference(renderedWith({ detail: 50 }))).toBe(0);
    expect(statedLengthPreference(renderPersonaPrompt(DEFAULT_PERSONA_TEMPLATE, { responseStyle: "concise" }).systemPrompt)).toBe(-1);
    expect(statedLengthPreference(null)).toBe(0);
  });

  it("picks the longer answer without a stated preference and follows the persona with one, more certain", () => {
    const blind = demoJudgeVerdict({ personaText: null, prompt: "p", answerA: short, answerB: long });
    expect(blind.choice).toBe("B");
    const concise = demoJudgeVerdict({ personaText: renderedWith({ detail: 5 }), prompt: "p", answerA: short, answerB: long });
    expect(concise.choice).toBe("A");
    expect(concise.certainty).toBeGreaterThan(blind.certainty);
    expect(demoJudgeVerdict({ personaText: null, prompt: "p", answerA: long, answerB: `${long}!` }).choice).toBe("tie");
    expect(demoJudgeVerdict({ personaText: null, prompt: "p", answerA: "no", answerB: "idk" }).choice).toBe("both_bad");
  });
});

describe("summariseAgreement", () => {
  it("computes agreement on answered items and a certainty–coverage curve, abstentions reported", () => {
    const summary = summariseAgreement([
      { human: "model_a", verdict: { choice: "A", rationale: "r", certainty: 9 } },
      { human: "model_b", verdict: { choice: "A", rationale: "r", certainty: 3 } },
      { human: "tie", verdict: { choice: "tie", rationale: "r", certainty: 5 } },
      { human: "model_a", verdict: null, abstention: "not_json" },
    ]);
    expect(summary.answered).toBe(3);
    expect(summary.abstained).toBe(1);
    expect(summary.abstentions).toEqual({ not_json: 1 });
    expect(summary.agreement).toBeCloseTo(2 / 3, 12);
    expect(summary.curve[0]).toEqual({ minCertainty: 1, coverage: 0.75, agreement: 2 / 3, items: 3 });
    expect(summary.curve[4]).toEqual({ minCertainty: 5, coverage: 0.5, agreement: 1, items: 2 });
    expect(summary.curve[9]).toEqual({ minCertainty: 10, coverage: 0, agreement: null, items: 0 });
  });

  it("maps a predictor's probability to a side and a certainty", () => {
    expect(verdictFromProbability(0.5, "r")).toMatchObject({ choice: "A", certainty: 1 });
    expect(verdictFromProbability(0.2, "r")).toMatchObject({ choice: "B", certainty: 7 });
    expect(verdictFromProbability(1, "r")).toMatchObject({ choice: "A", certainty: 10 });
  });
});

describe("evaluateJudgesOnSimulation", () => {
  it("shows the persona-aware demo judge beating the blind one by the planted margin, and certainty paying off", () => {
    const report = evaluateJudgesOnSimulation({ annotators: 600, models: 6, seed: 4, sample: 800, bootstrapRounds: 300 });
    expect(report.sampled).toBe(800);
    expect(report.plantedMargin).toBeGreaterThan(0.05);
    expect(report.observedMargin.lower).toBeLessThan(report.plantedMargin);
    expect(report.observedMargin.upper).toBeGreaterThan(report.plantedMargin);
    expect(report.observedMargin.lower).toBeGreaterThan(0);
    const aware = report.judges.demo_judge_persona;
    expect(aware.abstained).toBe(0);
    expect(aware.curve[6].agreement!).toBeGreaterThan(aware.curve[0].agreement!);
  }, 60_000);
});
