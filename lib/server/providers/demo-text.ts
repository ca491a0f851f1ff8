import "server-only";

import { generateDemoAnswer, isDemoPersonalityId } from "@/lib/domain/demo/text-personalities";

import { failedTextStream, numberParam } from "./adapter-support";
import { providerFailure } from "./failures";
import type { ModelConfig, TextProvider, TextStreamEvent } from "./types";

const DEFAULT_TOKENS_PER_SECOND = 60;
const TOKENS_PER_WORD = 1.3;
const WORDS_PER_CHUNK = 3;

/** Rough token count used for demo usage figures and the maxTokens cut. */
export function estimateTokens(text: string): number {
  return Math.ceil((text.match(/\S+/g)?.length ?? 0) * TOKENS_PER_WORD);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * Offline demo text model: generates in-process (no HTTP) with the pure generator of
 * lib/domain/demo/text-personalities.ts, then streams it in chunks of a few words at
 * `extraParams.tokensPerSecond` (default 60; very large values stream without pauses, for tests and
 * benchmarks). The personality is `extraParams.personality` or else `providerModelId`. Answers past
 * `maxTokens` are cut with finishReason "length", like a real model.
 */
export function createDemoTextProvider(config: ModelConfig): TextProvider {
  const personality = typeof config.extraParams.personality === "string" ? config.extraParams.personality : config.providerModelId;
  const tokensPerSecond = numberParam(config.extraParams, "tokensPerSecond") ?? DEFAULT_TOKENS_PER_SECOND;
  return {
    streamChat({ messages, signal, seed }) {
      if (!isDemoPersonalityId(personality)) {
        return failedTextStream(providerFailure("config", `Unknown demo personality "${personality}" for model ${config.slug}`));
      }
      if (!messages.some((message) => message.role === "user")) {
        return failedTextStream(providerFailure("config", "The conversation has no user message"));
      }
      return streamDemoAnswer(generateDemoAnswer(personality, messages, seed), messages, signal, config.maxTokens, tokensPerSecond);
    },
  };
}

async function* streamDemoAnswer(
  answer: string,
  messages: { content: string }[],
  signal: AbortSignal,
  maxTokens: number,
  tokensPerSecond: number,
): AsyncGenerator<TextStreamEvent> {
  const words = answer.match(/\s*\S+/g) ?? [];
  const maxWords = Math.max(1, Math.floor(maxTokens / TOKENS_PER_WORD));
  const kept = words.slice(0, maxWords);
  const chunkDelayMs = tokensPerSecond > 0 ? (WORDS_PER_CHUNK * TOKENS_PER_WORD * 1000) / tokensPerSecond : 0;
  let text = "";
  for (let start = 0; start < kept.length; start += WORDS_PER_CHUNK) {
    if (start > 0 && chunkDelayMs >= 1) await sleep(chunkDelayMs, signal);
    if (signal.aborted) {
      yield { type: "error", error: providerFailure("aborted", "The request was cancelled") };
      return;
    }
    const chunk = kept.slice(start, start + WORDS_PER_CHUNK).join("");
    text += chunk;
    yield { type: "delta", text: chunk };
  }
  yield {
    type: "done",
    text,
    inputTokens: estimateTokens(messages.map((message) => message.content).join(" ")),
    outputTokens: estimateTokens(text),
    finishReason: kept.length < words.length ? "length" : "stop",
  };
}
