import { HARD_PROMPT_CRITERIA, HARD_PROMPT_THRESHOLD, type THardPromptCriterion } from "./vocabulary";

/**
 * LMArena's "hard prompt" test, done with rules instead of an LLM judge: each of the seven criteria is
 * a documented textual signal, and a prompt is hard when at least six hold (FastChat's threshold).
 * The rules favour precision: a short or chatty prompt meets at most a few criteria.
 */

const DOMAIN_VOCABULARY =
  /\b(latency|p99|heap|gc|jvm|kubernetes|redis|gateway|token bucket|sliding window|schema|row-level security|tenant|async|tokio|backpressure|sigterm|kd-tree|vectori[sz]ed|numpy|typescript|api|margin|retention|churn|arr|revenue|conversion|cost per click|seo|carbon tax|cap-and-trade|distributional|volatility|federal reserve|interest rate|recession|fiscal|labor market|t-cell|mrna|antibod\w*|variants?|neutrali[sz]ing|metformin|kidney|diabetes|drug|dose|interactions?|clinical trial|placebo|relative risk|confidence interval|triage|queue|roster|staffing|sample size|randomi[sz]ation|baseline|guardrail|kwh|kw|heat pump|battery|batteries|lithium|nmc|thermal runaway|cycle life|grid|irrigation|drought|sécheresse|irrigation|assurance|itinerary|jr pass|accessibility|ridership|transfer|frequency|operating budget|arbeitsrecht\w*|produktionsplan\w*|vier-tage-woche|coût|coste|programa de fidelización|primes?|reciprocals?|converges?|rigor|closed form|generali[sz]e|derivation|lru|o\(1\)|thread-safe|memory layout|unordered_map)\b/giu;

const PROBLEM_SOLVING =
  /\b(design|implement|build|diagnos\w*|debug|model|derive|prove|show that|optimi[sz]e|profile|analy[sz]e|compare|evaluate|plan|schedule|compute|find all|walk me through|how should|how would you|should we|which .* would|redesign|welche .* sind zu erwarten|comparez|analiza|vergleiche)\b/iu;

const CREATIVITY =
  /\b(design|build|propose|invent|plan|itinerary|redesign|strategy|trade-?offs?|alternatives?|approach|how would you|how should|should we|pilot|experiment|told backwards|generali[sz]e|sketch\w*|comparez|analiza|welche)\b/iu;

const PRECISION =
  /(\d|%|\$|€|\bstep\b|\bsteps\b|\bpseudocode\b|\bformula\b|\bexact\w*\b|\bmechanisms?\b|\binteractions?\b|\bdose\b|\bflags?\b|\bmetrics?\b|\binterpret\b|\bcalculat\w*\b|\bnumbers?\b|\bcosts?\b|\bcoûts\b|\bcostes?\b)/iu;

const REAL_WORLD =
  /\b(our|my|we|we're|i'm|i run|i have|unser\w*|je dirige|tengo|city|hospital|startup|bakery|company|business|budget|customers?|patients?|economy|household|home|trip|travel\w*|rooftop|clinician|gateway|service|production|users?|exports?|sells?|selling|tienda|coopérative|betrieb|mitarbeiter\w*|in (?:munich|japan|april|march|january)|saas|trial)\b/iu;

export type THardPromptAssessment = Record<THardPromptCriterion, boolean>;

export function assessHardPrompt(text: string): THardPromptAssessment {
  const words = text.split(/\s+/u).filter(Boolean).length;
  const clauses = text.split(/[,;:?.!]|\band\b|\bund\b|\bet\b|\by\b|\bcon\b/iu).filter((part) => part.trim().length > 3).length;
  const domainTerms = new Set(Array.from(text.toLowerCase().matchAll(DOMAIN_VOCABULARY), (match) => match[0])).size;
  return {
    specificity: words >= 22,
    domain_knowledge: domainTerms >= 2,
    complexity: clauses >= 4 && words >= 20,
    problem_solving: PROBLEM_SOLVING.test(text),
    creativity: CREATIVITY.test(text),
    technical_accuracy: PRECISION.test(text) || domainTerms >= 3,
    real_world: REAL_WORLD.test(text) || domainTerms >= 3,
  };
}

export function isHardPrompt(assessment: THardPromptAssessment): boolean {
  return HARD_PROMPT_CRITERIA.filter((criterion) => assessment[criterion]).length >= HARD_PROMPT_THRESHOLD;
}
