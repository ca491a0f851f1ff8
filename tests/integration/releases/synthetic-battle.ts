import { createRandom, randomInt, type Random } from "@/lib/domain/random";
import { conversationForSide, type TReleasedBattle, type TReleasedTurn } from "@/lib/domain/release/schema";
import { VOTE_OUTCOMES } from "@/lib/domain/vocabulary";

const MODELS = ["gpt-4o", "claude-sonnet-4", "gemini-2.5-pro", "llama-3.3-70b", "mistral-large", "qwen-2.5-72b"];
const WORDS = "the a model answer prompt music image data river light, quick \"quoted\" naïve café 東京 emoji 🎵 line\nbreak".split(" ");

function sentence(random: Random, words: number): string {
  let text = "";
  for (let i = 0; i < words; i++) text += (i ? " " : "") + WORDS[randomInt(random, WORDS.length)];
  return text;
}

/** Made once, so that generating a row costs little next to writing it. */
const SENTENCE_POOL: readonly string[] = Array.from({ length: 4096 }, (_, i) => {
  const random = createRandom(i + 1);
  return sentence(random, 5 + randomInt(random, 20));
});

function text(random: Random, sentences: number): string {
  let result = "";
  for (let i = 0; i < sentences; i++) result += (i ? ". " : "") + SENTENCE_POOL[randomInt(random, SENTENCE_POOL.length)];
  return result;
}

/**
 * A deterministic fake released battle for the writer tests: text with commas, quotes, newlines and
 * non-ASCII characters (the CSV and Parquet edge cases), optional fields present or absent. Sized like a
 * short chat battle: a ~80-character prompt and answers of 1–4 sentences (~1 KB of JSON per battle).
 */
export function syntheticReleasedBattle(index: number, random: Random = createRandom(index)): TReleasedBattle {
  const turnCount = random() < 0.8 ? 1 : 2 + randomInt(random, 2);
  const turns: TReleasedTurn[] = Array.from({ length: turnCount }, () => ({
    prompt: text(random, 1),
    answer_a: text(random, 1 + randomInt(random, 4)),
    answer_b: text(random, 1 + randomInt(random, 4)),
  }));
  const modality = (["text", "text", "image", "audio"] as const)[randomInt(random, 4)]!;
  if (modality !== "text") {
    const mime = modality === "image" ? "image/png" : "audio/mpeg";
    turns[0]!.media_a = { sha256: "a".repeat(63) + String(index % 10), mime };
    turns[0]!.media_b = { sha256: "b".repeat(63) + String(index % 10), mime, file: `media/${index}_b` };
  }
  const modelA = MODELS[randomInt(random, MODELS.length)]!;
  const modelB = MODELS[(MODELS.indexOf(modelA) + 1 + randomInt(random, MODELS.length - 1)) % MODELS.length]!;
  return {
    battle_id: `b_${index.toString(36).padStart(8, "0")}`,
    modality,
    date: `2025-0${1 + (index % 9)}-${String(1 + (index % 28)).padStart(2, "0")}`,
    model_a: modelA,
    model_b: modelB,
    winner: VOTE_OUTCOMES[randomInt(random, VOTE_OUTCOMES.length)]!,
    personalized_a: index % 10 !== 0,
    personalized_b: index % 10 !== 5,
    category: modality === "text" ? (index % 3 === 0 ? ["coding"] : []) : [],
    language: modality === "text" ? "en" : null,
    prompt_hash: modality === "text" ? (index % 1000).toString(16).padStart(16, "0") : null,
    system_prompt_a: index % 10 !== 0 ? "You are answering a person who prefers concise answers." : null,
    system_prompt_b: index % 10 !== 5 ? "You are answering a person who prefers concise answers." : null,
    turns,
    feedback: random() < 0.3 ? { general: text(random, 1), ...(random() < 0.5 ? { a: "", b: "too long, \"verbose\"" } : {}) } : {},
    listening: modality === "audio" ? { seconds_a: Math.round(random() * 3000) / 100, seconds_b: 12 } : null,
    persona: {
      age_band: random() < 0.1 ? null : "25-34",
      gender: random() < 0.5 ? "woman" : "*",
      language_count: "2",
      ai_usage_frequency: "frequent",
      response_style: random() < 0.5 ? "concise" : null,
      preferences: random() < 0.5 ? { factuality: "80-100", creativity: random() < 0.5 ? ("0-39" as const) : ("0-79" as const) } : {},
    },
    annotator: `annotator_${(index % 5000).toString(16).padStart(16, "0")}`,
    conversation_a: conversationForSide(turns, "a"),
    conversation_b: conversationForSide(turns, "b"),
  };
}
