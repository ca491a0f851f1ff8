import { personaFacts, type TPersonaFact } from "./facts";
import { PERSONA_PLACEHOLDERS } from "./fields";
import type { TPersona } from "./schema";

/**
 * A tiny, logic-less template language for persona system prompts. Templates are data registered
 * by admins or model owners, so nothing in them is ever evaluated as code.
 *
 * Syntax:
 * - `{{key}}` substitutes a persona fact, where key is one of `PERSONA_PLACEHOLDERS`
 *   (`ageBand`, `expertise`, `preferences.detail`, …). Whitespace inside the braces is ignored.
 * - `{{#if key}}…{{else}}…{{/if}}` renders a section when the fact is known; `{{#if a || b}}` when
 *   any of them is. Sections nest; `{{else}}` is optional.
 *
 * Rendering rules (the "graceful omission" invariants):
 * - a missing or "prefer not to say" field is never rendered as text ("undefined", "", …);
 * - a line containing a `{{key}}` whose fact is unknown is dropped entirely, so a sentence such as
 *   `- Age: {{ageBand}}` disappears instead of dangling; put multi-line prose in `{{#if}}`;
 * - runs of blank lines collapse to one and the prompt is trimmed;
 * - substituted values are inserted after line filtering, so user free text can neither inject
 *   template syntax nor break the line rules;
 * - `fieldsUsed` lists exactly the facts whose values appear in the prompt, in survey order;
 *   when it is empty the prompt adds no personalization and `systemPrompt` is null.
 */
type TPersonaTemplateNode =
  | { type: "text"; text: string }
  | { type: "field"; key: string }
  | { type: "if"; keys: string[]; then: TPersonaTemplateNode[]; otherwise: TPersonaTemplateNode[] };

export type TPersonaTemplateValidation = { ok: true } | { ok: false; errors: string[] };

export interface TRenderedPersonaPrompt {
  systemPrompt: string | null;
  fieldsUsed: string[];
}

export const PERSONA_TEMPLATE_MAX_LENGTH = 10_000;
const MAX_NESTING_DEPTH = 8;

/** Thrown when rendering a template that `validatePersonaTemplate` would reject. */
export class PersonaTemplateError extends Error {
  constructor(readonly errors: string[]) {
    super(`Invalid persona template: ${errors.join("; ")}`);
    this.name = "PersonaTemplateError";
  }
}

const KNOWN_PLACEHOLDERS: ReadonlySet<string> = new Set(PERSONA_PLACEHOLDERS);

type TParseResult = { ok: true; nodes: TPersonaTemplateNode[] } | { ok: false; errors: string[] };

interface TOpenSection {
  node: Extract<TPersonaTemplateNode, { type: "if" }>;
  inElse: boolean;
  position: number;
}

function checkKey(key: string, position: number, errors: string[]): void {
  if (!KNOWN_PLACEHOLDERS.has(key)) errors.push(`Unknown placeholder "${key}" at position ${position}`);
}

/** Parses a template into nodes, collecting every error rather than stopping at the first. */
function parsePersonaTemplate(template: string): TParseResult {
  const errors: string[] = [];
  if (template.length > PERSONA_TEMPLATE_MAX_LENGTH) {
    return { ok: false, errors: [`Template is longer than ${PERSONA_TEMPLATE_MAX_LENGTH} characters`] };
  }
  const root: TPersonaTemplateNode[] = [];
  const stack: TOpenSection[] = [];
  const target = (): TPersonaTemplateNode[] => {
    const open = stack[stack.length - 1];
    if (!open) return root;
    return open.inElse ? open.node.otherwise : open.node.then;
  };

  let cursor = 0;
  while (cursor < template.length) {
    const start = template.indexOf("{{", cursor);
    if (start === -1) {
      target().push({ type: "text", text: template.slice(cursor) });
      break;
    }
    if (start > cursor) target().push({ type: "text", text: template.slice(cursor, start) });
    const end = template.indexOf("}}", start + 2);
    if (end === -1) {
      errors.push(`Unclosed "{{" at position ${start}`);
      break;
    }
    const tag = template.slice(start + 2, end).trim();
    cursor = end + 2;

    const ifMatch = /^#if\s+(.+)$/s.exec(tag);
    if (ifMatch) {
      const keys = ifMatch[1].split("||").map((key) => key.trim());
      if (keys.some((key) => key === "")) errors.push(`Empty condition in "{{${tag}}}" at position ${start}`);
      for (const key of keys.filter(Boolean)) checkKey(key, start, errors);
      if (stack.length >= MAX_NESTING_DEPTH) errors.push(`Sections nested deeper than ${MAX_NESTING_DEPTH} at position ${start}`);
      const node: TOpenSection["node"] = { type: "if", keys, then: [], otherwise: [] };
      target().push(node);
      stack.push({ node, inElse: false, position: start });
    } else if (tag === "else") {
      const open = stack[stack.length - 1];
      if (!open) errors.push(`"{{else}}" outside of a section at position ${start}`);
      else if (open.inElse) errors.push(`Second "{{else}}" in one section at position ${start}`);
      else open.inElse = true;
    } else if (tag === "/if") {
      if (!stack.pop()) errors.push(`"{{/if}}" without a matching "{{#if}}" at position ${start}`);
    } else if (/^[A-Za-z][A-Za-z0-9_.]*$/.test(tag)) {
      checkKey(tag, start, errors);
      target().push({ type: "field", key: tag });
    } else {
      errors.push(`Unsupported tag "{{${tag}}}" at position ${start}`);
    }
  }
  for (const open of stack) errors.push(`"{{#if}}" at position ${open.position} is never closed`);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, nodes: root };
}

