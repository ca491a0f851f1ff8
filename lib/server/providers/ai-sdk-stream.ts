import "server-only";

import { streamText, type LanguageModel, type ModelMessage } from "ai";

import { CallDeadline, idleTimeoutFor } from "./deadline";
import { failureFromError, providerFailure } from "./failures";
import type { ChatMessage, ModelConfig, ProviderFailure, TextStreamEvent } from "./types";

/**
 * AI SDK retries are off (`maxRetries: 0`) on purpose: a battle shows the answer as it streams, a
 * silent retry would double latency and cost, and the circuit breaker needs to see every failure.
 */
export const AI_SDK_MAX_RETRIES = 0;

export interface AiSdkStreamOptions {
  model: LanguageModel;
  config: ModelConfig;
  messages: ChatMessage[];
  signal: AbortSignal;
  providerLabel: string;
  secrets: readonly string[];
  callSettings?: {
    temperature?: number;
    topP?: number;
    topK?: number;
    stopSequences?: string[];
    providerOptions?: Parameters<typeof streamText>[0]["providerOptions"];
  };
}

/** System messages go to the dedicated `system` field (Anthropic requires it); the rest keep their order. */
export function splitSystemMessages(messages: ChatMessage[]): { system: string | undefined; conversation: ModelMessage[] } {
  const systemParts = messages.filter((message) => message.role === "system").map((message) => message.content);
  const conversation: ModelMessage[] = messages
    .filter((message) => message.role !== "system")
    .map((message) =>
      message.role === "user" ? { role: "user", content: message.content } : { role: "assistant", content: message.content },
    );
  return { system: systemParts.length > 0 ? systemParts.join("\n\n") : undefined, conversation };
}

/**
 * Streams one chat answer through the AI SDK and turns every outcome into TextStreamEvents:
 * deltas as they arrive, then exactly one `done` or `error`. A stream that breaks after some text
 * ends in `stream_cut`; its partial text is never reported as `done`.
 */
export async function* streamWithAiSdk(options: AiSdkStreamOptions): AsyncGenerator<TextStreamEvent> {
  const { config, providerLabel, secrets } = options;
  const { system, conversation } = splitSystemMessages(options.messages);
  if (conversation.length === 0) {
    yield { type: "error", error: providerFailure("config", "The conversation has no user message") };
    return;
  }
  const deadline = new CallDeadline(options.signal, config.timeoutMs, idleTimeoutFor(config.extraParams, config.timeoutMs));
  let text = "";
  let failure: ProviderFailure | null = null;
  let finish: { finishReason: string; inputTokens: number | null; outputTokens: number | null } | null = null;
  let settled = false;
  try {
    const result = streamText({
      model: options.model,
      system,
      messages: conversation,
      maxOutputTokens: config.maxTokens,
      maxRetries: AI_SDK_MAX_RETRIES,
      abortSignal: deadline.signal,
      // Errors arrive as `error` parts below; the default handler would also log them to the console.
      onError: () => {},
      ...options.callSettings,
    });
    for await (const part of result.fullStream) {
      deadline.touch();
      if (part.type === "text-delta") {
        if (part.text) {
          text += part.text;
          yield { type: "delta", text: part.text };
        }
      } else if (part.type === "error") {
        failure = failureFromError(part.error, { providerLabel, receivedText: text.length > 0, secrets });
        break;
      } else if (part.type === "abort") {
        break;
      } else if (part.type === "finish") {
        finish = {
          finishReason: part.rawFinishReason ?? part.finishReason,
          inputTokens: part.totalUsage.inputTokens ?? null,
          outputTokens: part.totalUsage.outputTokens ?? null,
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
  }
  yield finalEvent({ deadline, failure, finish, text, providerLabel });
}

function finalEvent(outcome: {
  deadline: CallDeadline;
  failure: ProviderFailure | null;
  finish: { finishReason: string; inputTokens: number | null; outputTokens: number | null } | null;
  text: string;
  providerLabel: string;
}): TextStreamEvent {
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
