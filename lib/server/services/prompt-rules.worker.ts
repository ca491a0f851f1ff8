/**
 * Entry of the prompt-rules thread (see ./prompt-rules-thread.ts): classifies the prompts of voted text
 * battles with the offline rules and the language identifier (lib/domain/categories), so that neither the
 * rules (~0.1–0.2 ms a battle, a few per cent of the request thread's CPU under the load bench) nor the
 * loading of the identifier's n-gram tables (half a second, seconds on a busy machine) run on the event
 * loop that serves votes.
 *
 * main → thread: { id, conversations }: each conversation is a battle's prompts in order.
 * thread → main: { id, verdicts } in the conversations' order, or { id, failed } with the error's text.
 */
import { parentPort } from "node:worker_threads";

import { classifyPrompt, loadLanguageDetector, type TPromptCategory } from "@/lib/domain/categories";

export interface TPromptRulesRequest {
  id: number;
  conversations: string[][];
}

/** What the rules tell of one conversation. */
export interface TPromptRulesVerdict {
  categories: TPromptCategory[];
  language: string | null;
}

export type TPromptRulesReply = { id: number; verdicts: TPromptRulesVerdict[] } | { id: number; failed: string };

const port = parentPort;
if (!port) throw new Error("prompt-rules.worker runs as a worker thread");

port.on("message", ({ id, conversations }: TPromptRulesRequest) => {
  void loadLanguageDetector()
    .then((detectLanguage) =>
      conversations.map((turns): TPromptRulesVerdict => {
        const { categories, language } = classifyPrompt(turns, detectLanguage);
        return { categories, language };
      }),
    )
    .then(
      (verdicts) => port.postMessage({ id, verdicts } satisfies TPromptRulesReply),
      (error: unknown) => port.postMessage({ id, failed: error instanceof Error ? error.message : String(error) } satisfies TPromptRulesReply),
    );
});
