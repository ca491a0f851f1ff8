import { isOlderAgeBand, isYoungerAgeBand, type PersonaHints } from "./persona-hints";

/**
 * How the demo models speak about the persona's facts, in English, with the right tense and role:
 * a retired teacher has "years as a teacher" (never "since you work in teaching"), a student "is
 * studying", a field of expertise is a "background", not a job. Every function returns null when
 * the persona gives nothing to say, so answers never contain empty or invented facts.
 */
interface PersonaBackground {
  /** "a teacher", "a nurse", "an engineer"; null when only a field is known. */
  role: string | null;
  /** "education and teaching"; null when unknown or "Other". */
  field: string | null;
  /** True for "retired …", "former …", "ex-…". */
  past: boolean;
  student: boolean;
}

const PAST_MARKERS = /^(?:a |an )?(retired|former|ex-?|semi-retired|previously (?:a |an )?)\s*/i;

function withArticle(noun: string): string {
  return /^(a|an|the)\s/i.test(noun) ? noun : `${/^[aeiou]/i.test(noun) && !/^(uni|use|eu)/i.test(noun) ? "an" : "a"} ${noun}`;
}

function personaBackground(hints: PersonaHints): PersonaBackground | null {
  const occupation = hints.occupation?.trim().replace(/[.!]+$/, "") ?? "";
  const field = hints.field && !/^(other|prefer not to say)$/i.test(hints.field.trim()) ? hints.field.trim() : null;
  const past = PAST_MARKERS.test(occupation) || /\bretired\b/i.test(occupation);
  const roleText = occupation.replace(PAST_MARKERS, "").replace(/^retired\s*/i, "").trim();
  const student = /^student$/i.test(field ?? "") || /\bstudent\b/i.test(occupation);
  if (!roleText && !field && !student && !past) return null;
  return {
    role: roleText && !/^(student|retired|unemployed|none|n\/a)$/i.test(roleText) ? withArticle(roleText.toLowerCase()) : null,
    field: field && !/^student$/i.test(field) ? field.charAt(0).toLowerCase() + field.slice(1) : null,
    past,
    student,
  };
}

/** "From your years as a teacher", "In your work as a nurse", "With your background in law", "As a student". */
function backgroundOpener(background: PersonaBackground): string {
  if (background.role && background.past) return `From your years as ${background.role}`;
  if (background.role) return `In your work as ${background.role}`;
  if (background.student) return "As a student";
  if (background.past) return "With everything your working life has taught you";
  return `With your background in ${background.field}`;
}

/**
 * One sentence linking the answer to the persona's background, or null. `kind` chooses the link:
 * a how-to borrows habits, an explanation offers a comparison, code mentions practical use.
 */
export function backgroundSentence(hints: PersonaHints, kind: "how-to" | "explanation" | "code" | "general"): string | null {
  const background = personaBackground(hints);
  if (!background) return null;
  const opener = backgroundOpener(background);
  switch (kind) {
    case "how-to":
      return `${opener}, you ${background.past ? "already know" : "know"} that good preparation and one careful step at a time beat rushing; the same applies here.`;
    case "code":
      return `${opener}, you may want to wrap this in a small script you can rerun on your own data.`;
    case "explanation":
      return `${opener}, you ${background.past ? "will have" : "have probably"} seen the same pattern: a simple mechanism, repeated at scale, producing a big effect.`;
    default:
      return `${opener}, you ${background.past ? "will" : "probably"} recognise the trade-offs here.`;
  }
}

/** Greeting register by age band: older readers get a calmer, more formal opening. */
export function ageRegister(hints: PersonaHints): "older" | "younger" | "neutral" {
  if (isOlderAgeBand(hints.ageBand)) return "older";
  if (isYoungerAgeBand(hints.ageBand)) return "younger";
  return "neutral";
}
