/**
 * Reads the persona context a battle sends in its system prompt so the offline demo models can adapt
 * to it. The format is loose "Key: value" lines (one per line, any order, keys case-insensitive), e.g.
 *
 *   Expertise: expert
 *   Field: nursing
 *   Preferred style: concise
 *   Age: 65+
 *   Country: France
 *   Language: fr
 *
 * Unknown keys are ignored; missing keys stay null. The language also falls back to the one the
 * user writes in. Pure and deterministic.
 *
 * It also reads the lines DEFAULT_PERSONA_TEMPLATE (lib/domain/persona/template.ts) renders:
 * "- Field of expertise: Software and IT", "- Occupation: nurse", "- Uses AI assistants: Daily"
 * (frequency of use stands for familiarity), "- Languages they read: French, English" (used when
 * the user's own writing is not in one of them), "- Preferred format: Concise (short and to the
 * point)." and slider sentences such as "- The user prefers short, concise answers.". An explicit
 * style or format line wins over slider sentences; among sentences the first that names a style wins.
 */
export type DemoLanguage = "en" | "fr" | "es" | "de";
type ExpertiseLevel = "novice" | "intermediate" | "expert";
type PreferredStyle = "concise" | "detailed" | "friendly" | "formal" | "creative";

export interface PersonaHints {
  expertise: ExpertiseLevel | null;
  /** Field of expertise, as the survey names it ("Education and teaching"). */
  field: string | null;
  /** Free-text occupation as the user wrote it ("retired teacher", "nurse"). */
  occupation: string | null;
  preferredStyle: PreferredStyle | null;
  ageBand: string | null;
  country: string | null;
  language: DemoLanguage;
}

const EMPTY_PERSONA_HINTS: PersonaHints = {
  expertise: null,
  field: null,
  occupation: null,
  preferredStyle: null,
  ageBand: null,
  country: null,
  language: "en",
};

const KEY_ALIASES: Record<string, keyof PersonaHints> = {
  expertise: "expertise",
  "expertise level": "expertise",
  "lm familiarity": "expertise",
  familiarity: "expertise",
  level: "expertise",
  field: "field",
  "field of expertise": "field",
  "field of work": "field",
  occupation: "occupation",
  profession: "occupation",
  job: "occupation",
  domain: "field",
  employment: "occupation",
  "preferred style": "preferredStyle",
  "preferred format": "preferredStyle",
  "response style": "preferredStyle",
  style: "preferredStyle",
  "answer style": "preferredStyle",
  age: "ageBand",
  "age band": "ageBand",
  "age group": "ageBand",
  country: "country",
  "country of residence": "country",
  residence: "country",
  "residence country": "country",
  language: "language",
  "preferred language": "language",
};

/** Keys whose value is a list of languages the user reads, or how often they use AI assistants. */
const LANGUAGE_LIST_KEYS: ReadonlySet<string> = new Set(["languages", "languages they read"]);
const USAGE_KEYS: ReadonlySet<string> = new Set(["uses ai assistants", "ai assistant use"]);

/** Frequency of AI assistant use, read as familiarity: daily users are treated as experts. */
function parseUsageFrequency(value: string): ExpertiseLevel | null {
  const lower = value.toLowerCase();
  if (/daily|several times|every day/.test(lower)) return "expert";
  if (/weekly|once a week/.test(lower)) return "intermediate";
  if (/never|monthly|once a month|rarely/.test(lower)) return "novice";
  return null;
}

const SLIDER_SENTENCE = /^\s*[-*]?\s*The user (?:prefers|leans towards)\s+(.+?)\.?\s*$/i;

const LANGUAGE_NAMES: Record<string, DemoLanguage> = {
  en: "en",
  english: "en",
  fr: "fr",
  french: "fr",
  français: "fr",
  francais: "fr",
  es: "es",
  spanish: "es",
  español: "es",
  espanol: "es",
  de: "de",
  german: "de",
  deutsch: "de",
};

function parseExpertise(value: string): ExpertiseLevel | null {
  const lower = value.toLowerCase();
  if (/expert|professional|advanced|very familiar|specialist|senior/.test(lower)) return "expert";
  if (/novice|beginner|new|not familiar|unfamiliar|never|little|none|basic/.test(lower)) return "novice";
  if (/intermediate|somewhat|moderate|familiar|some/.test(lower)) return "intermediate";
  return null;
}