/** Checks a template at registration time: syntax, known placeholders, nesting, length. */
export function validatePersonaTemplate(template: string): TPersonaTemplateValidation {
  const parsed = parsePersonaTemplate(template);
  return parsed.ok ? { ok: true } : { ok: false, errors: parsed.errors };
}

// Private-use characters mark substitutions until lines are filtered. They are stripped from
// template text, and fact values are inserted only after filtering, so neither can fake a mark.
const MISSING_MARK = "\u{F8FF}";
const VALUE_OPEN = "\u{F8FE}";
const VALUE_CLOSE = "\u{F8FD}";
const MARKS = /[\u{F8FD}-\u{F8FF}]/gu;

function renderNodes(nodes: TPersonaTemplateNode[], facts: ReadonlyMap<string, TPersonaFact>, out: string[]): void {
  for (const node of nodes) {
    if (node.type === "text") out.push(node.text.replace(MARKS, ""));
    else if (node.type === "field") out.push(facts.has(node.key) ? `${VALUE_OPEN}${node.key}${VALUE_CLOSE}` : MISSING_MARK);
    else renderNodes(node.keys.some((key) => facts.has(key)) ? node.then : node.otherwise, facts, out);
  }
}

/**
 * Renders a persona system prompt; see the module comment for the omission rules.
 * @throws PersonaTemplateError when the template is invalid (templates are validated on registration).
 */
export function renderPersonaPrompt(template: string, persona: TPersona): TRenderedPersonaPrompt {
  const parsed = parsePersonaTemplate(template);
  if (!parsed.ok) throw new PersonaTemplateError(parsed.errors);
  const facts = new Map(personaFacts(persona).map((fact) => [fact.key, fact]));
  const out: string[] = [];
  renderNodes(parsed.nodes, facts, out);

  const used = new Set<string>();
  const valuePattern = new RegExp(`${VALUE_OPEN}([^${VALUE_CLOSE}]+)${VALUE_CLOSE}`, "gu");
  const lines = out
    .join("")
    .split("\n")
    .filter((line) => !line.includes(MISSING_MARK))
    .map((line) =>
      line
        .replace(valuePattern, (_match, key: string) => {
          used.add(key);
          return facts.get(key)?.value ?? "";
        })
        .trimEnd(),
    );
  const systemPrompt = lines.join("\n").replace(/\n{3,}/g, "\n\n").trim();
  const fieldsUsed = PERSONA_PLACEHOLDERS.filter((key) => used.has(key));
  return { systemPrompt: fieldsUsed.length > 0 ? systemPrompt : null, fieldsUsed };
}

/**
 * The default persona prompt: a neutral assistant instruction plus whatever the user shared.
 * Sections appear only when at least one of their fields is known.
 */
export const DEFAULT_PERSONA_TEMPLATE = `You are a helpful assistant. The user has shared a short profile so that your answers can suit them. Use it to adapt depth, tone, vocabulary and examples. Answer the question they actually ask, do not repeat the profile back to them, and do not assume anything the profile does not say.
{{#if ageBand || gender || country || languages || education || occupation || expertise || aiUsageFrequency || aiUseCases || aboutMe}}

About the user:
- Age: {{ageBand}}
- Gender: {{gender}}
- Country: {{country}}
- Languages they read: {{languages}}
- Education: {{education}}
- Occupation: {{occupation}}
- Field of expertise: {{expertise}}
- Uses AI assistants: {{aiUsageFrequency}}
- Usually uses AI for: {{aiUseCases}}
- In their own words: "{{aboutMe}}"
{{/if}}
{{#if preferences.factuality || preferences.creativity || preferences.detail || preferences.formality || preferences.safety || preferences.personalisation || responseStyle}}

How they like answers:
- The user {{preferences.factuality}}.
- The user {{preferences.creativity}}.
- The user {{preferences.detail}}.
- The user {{preferences.formality}}.
- The user {{preferences.safety}}.
- The user {{preferences.personalisation}}.
- Preferred format: {{responseStyle}}.
{{/if}}
{{#if expertise}}

Where it helps, use examples and vocabulary that fit their background ({{expertise}}), and explain jargon from other fields.
{{/if}}`;
