/**
 * What a prompt asks for, read the way a person would skim it: the kind of request (code, how-to,
 * explanation, list, creative writing, short factual question), its subject as a phrase the answer
 * can use in a sentence, and the details that change the answer's shape (who it is for, which poem
 * form, which programming language, how many items). Pure and deterministic; English keywords plus
 * the most common French, Spanish and German question words.
 */
export type RequestKind = "code" | "how-to" | "explanation" | "list" | "creative" | "factual" | "general";
type CreativeForm = "poem" | "haiku" | "limerick" | "story" | "song";
export type CodeLanguage = "python" | "javascript" | "typescript" | "sql" | "bash";

export interface DemoRequest {
  kind: RequestKind;
  /** The request without its question words, in second person: "make your sourdough starter more active". */
  task: string;
  /** A noun phrase for sentences like "The key to {subject} is…": "vaccines", "making sourdough bread". */
  subject: string;
  /** Who the answer is for when it is not the asker: "your grandmother", "a 10-year-old". */
  audience: string | null;
  form: CreativeForm | null;
  codeLanguage: CodeLanguage | null;
  /** Requested number of list items or steps ("5 tips" → 5). */
  count: number | null;
  /** The thing a list enumerates: "tips", "ideas", "reasons". */
  itemNoun: string | null;
}

