import { randomInt, type Random } from "../random";

import type { DemoRequest } from "./request-kind";
import { findExplanation, findFact, findHowTo } from "./topic-knowledge";

/**
 * The substance of an English demo answer, by request kind, before a personality gives it its
 * style: facts and an analogy for an explanation, steps for a how-to, items for a list, verses for
 * creative writing, a direct answer for a factual question. Known topics use topic-knowledge.ts;
 * others get careful general sentences about the subject. Pure: randomness comes from `random`.
 */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function pick<T>(items: readonly T[], random: Random): T {
  return items[randomInt(random, items.length)];
}

/** `count` distinct items in a seeded order. */
export function pickDistinct<T>(items: readonly T[], count: number, random: Random): T[] {
  const pool = [...items];
  const chosen: T[] = [];
  while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(randomInt(random, pool.length), 1)[0]);
  return chosen;
}

const fill = (templates: readonly string[], subject: string) => templates.map((template) => template.replaceAll("{subject}", subject).replaceAll("{Subject}", capitalize(subject)));

const GENERAL_FACTS = [
  "{Subject} is easiest to understand by starting with what it is for, then looking at how its parts fit together.",
  "The heart of {subject} is a small number of ideas; most of the rest is detail built on them.",
  "Most confusion about {subject} comes from mixing up the main mechanism with its side effects.",
  "Seen up close, {subject} is a chain of causes and effects, each simple on its own.",
  "Experts on {subject} disagree mostly about the edge cases, not the basics.",
  "A good way to check your understanding of {subject} is to explain it in two sentences to someone else.",
];

const GENERAL_ANALOGIES = [
  "Think of {subject} like a recipe: a few ingredients, a clear order, and a result that depends on both.",
  "{Subject} works a bit like a relay race: each part passes something on to the next.",
];

export function explanationContent(request: DemoRequest, prompt: string, random: Random): { facts: string[]; analogy: string; known: boolean } {
  const known = findExplanation(prompt);
  if (known) return { facts: known.facts, analogy: known.analogy, known: true };
  return { facts: fill(pickDistinct(GENERAL_FACTS, 4, random), request.subject), analogy: fill([pick(GENERAL_ANALOGIES, random)], request.subject)[0], known: false };
}

const GENERAL_STEPS = [
  "Decide what a good result looks like for {subject}, so you know when you are done.",
  "Gather what you need before you start: tools, materials and an hour without interruptions.",
  "Do a small first attempt and note what goes wrong.",
  "Fix the biggest problem from that attempt, then try again.",
  "Once it works, write down what you did so you can repeat it.",
];

export function howToContent(request: DemoRequest, prompt: string): { steps: string[]; tip: string } {
  const guide = findHowTo(prompt);
  if (guide) return { steps: guide.steps, tip: guide.tip };
  return { steps: fill(GENERAL_STEPS, request.subject), tip: "Expect the first attempt to be rough; the second is usually much better." };
}

const LIST_ITEMS: Record<string, string[]> = {
  tips: [
    "Start small: a few minutes a day on {subject} beats one long session a week.",
    "Set one concrete goal for {subject} and measure it.",
    "Learn from someone a step ahead of you; ask what they wish they had known.",
    "Keep notes of what works for you and what does not.",
    "Remove friction: prepare what you need the night before.",
    "Review your progress every two weeks and adjust.",
    "Pair {subject} with a habit you already have.",
    "Forgive missed days and simply restart the next one.",
  ],
  ideas: [
    "A small project you can finish in an afternoon, built around {subject}.",
    "Invite a friend and turn {subject} into a shared activity.",
    "Try a themed version: one colour, one ingredient or one rule.",
    "Make a short list of questions about {subject} and look for answers together.",
    "Go somewhere new that has something to do with {subject}.",
    "Create something to keep: a photo series, a journal page or a playlist.",
    "Set a timer for 20 minutes and see how far you get.",
    "Teach someone else the basics of {subject}.",
  ],
  reasons: [
    "It saves time once the basics are in place.",
    "It builds skills that carry over to other areas.",
    "It is cheaper in the long run than the alternatives.",
    "It gives you more control over the outcome.",
    "Many people find it genuinely enjoyable once they start.",
    "It opens conversations and connections with others.",
  ],
};

export function listContent(request: DemoRequest, random: Random): { noun: string; items: string[] } {
  const noun = request.itemNoun ?? "ideas";
  const bank = LIST_ITEMS[noun] ?? (noun === "ways" || noun === "steps" || noun === "habits" || noun === "strategies" ? LIST_ITEMS.tips : LIST_ITEMS.ideas);
  const count = Math.min(request.count ?? 5, bank.length);
  return { noun, items: fill(pickDistinct(bank, count, random), request.subject) };
}

