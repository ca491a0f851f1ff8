/**
 * Training-ready views of released battles, in the formats Hugging Face TRL's trainers read without
 * remapping (trl dataset_formats: "conversational preference" and "unpaired preference").
 *
 * - Preference (DPO, reward modelling): `prompt` is the message list both models saw (the persona
 *   system prompt first when there was one, then the shared turns), `chosen` and `rejected` the rest of
 *   the winning and losing side's conversation (one assistant message for a single-turn battle).
 *   Only decisive votes (model_a / model_b) make a pair, and only when both sides saw the same system
 *   prompt: in a personalization-experiment battle the sides saw different prompts, so no shared
 *   `prompt` exists and the battle appears in the unpaired file only.
 * - Unpaired (KTO): one row per side, `completion` that side's conversation after the first user
 *   message, `label` true for the winner and false for the loser; both-bad gives two false rows; ties
 *   carry no label and are left out.
 *
 * Rows are built from released battles (already scrubbed and persona-safe), so they leak nothing the
 * battles file does not.
 */
import type { TConversationMessage, TReleasedBattle } from "./schema";

export interface TChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** The released battle fields the training views read. */
export type TTrainingSource = Pick<
  TReleasedBattle,
  "battle_id" | "annotator" | "modality" | "winner" | "conversation_a" | "conversation_b" | "persona"
> & {
  category: string[];
  language: string | null;
  system_prompt_a: string | null;
  system_prompt_b: string | null;
};

export interface TPreferenceRow {
  battle_id: string;
  annotator: string;
  prompt: TChatMessage[];
  chosen: TChatMessage[];
  rejected: TChatMessage[];
  chosen_model: string;
  rejected_model: string;
  category: string[];
  language: string | null;
  persona: TReleasedBattle["persona"];
}

export interface TKtoRow {
  battle_id: string;
  annotator: string;
  prompt: TChatMessage[];
  completion: TChatMessage[];
  label: boolean;
  model: string;
  category: string[];
  language: string | null;
  persona: TReleasedBattle["persona"];
}

function withSystem(system: string | null, messages: readonly TConversationMessage[]): TChatMessage[] {
  return system ? [{ role: "system", content: system }, ...messages] : [...messages];
}

/** Length of the longest common prefix of two message lists. */
function sharedPrefixLength(a: readonly TChatMessage[], b: readonly TChatMessage[]): number {
  let length = 0;
  while (length < a.length && length < b.length && a[length].role === b[length].role && a[length].content === b[length].content) length++;
  return length;
}

/**
 * The pair of one battle, or null when it makes none (tie, both bad, non-text modality, or sides that
 * saw different system prompts). For a multi-turn battle the prompt is the longest shared prefix,
 * which always ends with the first user message, and chosen/rejected the sides' continuations.
 */
export function preferenceRowOf(battle: TTrainingSource & { model_a: string; model_b: string }): TPreferenceRow | null {
  if (battle.modality !== "text") return null;
  if (battle.winner !== "model_a" && battle.winner !== "model_b") return null;
  if ((battle.system_prompt_a ?? null) !== (battle.system_prompt_b ?? null)) return null;
  const a = withSystem(battle.system_prompt_a, battle.conversation_a);
  const b = withSystem(battle.system_prompt_b, battle.conversation_b);
  let shared = sharedPrefixLength(a, b);
  // The prompt ends at a user message: back up over any shared assistant messages.
  while (shared > 0 && a[shared - 1].role !== "user") shared--;
  if (shared === 0 || shared >= a.length || shared >= b.length) return null;
  const aWins = battle.winner === "model_a";
  return {
    battle_id: battle.battle_id,
    annotator: battle.annotator,
    prompt: a.slice(0, shared),
    chosen: (aWins ? a : b).slice(shared),
    rejected: (aWins ? b : a).slice(shared),
    chosen_model: aWins ? battle.model_a : battle.model_b,
    rejected_model: aWins ? battle.model_b : battle.model_a,
    category: battle.category,
    language: battle.language,
    persona: battle.persona,
  };
}

/** The unpaired rows of one battle: two for a decisive or both-bad vote, none for a tie. */
export function ktoRowsOf(battle: TTrainingSource & { model_a: string; model_b: string }): TKtoRow[] {
  if (battle.modality !== "text" || battle.winner === "tie") return [];
  const sides = [
    { model: battle.model_a, conversation: withSystem(battle.system_prompt_a, battle.conversation_a), won: battle.winner === "model_a" },
    { model: battle.model_b, conversation: withSystem(battle.system_prompt_b, battle.conversation_b), won: battle.winner === "model_b" },
  ];
  return sides.flatMap(({ model, conversation, won }) => {
    const firstUser = conversation.findIndex((message) => message.role === "user");
    if (firstUser < 0 || firstUser + 1 >= conversation.length) return [];
    return [
      {
        battle_id: battle.battle_id,
        annotator: battle.annotator,
        prompt: conversation.slice(0, firstUser + 1),
        completion: conversation.slice(firstUser + 1),
        label: won,
        model,
        category: battle.category,
        language: battle.language,
        persona: battle.persona,
      },
    ];
  });
}
