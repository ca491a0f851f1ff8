import { personaFacts } from "./facts";
import type { TPersona } from "./schema";
import { DEFAULT_PERSONA_TEMPLATE, renderPersonaPrompt } from "./template";

export interface TPersonaStatement {
  key: string;
  label: string;
  value: string;
  /** `label: value`, ready to display. */
  text: string;
}

/**
 * What the models know about the user: one statement per fact the template actually sends.
 *
 * Invariant: derived from the same `personaFacts` values and the same `fieldsUsed` that
 * `renderPersonaPrompt` produces for this template, so every statement's value appears verbatim
 * in the system prompt and nothing sent is left out.
 */
export function describePersonaForUser(persona: TPersona, template: string = DEFAULT_PERSONA_TEMPLATE): TPersonaStatement[] {
  const { fieldsUsed } = renderPersonaPrompt(template, persona);
  const used = new Set(fieldsUsed);
  return personaFacts(persona)
    .filter((fact) => used.has(fact.key))
    .map((fact) => ({ ...fact, text: `${fact.label}: ${fact.value}` }));
}
