/**
 * Scores persona-safe release text (lib/domain/anonymization/persona-text.ts) on two sets with known truth:
 *
 * - LLM-style answers written by hand (tests/fixtures/privacy/persona-answers.txt), each mention of a
 *   withheld persona value marked; a mention counts as removed when none of its tokens (three or more
 *   letters or digits not also elsewhere in the line) is left outside placeholders;
 * - answers of the offline demo models (lib/domain/demo) to a set of prompts, for each fixture persona
 *   and each demo personality, with the persona system prompt the arena sends; the truth is every
 *   occurrence of a withheld persona fact (country, occupation, expertise) as the system prompt states it,
 *   since that is what the demo models copy into answers.
 *
 * precision = mentions removed / replacements made (capped at 1 per line): replacements in unmarked text
 * lower it.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { PersonaInput } from "@/lib/domain/anonymization/personas";
import { buildPersonaTextRedactor } from "@/lib/domain/anonymization/persona-text";
import { DEMO_PERSONALITIES, generateDemoAnswer } from "@/lib/domain/demo/text-personalities";
import { DEFAULT_PERSONA_TEMPLATE, personaFacts, renderPersonaPrompt, ZPersonaSchema } from "@/lib/domain/persona";
import type { TReleasedPersona } from "@/lib/domain/release/schema";

export const PERSONA_ANSWERS_PATH = resolve(import.meta.dirname, "../../tests/fixtures/privacy/persona-answers.txt");

export interface PersonaCase {
  persona: PersonaInput;
  released: TReleasedPersona;
  lines: Array<{ line: number; text: string; gold: Array<{ field: string; text: string }> }>;
}

const EMPTY_RELEASED: TReleasedPersona = { age_band: null, gender: null, language_count: null, ai_usage_frequency: null, response_style: null, preferences: {} };

export function readPersonaCases(path = PERSONA_ANSWERS_PATH): PersonaCase[] {
  const cases: PersonaCase[] = [];
  readFileSync(path, "utf8").split("\n").forEach((raw, index) => {
    if (raw.trim() === "" || raw.startsWith("#")) return;
    if (raw.startsWith("@persona ")) {
      cases.push({ persona: JSON.parse(raw.slice(9)) as PersonaInput, released: EMPTY_RELEASED, lines: [] });
      return;
    }
    const current = cases.at(-1);
    if (!current) throw new Error(`line ${index + 1}: text before any @persona`);
    if (raw.startsWith("@released ")) {
      current.released = { ...EMPTY_RELEASED, ...(JSON.parse(raw.slice(10)) as Partial<TReleasedPersona>) };
      return;
    }
    const gold: Array<{ field: string; text: string }> = [];
    const text = raw.replace(/\\n/g, "\n").replace(/⟦([A-Z_]+)\|([^⟧]*)⟧/g, (_match, field: string, span: string) => {
      gold.push({ field, text: span });
      return span;
    });
    current.lines.push({ line: index + 1, text, gold });
  });
  return cases;
}

function tokens(text: string): string[] {
  return text.match(/[\p{L}\p{N}]{3,}/gu) ?? [];
}

function removed(text: string, span: string, output: string): boolean {
  const at = text.indexOf(span);
  const elsewhere = new Set(tokens(text.slice(0, at) + " " + text.slice(at + span.length)));
  const left = new Set(tokens(output.replace(/\[[A-Z_]+(?:: [^\]]*)?\]/g, " ")));
  return tokens(span).every((token) => elsewhere.has(token) || !left.has(token));
}

export interface PersonaScore {
  texts: number;
  mentions: number;
  removed: number;
  replacements: number;
  precision: number;
  recall: number;
  perField: Record<string, { mentions: number; removed: number; recall: number }>;
  misses: Array<{ line: number; field: string; span: string; output: string }>;
  falseReplacements: Array<{ line: number; output: string }>;
}

const ratio = (numerator: number, denominator: number) => (denominator === 0 ? 1 : Number((numerator / denominator).toFixed(4)));

function score(items: Array<{ line: number; text: string; gold: Array<{ field: string; text: string }>; redact: (text: string) => { text: string; replaced: number } }>): PersonaScore {
  const perField: Record<string, { mentions: number; removed: number; recall: number }> = {};
  const misses: PersonaScore["misses"] = [];
  const falseReplacements: PersonaScore["falseReplacements"] = [];
  let mentions = 0;
  let removedCount = 0;
  let replacements = 0;
  let truePositives = 0;
  for (const item of items) {
    const { text: output, replaced } = item.redact(item.text);
    let lineRemoved = 0;
    for (const span of item.gold) {
      const entry = (perField[span.field] ??= { mentions: 0, removed: 0, recall: 0 });
      entry.mentions += 1;
      mentions += 1;
      if (removed(item.text, span.text, output)) {
        entry.removed += 1;
        removedCount += 1;
        lineRemoved += 1;
      } else misses.push({ line: item.line, field: span.field, span: span.text, output });
    }
    replacements += replaced;
    truePositives += Math.min(replaced, lineRemoved);
    if (replaced > lineRemoved) falseReplacements.push({ line: item.line, output });
  }
  for (const entry of Object.values(perField)) entry.recall = ratio(entry.removed, entry.mentions);
  return { texts: items.length, mentions, removed: removedCount, replacements, precision: ratio(truePositives, replacements), recall: ratio(removedCount, mentions), perField, misses, falseReplacements };
}

export function evaluateWrittenAnswers(cases = readPersonaCases()): PersonaScore {
  return score(cases.flatMap(({ persona, released, lines }) => {
    const redact = buildPersonaTextRedactor([persona], released);
    return lines.map((line) => ({ ...line, redact }));
  }));
}

export const DEMO_PROMPTS = [
  "How do I start investing with a small monthly amount?",
  "Why is the sky blue?",
  "Explain how vaccines train the immune system",
  "Write a short story about a lighthouse",
  "What should I pack for a week of hiking?",
  "How can I sleep better when working night shifts?",
];

/** Persona facts kept out of the persona row (schemas 4 and 5), so always withheld from the text. */
const WITHHELD_FACTS = new Set(["country", "occupation", "expertise"]);

export function evaluateDemoAnswers(cases = readPersonaCases()): PersonaScore {
  const items: Parameters<typeof score>[0] = [];
  for (const { persona, released } of cases) {
    const parsed = ZPersonaSchema.safeParse(persona);
    if (!parsed.success) continue;
    const systemPrompt = renderPersonaPrompt(DEFAULT_PERSONA_TEMPLATE, parsed.data).systemPrompt;
    const redact = buildPersonaTextRedactor([persona], released);
    const withheld = personaFacts(parsed.data).filter((fact) => WITHHELD_FACTS.has(fact.key));
    for (const personality of DEMO_PERSONALITIES) {
      for (const prompt of DEMO_PROMPTS) {
        const answer = generateDemoAnswer(personality.id, [
          ...(systemPrompt ? [{ role: "system" as const, content: systemPrompt }] : []),
          { role: "user" as const, content: prompt },
        ]);
        const gold = withheld.flatMap((fact) => Array.from({ length: answer.split(fact.value).length - 1 }, () => ({ field: fact.key.toUpperCase(), text: fact.value })));
        items.push({ line: 0, text: answer, gold, redact });
      }
    }
  }
  return score(items);
}
