/**
 * Reads the labelled scrub corpus (tests/fixtures/privacy/scrub-corpus.txt) and scores `scrubText` on it.
 * Shared by `npm run bench:scrub` and the unit test that holds the targets.
 *
 * Scoring, per sentence and kind K: a gold span counts as removed when none of its significant tokens
 * (runs of three or more letters or digits that do not also occur elsewhere in the sentence) is left in
 * the output; TP_K = min(placeholders of K inserted, gold spans of K removed), FN_K = gold_K − TP_K,
 * FP_K = placeholders_K − TP_K. So a span replaced by a placeholder of the wrong kind counts as a miss of
 * its kind and a false positive of the other, and a span only partly replaced counts as missed.
 * `removed` is the kind-blind share of gold spans that left no token behind (the privacy view).
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { SCRUB_KINDS, scrubText, type OwnIdentity, type ScrubKind } from "@/lib/domain/anonymization/scrub";

export const SCRUB_CORPUS_PATH = resolve(import.meta.dirname, "../../tests/fixtures/privacy/scrub-corpus.txt");

export interface CorpusSentence {
  line: number;
  text: string;
  gold: Array<{ kind: ScrubKind; text: string }>;
  identity?: OwnIdentity;
}

const MARK = /⟦([A-Z_]+)\|([\s\S]*?)⟧/g;

export function readScrubCorpus(path = SCRUB_CORPUS_PATH): CorpusSentence[] {
  const sentences: CorpusSentence[] = [];
  readFileSync(path, "utf8").split("\n").forEach((raw, index) => {
    if (raw.trim() === "" || raw.startsWith("#")) return;
    let body = raw;
    let identity: OwnIdentity | undefined;
    const identityMatch = /^@identity (.+?) <([^>]+)> :: (.*)$/.exec(raw);
    if (identityMatch) {
      identity = { name: identityMatch[1], email: identityMatch[2] };
      body = identityMatch[3]!;
    }
    body = body.replace(/\\n/g, "\n");
    const gold: CorpusSentence["gold"] = [];
    const text = body.replace(MARK, (_match, kind: string, span: string) => {
      if (!(SCRUB_KINDS as readonly string[]).includes(kind)) throw new Error(`line ${index + 1}: unknown kind ${kind}`);
      gold.push({ kind: kind as ScrubKind, text: span });
      return span;
    });
    sentences.push({ line: index + 1, text, gold, identity });
  });
  return sentences;
}

export interface ClassScore {
  gold: number;
  predicted: number;
  tp: number;
  precision: number;
  recall: number;
}

export interface ScrubEvaluation {
  sentences: number;
  negatives: number;
  goldSpans: number;
  perClass: Partial<Record<ScrubKind, ClassScore>>;
  overall: { precision: number; recall: number; removed: number; falsePositiveSentences: number };
  misses: Array<{ line: number; kind: ScrubKind; span: string; output: string }>;
  falsePositives: Array<{ line: number; kind: ScrubKind; output: string }>;
  charsPerSecond: number;
}

function tokens(text: string): string[] {
  return text.match(/[\p{L}\p{N}]{3,}/gu) ?? [];
}

function spanRemoved(sentence: string, span: string, output: string): boolean {
  const index = sentence.indexOf(span);
  const elsewhere = new Set(tokens(sentence.slice(0, index) + " " + sentence.slice(index + span.length)));
  const left = new Set(tokens(output.replace(/\[[A-Z_]+\]/g, " ")));
  return tokens(span).every((token) => elsewhere.has(token) || !left.has(token));
}

const ratio = (numerator: number, denominator: number) => (denominator === 0 ? 1 : Number((numerator / denominator).toFixed(4)));

export function evaluateScrubCorpus(sentences: readonly CorpusSentence[]): ScrubEvaluation {
  const counts = new Map<ScrubKind, { gold: number; predicted: number; tp: number }>();
  const count = (kind: ScrubKind) => {
    let entry = counts.get(kind);
    if (!entry) counts.set(kind, (entry = { gold: 0, predicted: 0, tp: 0 }));
    return entry;
  };
  const misses: ScrubEvaluation["misses"] = [];
  const falsePositives: ScrubEvaluation["falsePositives"] = [];
  let removed = 0;
  let falsePositiveSentences = 0;
  let chars = 0;
  const started = performance.now();
  const outputs = sentences.map((sentence) => {
    chars += sentence.text.length;
    return scrubText(sentence.text, { identity: sentence.identity });
  });
  const elapsed = (performance.now() - started) / 1000;
  sentences.forEach((sentence, index) => {
    const { text: output, found } = outputs[index]!;
    let sentenceHasFalsePositive = false;
    for (const kind of SCRUB_KINDS) {
      const gold = sentence.gold.filter((span) => span.kind === kind);
      if (gold.length === 0 && found[kind] === 0) continue;
      const removedSpans = gold.filter((span) => spanRemoved(sentence.text, span.text, output));
      const tp = Math.min(found[kind], removedSpans.length);
      const entry = count(kind);
      entry.gold += gold.length;
      entry.predicted += found[kind];
      entry.tp += tp;
      for (const span of gold) if (!removedSpans.includes(span) || tp < gold.length) {
        if (!removedSpans.includes(span) || removedSpans.indexOf(span) >= tp) misses.push({ line: sentence.line, kind, span: span.text, output });
      }
      if (found[kind] > tp) {
        sentenceHasFalsePositive = true;
        falsePositives.push({ line: sentence.line, kind, output });
      }
    }
    removed += sentence.gold.filter((span) => spanRemoved(sentence.text, span.text, output)).length;
    if (sentenceHasFalsePositive) falsePositiveSentences += 1;
  });
  const perClass: ScrubEvaluation["perClass"] = {};
  let tp = 0;
  let predicted = 0;
  let gold = 0;
  for (const kind of SCRUB_KINDS) {
    const entry = counts.get(kind);
    if (!entry) continue;
    perClass[kind] = { ...entry, precision: ratio(entry.tp, entry.predicted), recall: ratio(entry.tp, entry.gold) };
    tp += entry.tp;
    predicted += entry.predicted;
    gold += entry.gold;
  }
  return {
    sentences: sentences.length,
    negatives: sentences.filter((sentence) => sentence.gold.length === 0).length,
    goldSpans: gold,
    perClass,
    overall: { precision: ratio(tp, predicted), recall: ratio(tp, gold), removed: ratio(removed, gold), falsePositiveSentences },
    misses,
    falsePositives,
    charsPerSecond: Math.round(chars / Math.max(elapsed, 1e-9)),
  };
}

/** Kinds held to the structured target (recall ≥ 0.98). */
export const STRUCTURED_KINDS: readonly ScrubKind[] = ["EMAIL", "PHONE", "CARD", "NATIONAL_ID", "IBAN", "SECRET", "PRIVATE_KEY", "URL_WITH_SECRET"];
/** Kinds held to the contextual target (recall ≥ 0.85). */
export const CONTEXTUAL_KINDS: readonly ScrubKind[] = ["NAME", "ADDRESS"];
