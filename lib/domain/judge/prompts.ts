/**
 * Versioned judge prompts. A run records the version it used; a changed prompt is a new version
 * (never edit a released one), so stored results always say which wording produced them.
 *
 * The judge sees the persona exactly as the battle's models saw it (the rendered system prompt),
 * the user's prompt and both answers, and must answer with one JSON object:
 * {"choice": "A" | "B" | "tie" | "both_bad", "rationale": "<one sentence>", "certainty": 1–10}.
 */
export const JUDGE_PROMPT_VERSIONS = ["judge-v1"] as const;
export type TJudgePromptVersion = (typeof JUDGE_PROMPT_VERSIONS)[number];
const CURRENT_JUDGE_PROMPT_VERSION: TJudgePromptVersion = "judge-v1";

export interface TJudgeInput {
  /** The persona as the models saw it (their system prompt), or null for the persona-blind judge. */
  personaText: string | null;
  prompt: string;
  answerA: string;
  answerB: string;
}

export interface TJudgeMessages {
  system: string;
  user: string;
}

/** Section markers of the user message; the offline demo judge reads the same markers back. */
const JUDGE_SECTIONS = {
  persona: "### The person's profile",
  prompt: "### Their prompt",
  answerA: "### Answer A",
  answerB: "### Answer B",
  end: "### Your verdict",
} as const;

const NO_PROFILE_TEXT = "(No profile: judge as for a typical user.)";

const SYSTEM_V1 = `You predict how one specific person voted in a blind comparison of two AI answers to their own prompt.
You are given the profile the person shared (exactly as the AI models saw it), their prompt, and the two answers.
Decide which answer THIS person preferred: "A", "B", "tie" (both equally good) or "both_bad" (neither acceptable).
Judge by what the profile says they value; when there is no profile, judge as for a typical user.
Reply with one JSON object and nothing else:
{"choice": "A" | "B" | "tie" | "both_bad", "rationale": "<one sentence>", "certainty": <integer 1-10>}
certainty is how sure you are that this person voted your way: 1 = a guess, 10 = certain.`;

/** The messages for one judged battle under a prompt version. */
export function buildJudgeMessages(input: TJudgeInput, version: TJudgePromptVersion = CURRENT_JUDGE_PROMPT_VERSION): TJudgeMessages {
  switch (version) {
    case "judge-v1":
      return {
        system: SYSTEM_V1,
        user: [
          JUDGE_SECTIONS.persona,
          input.personaText?.trim() || NO_PROFILE_TEXT,
          "",
          JUDGE_SECTIONS.prompt,
          input.prompt.trim(),
          "",
          JUDGE_SECTIONS.answerA,
          input.answerA.trim(),
          "",
          JUDGE_SECTIONS.answerB,
          input.answerB.trim(),
          "",
          JUDGE_SECTIONS.end,
        ].join("\n"),
      };
  }
}

/** Reads the sections back out of a judge user message (used by the offline demo judge). */
export function readJudgeMessage(user: string): TJudgeInput | null {
  const order = [JUDGE_SECTIONS.persona, JUDGE_SECTIONS.prompt, JUDGE_SECTIONS.answerA, JUDGE_SECTIONS.answerB, JUDGE_SECTIONS.end];
  const positions = order.map((marker) => user.indexOf(`${marker}\n`) >= 0 ? user.indexOf(`${marker}\n`) : user.indexOf(marker));
  if (positions.some((position) => position < 0) || positions.some((position, i) => i > 0 && position <= positions[i - 1])) return null;
  const section = (i: number) => user.slice(positions[i] + order[i].length, positions[i + 1]).trim();
  const persona = section(0);
  return { personaText: persona === NO_PROFILE_TEXT ? null : persona, prompt: section(1), answerA: section(2), answerB: section(3) };
}
