import type { TReleasedPersona } from "../release/schema";
import { buildPersonaTextRedactor, type PersonaRuleCache } from "./persona-text";
import type { PersonaInput } from "./personas";
import { scrubText, type OwnIdentity } from "./scrub";

export interface ReleaseTextContext {
  /** The annotator's account name and email: removed from their texts (ScrubOptions.identity). */
  identity: OwnIdentity;
  /** Every persona version of the annotator (persona-text.ts). */
  personas: readonly PersonaInput[];
  /** The annotator's persona as the release shows it. */
  released: TReleasedPersona;
  /** The publish's compiled persona rules, shared by every annotator's filter (one per distinct value). */
  personaRules?: PersonaRuleCache;
}

/**
 * The one filter every released text of one annotator goes through (prompts, answers, feedback, and so
 * the conversations built from them): first the scrubber with the annotator's own identity, then the
 * persona-safe replacement of their withheld persona values. Deterministic; build it once per annotator.
 */
export function buildReleaseTextFilter({ identity, personas, released, personaRules }: ReleaseTextContext): (text: string) => string {
  const redactPersona = buildPersonaTextRedactor(personas, released, personaRules);
  return (text) => (text ? redactPersona(scrubText(text, { identity }).text).text : "");
}
