import { PERSONA_BLOCKING_KINDS, detectPersonalData } from "../moderation/personal-data";
import { PERSONA_FIELDS } from "./fields";
import type { TPersona } from "./schema";

/**
 * The persona as it may be sent to a model: every free-text field (occupation, about me) that carries
 * personal data or a secret (the release scrubber's detector, PERSONA_BLOCKING_KINDS) is left out, so
 * it is neither rendered into a system prompt nor listed under "what the models know about you".
 * Saving such a value is refused in block mode (MODERATION_PII); this covers `allow` mode and values
 * stored before the check existed. Kept out of the persona index so client bundles do not load the
 * detector's word lists.
 */
export function withoutPersonalData(persona: TPersona): TPersona {
  let safe: TPersona | null = null;
  for (const field of PERSONA_FIELDS) {
    if (field.kind !== "text" && field.kind !== "textarea") continue;
    const value = (persona as Record<string, unknown>)[field.key];
    if (typeof value !== "string" || detectPersonalData(value, PERSONA_BLOCKING_KINDS).length === 0) continue;
    safe ??= { ...persona };
    delete (safe as Record<string, unknown>)[field.key];
  }
  return safe ?? persona;
}