function parseStyle(value: string): PreferredStyle | null {
  // "Balanced (brief, with detail where it matters)": the option name decides, not its explanation.
  const lower = value.replace(/\s*\(.*$/, "").toLowerCase();
  if (/^balanced$/.test(lower)) return null;
  if (/step by step/.test(lower)) return "detailed";
  if (/concise|short|brief|terse|to the point/.test(lower)) return "concise";
  if (/detail|thorough|long|in-depth|comprehensive/.test(lower)) return "detailed";
  if (/friendly|casual|warm|simple|conversational|chat/.test(lower)) return "friendly";
  if (/formal|professional|academic/.test(lower)) return "formal";
  if (/creative|playful|story/.test(lower)) return "creative";
  return null;
}

const LANGUAGE_MARKERS: Array<[DemoLanguage, RegExp]> = [
  ["fr", /\b(le|la|les|est|une|des|pourquoi|comment|qu'est|je|vous|avec|pour)\b/gi],
  ["es", /\b(el|los|las|es|una|por qué|cómo|qué|yo|usted|con|para|como)\b/gi],
  ["de", /\b(der|die|das|ist|ein|eine|warum|wie|was|ich|sie|mit|für|und)\b/gi],
];

/** The language a text is most likely written in, among the demo languages; English when unsure. */
export function detectLanguage(text: string): DemoLanguage {
  const words = text.split(/\s+/).filter(Boolean).length;
  if (words < 3) return "en";
  let best: DemoLanguage = "en";
  let bestCount = 0;
  for (const [language, pattern] of LANGUAGE_MARKERS) {
    const count = text.match(pattern)?.length ?? 0;
    if (count > bestCount) {
      best = language;
      bestCount = count;
    }
  }
  return bestCount / words >= 0.2 ? best : "en";
}

/** Parses persona context lines; `userText` decides the language when the persona states none. */
export function parsePersonaHints(systemText: string | null, userText = ""): PersonaHints {
  const hints: PersonaHints = { ...EMPTY_PERSONA_HINTS, language: detectLanguage(userText) };
  if (!systemText) return hints;
  let sentenceStyle: PreferredStyle | null = null;
  let explicitStyle = false;
  for (const line of systemText.split(/\r?\n/)) {
    const sentence = SLIDER_SENTENCE.exec(line);
    if (sentence) {
      sentenceStyle ??= parseStyle(sentence[1]);
      continue;
    }
    const match = /^\s*[-*]?\s*([\p{L} ]{2,30}?)\s*[:=]\s*(.+?)\s*$/u.exec(line);
    if (!match) continue;
    const rawKey = match[1].toLowerCase();
    const value = match[2];
    if (LANGUAGE_LIST_KEYS.has(rawKey)) {
      hints.language = languageFromList(value, hints.language);
      continue;
    }
    if (USAGE_KEYS.has(rawKey)) {
      hints.expertise = parseUsageFrequency(value) ?? hints.expertise;
      continue;
    }
    const key = KEY_ALIASES[rawKey];
    if (!key || !value) continue;
    if (key === "expertise") hints.expertise = parseExpertise(value) ?? hints.expertise;
    else if (key === "preferredStyle") {
      const style = parseStyle(value);
      if (style) {
        hints.preferredStyle = style;
        explicitStyle = true;
      }
    } else if (key === "language") hints.language = LANGUAGE_NAMES[value.toLowerCase()] ?? hints.language;
    else if (key === "field") hints.field = value.slice(0, 60);
    else if (key === "occupation") hints.occupation = value.slice(0, 60);
    else if (key === "ageBand") hints.ageBand = value.slice(0, 20);
    else if (key === "country") hints.country = value.slice(0, 60);
  }
  if (!explicitStyle && sentenceStyle) hints.preferredStyle = sentenceStyle;
  return hints;
}

/** The detected language when the user reads it, else the first demo language in the list. */
function languageFromList(value: string, detected: DemoLanguage): DemoLanguage {
  const listed = value
    .split(/[,;]/)
    .map((item) => LANGUAGE_NAMES[item.trim().toLowerCase()])
    .filter((language): language is DemoLanguage => language !== undefined);
  if (listed.length === 0 || listed.includes(detected)) return detected;
  return listed[0];
}

/** True for age bands that start at 55 or more ("55-64", "65+"). */
export function isOlderAgeBand(ageBand: string | null): boolean {
  const first = ageBand ? Number.parseInt(ageBand, 10) : Number.NaN;
  return Number.isFinite(first) && first >= 55;
}

/** True for age bands that start below 25 ("18-24"). */
export function isYoungerAgeBand(ageBand: string | null): boolean {
  const first = ageBand ? Number.parseInt(ageBand, 10) : Number.NaN;
  return Number.isFinite(first) && first < 25;
}
