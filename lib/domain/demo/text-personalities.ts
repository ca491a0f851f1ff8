import { createRandom, randomInt, seedFromString, type Random } from "../random";

import { isOlderAgeBand, isYoungerAgeBand, parsePersonaHints, type PersonaHints } from "./persona-hints";
import { PHRASE_BANKS, type PhraseBank } from "./phrase-banks";

/**
 * Offline demo text models. Each personality answers deterministically from (personality, messages):
 * the same conversation always yields the same answer. Answers are about the user's last message
 * (its topic is echoed), adapt to the persona context in the system message (see persona-hints.ts)
 * and never contain a real model or company name, even when the prompt does.
 */
export type DemoPersonalityId = "concise-expert" | "friendly-explainer" | "formal-analyst" | "storyteller" | "terse-rusher";

export interface DemoPersonality {
  id: DemoPersonalityId;
  displayName: string;
  description: string;
  /** Baseline answer quality on a 0..1 scale, before persona fit; gives the leaderboard its shape. */
  intrinsicQuality: number;
}

export const DEMO_PERSONALITIES: readonly DemoPersonality[] = [
  { id: "concise-expert", displayName: "Demo Concise Expert", description: "Short, precise, assumes knowledge.", intrinsicQuality: 0.75 },
  { id: "friendly-explainer", displayName: "Demo Friendly Explainer", description: "Warm, bullet lists, simple words.", intrinsicQuality: 0.7 },
  { id: "formal-analyst", displayName: "Demo Formal Analyst", description: "Long, structured with headers, formal.", intrinsicQuality: 0.6 },
  { id: "storyteller", displayName: "Demo Storyteller", description: "Answers with a short story.", intrinsicQuality: 0.45 },
  { id: "terse-rusher", displayName: "Demo Terse Rusher", description: "Terse, sloppy, sometimes misses the point.", intrinsicQuality: 0.2 },
];

export function isDemoPersonalityId(value: string): value is DemoPersonalityId {
  return DEMO_PERSONALITIES.some((personality) => personality.id === value);
}

/**
 * Real model and organisation names (LMArena's identity-word idea). Demo answers never contain them;
 * answers that do are dropped by vote cleaning.
 */
export const IDENTITY_WORDS: readonly string[] = [
  "claude", "anthropic", "openai", "chatgpt", "gpt", "gemini", "bard", "google", "deepmind", "llama", "meta",
  "mistral", "mixtral", "qwen", "alibaba", "deepseek", "grok", "xai", "cohere", "command-r", "microsoft",
  "copilot", "vicuna", "lmsys", "ernie", "baidu", "perplexity", "nvidia", "nemotron",
];

/** Whole words only, plus a glued version suffix ("gpt-4o", "llama3.1"), so "metadata" is left alone. */
const IDENTITY_PATTERN = new RegExp(`\\b(${IDENTITY_WORDS.join("|")})(?:[-.]?\\d[\\w.]*)?\\b`, "gi");

/** Replaces every identity word (with its version suffix) by a neutral phrase. */
export function scrubIdentityWords(text: string): string {
  return text.replace(IDENTITY_PATTERN, "another assistant");
}

export function containsIdentityWord(text: string): boolean {
  return new RegExp(IDENTITY_PATTERN.source, "i").test(text);
}

export interface DemoMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export type PromptKind = "how" | "why" | "creative" | "general";

const LEADING_QUESTION =
  /^(please\s+)?((can|could|would) you\s+)?(please\s+)?(explain|describe|tell me about|what is|what are|what's|how do i|how do you|how can i|how to|how does|how do|why is|why are|why do|why does|give me|write( me)?( a| an)?|help me( with)?|qu'est-ce que|comment|pourquoi|qué es|cómo|por qué|was ist|wie|warum)\s+/i;

/** The phrase the answer talks about: the user's question without its question words, at most 8 words. */
export function extractTopic(prompt: string): string {
  const firstSentence = prompt.trim().split(/[?.!\n]/)[0] ?? "";
  const stripped = firstSentence.replace(LEADING_QUESTION, "").replace(/^(the|a|an)\s+/i, "");
  const words = scrubIdentityWords(stripped).split(/\s+/).filter(Boolean).slice(0, 8).map((word, index, all) => toSecondPerson(word, all[index - 1]));
  return words.length > 0 ? words.join(" ") : "this";
}

/** The answer speaks to the user: "my starter" in the question becomes "your starter" in the answer. */
const SECOND_PERSON: Record<string, string> = { i: "you", me: "you", my: "your", mine: "yours", myself: "yourself", we: "you", us: "you", our: "your", ours: "yours", "i'm": "you're" };
function toSecondPerson(word: string, previous: string | undefined): string {
  if (word.toLowerCase() === "am" && previous?.toLowerCase() === "i") return "are";
  return SECOND_PERSON[word.toLowerCase()] ?? word;
}