const QUATRAINS = [
  ["Beneath a patient sky, {subject} stays,", "and slows the hours, and softens all the days;", "a quiet light, a steady, gentle glow,", "that keeps the things it loves and lets them go."],
  ["I went to look for {subject} late at night", "and found it waiting, small and clear and bright;", "it asked for nothing, yet it gave me more", "than all the maps I'd ever owned before."],
  ["They say that {subject} cannot speak,", "yet every morning, week by week,", "it tells the patient and the still", "that what is small can climb a hill."],
  ["When storms come rolling from the grey,", "{subject} does not turn away;", "it holds its ground, it keeps its place,", "and meets the weather face to face."],
];

const HAIKU = [
  ["{Subject} at dusk", "a slow breath between the hills", "light that stays a while"],
  ["morning, and {subject}", "the world still deciding what", "colour it will be"],
  ["quiet {subject}", "one leaf lets go of the branch", "the wind keeps the rest"],
];

export function poemStanzas(subject: string, count: number, random: Random): string[] {
  return pickDistinct(QUATRAINS, count, random).map((stanza) => fill(stanza, subject).map(capitalize).join("\n"));
}

export function haiku(subject: string, random: Random): string {
  return fill(pick(HAIKU, random), subject.toLowerCase()).join("\n");
}

export function limerick(subject: string): string {
  return [`There once was ${withIndefinite(subject)} so fine`, "who wanted the whole world to shine;", "it tried every day", "in its own quiet way,", "and the world, bit by bit, fell in line."].join("\n");
}

export function song(subject: string, random: Random): string {
  const [verse] = poemStanzas(subject, 1, random);
  const chorus = [`Oh, ${subject}, carry me home,`, "over the hills and the foam;", "wherever the long roads bend,", "you are the song at the end."].join("\n");
  return `*Verse*\n${verse}\n\n*Chorus*\n${chorus}`;
}

function withIndefinite(subject: string): string {
  return /^(a|an|the|my|your|our|this|that)\s/i.test(subject) ? subject : `${/^[aeiou]/i.test(subject) ? "an" : "a"} ${subject}`;
}

/** A short story whose protagonist or setting is the subject; `paragraphs` from 2 to 4. */
export function story(subject: string, paragraphs: number, random: Random): string {
  const hero = withIndefinite(subject);
  const parts = [
    `Once upon a time there was ${hero} that nobody in town paid much attention to.`,
    pick([`Every evening, ${subject} watched the lights go on one by one and wondered what it would take to be noticed.`, `Each morning began the same way: ${subject} waited, patient, while the world hurried past.`], random),
    pick(["Then one stormy night the power failed, the roads flooded, and the people who had hurried past needed help.", "Then, one grey winter, something changed: a child stopped, looked closely, and asked a question nobody had asked before."], random),
    pick([`By morning everyone knew about ${subject}, and nobody ever walked past it again without a smile.`, `Years later, when people told the story of that night, they always began with ${subject}.`], random),
  ];
  const kept = paragraphs >= 4 ? parts : [parts[0], ...parts.slice(4 - Math.max(2, paragraphs) + 1, 4)];
  return kept.join("\n\n");
}

export function factualContent(request: DemoRequest, prompt: string): { answer: string; detail: string | null; known: boolean } {
  const fact = findFact(prompt);
  if (fact) return { answer: fact.answer, detail: fact.detail, known: true };
  if (/\b(better|worse|best|vs\.?|versus|compared? (to|with))\b/i.test(prompt)) {
    return { answer: "Neither wins across the board: it depends on the task.", detail: "Try both on two or three examples of your own work and keep the one whose answers you trust more.", known: false };
  }
  if (/^\s*(is|are|does|do|can|should|will|was|were|has|have)\b/i.test(prompt)) {
    return { answer: "Usually, but not always: it depends on the specifics.", detail: "A current, reliable source will confirm it for your case.", known: false };
  }
  return { answer: "I don't have a reliable answer to that offline.", detail: "An encyclopedia or an official site will have the current figure.", known: false };
}

const GENERAL_POINTS = [
  "Start by writing down what a good outcome would look like; the next step usually follows from it.",
  "Pick the smallest change you can make this week, and make it.",
  "Talk it through with someone you trust; saying it out loud often shows the way forward.",
  "Look at the long-term cost of each option, not only the first step.",
  "Compare two or three options side by side before committing to one.",
  "Give yourself a deadline to decide, so the question does not linger.",
];

/** Statements about how the asker feels: the answer acknowledges them before any advice. */
const FEELING = /\bi(?:'m| am| feel| have been feeling| keep feeling)\s+(?:so |really |a bit |very |kind of )?(stuck|sad|tired|stressed|anxious|lonely|overwhelmed|bored|lost|unmotivated|burn(?:ed|t) out|down|worried)\b/i;

/** "That sounds hard." for a stated feeling; null otherwise. */
export function acknowledgement(prompt: string): string | null {
  const feeling = FEELING.exec(prompt)?.[1];
  return feeling ? `Feeling ${feeling.toLowerCase()} is hard, and it is common; it usually means something needs to change, not that something is wrong with you.` : null;
}

export function generalPoints(_request: DemoRequest, count: number, random: Random): string[] {
  return pickDistinct(GENERAL_POINTS, count, random);
}
