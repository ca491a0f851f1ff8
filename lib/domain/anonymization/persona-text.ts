import type { TReleasedPersona } from "../release/schema";
import { isCommonWord } from "./detectors/given-names";
import { OTHER, PREFER_NOT_TO_SAY, SUPPRESSED } from "./hierarchies";
import { DEFAULT_HIERARCHIES, type PersonaInput } from "./personas";
import { ageBandForms, countryForms, educationForms, expertiseForms, languageForms } from "./persona-vocabulary";

/**
 * Persona-safe release text: the annotator's own persona values are replaced in their battles' texts
 * wherever the released persona does not show them at that exact level. A personalized answer ("rules
 * differ in Liechtenstein", "since you work in glaciologist") would otherwise undo the generalization of
 * the persona columns.
 *
 * Each mention becomes a typed placeholder that carries the released generalization when the column shows
 * one (`[COUNTRY: Western Europe]`, `[AGE: 18-34]`, `[OCCUPATION: science_research]`), and the bare type
 * when the column withholds the value (`*`, `other`, null): `[COUNTRY]`, `[LANGUAGE]`, `[AGE]`,
 * `[OCCUPATION]`, `[EXPERTISE]`, `[EDUCATION]`, `[GENDER]`, `[PERSONA_DETAIL]`.
 *
 * What is searched, per field (every persona version of the annotator, since older battles were answered
 * with older values): country names, demonyms and adjectives; language names; the age band and its
 * decades; the free-text occupation as written, its plural, its distinctive words (not common English
 * words, four letters or more) and for "-ist"/"-ologist" words the field ("glaciology"); the expertise and
 * education labels and their usual words (persona-vocabulary.ts); "as a woman/man"; and for "about me" every
 * run of four words it shares with the text and its capitalised proper nouns. Matching ignores case,
 * except for forms of three letters or fewer ("UK", "IT", "BA"), and respects word boundaries.
 *
 * Invariants: deterministic; text that mentions none of the annotator's withheld values is returned
 * unchanged; values the release shows exactly are never replaced; placeholders contain no searched form,
 * so applying the redactor twice changes nothing more.
 */
interface PersonaTextRedaction {
  text: string;
  /** Mentions replaced. */
  replaced: number;
}

export type PersonaTextRedactor = (text: string) => PersonaTextRedaction;

interface Rule {
  pattern: RegExp;
  replacement: string;
  /**
   * Lower-case strings of which every match contains one: the rule's pattern runs only on a text whose
   * lower-case form includes one of them (a fast substring search instead of a scan at every position).
   */
  needles: string[];
}

const PLACEHOLDER = /\[[A-Z_]+(?:: [^\]\n]{1,60})?\]/g;
// Private-use characters: they never occur in released text, so they cannot collide with it.
const SET_ASIDE_OPEN = "\u{F8F0}";
const SET_ASIDE_CLOSE = "\u{F8F1}";
const SET_ASIDE = /\u{F8F0}([\u{E000}-\u{F8EF}])\u{F8F1}/gu;
/** A set-aside token names its entry with one private-use character, so it holds no letter or digit a rule could read. */
const setAsideToken = (index: number) => `${SET_ASIDE_OPEN}${String.fromCodePoint(0xe000 + (index % 0x18f0))}${SET_ASIDE_CLOSE}`;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function shownGeneralization(released: string | null | undefined): string | null {
  if (released === null || released === undefined || released === SUPPRESSED || released === OTHER || released === PREFER_NOT_TO_SAY) return null;
  return released;
}

function placeholder(type: string, released: string | null | undefined): string {
  const shown = shownGeneralization(released);
  return shown === null ? `[${type}]` : `[${type}: ${shown}]`;
}

/**
 * The compiled rules of one publish, keyed by what each is built from (forms, replacement, context), so
 * annotators who share a persona value share its RegExp: a release holds one set of rules per distinct
 * value, not one per annotator (5,000 annotators with a handful of values held 5,000 copies of each rule
 * and compiled each of them again). Lives as long as the caller keeps it (one publish).
 */
export class PersonaRuleCache {
  private readonly rules = new Map<string, Rule[]>();

  /** Distinct rule sets built so far. */
  get size(): number {
    return this.rules.size;
  }

  /** The rules for `key`, built by `build` the first time. */
  get(key: string, build: () => Rule[]): Rule[] {
    let rules = this.rules.get(key);
    if (!rules) this.rules.set(key, (rules = build()));
    return rules;
  }
}

/** One rule matching any of `forms` as whole words; short forms keep their case, longer ones ignore it. */
function formsRule(cache: PersonaRuleCache, forms: readonly string[], replacement: string, prefix = "", suffix = ""): Rule[] {
  // JSON keeps the key unambiguous whatever characters a free-text form (occupation) holds.
  return cache.get(JSON.stringify([replacement, prefix, suffix, forms]), () => buildFormsRule(forms, replacement, prefix, suffix));
}