export function classifyPrompt(prompt: string): PromptKind {
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

function pick<T>(items: readonly T[], random: Random): T {
  return items[randomInt(random, items.length)];
}

/** `count` distinct items in a seeded order. */
function pickDistinct<T>(items: readonly T[], count: number, random: Random): T[] {
  const pool = [...items];
  const chosen: T[] = [];
  while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(randomInt(random, pool.length), 1)[0]);
  return chosen;
}

/** "make sourdough bread" → "making sourdough bread", so a how-to topic reads as a noun phrase. */
export function asGerundPhrase(topic: string): string {
  const [verb, ...rest] = topic.split(" ");
  if (!/^[a-z]{2,}$/.test(verb) || verb.endsWith("ing")) return topic;
  const gerund = /[^e]e$/.test(verb) ? `${verb.slice(0, -1)}ing` : `${verb}ing`;
  return [gerund, ...rest].join(" ");
}

/** `count` distinct items keeping their original order (steps must stay in sequence). */
function pickInOrder<T>(items: readonly T[], count: number, random: Random): T[] {
  const chosen = new Set(pickDistinct(items, count, random));
  return items.filter((item) => chosen.has(item));
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
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

const WRITERS: Record<DemoPersonalityId, (context: AnswerContext) => string> = {
  "concise-expert": conciseExpert,
  "friendly-explainer": friendlyExplainer,
  "formal-analyst": formalAnalyst,
  storyteller,
  "terse-rusher": terseRusher,
};

/**
 * The personality's full answer to the conversation. Invariants: deterministic for equal inputs;
 * never empty; contains no identity word; written in the persona's (or the user's) language.
 */
export function generateDemoAnswer(personality: DemoPersonalityId, messages: readonly DemoMessage[]): string {
  const system = messages.filter((message) => message.role === "system").map((message) => message.content).join("\n");
  const lastUser = [...messages].reverse().find((message) => message.role === "user")?.content ?? "";
  const hints = parsePersonaHints(system, lastUser);
  const seed = seedFromString(`${personality}\u0000${messages.map((message) => `${message.role}:${message.content}`).join("\u0000")}`);
  const context: AnswerContext = {
    bank: PHRASE_BANKS[hints.language],
    hints,
    topic: extractTopic(lastUser),
    kind: classifyPrompt(lastUser),
    random: createRandom(seed),
    topicMentions: 0,
  };
  if (hints.language === "en" && context.kind === "how") context.topic = asGerundPhrase(context.topic);
  return scrubIdentityWords(WRITERS[personality](context));
}

/**
 * How much a voter with these persona hints is expected to like this personality's answer to a
 * prompt, on a logit-like scale (differences feed a Bradley–Terry simulation of votes). Encodes the
 * intended structure: experts prefer concise answers, novices the explainer, "formal/detailed"
 * readers the analyst, creative prompts the storyteller; the terse one is rarely preferred.
 */
export function demoAnswerAppeal(personality: DemoPersonalityId, hints: PersonaHints, prompt: string): number {
  const quality = DEMO_PERSONALITIES.find((entry) => entry.id === personality)!.intrinsicQuality;
  let appeal = quality * 2;
  const kind = classifyPrompt(prompt);
  if (hints.expertise === "expert") appeal += { "concise-expert": 0.8, "friendly-explainer": -0.4, "formal-analyst": 0.1, storyteller: -0.5, "terse-rusher": 0.1 }[personality];
  if (hints.expertise === "novice") appeal += { "concise-expert": -0.4, "friendly-explainer": 0.8, "formal-analyst": -0.3, storyteller: 0.2, "terse-rusher": -0.3 }[personality];
  if (hints.preferredStyle === "concise") appeal += { "concise-expert": 0.5, "friendly-explainer": -0.1, "formal-analyst": -0.6, storyteller: -0.4, "terse-rusher": 0.3 }[personality];
  if (hints.preferredStyle === "detailed" || hints.preferredStyle === "formal") appeal += { "concise-expert": -0.2, "friendly-explainer": 0.1, "formal-analyst": 0.8, storyteller: -0.2, "terse-rusher": -0.5 }[personality];
  if (hints.preferredStyle === "friendly") appeal += personality === "friendly-explainer" ? 0.6 : 0;
  if (kind === "creative" || hints.preferredStyle === "creative") appeal += personality === "storyteller" ? 1.2 : 0;
  return appeal;
}
