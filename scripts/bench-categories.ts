/**
 * Quality benchmark of the offline prompt classifier on the labelled fixture
 * tests/fixtures/categories/prompts.jsonl (317 prompts in 19 languages, written for this).
 *
 *   npm run bench:categories [-- --show-errors]
 *
 * Prints precision, recall and F1 per category, macro-F1 over the categories, language accuracy, and
 * the classifier's speed, then ONE JSON line. Target: macro-F1 ≥ 0.8.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { classifyPrompt, loadLanguageDetector, PROMPT_CATEGORIES, type TPromptCategory } from "@/lib/domain/categories";

interface LabelledPrompt {
  id: string;
  language: string;
  turns: string[];
  categories: TPromptCategory[];
}

const fixture = resolve(import.meta.dirname, "../tests/fixtures/categories/prompts.jsonl");
const prompts: LabelledPrompt[] = readFileSync(fixture, "utf8").trim().split("\n").map((line) => JSON.parse(line));
const showErrors = process.argv.includes("--show-errors");

const detectLanguage = await loadLanguageDetector();
const counts = new Map(PROMPT_CATEGORIES.map((category) => [category, { tp: 0, fp: 0, fn: 0 }]));
let languageCorrect = 0;
const started = performance.now();
for (const prompt of prompts) {
  const predicted = classifyPrompt(prompt.turns, detectLanguage);
  if (predicted.language === prompt.language) languageCorrect++;
  else if (showErrors) console.log(`language ${prompt.id}: ${prompt.language} → ${predicted.language}`);
  for (const category of PROMPT_CATEGORIES) {
    const truth = prompt.categories.includes(category);
    const guess = predicted.categories.includes(category);
    const tally = counts.get(category)!;
    if (truth && guess) tally.tp++;
    else if (guess) tally.fp++;
    else if (truth) tally.fn++;
    if (showErrors && truth !== guess) console.log(`${truth ? "missed" : "false "} ${category} ${prompt.id}: ${prompt.turns[0].slice(0, 90)}`);
  }
}
const millisecondsPerPrompt = (performance.now() - started) / prompts.length;

const round = (value: number) => Math.round(value * 1000) / 1000;
const perCategory: Record<string, { precision: number; recall: number; f1: number; support: number }> = {};
for (const [category, { tp, fp, fn }] of counts) {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  perCategory[category] = { precision: round(precision), recall: round(recall), f1: round(f1), support: tp + fn };
  console.log(`${category.padEnd(22)} precision ${precision.toFixed(3)}  recall ${recall.toFixed(3)}  F1 ${f1.toFixed(3)}  (${tp + fn} labelled)`);
}
const macroF1 = Object.values(perCategory).reduce((sum, { f1 }) => sum + f1, 0) / PROMPT_CATEGORIES.length;
const languageAccuracy = languageCorrect / prompts.length;
console.log(`macro-F1 ${macroF1.toFixed(3)} (target ≥ 0.8); language accuracy ${languageAccuracy.toFixed(3)}; ${millisecondsPerPrompt.toFixed(3)} ms per prompt`);
console.log(
  JSON.stringify({
    bench: "categories",
    prompts: prompts.length,
    languages: new Set(prompts.map((prompt) => prompt.language)).size,
    macroF1: round(macroF1),
    targetMacroF1: 0.8,
    met: macroF1 >= 0.8,
    languageAccuracy: round(languageAccuracy),
    millisecondsPerPrompt: round(millisecondsPerPrompt),
    perCategory,
  }),
);
