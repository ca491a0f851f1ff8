import type { Random } from "../random";

import { codeForTask } from "./code-snippets";
import {
  acknowledgement,
  capitalize,
  explanationContent,
  factualContent,
  generalPoints,
  haiku,
  howToContent,
  limerick,
  listContent,
  pick,
  poemStanzas,
  song,
  story,
} from "./english-content";
import type { PersonaHints } from "./persona-hints";
import { ageRegister, backgroundSentence } from "./persona-voice";
import type { DemoRequest } from "./request-kind";

/**
 * The five demo personalities writing in English, each answering in the shape the request asks for
 * (code block, numbered steps, list, poem, direct answer) in its own style and at its own quality:
 * the concise expert is short and right; the friendly explainer warm, with analogies; the formal
 * analyst long and header-heavy even when that does not fit; the storyteller wraps everything in a
 * story; the terse rusher is curt, sometimes wrong, sometimes off topic.
 */
interface EnglishAnswerContext {
  request: DemoRequest;
  prompt: string;
  hints: PersonaHints;
  random: Random;
}

const fence = (language: string, code: string) => `\`\`\`${language}\n${code}\n\`\`\``;
const numbered = (items: readonly string[]) => items.map((item, index) => `${index + 1}. ${item}`).join("\n");
const bulleted = (items: readonly string[]) => items.map((item) => `- ${item}`).join("\n");

/** Number of items kept, scaled by the stated style preference. */
function scaled(base: number, hints: PersonaHints): number {
  if (hints.preferredStyle === "concise") return Math.max(2, Math.round(base * 0.6));
  if (hints.preferredStyle === "detailed") return base + 2;
  return base;
}

