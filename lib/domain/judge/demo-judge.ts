import { describeSlider } from "../persona/facts";
import { RESPONSE_STYLE_OPTIONS } from "../persona/schema";
import type { TJudgeInput } from "./prompts";
import type { TJudgeVerdict } from "./parse";

/**
 * The offline demo judge: a deterministic stand-in for a judge model, so tests and a fresh
 * install show the evaluation machinery working without any API key. It is not a model and its
 * verdicts mean nothing about real people.
 *
 * Its behaviour is planted and known:
 * - persona-blind (no profile, or a profile that states no length preference) it has the verbosity
 *   bias LLM judges are known for: it picks the longer answer;
 * - when the profile states a length preference (the "detail" slider, or the response style
 *   "Concise" / "Detailed"), it picks the answer whose length fits it, with more certainty.
 * So its agreement with people depends on the persona exactly as far as people's votes depend on
 * how long answers are — which the benchmark's simulation plants.
 * Both answers shorter than BOTH_BAD_MAX_CHARS → both_bad; lengths within 5 % → tie.
 */
const BOTH_BAD_MAX_CHARS = 20;
const TIE_LOG_RATIO = 0.05;

const wordsOfDetail = (value: number) => describeSlider("detail", value).replace(/^(prefers|leans towards) /, "");
const LONG_PHRASES = [wordsOfDetail(100), labelOf("detailed")];
const SHORT_PHRASES = [wordsOfDetail(0), labelOf("concise")];

function labelOf(style: string): string {
  return RESPONSE_STYLE_OPTIONS.find((option) => option.value === style)!.label;
}

/** +1 when the profile asks for long answers, −1 for short ones, 0 when it says neither (or both). */
export function statedLengthPreference(personaText: string | null): -1 | 0 | 1 {
  if (!personaText) return 0;
  const long = LONG_PHRASES.some((phrase) => personaText.includes(phrase));
  const short = SHORT_PHRASES.some((phrase) => personaText.includes(phrase));
  return long === short ? 0 : long ? 1 : -1;
}

export function demoJudgeVerdict(input: TJudgeInput): TJudgeVerdict {
  const lengthA = input.answerA.trim().length;
  const lengthB = input.answerB.trim().length;
  if (lengthA < BOTH_BAD_MAX_CHARS && lengthB < BOTH_BAD_MAX_CHARS) {
    return { choice: "both_bad", rationale: "Neither answer says enough to be useful.", certainty: 6 };
  }
  const logRatio = Math.log((lengthA + 1) / (lengthB + 1));
  if (Math.abs(logRatio) < TIE_LOG_RATIO) return { choice: "tie", rationale: "The two answers are about equally long and complete.", certainty: 2 };
  const preference = statedLengthPreference(input.personaText);
  const longer = logRatio > 0 ? "A" : "B";
  const shorter = longer === "A" ? "B" : "A";
  const spread = Math.min(1, Math.abs(logRatio) / 1.2);
  if (preference === 0) {
    return { choice: longer, rationale: "The longer answer covers the question more completely.", certainty: Math.max(1, Math.min(10, Math.round(1 + 6 * spread))) };
  }
  return {
    choice: preference > 0 ? longer : shorter,
    rationale: preference > 0 ? "This person asks for thorough answers and this one is more detailed." : "This person asks for short answers and this one is more concise.",
    certainty: Math.max(1, Math.min(10, Math.round(4 + 6 * spread))),
  };
}

/** The demo judge's raw output, as a model would write it. */
export function demoJudgeOutput(input: TJudgeInput): string {
  return JSON.stringify(demoJudgeVerdict(input));
}
