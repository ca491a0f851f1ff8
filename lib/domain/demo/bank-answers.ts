import { createRandom, type Random } from "../random";

import { capitalize, pick, pickDistinct } from "./english-content";

import { isOlderAgeBand, isYoungerAgeBand, type PersonaHints } from "./persona-hints";
import { PHRASE_BANKS, type BankLanguage, type PhraseBank } from "./phrase-banks";
import type { DemoPersonalityId } from "./text-personalities";

/**
 * The demo personalities writing in French, Spanish and German from the sentence banks of
 * phrase-banks.ts (English answers are shaped by request kind in english-answers.ts). The topic is
 * echoed from the prompt; a code request still gets its code block (see generateDemoAnswer).
 */
type PromptKind = "how" | "why" | "creative" | "general";

const LEADING_QUESTION =
  /^(please\s+)?((can|could|would) you\s+)?(please\s+)?(explain|describe|tell me about|what is|what are|what's|how do i|how do you|how can i|how to|how does|how do|why is|why are|why do|why does|give me|write( me)?( a| an)?|help me( with)?|qu'est-ce que|comment|pourquoi|qué es|cómo|por qué|was ist|wie|warum)\s+/i;

/** The phrase the answer talks about: the user's question without its question words, at most 8 words. */
function extractTopic(prompt: string): string {
  const firstSentence = prompt.trim().split(/[?.!\n]/)[0] ?? "";
  const stripped = firstSentence.replace(LEADING_QUESTION, "").replace(/^(the|a|an)\s+/i, "");
  const words = stripped.split(/\s+/).filter(Boolean).slice(0, 8).map((word, index, all) => toSecondPerson(word, all[index - 1]));
  return words.length > 0 ? words.join(" ") : "this";
}

/** The answer speaks to the user: "my starter" in the question becomes "your starter" in the answer. */
const SECOND_PERSON: Record<string, string> = { i: "you", me: "you", my: "your", mine: "yours", myself: "yourself", we: "you", us: "you", our: "your", ours: "yours", "i'm": "you're" };
function toSecondPerson(word: string, previous: string | undefined): string {
  if (word.toLowerCase() === "am" && previous?.toLowerCase() === "i") return "are";
  return SECOND_PERSON[word.toLowerCase()] ?? word;
}

function classifyPrompt(prompt: string): PromptKind {
  const lower = prompt.toLowerCase();
  if (/\b(story|poem|tale|fiction|lyrics|imagine|once upon|haiku|histoire|poème|cuento|poema|geschichte|gedicht)\b/.test(lower)) return "creative";
  if (/^\s*(how|comment|cómo|wie)\b|\bhow (do|can|to|should)\b|\bsteps?\b/.test(lower)) return "how";
  if (/^\s*(why|pourquoi|por qué|warum)\b/.test(lower)) return "why";
  return "general";
}

interface AnswerContext {
  bank: PhraseBank;
  hints: PersonaHints;
  topic: string;
  kind: PromptKind;
  random: Random;
  topicMentions: number;
}

const TOPIC_MENTIONS_BEFORE_PRONOUN = 2;

/** Fills placeholders; after the topic's first mentions later sentences use the bank's pronoun. */
function fill(template: string, context: AnswerContext): string {
  return template
    .replace(/\{topic\}/g, () => {
      context.topicMentions++;
      return context.topicMentions <= TOPIC_MENTIONS_BEFORE_PRONOUN ? context.topic : context.bank.pronoun;
    })
    .replaceAll("{field}", context.hints.field ?? "")
    .replaceAll("{country}", context.hints.country ?? "");
}

/** `count` distinct items keeping their original order (steps must stay in sequence). */
function pickInOrder<T>(items: readonly T[], count: number, random: Random): T[] {
  const chosen = new Set(pickDistinct(items, count, random));
  return items.filter((item) => chosen.has(item));
}

/** Number of points scaled by the stated style preference. */
function lengthFor(base: number, hints: PersonaHints): number {
  if (hints.preferredStyle === "concise") return Math.max(1, Math.round(base * 0.6));
  if (hints.preferredStyle === "detailed") return base + 2;
  return base;
}

function personaLines(context: AnswerContext, options: { includeLevel: boolean }): string[] {
  const { bank, hints } = context;
  const lines: string[] = [];
  if (options.includeLevel && hints.expertise === "novice") lines.push(fill(bank.noviceLine, context));
  if (options.includeLevel && hints.expertise === "expert") lines.push(fill(bank.expertLine, context));
  if (hints.field) lines.push(fill(bank.fieldLine, context));
  if (hints.country) lines.push(fill(bank.countryLine, context));
  return lines;
}

