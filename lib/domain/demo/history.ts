import type { TModality, TVoteOutcome } from "../vocabulary";
import { randomInt, type Random } from "../random";
import { populationPreset, type TGroupSpec, type TSimulationConfig } from "../simulation";

import type { DemoPersonalityId } from "./text-personalities";

/**
 * The living demo's simulated history, as data: which populations to simulate (lib/domain/simulation)
 * and what their annotators asked. Text voters fall into six persona-linked groups whose tastes
 * match the demo personalities (coders like the concise expert, creatives the storyteller, careful
 * older readers the formal analyst, casual young readers the friendly explainer, scientists
 * precision, and people who say they want it short the shortest answers), so the overall board
 * and the persona segment boards differ in ways one can explain. The "brief" group is what the
 * offline demo judge (lib/domain/judge/demo-judge.ts) can read from a persona: its members state a
 * short-answer preference, and the demo judge with the persona picks the shorter answer for them,
 * so on the demo history the persona-aware judge beats the persona-blind one (longer answer wins).
 * Image and music voters form two groups with seeded tastes. Pure: the service writes the rows.
 */
export const DEMO_HISTORY_DAYS = 60;

/** Annotators and mean votes per annotator, per modality: a few hundred annotators, about 8,000 votes. */
const DEMO_HISTORY_SIZE: Record<TModality, { annotators: number; votesPerAnnotator: number }> = {
  text: { annotators: 220, votesPerAnnotator: 24 },
  image: { annotators: 80, votesPerAnnotator: 14 },
  audio: { annotators: 60, votesPerAnnotator: 10 },
};

/** Log-odds strength of each text personality in each group of the "five-groups" preset and the brief group. */
const TEXT_TASTES: Record<string, Record<DemoPersonalityId, number>> = {
  coders: { "concise-expert": 1.1, "formal-analyst": 0.5, "friendly-explainer": -0.1, storyteller: -0.8, "terse-rusher": -0.7 },
  creatives: { storyteller: 1.1, "friendly-explainer": 0.5, "concise-expert": -0.1, "formal-analyst": -0.6, "terse-rusher": -0.9 },
  careful: { "formal-analyst": 1.0, "friendly-explainer": 0.6, "concise-expert": 0.1, storyteller: -0.6, "terse-rusher": -1.1 },
  casual: { "friendly-explainer": 1.0, "concise-expert": 0.4, storyteller: 0.2, "terse-rusher": -0.2, "formal-analyst": -1.4 },
  scholars: { "concise-expert": 0.9, "formal-analyst": 0.8, "friendly-explainer": -0.2, storyteller: -0.9, "terse-rusher": -0.6 },
  // Ordered by answer length, shortest first (terse 70, concise 290, story 370, friendly 470, formal 600 characters on average).
  brief: { "terse-rusher": 1.2, "concise-expert": 1.0, storyteller: -0.1, "friendly-explainer": -0.8, "formal-analyst": -1.4 },
};

/** People who state they want short answers (the demo judge reads exactly these two persona facts). */
const BRIEF_GROUP: TGroupSpec = {
  id: "brief",
  share: 0.3,
  signature: [
    { attribute: "preferences.detail", value: "low" },
    { attribute: "responseStyle", value: "concise" },
  ],
};

export const DEMO_HISTORY_PROMPTS: Record<TModality, readonly string[]> = {
  text: [
    "Explain how vaccines work to my grandmother",
    "Write a Python function that reverses a string",
    "How do I make sourdough bread at home?",
    "Write a short poem about a lighthouse",
    "Give me 5 tips for learning Spanish",
    "What is the capital of Peru?",
    "Why is the sky blue?",
    "How does photosynthesis work?",
    "write a SQL query to count orders per customer",
    "Tell me a story about a dragon who loves tea",
    "Explain black holes like I am 10",
    "How do I change a flat tire?",
    "Write a haiku about autumn rain",
    "List some ideas for a rainy day",
    "What is inflation?",
    "Write a JavaScript function to check if a word is a palindrome",
    "Who wrote Romeo and Juliet?",
    "How does the internet work?",
    "Give me 3 reasons to learn the piano",
    "Explain climate change in simple terms",
    "Write a limerick about a cat",
    "How many planets are there in the Solar System?",
    "Write a bash command to find the largest files in a folder",
    "What is the best way to learn the piano as an adult",
    "Explain DNA to my son",
  ],
  image: [
    "A watercolour lighthouse on a cliff at sunset",
    "A red fox in a snowy forest",
    "A cozy house with a garden",
    "A sailing boat on a calm blue sea",
    "A cat sleeping on a windowsill",
    "Mountains under a starry night sky",
    "A bowl of fruit on a wooden table",
    "A yellow flower in spring",
    "A hot air balloon over green fields",
    "A city skyline at night",
  ],
  audio: [
    "A calm piano melody for studying",
    "Upbeat summer dance track",
    "Sad rainy evening theme",
    "Epic battle music with drums",
    "A gentle lullaby",
    "Happy chiptune for a platform game",
  ],
};