const POLITE_PREFIX = /^(?:(?:hey|hi|hello|ok|okay|so)[,!\s]+)?(?:please\s+)?(?:(?:can|could|would|will) you(?: please)?\s+|i (?:want|need|would like) you to\s+|i(?:'d| would) like (?:you to\s+)?|i want to know\s+|i need\s+|help me(?: to)?\s+)?(?:please\s+)?/i;

const CODE_WORDS =
  /\b(function|script|snippet|regex|regular expression|sql|query|algorithm|code|program|class|method|compile|debug|stack ?trace|exception|unit test|endpoint|api call|json|csv|array|dictionary|hashmap|loop|recursion|recursive)\b/i;
const CODE_LANGUAGES: Array<[CodeLanguage, RegExp]> = [
  ["typescript", /\b(typescript|ts|deno)\b/i],
  ["javascript", /\b(javascript|js|node(?:\.js)?|react)\b/i],
  ["python", /\b(python|py|pandas|django|flask)\b/i],
  ["sql", /\b(sql|sqlite|postgres(?:ql)?|mysql|query|select)\b/i],
  ["bash", /\b(bash|shell|command line|terminal|linux command|one-liner)\b/i],
];
const CODE_VERBS = /\b(write|implement|create|build|convert|parse|sort|reverse|read|print|generate|compute|calculate|count|check|validate|fetch|find|remove|merge)\b/i;

const FORMS: Array<[CreativeForm, RegExp]> = [
  ["haiku", /\bhaikus?\b/i],
  ["limerick", /\blimericks?\b/i],
  ["song", /\b(song|lyrics|chanson|canción|lied)\b/i],
  ["poem", /\b(poem|poetry|verse|sonnet|rhyme|poème|poema|gedicht)s?\b/i],
  ["story", /\b(story|tale|fable|fiction|once upon|bedtime|histoire|conte|cuento|geschichte|märchen)\b/i],
];

const NUMBER_WORDS: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, few: 3, some: 4, several: 4 };
const LIST_NOUNS = "tips|ideas|ways|reasons|examples|things|steps|books|movies|films|songs|places|names|facts|benefits|mistakes|habits|questions|options|strategies|exercises|recipes|games|activities|tools|apps";
const LIST_PATTERN = new RegExp(`\\b(\\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|few|some|several)\\s+(?:good |great |quick |simple |fun |easy |practical |common |best |creative )?(${LIST_NOUNS})\\b`, "i");
const LIST_OPENING = new RegExp(`^(?:list|name|enumerate|suggest|recommend)\\b|^(?:give me|what are)(?: some| a few| the)? (?:good |best |main |top )?(${LIST_NOUNS})\\b|^(?:${LIST_NOUNS}) (?:for|on|to)\\b`, "i");

const EXPLAIN_OPENING = /^(explain|describe|tell me about|teach me about|what is|what are|what's|why|how does|how do (?!i\b|you\b|we\b|one\b)|how did|how is|how are|qu'est-ce que|pourquoi|expliquer?|explique|qué es|por qué|explica|was ist|warum|erkläre?)\b/i;
const HOW_TO = /^(how (?:do|can|should|would|could) (?:i|you|we|one)\b|how to\b|what(?:'s| is) (?:the|a) (?:best|good|easy|easiest|right) way to\b|(?:the )?best way to\b|how (?:do|can) i\b|steps to\b|guide to\b|teach me (?:how )?to\b|show me how to\b|comment (?:faire|puis-je|est-ce que je)\b|cómo (?:puedo|hago|se)\b|wie (?:kann|mache) ich\b)/i;
const FACTUAL_OPENING = /^(what|who|when|where|which|whose|how (?:many|much|far|old|tall|long|big|fast|deep|high)|is|are|does|did|was|were|can|capital of|quel|quelle|qui|quand|où|combien|quién|cuándo|dónde|cuántos?|cuál|wer|wann|wo|wie viele)\b/i;

/** "my grandmother" → "your grandmother"; the answer speaks to the asker. */
const SECOND_PERSON: Record<string, string> = { i: "you", me: "you", my: "your", mine: "yours", myself: "yourself", we: "you", us: "you", our: "your", ours: "yours", "i'm": "you're", "i've": "you've", "i'd": "you'd", "i'll": "you'll" };
function toSecondPerson(text: string): string {
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((word, index, words) => (word.toLowerCase() === "am" && words[index - 1]?.toLowerCase() === "i" ? "are" : (SECOND_PERSON[word.toLowerCase()] ?? word)))
    .join(" ");
}

/** The first sentence with polite filler removed; code fences and quoted code do not count as sentences. */
function firstRequestSentence(prompt: string): string {
  const withoutCode = prompt.replace(/```[\s\S]*?(```|$)/g, " ").trim();
  const sentence = (withoutCode.split(/(?<=[?!.])\s+|\n/)[0] ?? "").replace(/[?!.:;,\s]+$/, "");
  return sentence.replace(POLITE_PREFIX, "").trim();
}

/** Audience phrases: "to my grandmother", "for a 10-year-old", "like I'm five". Returns the audience and the text without it. */
function splitAudience(text: string): { rest: string; audience: string | null } {
  const like = /\s+(?:like|as if) (?:i'?m|i am|you'?re talking to|to) (?:an? )?(\w+(?:[- ]year[- ]old)?)$/i.exec(text);
  if (like) {
    const who = /^\d+$|^(five|six|seven|eight|nine|ten)$/i.test(like[1]) ? `a ${like[1]}-year-old` : `a ${like[1]}`;
    return { rest: text.slice(0, like.index), audience: who };
  }
  const to = /\s+(?:to|for) ((?:my|a|an|the|our|your) (?:little |young |old |elderly |non-technical |curious )?(?:\d+[- ]year[- ]old|grandmother|grandma|grandfather|grandpa|grandparents?|mom|mum|mother|dad|father|parents?|kids?|child|children|son|daughter|niece|nephew|friend|colleague|boss|team|class|students?|beginner|beginners|layperson|five[- ]year[- ]old|teenager|manager|customer|client|neighbou?r))(?: who [^,]*)?$/i.exec(text);
  if (to) return { rest: text.slice(0, to.index), audience: toSecondPerson(to[1]) };
  if (/\s+in (?:simple|plain|layman'?s) (?:terms|words|english)$/i.test(text)) return { rest: text.replace(/\s+in (?:simple|plain|layman'?s) (?:terms|words|english)$/i, ""), audience: "a beginner" };
  return { rest: text, audience: null };
}

/** "make sourdough bread" → "making sourdough bread". */
export function asGerundPhrase(task: string): string {
  const [verb, ...rest] = task.split(" ");
  if (!/^[a-z]{2,}$/.test(verb) || verb.endsWith("ing")) return task;
  const irregular: Record<string, string> = { be: "being", see: "seeing", get: "getting", set: "setting", run: "running", put: "putting", cut: "cutting", stop: "stopping", plan: "planning", swim: "swimming", begin: "beginning", tie: "tying", lie: "lying", die: "dying" };
  const gerund = irregular[verb] ?? (/[^e]e$/.test(verb) ? `${verb.slice(0, -1)}ing` : `${verb}ing`);
  return [gerund, ...rest].join(" ");
}

/** "why is the sky blue" → "why the sky is blue"; "why do cats purr" → "why cats purr". */
function declarativeQuestion(text: string): string {
  const be = /^(why|how|when|where|what) (is|are|was|were) (.+?) (\S+)$/i.exec(text);
  if (be && !/^(the|a|an)$/i.test(be[4])) return `${be[1].toLowerCase()} ${be[3]} ${be[2]} ${be[4]}`;
  const doQuestion = /^(why|how|when|where) (do|does|did) (.+)$/i.exec(text);
  if (doQuestion) {
    const words = doQuestion[3].split(" ");
    if (doQuestion[2].toLowerCase() === "does" && words.length >= 2) {
      const verb = words.at(-1)!;
      words[words.length - 1] = /(s|sh|ch|x|z)$/.test(verb) ? `${verb}es` : /[^aeiou]y$/.test(verb) ? `${verb.slice(0, -1)}ies` : `${verb}s`;
    }
    return `${doQuestion[1].toLowerCase()} ${words.join(" ")}`;
  }
  return text;
}

/** The main noun phrase of an explanation: "how vaccines work" → "vaccines", "the water cycle" → "the water cycle". */
function mainNounPhrase(phrase: string): string {
  const how = /^(?:how|why|when|where) (.+?) (?:work|works|happen|happens|form|forms|grow|grows|fly|flies|is \S+|are \S+|move|moves|exist|exists|function|functions)$/i.exec(phrase);
  if (how) return how[1];
  return phrase.replace(/^(?:how|why|what|when|where) /i, "");
}

function countOf(text: string): number | null {
  const match = LIST_PATTERN.exec(text) ?? /\b(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten) (?:\w+ )?(?:ways|steps|tips|ideas|reasons|examples|lines|verses)\b/i.exec(text);
  if (!match) return null;
  const value = /^\d+$/.test(match[1]) ? Number(match[1]) : NUMBER_WORDS[match[1].toLowerCase()];
  return value ? Math.min(10, Math.max(1, value)) : null;
}

function detectCodeLanguage(prompt: string): CodeLanguage | null {
  for (const [language, pattern] of CODE_LANGUAGES) if (pattern.test(prompt)) return language;
  return null;
}

export function detectRequestKind(prompt: string): RequestKind {
  const sentence = firstRequestSentence(prompt);
  const codeLanguage = detectCodeLanguage(prompt);
  if (/```/.test(prompt) || (CODE_WORDS.test(prompt) && (CODE_VERBS.test(prompt) || codeLanguage !== null || /\b(fix|bug|error)\b/i.test(prompt))) || (codeLanguage !== null && codeLanguage !== "sql" && CODE_VERBS.test(sentence))) {
    return "code";
  }
  if (FORMS.some(([, pattern]) => pattern.test(prompt)) && /\b(write|compose|tell|make up|create|imagine|give me|écris|escribe|schreib)/i.test(prompt)) return "creative";
  if (/^(write|compose) (?:me )?(?:a|an|some) /i.test(sentence) && FORMS.some(([, pattern]) => pattern.test(sentence))) return "creative";
  if (LIST_OPENING.test(sentence) || LIST_PATTERN.test(sentence)) return "list";
  if (HOW_TO.test(sentence)) return "how-to";
  if (EXPLAIN_OPENING.test(sentence)) {
    const words = sentence.split(/\s+/).length;
    // "What is the capital of Peru" is a fact to state, not a concept to explain.
    if (/^(what|what's|what is|what are)\b/i.test(sentence) && /\b(capital|population|height|distance|speed|boiling|freezing|year|date|name|number|largest|smallest|tallest|longest|biggest|first|author)\b/i.test(sentence) && words <= 12) return "factual";
    return "explanation";
  }
  if (FACTUAL_OPENING.test(sentence) && sentence.split(/\s+/).length <= 12) return "factual";
  return "general";
}

/** Reads a prompt into the request the demo models answer. Never throws; an empty prompt is a general request about "this". */
export function readRequest(prompt: string): DemoRequest {
  const kind = detectRequestKind(prompt);
  const sentence = firstRequestSentence(prompt);
  const { rest, audience } = splitAudience(sentence);
  const form = kind === "creative" ? (FORMS.find(([, pattern]) => pattern.test(prompt))?.[0] ?? "poem") : null;
  const codeLanguage = kind === "code" ? (detectCodeLanguage(prompt) ?? "python") : null;
  let task = rest;
  let subject: string;
  if (kind === "how-to") {
    task = rest.replace(HOW_TO, "").replace(/^(?:to|i|you)\s+/i, "").trim();
    subject = asGerundPhrase(toSecondPerson(task));
  } else if (kind === "creative") {
    const about = /\b(?:about|on|of|featuring|for|sur|sobre|über)\s+(.+)$/i.exec(rest);
    subject = about ? about[1] : rest.replace(/^(?:write|compose|tell|create|imagine|make up|give)(?: me)?(?: a| an| some)?(?: short| little| long| funny| sad)?\s*/i, "").replace(/^\w+\s*/, "");
    task = rest;
  } else if (kind === "code") {
    const what = /\b(?:that|which|to|for|in order to)\s+(.+)$/i.exec(rest);
    const phrase = (what ? what[1] : rest.replace(/^(?:write|implement|create|build|give me|show me|make)(?: me)?(?: a| an| some| the)?\s*/i, "")).replace(/\s+in (?:python|javascript|typescript|js|ts|sql|bash|shell|node)$/i, "");
    // "reverses a string" → "reversing a string"
    task = phrase.replace(/^([a-z]+[^s])s\b/, "$1");
    subject = asGerundPhrase(task);
  } else if (kind === "list") {
    const about = /\b(?:for|on|about|to|of|in|when)\s+(.+)$/i.exec(rest.replace(LIST_OPENING, "").replace(LIST_PATTERN, ""));
    subject = about ? about[1] : rest.replace(LIST_OPENING, "").replace(LIST_PATTERN, "").trim() || rest;
  } else if (kind === "explanation") {
    const stripped = rest.replace(/^(?:explain|describe|tell me about|teach me about|qu'est-ce que|expliquer?|explique|qué es|explica|was ist|erkläre?)\s+(?:to me\s+)?/i, "");
    task = declarativeQuestion(stripped.replace(/^(?:what is|what are|what's)\s+/i, ""));
    subject = mainNounPhrase(task);
  } else {
    subject = rest.replace(/^(?:tell me|give me|what is|what are|what's)\s+/i, "");
  }
  const clean = (text: string) => toSecondPerson(text.replace(/\s+/g, " ").trim()).split(" ").slice(0, 10).join(" ");
  const itemNoun = kind === "list" ? (LIST_PATTERN.exec(sentence)?.[2] ?? LIST_OPENING.exec(sentence)?.[1] ?? "ideas").toLowerCase() : null;
  return {
    kind,
    task: clean(task) || "this",
    subject: clean(subject) || "this",
    audience,
    form,
    codeLanguage,
    count: countOf(sentence),
    itemNoun,
  };
}
