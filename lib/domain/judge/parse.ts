import { z } from "zod";
import type { TVoteOutcome } from "../vocabulary";

/** The judge's four answers, in the words of the prompt. */
const JUDGE_CHOICES = ["A", "B", "tie", "both_bad"] as const;
export type TJudgeChoice = (typeof JUDGE_CHOICES)[number];

export interface TJudgeVerdict {
  choice: TJudgeChoice;
  rationale: string;
  /** 1–10. */
  certainty: number;
}

/** Why an output could not be used: it then counts as an abstention and is reported. */
export type TJudgeAbstentionReason = "empty" | "not_json" | "invalid_fields" | "provider_error";

export type TParsedJudgeOutput = { ok: true; verdict: TJudgeVerdict } | { ok: false; reason: TJudgeAbstentionReason; detail: string };

const RATIONALE_MAX_LENGTH = 400;

const ZVerdictSchema = z.object({
  choice: z.preprocess((value) => (typeof value === "string" ? normaliseChoice(value) : value), z.enum(JUDGE_CHOICES)),
  rationale: z.string().trim().min(1).max(2000),
  certainty: z.preprocess((value) => (typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : value), z.number().int().min(1).max(10)),
});

function normaliseChoice(value: string): string {
  const lowered = value.trim().toLowerCase().replace(/[\s-]+/g, "_");
  if (lowered === "a" || lowered === "answer_a") return "A";
  if (lowered === "b" || lowered === "answer_b") return "B";
  if (lowered === "both_bad" || lowered === "bothbad" || lowered === "neither") return "both_bad";
  return lowered;
}

/** The first balanced {...} in the text (a model may wrap its JSON in prose or a code fence). */
function firstJsonObject(text: string): string | null {
  const start = text.indexOf("{");
  if (start < 0) return null;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "{") depth++;
    else if (char === "}" && --depth === 0) return text.slice(start, i + 1);
  }
  return null;
}

/**
 * Parses a judge's raw output. Accepts one JSON object, optionally inside prose or a code fence,
 * with case-insensitive choices ("a", "Answer B", "both bad") and a numeric-string certainty.
 * Anything else — no JSON, a missing field, a certainty outside 1–10 — is an abstention with a
 * reason, never a guess. The rationale is cut to its first sentence (and RATIONALE_MAX_LENGTH).
 */
export function parseJudgeOutput(raw: string): TParsedJudgeOutput {
  if (raw.trim().length === 0) return { ok: false, reason: "empty", detail: "The judge returned no text." };
  const json = firstJsonObject(raw);
  if (!json) return { ok: false, reason: "not_json", detail: "No JSON object in the judge's output." };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, reason: "not_json", detail: "The judge's JSON does not parse." };
  }
  const parsed = ZVerdictSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: "invalid_fields", detail: `${issue.path.join(".") || "verdict"}: ${issue.message}` };
  }
  return { ok: true, verdict: { ...parsed.data, rationale: firstSentence(parsed.data.rationale) } };
}

function firstSentence(text: string): string {
  const match = /^(.+?[.!?])(\s|$)/s.exec(text);
  const sentence = (match ? match[1] : text).replace(/\s+/g, " ").trim();
  return sentence.length > RATIONALE_MAX_LENGTH ? `${sentence.slice(0, RATIONALE_MAX_LENGTH - 1)}…` : sentence;
}

/** Whether the judge's choice is the human's vote (A = model_a, the left answer). */
export function choiceMatchesOutcome(choice: TJudgeChoice, outcome: TVoteOutcome): boolean {
  return OUTCOME_OF_CHOICE[choice] === outcome;
}

export const OUTCOME_OF_CHOICE: Record<TJudgeChoice, TVoteOutcome> = { A: "model_a", B: "model_b", tie: "tie", both_bad: "both_bad" };
