/** One message of a chat request, in the OpenAI-style shape every provider adapter accepts. */
export interface TChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

interface TConversationTurn {
  prompt: string;
  /** This side's answer; absent when the side never answered that turn. */
  answer?: string;
}

export interface TBuildConversationInput {
  systemPrompt: string | null;
  turns: readonly TConversationTurn[];
  newPrompt: string;
}

/**
 * The whole conversation one side of a battle sees for a follow-up turn.
 *
 * Invariants: at most one system message, first; user and assistant messages alternate and the
 * last message is the new user prompt; a previous turn without an answer (failed, then retried
 * or abandoned) is left out entirely so no side is shown two user messages in a row.
 */
export function buildConversationMessages({ systemPrompt, turns, newPrompt }: TBuildConversationInput): TChatMessage[] {
  const messages: TChatMessage[] = [];
  if (systemPrompt !== null && systemPrompt.trim() !== "") messages.push({ role: "system", content: systemPrompt });
  for (const turn of turns) {
    if (turn.answer === undefined || turn.answer.trim() === "") continue;
    messages.push({ role: "user", content: turn.prompt }, { role: "assistant", content: turn.answer });
  }
  messages.push({ role: "user", content: newPrompt });
  return messages;
}
