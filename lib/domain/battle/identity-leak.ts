/**
 * Identity-leak detection for battle answers, after LMArena's vote cleaning: a vote on answers
 * that name a model or its maker is no longer blind, so it is stored but not rated.
 *
 * Two sources of matches:
 * 1. The battle's participants: slug (whole and after the last "/"), display name and
 *    organization name. Matching ignores case and punctuation ("claude-3-5-sonnet" matches
 *    "Claude 3.5 Sonnet") and respects word boundaries. A single-word name that is also an
 *    everyday word (`AMBIGUOUS_NAMES`: "Meta", "Phi", "Yi", "Gemini", "Llama", "Claude", …) is
 *    not matched bare; the curated patterns below catch its unambiguous forms instead.
 * 2. A curated list of ~35 identity words from LMArena's list, each written to avoid common
 *    false positives:
 *    - bare words only where they are unambiguous (openai, chatgpt, mixtral, qwen, deepseek, lmsys…);
 *    - "meta" only as "Meta AI", "Meta Platforms", "Meta Llama" (not "meta-analysis");
 *    - "phi" only as "Phi-3" etc. (not the golden ratio); "yi" only as "Yi-34B", "Yi-Large"…
 *      (not "Yi Sun-sin"); "llama", "gemini", "claude", "falcon", "vicuna", "glm", "palm", "jamba"
 *      only with a version or product suffix (not the animal, zodiac sign, Monet, Falcon 9,
 *      generalized linear models, the palm of a hand);
 *    - "gpt" only followed by a version (not GPT partition tables);
 *    - "anthropic" except in "anthropic principle"; "Cohere", "PaLM", "xAI", "Grok" case-sensitive
 *      (not "to cohere", "XAI" for explainable AI, "to grok");
 *    - "google", "microsoft", "alibaba" only in AI context ("Google DeepMind", "Microsoft Research",
 *      "Alibaba Cloud") unless the company's model is a participant;
 *    - first-person claims: "I am Claude", "my name is Gemini", "I was trained by Google".
 * Invariant: `matches` is lower-case, unique, in detection order; `leaked` ⇔ matches is non-empty.
 */
export interface TLeakParticipant {
  slug: string;
  displayName: string;
  organizationName: string;
}

export interface TIdentityLeak {
  leaked: boolean;
  matches: string[];
}

const AMBIGUOUS_NAMES: ReadonlySet<string> = new Set([
  "meta", "phi", "yi", "palm", "falcon", "grok", "xai", "reka", "jamba", "glm", "llama", "gemini",
  "claude", "bard", "command", "cohere", "anthropic", "vicuna", "amazon", "apple", "nova", "mistral",
]);

interface TIdentityPattern {
  term: string;
  pattern: RegExp;
}

const CLAIMED_NAMES = "claude|gemini|bard|llama|grok|mistral|phi|yi|falcon|palm|jamba|reka|vicuna|command|kimi|copilot";
const CLAIMED_MAKERS = "meta|google|microsoft|amazon|apple|alibaba|nvidia|baidu|tencent|xai|mistral ai|anthropic|openai";

