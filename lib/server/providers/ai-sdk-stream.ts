import "server-only";

import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3Prompt, LanguageModelV3StreamPart } from "@ai-sdk/provider";

import { CallDeadline, idleTimeoutFor } from "./deadline";
import { failureFromError, providerFailure } from "./failures";
import type { ChatMessage, ModelConfig, ProviderFailure, TextStreamEvent } from "./types";

export interface AiSdkStreamOptions {
  model: LanguageModelV3;
  config: ModelConfig;
  messages: ChatMessage[];
  signal: AbortSignal;
  providerLabel: string;
  secrets: readonly string[];
  callSettings?: Pick<LanguageModelV3CallOptions, "temperature" | "topP" | "topK" | "stopSequences" | "providerOptions">;
}

interface TFinish {
  finishReason: string;
  inputTokens: number | null;
  outputTokens: number | null;
}

/**
 * Our chat messages as the AI SDK's provider-level prompt. System messages are joined into one
 * leading system message (Anthropic's adapter turns it into the top-level `system` field); the rest
 * keep their order.
 */
function toLanguageModelPrompt(messages: ChatMessage[]): LanguageModelV3Prompt {
  const system = messages.filter((message) => message.role === "system").map((message) => message.content);
  const prompt: LanguageModelV3Prompt = system.length > 0 ? [{ role: "system", content: system.join("\n\n") }] : [];
  for (const message of messages) {
    if (message.role !== "system") prompt.push({ role: message.role, content: [{ type: "text", text: message.content }] });
  }
  return prompt;
}

/**
 * Streams one chat answer through the AI SDK provider's `doStream` and turns every outcome into
 * TextStreamEvents: deltas as they arrive, then exactly one `done` or `error`. A stream that breaks
 * after some text ends in `stream_cut`; its partial text is never reported as `done`.
 *
 * `doStream` rather than `streamText`: a battle needs one text stream and nothing of what
 * `streamText` layers on top (multi-step tool loops, telemetry spans, several chained
 * TransformStreams and per-chunk bookkeeping), which cost more CPU per chunk than the provider's own
 * parsing and, with 100 concurrent streams on one event loop, most of the added latency. There are
 * no retries either: a battle shows the answer as it streams, a silent retry would double latency
 * and cost, and the circuit breaker needs to see every failure.
 */
export async function* streamWithAiSdk(options: AiSdkStreamOptions): AsyncGenerator<TextStreamEvent> {
  const { config, providerLabel, secrets } = options;
  const prompt = toLanguageModelPrompt(options.messages);
  if (!prompt.some((message) => message.role !== "system")) {
    yield { type: "error", error: providerFailure("config", "The conversation has no user message") };
    return;
  }
  const deadline = new CallDeadline(options.signal, config.timeoutMs, idleTimeoutFor(config.extraParams, config.timeoutMs));
  let text = "";
  let failure: ProviderFailure | null = null;
  let finish: TFinish | null = null;
  let reader: ReadableStreamDefaultReader<LanguageModelV3StreamPart> | null = null;
  let settled = false;
  try {
    const { stream } = await options.model.doStream({
      ...options.callSettings,
      prompt,
      maxOutputTokens: config.maxTokens,
      abortSignal: deadline.signal,
    });
    reader = stream.getReader();
    for (;;) {
      const { done, value: part } = await reader.read();
      if (done) break;
      deadline.touch();
      if (part.type === "text-delta") {
        if (part.delta) {
          text += part.delta;
          yield { type: "delta", text: part.delta };
        }
      } else if (part.type === "error") {
        failure = failureFromError(part.error, { providerLabel, receivedText: text.length > 0, secrets });
        break;
      } else if (part.type === "finish") {
        finish = {
          finishReason: part.finishReason.raw ?? part.finishReason.unified,
          inputTokens: part.usage.inputTokens.total ?? null,
          outputTokens: part.usage.outputTokens.total ?? null,
        };
      }
    }
    settled = true;
  } catch (error) {
    failure = failureFromError(error, { providerLabel, receivedText: text.length > 0, secrets });
    settled = true;
  } finally {
    // Not settled means the consumer stopped reading mid-stream: stop the upstream request too.
    if (settled) deadline.dispose();
    else deadline.cancel();
    // Releases the HTTP response when we stopped early (an error part, or the consumer left).
    reader?.cancel().catch(() => undefined);
  }
  yield finalEvent({ deadline, failure, finish, text, providerLabel });
}

function finalEvent(outcome: { deadline: CallDeadline; failure: ProviderFailure | null; finish: TFinish | null; text: string; providerLabel: string }): TextStreamEvent {
  const { deadline, failure, finish, text, providerLabel } = outcome;
  if (deadline.timedOut) return { type: "error", error: providerFailure("timeout", deadline.describeTimeout(providerLabel)) };
  if (deadline.callerAborted) return { type: "error", error: providerFailure("aborted", "The request was cancelled") };
  if (failure) return { type: "error", error: failure };
  if (!finish) {
    return {
      type: "error",
      error: text
        ? providerFailure("stream_cut", `${providerLabel} closed the connection before the answer was complete`)
        : providerFailure("bad_response", `${providerLabel} ended the response without an answer`),
    };
  }
  if (text.trim() === "") return { type: "error", error: providerFailure("empty", `${providerLabel} returned an empty answer`) };
  return { type: "done", text, ...finish };
}