/** Two taste groups for media, tied to age and creativity (the structure a segment board can show). */
const MEDIA_GROUPS: TGroupSpec[] = [
  { id: "bold", share: 0.5, signature: [{ attribute: "ageBand", value: "18-24" }, { attribute: "preferences.creativity", value: "high" }] },
  { id: "classic", share: 0.5, signature: [{ attribute: "ageBand", value: "55-64" }, { attribute: "preferences.creativity", value: "low" }] },
];

export interface DemoHistoryModel {
  id: string;
  /** The demo personality of a text model; null for image and music models. */
  personality: DemoPersonalityId | null;
}

/**
 * The population to simulate for one modality, or null with fewer than two models. Votes fall in
 * the DEMO_HISTORY_DAYS days before `now`.
 */
export function demoHistoryConfig(modality: TModality, models: readonly DemoHistoryModel[], now: Date): TSimulationConfig | null {
  if (models.length < 2) return null;
  const size = DEMO_HISTORY_SIZE[modality];
  const window = { start: now.getTime() - DEMO_HISTORY_DAYS * 24 * 3_600_000, days: DEMO_HISTORY_DAYS };
  const common = { annotators: size.annotators, votesPerAnnotator: size.votesPerAnnotator, maxVotes: 200, models: models.map((model) => model.id), window, modality };
  if (modality !== "text" || models.some((model) => model.personality === null)) return { ...common, groups: MEDIA_GROUPS };
  const preset = populationPreset("five-groups", common);
  const groups = [...(preset.groups ?? []), BRIEF_GROUP].map((group) => ({
    ...group,
    strengths: Object.fromEntries(models.map((model) => [model.id, TEXT_TASTES[group.id ?? ""]?.[model.personality!] ?? 0])),
  }));
  return { ...preset, groups };
}

/** Share of simulated votes that come with a written comment (so the owner dashboard's feedback list has some). */
export const DEMO_FEEDBACK_SHARE = 0.08;
const PRAISE = ["Exactly what I asked for.", "Clear and to the point.", "This one understood what I meant.", "Nicely written, easy to follow.", "Better structured than the other one."];
const CRITICISM = ["Too long, I lost interest.", "Missed the point of my question.", "Felt generic.", "Too short to be useful.", "Hard to follow."];
const GENERAL: Record<"tie" | "both_bad", readonly string[]> = {
  tie: ["Both answers were fine.", "Hard to choose, they were very similar."],
  both_bad: ["Neither answer helped.", "Both missed what I wanted."],
};

/**
 * The written feedback of one simulated vote, or null (most votes have none): praise for the winner
 * or criticism of the loser of a decisive vote, a general comment on a tie or both-bad. Canned
 * sentences: they say nothing about any person and nothing a scrubber would remove.
 */
export function demoVoteFeedback(outcome: TVoteOutcome, random: Random): { feedbackA?: string; feedbackB?: string; feedbackGeneral?: string } | null {
  if (random() >= DEMO_FEEDBACK_SHARE) return null;
  const pick = (lines: readonly string[]) => lines[randomInt(random, lines.length)];
  if (outcome === "tie" || outcome === "both_bad") return { feedbackGeneral: pick(GENERAL[outcome]) };
  const winner = outcome === "model_a" ? "feedbackA" : "feedbackB";
  const loser = outcome === "model_a" ? "feedbackB" : "feedbackA";
  return random() < 0.6 ? { [winner]: pick(PRAISE) } : { [loser]: pick(CRITICISM) };
}