const IDENTITY_PATTERNS: readonly TIdentityPattern[] = [
  { term: "claude", pattern: /\bclaude[\s-]?(?:\d|instant\b|opus\b|sonnet\b|haiku\b|ai\b)/i },
  { term: "anthropic", pattern: /\banthropic\b(?![\s-]+principle)/i },
  { term: "openai", pattern: /\bopen\s?ai\b/i },
  { term: "chatgpt", pattern: /\bchat\s?gpt\b/i },
  { term: "gpt", pattern: /\bgpt[\s-]?(?:\d|o\d|oss\b|j\b|neo\b)/i },
  { term: "gemini", pattern: /\b(?:google\s+gemini\b|gemini[\s-]?(?:\d|pro\b|ultra\b|flash\b|nano\b|advanced\b|exp\b))/i },
  { term: "bard", pattern: /\bgoogle\s+bard\b/i },
  { term: "google", pattern: /\bgoogle\s+(?:deepmind|ai|brain)\b/i },
  { term: "deepmind", pattern: /\bdeepmind\b/i },
  { term: "llama", pattern: /\b(?:code\s?)?llama[\s-]?\d/i },
  { term: "llama", pattern: /\bLLaMA\b/ },
  { term: "meta", pattern: /\bmeta\s+(?:ai|platforms|llama)\b/i },
  { term: "mistral", pattern: /\bmistral(?:\s?ai\b|[\s-](?:large|medium|small|nemo|tiny|instruct|\d))/i },
  { term: "mixtral", pattern: /\bmixtral\b/i },
  { term: "qwen", pattern: /\bqwen/i },
  { term: "alibaba", pattern: /\b(?:alibaba\s+cloud|tongyi)\b/i },
  { term: "yi", pattern: /\byi[\s-](?:\d+b|large|lightning|medium|vision|spark)\b/i },
  { term: "01.ai", pattern: /\b01[.-]ai\b/i },
  { term: "deepseek", pattern: /\bdeep\s?seek\b/i },
  { term: "cohere", pattern: /\bCohere\b/ },
  { term: "command-r", pattern: /\bcommand[\s-]r(?:\+|\b)/i },
  { term: "phi", pattern: /\bphi-\d/i },
  { term: "microsoft", pattern: /\bmicrosoft\s+(?:research|ai)\b/i },
  { term: "vicuna", pattern: /\bvicuna[\s-]?\d/i },
  { term: "lmsys", pattern: /\blmsys\b/i },
  { term: "falcon", pattern: /\bfalcon[\s-]?(?:\d+b\b|llm\b|mamba\b)/i },
  { term: "palm", pattern: /\bPaLM\b/ },
  { term: "palm", pattern: /\bpalm-2\b/i },
  { term: "grok", pattern: /\bGrok\b/ },
  { term: "grok", pattern: /\bgrok[\s-]?\d/i },
  { term: "xai", pattern: /\bxAI\b/ },
  { term: "nemotron", pattern: /\bnemotron\b/i },
  { term: "reka", pattern: /\breka[\s-](?:ai|core|flash|edge)\b/i },
  { term: "ai21", pattern: /\bai21\b/i },
  { term: "jamba", pattern: /\bjamba[\s-](?:\d|instruct\b|mini\b|large\b)/i },
  { term: "zhipu", pattern: /\bzhipu\b/i },
  { term: "glm", pattern: /\b(?:chatglm|glm[\s-]?\d)/i },
  { term: "moonshot", pattern: /\bmoonshot\s+ai\b/i },
];

/**
 * Every curated pattern in one case-insensitive alternation: it matches whenever any of them would
 * (a superset), so most answers, which name no one, are cleared in one scan instead of ~40.
 */
const ANY_IDENTITY_PATTERN = new RegExp(IDENTITY_PATTERNS.map(({ pattern }) => `(?:${pattern.source})`).join("|"), "i");

const NAME_CLAIM = new RegExp(`\\b(?:i am|i'm|my name is)\\s+(?:an?\\s+)?(?:ai\\s+)?(?:(?:called|named)\\s+)?(${CLAIMED_NAMES})\\b`, "gi");
const MAKER_CLAIM = new RegExp(
  `\\b(?:i was|i am|i'm|i've been)\\b[^.!?\\n]{0,80}?\\b(?:developed|created|trained|built|made|designed|released|fine-tuned)\\s+by\\s+(?:the\\s+)?(?:(?:team|researchers|engineers)\\s+at\\s+)?(${CLAIMED_MAKERS})\\b`,
  "gi",
);

/** Lower-cases and turns every run of non-alphanumerics into one space, padded at both ends. */
function normalizeForNameMatch(text: string): string {
  return ` ${text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim()} `;
}

function participantNames(participants: readonly TLeakParticipant[]): string[] {
  const names = participants.flatMap((participant) => [
    participant.slug,
    participant.slug.split("/").pop() ?? "",
    participant.displayName,
    participant.organizationName,
  ]);
  return [...new Set(names.map((name) => normalizeForNameMatch(name).trim()))].filter(
    (name) => name.length >= 2 && !AMBIGUOUS_NAMES.has(name),
  );
}

/** Detects whether an answer names a participant, its organization or a known model identity. */
export function detectIdentityLeak(answerText: string, participants: readonly TLeakParticipant[]): TIdentityLeak {
  const matches = new Set<string>();
  const normalized = normalizeForNameMatch(answerText);
  for (const name of participantNames(participants)) {
    if (normalized.includes(` ${name} `)) matches.add(name);
  }
  if (ANY_IDENTITY_PATTERN.test(answerText)) {
    for (const { term, pattern } of IDENTITY_PATTERNS) {
      if (pattern.test(answerText)) matches.add(term);
    }
  }
  for (const claim of [NAME_CLAIM, MAKER_CLAIM]) {
    for (const match of answerText.matchAll(claim)) matches.add(match[1].toLowerCase());
  }
  return { leaked: matches.size > 0, matches: [...matches] };
}
