import type { TConversationMessage, TReleasedBattle, TReleasedTurn } from "./schema";

const json = JSON.stringify;

/** Characters JSON.stringify escapes, except the newline (handled below): quote, backslash, controls, surrogates. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON must escape
const NEEDS_ESCAPING_BESIDES_NEWLINE = /["\\\u0000-\u0009\u000b-\u001f\ud800-\udfff]/;

/**
 * JSON.stringify of a string, faster for prose: text whose only special character is the newline
 * (most prompts and answers) gets `\n` by a plain replacement instead of JSON.stringify's escaping loop.
 */
function jsonString(text: string): string {
  if (NEEDS_ESCAPING_BESIDES_NEWLINE.test(text)) return json(text);
  return `"${text.includes("\n") ? text.replaceAll("\n", "\\n") : text}"`;
}

interface EscapedTurn {
  turn: TReleasedTurn;
  prompt: string;
  answerA: string;
  answerB: string;
}

function turnJson({ turn, prompt, answerA, answerB }: EscapedTurn): string {
  let text = `{"prompt":${prompt},"answer_a":${answerA},"answer_b":${answerB}`;
  if (turn.media_a !== undefined) text += `,"media_a":${json(turn.media_a)}`;
  if (turn.media_b !== undefined) text += `,"media_b":${json(turn.media_b)}`;
  return text + "}";
}

/** A message's content reuses its turn's escaped text when it is that text (the FastChat layout), else is escaped itself. */
function conversationJson(messages: readonly TConversationMessage[], turns: readonly EscapedTurn[], side: "a" | "b"): string {
  let text = "[";
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index]!;
    const turn = turns[index >> 1];
    let content: string;
    if (turn && index % 2 === 0 && message.content === turn.turn.prompt) content = turn.prompt;
    else if (turn && index % 2 === 1 && message.content === (side === "a" ? turn.turn.answer_a : turn.turn.answer_b)) content = side === "a" ? turn.answerA : turn.answerB;
    else content = jsonString(message.content);
    text += `${index > 0 ? "," : ""}{"role":${json(message.role)},"content":${content}}`;
  }
  return text + "]";
}

/**
 * One battles.jsonl line (without the newline): the JSON of `battle` with its keys in schema order.
 * Invariant: `JSON.parse(releasedBattleJsonLine(b))` deep-equals `b` for every valid released battle,
 * and the text equals `JSON.stringify(b)` when `b`'s keys are in schema order (as ZReleasedBattleSchema
 * outputs them). Faster than JSON.stringify because each prompt and answer is escaped once although it
 * appears twice: in `turns` and in the FastChat conversations.
 */
export function releasedBattleJsonLine(battle: TReleasedBattle): string {
  const turns: EscapedTurn[] = battle.turns.map((turn) => ({
    turn,
    prompt: jsonString(turn.prompt),
    answerA: jsonString(turn.answer_a),
    answerB: jsonString(turn.answer_b),
  }));
  let text =
    `{"battle_id":${json(battle.battle_id)},"modality":${json(battle.modality)},"date":${json(battle.date)}` +
    `,"model_a":${json(battle.model_a)},"model_b":${json(battle.model_b)},"winner":${json(battle.winner)}` +
    `,"personalized_a":${json(battle.personalized_a)},"personalized_b":${json(battle.personalized_b)}` +
    `,"category":${json(battle.category)},"language":${json(battle.language)},"prompt_hash":${json(battle.prompt_hash)}` +
    `,"system_prompt_a":${battle.system_prompt_a === null ? "null" : jsonString(battle.system_prompt_a)}` +
    `,"system_prompt_b":${battle.system_prompt_b === null ? "null" : jsonString(battle.system_prompt_b)},"turns":[`;
  for (let index = 0; index < turns.length; index++) text += (index > 0 ? "," : "") + turnJson(turns[index]!);
  text +=
    `],"feedback":${json(battle.feedback)},"listening":${json(battle.listening)},"persona":${json(battle.persona)}` +
    `,"annotator":${json(battle.annotator)}` +
    `,"conversation_a":${conversationJson(battle.conversation_a, turns, "a")}` +
    `,"conversation_b":${conversationJson(battle.conversation_b, turns, "b")}}`;
  return text;
}