function creativePiece(context: EnglishAnswerContext, stanzas: number, storyParagraphs: number): string {
  const { request, random } = context;
  switch (request.form) {
    case "haiku":
      return haiku(request.subject, random);
    case "limerick":
      return limerick(request.subject);
    case "song":
      return song(request.subject, random);
    case "story":
      return story(request.subject, storyParagraphs, random);
    default:
      return poemStanzas(request.subject, stanzas, random).join("\n\n");
  }
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
const audienceLine = (audience: string, analogy: string) => `To put it for ${audience}: ${lowerFirst(analogy)}`;

function conciseExpert(context: EnglishAnswerContext): string {
  const { request, prompt, hints, random } = context;
  switch (request.kind) {
    case "code": {
      const code = codeForTask(prompt, request.task, request.codeLanguage ?? "python");
      return [fence(code.language, code.code), code.note].join("\n\n");
    }
    case "how-to": {
      const { steps, tip } = howToContent(request, prompt);
      return [numbered(steps.slice(0, scaled(steps.length, hints))), `Tip: ${tip}`].join("\n\n");
    }
    case "list": {
      const { items } = listContent(request, random);
      return numbered(items);
    }
    case "creative":
      return creativePiece(context, 1, 2);
    case "factual": {
      const { answer, detail } = factualContent(request, prompt);
      return hints.preferredStyle === "detailed" && detail ? `${answer} ${detail}` : answer;
    }
    case "explanation": {
      const { facts, analogy } = explanationContent(request, prompt, random);
      const body = facts.slice(0, hints.expertise === "expert" ? facts.length : scaled(3, hints)).join(" ");
      const background = hints.expertise === "expert" ? backgroundSentence(hints, "explanation") : null;
      return [request.audience ? audienceLine(request.audience, analogy) : null, body, background].filter(Boolean).join("\n\n");
    }
    default:
      return [acknowledgement(prompt), generalPoints(request, scaled(3, hints), random).join(" ")].filter(Boolean).join("\n\n");
  }
}

function friendlyOpening(context: EnglishAnswerContext, what: string): string {
  const register = ageRegister(context.hints);
  if (register === "older") return `Thank you for the question. Let us go through ${what} at a comfortable pace.`;
  if (register === "younger") return `Nice one! Here's the quick tour of ${what}.`;
  return pick([`Great question! Let's walk through ${what} together.`, `Happy to help with ${what}!`], context.random);
}

function friendlyExplainer(context: EnglishAnswerContext): string {
  const { request, prompt, hints, random } = context;
  const closing = pick(["Hope that helps! Feel free to ask a follow-up.", "You've got this. Ask me anything else about it!"], random);
  switch (request.kind) {
    case "code": {
      const code = codeForTask(prompt, request.task, request.codeLanguage ?? "python");
      return [
        friendlyOpening(context, request.subject),
        fence(code.language, code.code),
        "**How it works:**",
        bulleted([code.note, "Run it once with the example at the bottom to see the output.", "Try an empty input too: good code handles the edge cases."]),
        backgroundSentence(hints, "code"),
        closing,
      ].filter(Boolean).join("\n\n");
    }
    case "how-to": {
      const { steps, tip } = howToContent(request, prompt);
      return [friendlyOpening(context, request.subject), "Here's how to do it, step by step:", numbered(steps.slice(0, scaled(steps.length, hints))), `💡 ${tip}`, backgroundSentence(hints, "how-to"), closing].filter(Boolean).join("\n\n");
    }
    case "list": {
      const { noun, items } = listContent(request, random);
      return [`Here are ${items.length} ${noun} for ${request.subject}:`, bulleted(items), hints.country ? `Some of these may work differently in ${hints.country}, so adapt them to what is available near you.` : null, closing].filter(Boolean).join("\n\n");
    }
    case "creative":
      return [`Here's a little ${request.form ?? "poem"} about ${request.subject}. I hope you like it!`, creativePiece(context, 2, 3)].join("\n\n");
    case "factual": {
      const { answer, detail } = factualContent(request, prompt);
      return [`Good question! ${answer}`, detail, closing].filter(Boolean).join("\n\n");
    }
    case "explanation": {
      const { facts, analogy } = explanationContent(request, prompt, random);
      const simple = request.audience !== null || hints.expertise !== "expert";
      return [
        request.audience ? `Here's a way to explain ${request.task} to ${request.audience}:` : friendlyOpening(context, request.task),
        simple ? `In simple terms, ${lowerFirst(analogy)}` : null,
        bulleted(facts.slice(0, scaled(request.audience ? 3 : 4, hints))),
        backgroundSentence(hints, "explanation"),
        closing,
      ].filter(Boolean).join("\n\n");
    }
    default:
      return [acknowledgement(prompt) ?? pick(["Happy to help!", "Good question!"], random), bulleted(generalPoints(request, scaled(4, hints), random)), hints.country ? `Things can work a little differently in ${hints.country}, so check what applies locally.` : null, closing].filter(Boolean).join("\n\n");
  }
}

function formalAnalyst(context: EnglishAnswerContext): string {
  const { request, prompt, hints, random } = context;
  const sections: Array<[string, string | null]> = [];
  switch (request.kind) {
    case "code": {
      const code = codeForTask(prompt, request.task, request.codeLanguage ?? "python");
      sections.push(
        ["Overview", `The following ${code.language} implementation addresses the task of ${request.subject}.`],
        ["Implementation", fence(code.language, code.code)],
        ["Analysis", code.note],
        ["Recommendations", numbered(["Add unit tests covering typical, empty and invalid inputs.", "Document the expected input format.", "Profile before optimising further."])],
      );
      break;
    }
    case "how-to": {
      const { steps, tip } = howToContent(request, prompt);
      sections.push(["Objective", `This guide sets out a structured procedure for ${request.subject}.`], ["Procedure", numbered(steps.slice(0, scaled(steps.length, hints)))], ["Considerations", `${tip} ${backgroundSentence(hints, "how-to") ?? ""}`.trim()]);
      break;
    }
    case "list": {
      const { noun, items } = listContent(request, random);
      sections.push(["Overview", `The following ${items.length} ${noun} regarding ${request.subject} are presented in no particular order.`], [capitalize(noun), numbered(items.map((item) => `**${item.split(" ").slice(0, 3).join(" ")}** ${item.split(" ").slice(3).join(" ")}`))]);
      break;
    }
    case "creative":
      sections.push(["Composition", creativePiece(context, 2, 3)], ["Notes on form", `The piece treats ${request.subject} through regular metre and concrete imagery, favouring restraint over ornament.`]);
      break;
    case "factual": {
      const { answer, detail } = factualContent(request, prompt);
      sections.push(["Answer", answer], ["Context", detail]);
      break;
    }
    case "explanation": {
      const { facts, analogy } = explanationContent(request, prompt, random);
      sections.push(
        ["Overview", `This response provides a structured explanation of ${request.task}.`],
        ["Key mechanisms", bulleted(facts.slice(0, scaled(facts.length, hints)))],
        [request.audience ? `Explaining it to ${request.audience}` : "Illustration", analogy],
        ["Relevance", backgroundSentence(hints, "explanation")],
      );
      break;
    }
    default:
      sections.push(["Overview", acknowledgement(prompt) ?? "The question merits a structured assessment."], ["Key points", bulleted(generalPoints(request, scaled(5, hints), random))], ["Context", hints.country ? `Local regulations and practice in ${hints.country} may alter these considerations.` : backgroundSentence(hints, "general")]);
  }
  sections.push(["Conclusion", pick(["In summary, a deliberate and well-documented approach yields the most reliable results.", "In conclusion, careful preparation and systematic review are advisable."], random)]);
  return sections
    .filter(([, body]) => body)
    .map(([title, body]) => `## ${title}\n\n${body}`)
    .join("\n\n");
}

function storyteller(context: EnglishAnswerContext): string {
  const { request, prompt, hints, random } = context;
  const teller = pick(["an old lighthouse keeper", "my grandfather", "a traveller I met on a night train"], random);
  const nod = hints.occupation || hints.field ? backgroundSentence(hints, "general") : null;
  switch (request.kind) {
    case "code": {
      const code = codeForTask(prompt, request.task, request.codeLanguage ?? "python");
      return [`${capitalize(teller)} once told me that every program starts as a small promise: take this, give back that. Here is how that promise reads for ${request.subject}:`, fence(code.language, code.code), `And the moral of the story: ${lowerFirst(code.note)}`].join("\n\n");
    }
    case "how-to": {
      const { steps } = howToContent(request, prompt);
      const prose = steps.slice(0, 4).map((step, index) => `${["First", "Then", "After that", "Finally"][index]}, ${lowerFirst(step)}`);
      return [`${capitalize(teller)} once told me about the first time they tried ${request.subject}.`, prose.join(" "), "It did not go perfectly, but the second time it did.", nod].filter(Boolean).join("\n\n");
    }
    case "creative":
      return creativePiece(context, 3, 4);
    case "factual": {
      const { answer } = factualContent(request, prompt);
      return `${capitalize(teller)} once told me about a student who asked this very question. The teacher smiled and said: "${answer}"`;
    }
    case "explanation": {
      const { facts, analogy } = explanationContent(request, prompt, random);
      return [`When I asked ${teller} about ${request.task}, the answer came as a story.`, `${analogy} ${facts[0]}`, facts[1] ?? "", request.audience ? `It is a story ${request.audience} will enjoy hearing.` : nod].filter(Boolean).join("\n\n");
    }
    default:
      return [
        acknowledgement(prompt),
        "A traveller once reached a crossroads with no signpost. She sat down, wrote on a scrap of paper where she wanted to be by nightfall, and only then looked at the roads again. One of them suddenly looked obvious.",
        `The moral: ${lowerFirst(generalPoints(request, 1, random)[0])}`, nod].filter(Boolean).join("\n\n");
  }
}

function terseRusher(context: EnglishAnswerContext): string {
  const { request, prompt, random } = context;
  // About a third of the time it answers something else entirely: the "misses the point" trait.
  if (random() < 0.35) return pick(["not sure what you mean but generally keep things simple", "hard to say, usually it works out", "depends on a lot of things tbh"], random);
  switch (request.kind) {
    case "code": {
      const code = codeForTask(prompt, request.task, request.codeLanguage ?? "python", { buggy: true });
      return random() < 0.5 ? `${code.code}\n\nshould work` : `just do something like\n${code.code}`;
    }
    case "how-to": {
      const { steps } = howToContent(request, prompt);
      return `${steps[0].toLowerCase()} then ${steps.at(-1)!.toLowerCase()} thats it`;
    }
    case "list":
      return listContent(request, random).items.slice(0, 2).join(", ").toLowerCase();
    case "creative":
      return poemStanzas(request.subject, 1, random)[0].split("\n").slice(0, 2).join("\n").toLowerCase();
    case "factual":
      return factualContent(request, prompt).answer.toLowerCase().replace(/\.$/, "");
    case "explanation":
      return `basically ${explanationContent(request, prompt, random).facts[0].toLowerCase()}`;
    default:
      return `depends. ${generalPoints(request, 1, random)[0].toLowerCase()}`;
  }
}

export const ENGLISH_WRITERS = { "concise-expert": conciseExpert, "friendly-explainer": friendlyExplainer, "formal-analyst": formalAnalyst, storyteller, "terse-rusher": terseRusher } as const;