function buildFormsRule(forms: readonly string[], replacement: string, prefix: string, suffix: string): Rule[] {
  const sorted = [...new Set(forms)].filter((form) => form.length > 0).sort((a, b) => b.length - a.length);
  const short = sorted.filter((form) => form.replace(/[^\p{L}\p{N}]/gu, "").length <= 3);
  const long = sorted.filter((form) => !short.includes(form));
  const rule = (list: string[], flags: string): Rule => ({
    needles: list.map((form) => form.toLowerCase()),
    pattern: new RegExp(`(?<![\\p{L}\\p{N}\\[])${prefix}(?:${list.map(escapeRegExp).join("|")})(?![\\p{L}\\p{N}])${suffix}`, flags),
    replacement,
  });
  return [...(long.length > 0 ? [rule(long, "giu")] : []), ...(short.length > 0 ? [rule(short, "gu")] : [])];
}

const FIELD_CUE = String.raw`(?:(?<=\b(?:background|experience|expertise|career|training|degree|work|works|working|job|jobs|field|studies|studying|speciali[sz]ing|specialty|speciality|professional|professionals|people|someone|anyone|colleagues)\s+(?:in|with|of)\s+(?:the\s+)?(?:field\s+of\s+)?))`;

/** "your business background", "her law career": the field's words right before such a noun. */
const FIELD_NOUN_AFTER = String.raw`(?=\s+(?:background|experience|expertise|career|training|degree|studies|sector|industry|job|work)\b)`;

function occupationForms(occupation: string): { phrases: string[]; words: string[] } {
  const normalized = occupation.normalize("NFC").replace(/\s+/g, " ").trim();
  if (normalized.length < 2) return { phrases: [], words: [] };
  const phrases = [normalized, `${normalized}s`, `${normalized}es`, normalized.replace(/_/g, " ")];
  const words: string[] = [];
  for (const word of normalized.split(/[\s,/()_-]+/)) {
    if (word.length < 4 || !/^\p{L}+$/u.test(word) || isCommonWord(word)) continue;
    words.push(word, `${word}s`);
    if (/ologist$/i.test(word)) words.push(word.replace(/ologist$/i, "ology"), word.replace(/ologist$/i, "ological"));
    else if (/ist$/i.test(word)) words.push(word.replace(/ist$/i, "y"), word.replace(/ist$/i, "ism"));
  }
  return { phrases, words };
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;
const MIN_SHARED_RUN = 4;
const NOT_PROPER = new Set(["I", "I'm", "I’m", "I've", "I’ve", "I'd", "I'll", "My", "The", "And", "But"]);

/**
 * "About me" is free text nobody else shares: the text's runs of four or more words in the same order as
 * in it are replaced whole, then its distinctive words alone: capitalised words that do not start a
 * sentence ("Bergen", "Biscuit", "Marmot Basin") and lower-case words of five letters or more that are
 * not common English words ("veena").
 */
function aboutMeRedaction(aboutMe: string): { runs: (text: string) => Array<[number, number]>; rules: Rule[] } {
  const own = [...aboutMe.normalize("NFC").matchAll(WORD)].map((match) => match[0].toLowerCase());
  const ownWords = new Set(own);
  const runs = (text: string): Array<[number, number]> => {
    const words = [...text.matchAll(WORD)].map((match) => ({ word: match[0].toLowerCase(), start: match.index, end: match.index + match[0].length }));
    // A shared run needs MIN_SHARED_RUN consecutive words of "about me": skip texts without one.
    let streak = 0;
    let longest = 0;
    for (const { word } of words) longest = Math.max(longest, (streak = ownWords.has(word) ? streak + 1 : 0));
    if (longest < MIN_SHARED_RUN) return [];
    const spans: Array<[number, number]> = [];
    for (let start = 0; start < words.length; ) {
      let best = 0;
      for (let from = 0; from < own.length; from++) {
        let length = 0;
        while (start + length < words.length && from + length < own.length && words[start + length]!.word === own[from + length]) length++;
        best = Math.max(best, length);
      }
      if (best >= MIN_SHARED_RUN) {
        spans.push([words[start]!.start, words[start + best - 1]!.end]);
        start += best;
      } else start++;
    }
    return spans;
  };
  const distinctive = new Set<string>();
  for (const match of aboutMe.normalize("NFC").matchAll(/(?<=[\p{L}\p{N},;:]\s+)\p{Lu}[\p{L}'’-]{2,}(?:\s+\p{Lu}[\p{L}'’-]{2,})*/gu)) {
    if (!NOT_PROPER.has(match[0])) distinctive.add(match[0]);
  }
  for (const match of aboutMe.normalize("NFC").matchAll(/(?<![\p{L}])\p{Ll}{5,}(?![\p{L}])/gu)) {
    if (!isCommonWord(match[0])) distinctive.add(match[0]);
  }
  const rules: Rule[] = distinctive.size === 0 ? [] : [{
    needles: [...distinctive].map((word) => word.toLowerCase()),
    pattern: new RegExp(`(?<![\\p{L}\\[])(?:${[...distinctive].sort((a, b) => b.length - a.length).map(escapeRegExp).join("|")})(?![\\p{L}])`, "gu"),
    replacement: "[PERSONA_DETAIL]",
  }];
  return { runs, rules };
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" && value !== PREFER_NOT_TO_SAY ? value.trim() : null;
}

