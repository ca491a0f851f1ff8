/**
 * Benchmark of the release text privacy filters on labelled fixtures with known truth.
 *
 *   npm run bench:scrub
 *
 * 1. The scrubber (lib/domain/anonymization/scrub.ts) on tests/fixtures/privacy/scrub-corpus.txt (the
 *    development corpus) and scrub-heldout.txt (written after the rules were fixed): precision and recall
 *    per kind, overall, and the kind-blind share of personal data removed (scripts/privacy/scrub-corpus.ts).
 * 2. Persona-safe text (lib/domain/anonymization/persona-text.ts) on hand-written personalized answers
 *    (persona-answers.txt, persona-answers-heldout.txt) and on the demo models' answers for the same
 *    personas (scripts/privacy/persona-corpus.ts).
 *
 * Prints a table per set, then ONE JSON line with every figure.
 */
import { DEMO_PERSONALITIES, generateDemoAnswer } from "@/lib/domain/demo/text-personalities";
import { buildReleaseTextFilter } from "@/lib/domain/anonymization/release-text";
import { SCRUB_KINDS, scrubText } from "@/lib/domain/anonymization/scrub";
import { evaluateDemoAnswers, evaluateWrittenAnswers, readPersonaCases, type PersonaScore } from "./privacy/persona-corpus";
import { CONTEXTUAL_KINDS, evaluateScrubCorpus, readScrubCorpus, STRUCTURED_KINDS, type ScrubEvaluation } from "./privacy/scrub-corpus";

const HELD_OUT_SCRUB = "tests/fixtures/privacy/scrub-heldout.txt";
const HELD_OUT_PERSONA = "tests/fixtures/privacy/persona-answers-heldout.txt";

function printScrub(title: string, evaluation: ScrubEvaluation): void {
  console.log(`\n${title}: ${evaluation.sentences} sentences (${evaluation.negatives} without personal data), ${evaluation.goldSpans} labelled spans`);
  console.log("kind             gold  found     TP  precision  recall");
  for (const kind of SCRUB_KINDS) {
    const score = evaluation.perClass[kind];
    if (!score) continue;
    console.log(`${kind.padEnd(15)} ${String(score.gold).padStart(5)} ${String(score.predicted).padStart(6)} ${String(score.tp).padStart(6)} ${score.precision.toFixed(3).padStart(10)} ${score.recall.toFixed(3).padStart(7)}`);
  }
  const { precision, recall, removed, falsePositiveSentences } = evaluation.overall;
  console.log(`overall precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}, removed (any kind) ${removed.toFixed(3)}, sentences with a false positive ${falsePositiveSentences}`);
  for (const miss of evaluation.misses) console.log(`  missed ${miss.kind} (line ${miss.line}): ${JSON.stringify(miss.span)}`);
  for (const falsePositive of evaluation.falsePositives) console.log(`  false ${falsePositive.kind} (line ${falsePositive.line}): ${JSON.stringify(falsePositive.output.slice(0, 120))}`);
}

function printPersona(title: string, score: PersonaScore): void {
  console.log(`\n${title}: ${score.texts} texts, ${score.mentions} mentions of withheld persona values`);
  for (const [field, entry] of Object.entries(score.perField)) console.log(`  ${field.padEnd(15)} ${entry.removed}/${entry.mentions} removed (recall ${entry.recall.toFixed(3)})`);
  console.log(`  recall ${score.recall.toFixed(3)}, precision ${score.precision.toFixed(3)} (${score.replacements} replacements)`);
  for (const miss of score.misses) console.log(`  missed ${miss.field} (line ${miss.line}): ${JSON.stringify(miss.span)}`);
  for (const extra of score.falseReplacements) console.log(`  extra replacement (line ${extra.line}): ${JSON.stringify(extra.output.slice(0, 120))}`);
}

/** Recall of a group of kinds, pooled over their spans. */
function pooledRecall(evaluation: ScrubEvaluation, kinds: readonly string[]): number {
  let tp = 0;
  let gold = 0;
  for (const kind of kinds) {
    const score = evaluation.perClass[kind as keyof typeof evaluation.perClass];
    if (!score) continue;
    tp += score.tp;
    gold += score.gold;
  }
  return gold === 0 ? 1 : Number((tp / gold).toFixed(4));
}

function minRecall(evaluation: ScrubEvaluation, kinds: readonly string[]): number {
  return Math.min(...kinds.map((kind) => evaluation.perClass[kind as keyof typeof evaluation.perClass]?.recall ?? 1));
}

