/**
 * Prompt categories, as LMArena's category leaderboards name them (FastChat's
 * monitor/classify/category.py): a battle can carry several. Languages are a separate column.
 */
export const PROMPT_CATEGORIES = [
  "coding",
  "math",
  "creative_writing",
  "instruction_following",
  "hard_prompt",
  "multi_turn",
] as const;

export type TPromptCategory = (typeof PROMPT_CATEGORIES)[number];

export const PROMPT_CATEGORY_LABELS: Record<TPromptCategory, string> = {
  coding: "Coding",
  math: "Math",
  creative_writing: "Creative writing",
  instruction_following: "Instruction following",
  hard_prompt: "Hard prompts",
  multi_turn: "Multi-turn",
};

export function isPromptCategory(value: unknown): value is TPromptCategory {
  return typeof value === "string" && (PROMPT_CATEGORIES as readonly string[]).includes(value);
}

/** LMArena's seven criteria of a hard prompt; a prompt is hard when it meets at least six. */
export const HARD_PROMPT_CRITERIA = [
  "specificity",
  "domain_knowledge",
  "complexity",
  "problem_solving",
  "creativity",
  "technical_accuracy",
  "real_world",
] as const;

export type THardPromptCriterion = (typeof HARD_PROMPT_CRITERIA)[number];

export const HARD_PROMPT_THRESHOLD = 6;

/** A stored categories column ("coding,math"; "" none; null untagged) as a list of known categories. */
export function storedCategories(value: string | null): TPromptCategory[] {
  return value ? value.split(",").filter(isPromptCategory) : [];
}
