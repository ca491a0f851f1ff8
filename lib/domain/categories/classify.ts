import { assessHardPrompt, isHardPrompt, type THardPromptAssessment } from "./hard-prompt";
import {
  looksLikeCoding,
  looksLikeCreativeWriting,
  looksLikeInstructionFollowing,
  looksLikeMath,
} from "./rules";
import type { TDetectLanguage } from "./language";
import { PROMPT_CATEGORIES, type TPromptCategory } from "./vocabulary";

export interface TPromptClassification {
  /** In PROMPT_CATEGORIES order; empty for a general prompt. */
  categories: TPromptCategory[];
  /** ISO 639-1 code of the conversation's language, or null when it cannot be told. */
  language: string | null;
  hardPrompt: THardPromptAssessment;
}

/**
 * The offline, rule-based classifier. `turns` are the annotator's prompts in order; a conversation
 * with more than one is multi-turn. Categories are judged on all turns together, as a follow-up
 * ("now add tests") belongs to the same task as the first prompt.
 */
export function classifyPrompt(turns: readonly string[], detectLanguage: TDetectLanguage): TPromptClassification {
  const text = turns.join("\n");
  const hardPrompt = assessHardPrompt(turns[0] ?? "");
  const found = new Set<TPromptCategory>();
  if (looksLikeCoding(text)) found.add("coding");
  if (looksLikeMath(text)) found.add("math");
  if (looksLikeCreativeWriting(text)) found.add("creative_writing");
  if (looksLikeInstructionFollowing(text)) found.add("instruction_following");
  if (isHardPrompt(hardPrompt)) found.add("hard_prompt");
  if (turns.length > 1) found.add("multi_turn");
  return {
    categories: PROMPT_CATEGORIES.filter((category) => found.has(category)),
    language: detectLanguage(text),
    hardPrompt,
  };
}