/** Whether the persona row shows `value` of `field` exactly (its most precise released form). */
function shownExactly(field: "ageBand" | "gender", value: string, released: string | null): boolean {
  if (released === null) return false;
  const exact = DEFAULT_HIERARCHIES[field].generalize(value, 0);
  return exact !== OTHER && released === exact;
}

const GENDER_WORDS: Record<string, string[]> = {
  woman: ["woman", "women", "female", "lady"],
  man: ["man", "men", "male", "gentleman"],
  non_binary: ["non-binary person", "non-binary people", "nonbinary person", "non-binary"],
};

/**
 * Builds the redactor for one annotator. `personas` are every persona version the annotator's released
 * battles may have been answered with; `released` is what the release shows for them.
 */
export function buildPersonaTextRedactor(personas: readonly PersonaInput[], released: TReleasedPersona, cache = new PersonaRuleCache()): PersonaTextRedactor {
  const rules: Rule[] = [];
  const aboutMe = personas.map((persona) => text(persona.aboutMe)).filter((about): about is string => about !== null).map(aboutMeRedaction);
  for (const about of aboutMe) rules.push(...about.rules);
  for (const persona of personas) {
    // Country, education, occupation and expertise are never released (UNRELEASED_FIELDS), languages only as a count: always replaced.
    const country = text(persona.country);
    if (country) rules.push(...formsRule(cache, countryForms(country), "[COUNTRY]"));
    const languages = persona.languages?.filter((code) => typeof code === "string" && code !== PREFER_NOT_TO_SAY) ?? [];
    if (languages.length > 0) rules.push(...formsRule(cache, languages.flatMap(languageForms), "[LANGUAGE]"));
    const ageBand = text(persona.ageBand);
    if (ageBand && !shownExactly("ageBand", ageBand, released.age_band)) rules.push(...formsRule(cache, ageBandForms(ageBand), placeholder("AGE", released.age_band)));
    const occupation = text(persona.occupation);
    if (occupation) {
      const { phrases, words } = occupationForms(occupation);
      rules.push(...formsRule(cache, phrases, "[OCCUPATION]"), ...formsRule(cache, words, "[OCCUPATION]"));
    }
    const expertise = text(persona.expertise);
    if (expertise) {
      const { anywhere, afterCue } = expertiseForms(expertise);
      rules.push(...formsRule(cache, anywhere, "[EXPERTISE]"), ...formsRule(cache, afterCue, "[EXPERTISE]", FIELD_CUE), ...formsRule(cache, afterCue, "[EXPERTISE]", "", FIELD_NOUN_AFTER));
    }
    const education = text(persona.education);
    if (education) rules.push(...formsRule(cache, educationForms(education), "[EDUCATION]"));
    const gender = text(persona.gender);
    if (gender && !shownExactly("gender", gender, released.gender) && GENDER_WORDS[gender]) {
      rules.push(...formsRule(cache, GENDER_WORDS[gender]!, placeholder("GENDER", released.gender), String.raw`(?<=\b(?:as|for|being)\s+(?:a\s+|an\s+)?)`));
    }
  }
  if (rules.length === 0 && aboutMe.length === 0) return (input) => ({ text: input, replaced: 0 });
  return (input) => {
    // Placeholders already in the text (the scrubber's, or this redactor's) are set aside so no rule reads
    // inside them: "[OCCUPATION: technology]" must not become "[OCCUPATION: [OCCUPATION]]".
    const setAside: string[] = [];
    let output = input.replace(PLACEHOLDER, (found) => setAsideToken(setAside.push(found) - 1));
    let replaced = 0;
    for (const about of aboutMe) {
      for (const [start, end] of about.runs(output).reverse()) {
        output = output.slice(0, start) + setAsideToken(setAside.push("[PERSONA_DETAIL]") - 1) + output.slice(end);
        replaced += 1;
      }
    }
    const lower = input.toLowerCase();
    for (const { pattern, replacement, needles } of rules) {
      if (!needles.some((needle) => lower.includes(needle))) continue;
      output = output.replace(pattern, () => {
        replaced += 1;
        return setAsideToken(setAside.push(replacement) - 1);
      });
    }
    output = output.replace(SET_ASIDE, (_match, code: string) => setAside[code.codePointAt(0)! - 0xe000]!);
    return { text: output, replaced };
  };
}