function conciseExpert(context: AnswerContext): string {
  const { bank, kind, random, hints } = context;
  const base = hints.expertise === "expert" ? 2 : 3;
  const opening = capitalize(fill(pick(bank.conciseIntro, random), context));
  const body =
    kind === "how"
      ? pickInOrder(bank.steps, lengthFor(base + 1, hints), random).map((step, index) => `${index + 1}. ${fill(step, context)}`).join("\n")
      : pickDistinct(bank.points, lengthFor(base, hints), random).map((point) => fill(point, context)).join(" ");
  const extra = personaLines(context, { includeLevel: hints.expertise === "expert" });
  return [opening, body, ...extra].join("\n\n");
}

function friendlyExplainer(context: AnswerContext): string {
  const { bank, kind, random, hints } = context;
  const intro = isOlderAgeBand(hints.ageBand)
    ? bank.friendlyOlderIntro
    : isYoungerAgeBand(hints.ageBand)
      ? bank.friendlyYoungerIntro
      : pick(bank.friendlyIntro, random);
  const opening = fill(intro, context);
  const bullets = (kind === "how" ? pickInOrder : pickDistinct)(kind === "how" ? bank.steps : bank.points, lengthFor(4, hints), random).map((item) => `- ${fill(item, context)}`);
  const level = hints.expertise === "expert" ? [] : [fill(bank.noviceLine, context)];
  return [
    opening,
    ...level,
    bullets.join("\n"),
    ...personaLines(context, { includeLevel: false }),
    pick(bank.friendlyClosing, random),
  ].join("\n\n");
}

function formalAnalyst(context: AnswerContext): string {
  const { bank, kind, random, hints } = context;
  const opening = fill(pick(bank.formalIntro, random), context);
  const points = pickDistinct(bank.points, lengthFor(5, hints), random).map((point) => fill(point, context));
  const steps = pickInOrder(bank.steps, kind === "how" ? 4 : 2, random).map((step, index) => `${index + 1}. ${fill(step, context)}`);
  return [
    `## ${bank.headers.overview}`,
    opening,
    ...personaLines(context, { includeLevel: true }),
    `## ${bank.headers.keyPoints}`,
    points.map((point) => `- **${point.split(" ").slice(0, 3).join(" ")}** ${point.split(" ").slice(3).join(" ")}`).join("\n"),
    `## ${bank.headers.recommendations}`,
    steps.join("\n"),
    `## ${bank.headers.conclusion}`,
    fill(pick(bank.formalClosing, random), context),
  ].join("\n\n");
}

function storyteller(context: AnswerContext): string {
  const { bank, random, hints } = context;
  const middles = pickDistinct(bank.storyMiddles, lengthFor(bank.storyMiddles.length, hints), random);
  const moral = context.kind === "creative" ? [] : [fill(pick(bank.points, random), context)];
  const fieldNod = hints.field ? [fill(bank.fieldLine, context)] : [];
  return [
    [fill(pick(bank.storyOpenings, random), context), ...middles].join(" "),
    fill(pick(bank.storyEndings, random), context),
    ...moral,
    ...fieldNod,
  ].join("\n\n");
}

function terseRusher(context: AnswerContext): string {
  const { bank, random } = context;
  // Roughly a third of the time it answers something else entirely: the "misses the point" trait.
  if (random() < 0.35) return pick(bank.offTopic, random);
  const answer = fill(pick(bank.terse, random), context).toLowerCase();
  return random() < 0.5 ? answer : `${answer}. ${fill(pick(bank.points, random), context).toLowerCase()}`;
}

const BANK_WRITERS: Record<DemoPersonalityId, (context: AnswerContext) => string> = {
  "concise-expert": conciseExpert,
  "friendly-explainer": friendlyExplainer,
  "formal-analyst": formalAnalyst,
  storyteller,
  "terse-rusher": terseRusher,
};


/** The personality's answer from the sentence banks of `hints.language`. */
export function writeBankAnswer(personality: DemoPersonalityId, language: BankLanguage, hints: PersonaHints, lastUser: string, seed: number): string {
  const context: AnswerContext = {
    bank: PHRASE_BANKS[language],
    hints,
    topic: extractTopic(lastUser),
    kind: classifyPrompt(lastUser),
    random: createRandom(seed),
    topicMentions: 0,
  };
  return BANK_WRITERS[personality](context);
}
