import { createRandom, seedFromString } from "../random";

import { writeBankAnswer } from "./bank-answers";
import { codeForTask } from "./code-snippets";
import { ENGLISH_WRITERS } from "./english-answers";
import { parsePersonaHints, type PersonaHints } from "./persona-hints";
import { detectRequestKind, readRequest } from "./request-kind";

/**
 * Offline demo text models. Each personality answers deterministically from (personality, seed,
 * messages): the same battle seed and conversation always yield the same answer, and another seed
 * gives another wording, so a repeated prompt does not identify the model. Answers have the shape
 * the request asks for (request-kind.ts: code block, steps, list, poem, direct answer), adapt to the
 * persona context in the system message (persona-hints.ts, persona-voice.ts) and never contain a
 * real model or company name, even when the prompt does.
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
const IDENTITY_WORDS: readonly string[] = [
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

/**
 * The personality's full answer to the conversation. Invariants: deterministic for equal inputs;
 * never empty; contains no identity word; written in the persona's (or the user's) language.
 */
export function generateDemoAnswer(personality: DemoPersonalityId, messages: readonly DemoMessage[], battleSeed = 0): string {
  const system = messages.filter((message) => message.role === "system").map((message) => message.content).join("\n");
  const lastUser = [...messages].reverse().find((message) => message.role === "user")?.content ?? "";
  const hints = parsePersonaHints(system, lastUser);
  const seed = seedFromString(`${battleSeed}\u0000${personality}\u0000${messages.map((message) => `${message.role}:${message.content}`).join("\u0000")}`);
  if (hints.language !== "en") {
    const prose = writeBankAnswer(personality, hints.language, hints, lastUser, seed);
    const request = readRequest(lastUser);
    const code = request.kind === "code" ? codeForTask(lastUser, request.task, request.codeLanguage ?? "python", { buggy: personality === "terse-rusher" }) : null;
    return scrubIdentityWords(code ? `${prose}\n\n\`\`\`${code.language}\n${code.code}\n\`\`\`` : prose);
  }
  const answer = ENGLISH_WRITERS[personality]({ request: readRequest(lastUser), prompt: lastUser, hints, random: createRandom(seed) });
  return scrubIdentityWords(answer.trim() || "Could you tell me a little more about what you need?");
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
  const kind = detectRequestKind(prompt);
  if (hints.expertise === "expert") appeal += { "concise-expert": 0.8, "friendly-explainer": -0.4, "formal-analyst": 0.1, storyteller: -0.5, "terse-rusher": 0.1 }[personality];
  if (hints.expertise === "novice") appeal += { "concise-expert": -0.4, "friendly-explainer": 0.8, "formal-analyst": -0.3, storyteller: 0.2, "terse-rusher": -0.3 }[personality];
  if (hints.preferredStyle === "concise") appeal += { "concise-expert": 0.5, "friendly-explainer": -0.1, "formal-analyst": -0.6, storyteller: -0.4, "terse-rusher": 0.3 }[personality];
  if (hints.preferredStyle === "detailed" || hints.preferredStyle === "formal") appeal += { "concise-expert": -0.2, "friendly-explainer": 0.1, "formal-analyst": 0.8, storyteller: -0.2, "terse-rusher": -0.5 }[personality];
  if (hints.preferredStyle === "friendly") appeal += personality === "friendly-explainer" ? 0.6 : 0;
  if (kind === "creative" || hints.preferredStyle === "creative") appeal += personality === "storyteller" ? 1.2 : 0;
  // Code and short facts reward precision; the storyteller's framing costs it there.
  if (kind === "code" || kind === "factual") appeal += { "concise-expert": 0.4, "friendly-explainer": 0.2, "formal-analyst": 0, storyteller: -0.5, "terse-rusher": -0.2 }[personality];
  return appeal;
}
