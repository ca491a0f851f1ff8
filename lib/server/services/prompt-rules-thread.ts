import "server-only";
import type { Worker } from "node:worker_threads";
import { AppError } from "@/lib/server/errors";
import { prepareWorker, startWorker } from "@/lib/server/workers/start-worker";
import type { TPromptRulesReply, TPromptRulesRequest, TPromptRulesVerdict } from "./prompt-rules.worker";

export type { TPromptRulesVerdict } from "./prompt-rules.worker";

const PROMPT_RULES_WORKER = "lib/server/services/prompt-rules.worker.ts";

const rulesFailed = (reason: string) => new AppError("INTERNAL", `Classifying prompts failed: ${reason}`);

/**
 * The thread the prompt rules run on (./prompt-rules.worker.ts), started on the first pass of the
 * categorization and kept: it holds the language identifier's tables, loaded once. It runs at background
 * priority (a pass can wait; a vote should not), and is referenced only while a pass waits for it. When
 * it dies, the passes waiting for it fail and the next one starts a new thread.
 */
class PromptRulesThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (verdicts: TPromptRulesVerdict[]) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  alive = true;

  constructor() {
    this.worker = startWorker(PROMPT_RULES_WORKER, { background: true });
    this.worker.unref();
    this.worker.on("message", (reply: TPromptRulesReply) => {
      const pass = this.waiting.get(reply.id);
      if (!pass) return;
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) this.worker.unref();
      if ("failed" in reply) pass.reject(rulesFailed(reply.failed));
      else pass.resolve(reply.verdicts);
    });
    const fail = (reason: string) => {
      this.alive = false;
      for (const pass of this.waiting.values()) pass.reject(rulesFailed(reason));
      this.waiting.clear();
    };
    this.worker.on("error", (error) => fail(error.message));
    this.worker.on("exit", (code) => fail(`the prompt-rules thread exited (${code})`));
  }

  classify(conversations: string[][]): Promise<TPromptRulesVerdict[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      if (this.waiting.size === 1) this.worker.ref();
      this.worker.postMessage({ id, conversations } satisfies TPromptRulesRequest);
    });
  }
}

const globalForThread = globalThis as unknown as { arenaPromptRulesThread?: PromptRulesThread };

/** The offline rules' categories and language of each conversation (a battle's prompts in order), in order, from the prompt-rules thread. */
export async function classifyByRules(conversations: string[][]): Promise<TPromptRulesVerdict[]> {
  if (conversations.length === 0) return [];
  await prepareWorker(PROMPT_RULES_WORKER);
  let thread = globalForThread.arenaPromptRulesThread;
  if (!thread?.alive) thread = globalForThread.arenaPromptRulesThread = new PromptRulesThread();
  return thread.classify(conversations);
}
