/**
 * The vote-path load generator: simulated annotators, each a guest with its own session, loop
 * "create a battle → wait for both answers on the SSE stream → vote" against a running app over HTTP.
 * Used by `npm run bench:load` and by the fault tests (which need the list of acknowledged votes).
 */
import { VOTE_OUTCOMES } from "../../lib/domain/vocabulary";
import { ArenaClient } from "./arena-client";

export interface TVoteLoadOptions {
  baseUrl: string | (() => string);
  annotators: number;
  /** Stop starting new battles this many milliseconds after every annotator has signed in (or when `signal` aborts). */
  durationMs: number;
  signal?: AbortSignal;
  /** Only votes acknowledged after this many milliseconds count towards the throughput window. */
  warmupMs?: number;
  /** Per-request timeout; a failing request is counted and the annotator goes on. */
  requestTimeoutMs?: number;
  /** Called after every cycle with the live result, so callers can wait for progress under load. */
  onProgress?: (result: TVoteLoadResult) => void;
}

export interface TAcknowledgedVote {
  battleId: string;
  outcome: string;
}

export interface TVoteLoadResult {
  acknowledged: TAcknowledgedVote[];
  /** Vote request latencies (ms) of acknowledged votes inside the measurement window. */
  voteLatenciesMs: number[];
  /** create battle → answers ready → vote acknowledged (ms), inside the window. */
  cycleLatenciesMs: number[];
  measuredVotes: number;
  measuredSeconds: number;
  /** Failures by step and code, e.g. "vote:CONFLICT" or "create:fetch failed". */
  failures: Record<string, number>;
  failureSamples: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index]!;
}

export async function runVoteLoad(options: TVoteLoadOptions): Promise<TVoteLoadResult> {
  const baseUrl = typeof options.baseUrl === "function" ? options.baseUrl : () => options.baseUrl as string;
  const result: TVoteLoadResult = { acknowledged: [], voteLatenciesMs: [], cycleLatenciesMs: [], measuredVotes: 0, measuredSeconds: 0, failures: {}, failureSamples: [] };
  // Set once every annotator has signed in.
  let deadline = Number.POSITIVE_INFINITY;
  let windowStart = Number.POSITIVE_INFINITY;
  const stopped = () => performance.now() >= deadline || options.signal?.aborted === true;

  const fail = (step: string, detail: string) => {
    const key = `${step}:${detail.slice(0, 80)}`;
    result.failures[key] = (result.failures[key] ?? 0) + 1;
    if (result.failureSamples.length < 20) result.failureSamples.push(`${step}: ${detail.slice(0, 300)}`);
  };

  /** A guest session that has accepted the terms, as a browser has it before its first battle (retried until it works or the run stops). */
  async function arrive(): Promise<ArenaClient | null> {
    while (options.signal?.aborted !== true) {
      const client = new ArenaClient(baseUrl());
      try {
        await client.signInAsGuest();
        const status = await client.query<{ termsVersion: string }>("consent.status");
        if (!status.ok) throw new Error(`consent.status ${status.code}: ${status.message}`);
        const accepted = await client.mutation("consent.accept", { termsVersion: status.data.termsVersion });
        if (!accepted.ok) throw new Error(`consent.accept ${accepted.code}: ${accepted.message}`);
        return client;
      } catch (error) {
        client.close();
        fail("sign-in", (error as Error).message ?? String(error));
        await sleep(100);
      }
    }
    return null;
  }

  async function annotator(index: number, client: ArenaClient): Promise<void> {
    let sequence = 0;
    while (!stopped()) {
      options.onProgress?.(result);
      try {
        const cycleStart = performance.now();
        const created = await client.mutation<{ id: string }>("battle.create", {
          modality: "text",
          prompt: `Annotator ${index} question ${sequence++}: explain a sorting algorithm briefly.`,
          personalized: false,
        });
        if (!created.ok) {
          fail("create", `${created.code} ${created.message}`);
          await sleep(50);
          continue;
        }
        const answers = await client.waitForAnswers(created.data.id, options.requestTimeoutMs ?? 30_000);
        if (answers.outcome !== "ready") fail("stream", `ended with ${answers.outcome}`);
        const outcome = VOTE_OUTCOMES[sequence % VOTE_OUTCOMES.length]!;
        const voteStart = performance.now();
        const vote = await client.mutation("battle.vote", { battleId: created.data.id, outcome });
        const voteEnd = performance.now();
        if (!vote.ok) {
          fail("vote", `${vote.code} ${vote.message}`);
          continue;
        }
        result.acknowledged.push({ battleId: created.data.id, outcome });
        if (voteEnd >= windowStart && voteEnd <= deadline) {
          result.measuredVotes += 1;
          result.voteLatenciesMs.push(voteEnd - voteStart);
          result.cycleLatenciesMs.push(voteEnd - cycleStart);
        }
      } catch (error) {
        fail("request", (error as Error).message ?? String(error));
        // A restarted server loses nothing the client needs except, possibly, the connection: retry soon.
        await sleep(100);
      }
    }
  }

  // Every annotator signs in first (next-auth's pages, served by Next); the clock starts when all have.
  const clients = await Promise.all(Array.from({ length: options.annotators }, () => arrive()));
  const startedAt = performance.now();
  deadline = startedAt + options.durationMs;
  windowStart = startedAt + (options.warmupMs ?? 0);
  try {
    await Promise.all(clients.map((client, index) => (client ? annotator(index, client) : undefined)));
  } finally {
    for (const client of clients) client?.close();
  }
  result.measuredSeconds = Math.max(0.001, (Math.min(performance.now(), deadline) - windowStart) / 1000);
  return result;
}
