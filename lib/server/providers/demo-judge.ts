import "server-only";
import { demoJudgeOutput, readJudgeMessage } from "@/lib/domain/judge";
import { estimateTokens } from "./demo-text";
import { providerFailure } from "./failures";
import type { TextProvider, TextStreamEvent } from "./types";

/**
 * The offline demo judge behind the text provider interface: it reads the judge prompt's
 * sections back (lib/domain/judge/prompts.ts) and answers with the deterministic verdict of
 * lib/domain/judge/demo-judge.ts. Not a model: it exists so the judge machinery runs offline.
 */
export function createDemoJudgeProvider(): TextProvider {
  return {
    async *streamChat({ messages, signal }): AsyncGenerator<TextStreamEvent> {
      if (signal.aborted) {
        yield { type: "error", error: providerFailure("aborted", "The request was cancelled") };
        return;
      }
      const user = [...messages].reverse().find((message) => message.role === "user")?.content ?? "";
      const input = readJudgeMessage(user);
      if (!input) {
        yield { type: "done", text: "I cannot read this comparison.", inputTokens: estimateTokens(user), outputTokens: 6, finishReason: "stop" };
        return;
      }
      const text = demoJudgeOutput(input);
      yield { type: "delta", text };
      yield { type: "done", text, inputTokens: estimateTokens(user), outputTokens: estimateTokens(text), finishReason: "stop" };
    },
  };
}