function scrubSummary(evaluation: ScrubEvaluation) {
  return {
    sentences: evaluation.sentences,
    spans: evaluation.goldSpans,
    precision: evaluation.overall.precision,
    recall: evaluation.overall.recall,
    removed: evaluation.overall.removed,
    structuredRecall: pooledRecall(evaluation, STRUCTURED_KINDS),
    structuredMinRecall: minRecall(evaluation, STRUCTURED_KINDS),
    namesAddressesMinRecall: minRecall(evaluation, CONTEXTUAL_KINDS),
    perClass: Object.fromEntries(Object.entries(evaluation.perClass).map(([kind, score]) => [kind, { p: score!.precision, r: score!.recall, n: score!.gold }])),
  };
}

function personaSummary(score: PersonaScore) {
  return { texts: score.texts, mentions: score.mentions, recall: score.recall, precision: score.precision };
}

const development = evaluateScrubCorpus(readScrubCorpus());
const heldOut = evaluateScrubCorpus(readScrubCorpus(HELD_OUT_SCRUB));
const combined = evaluateScrubCorpus([...readScrubCorpus(), ...readScrubCorpus(HELD_OUT_SCRUB)]);
printScrub("Scrubber, development corpus", development);
printScrub("Scrubber, held-out sentences", heldOut);
printScrub("Scrubber, both", combined);

const personaCases = readPersonaCases();
const personaHeldOut = readPersonaCases(HELD_OUT_PERSONA);
const written = evaluateWrittenAnswers(personaCases);
const writtenHeldOut = evaluateWrittenAnswers(personaHeldOut);
const demo = evaluateDemoAnswers([...personaCases, ...personaHeldOut]);
printPersona("Persona-safe text, written answers (development)", written);
printPersona("Persona-safe text, written answers (held out)", writtenHeldOut);
printPersona("Persona-safe text, demo model answers (all fixture personas)", demo);

/**
 * Throughput on release-like text: 2,000 demo answers (about 1.5 KB each, personalized to the fixture
 * personas), scrubbed alone and through a full release text filter; the best of three rounds (the machine
 * is shared, the first round warms the JIT).
 */
function throughput() {
  const texts: string[] = [];
  const cases = [...personaCases, ...personaHeldOut];
  for (let index = 0; index < 2_000; index++) {
    const personality = DEMO_PERSONALITIES[index % DEMO_PERSONALITIES.length]!.id;
    const country = String(cases[index % cases.length]!.persona.country ?? "FR");
    texts.push(generateDemoAnswer(personality, [{ role: "system", content: `- Country: ${country}\n- Occupation: nurse` }, { role: "user", content: `How do I plan trip ${index} to the mountains with friends?` }]));
  }
  const bytes = texts.reduce((sum, text) => sum + text.length, 0);
  const filter = buildReleaseTextFilter({ identity: { name: "Jane Doe", email: "jdoe84@example.com" }, personas: [cases[0]!.persona], released: cases[0]!.released });
  const best = (run: (text: string) => unknown) => {
    let fastest = Infinity;
    for (let round = 0; round < 3; round++) {
      const started = performance.now();
      for (const text of texts) run(text);
      fastest = Math.min(fastest, performance.now() - started);
    }
    return Number((bytes / fastest / 1000).toFixed(2));
  };
  return { texts: texts.length, averageChars: Math.round(bytes / texts.length), scrubMBps: best((text) => scrubText(text)), releaseFilterMBps: best(filter) };
}

const speed = throughput();
console.log(`\nThroughput on ${speed.texts} demo answers of ~${speed.averageChars} characters: scrubText ${speed.scrubMBps} MB/s, release text filter ${speed.releaseFilterMBps} MB/s`);

console.log(
  JSON.stringify({
    bench: "scrub",
    scrub: { development: scrubSummary(development), heldOut: scrubSummary(heldOut), combined: scrubSummary(combined) },
    throughput: speed,
    persona: { written: personaSummary(written), writtenHeldOut: personaSummary(writtenHeldOut), demo: personaSummary(demo) },
    targets: {
      structuredRecall098: minRecall(combined, STRUCTURED_KINDS) >= 0.98,
      namesAddressesRecall085: minRecall(combined, CONTEXTUAL_KINDS) >= 0.85,
      precision090: combined.overall.precision >= 0.9,
    },
  }),
);
