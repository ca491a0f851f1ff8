/**
 * The vote-path load generator: simulated annotators, each a guest with its own session and connection
 * pool, doing what the arena page does in a browser (components/arena/arena.tsx, use-battle-stream.ts,
 * consent-gate.tsx, components/auth/guest-button.tsx), with the same requests in the same order:
 *
 *   arrive      GET /api/auth/session (SessionProvider on the first page), then "Continue as guest":
 *               providers, csrf, callback/guest, session
 *   each battle battle.create → (the battle page) the event stream until `end` (which carries the
 *               battle as battle.get would return it: the page shows it without a request), with
 *               consent.status when the page's copy is older than the query client's staleTime → the
 *               first time only: consent.accept, then consent.status (the gate invalidates it) →
 *               battle.vote (whose answer holds the voted battle: the page shows it without another
 *               request)
 *
 * All tRPC calls go through the browser's link (batched). The page navigations themselves (server
 * renders of /arena and /arena/b/[id]) are not sent: the benchmark measures the API the page calls.
 * Used by `npm run bench:load` and by the fault tests (which need the list of acknowledged votes).
 */
import { givenFeedback } from "@/lib/domain/battle/vote-feedback";
import { VOTE_OUTCOMES } from "@/lib/domain/vocabulary";
import { QUERY_STALE_TIME_MS } from "@/lib/trpc/query-client";
import { ArenaClient, type TTrpcResult } from "./arena-client";

export interface TVoteLoadOptions {
  baseUrl: string | (() => string);
  annotators: number;
  /** Stop starting new battles this many milliseconds after every annotator has signed in (or when `signal` aborts). */
  durationMs: number;
  signal?: AbortSignal;
  /** Only votes acknowledged after this many milliseconds count towards the throughput window. */
  warmupMs?: number;
  /** Timeout of the event stream; a failing request is counted and the annotator goes on. */
  requestTimeoutMs?: number;
  /** Called after every cycle with the live result, so callers can wait for progress under load. */
  onProgress?: (result: TVoteLoadResult) => void;
  /** Called when the measurement window opens (after the warmup) and when it closes (at the duration). */
  onWindow?: (edge: "start" | "end") => void;
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
  /** HTTP requests sent inside the measurement window, by kind ("trpc", "stream"). */
  measuredRequests: Record<string, number>;
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

/** A call of the page the server refused: counted under its step, and the annotator starts a new battle. */
class StepFailed extends Error {
  constructor(
    readonly step: string,
    readonly detail: string,
  ) {
    super(`${step}: ${detail}`);
  }
}

export async function runVoteLoad(options: TVoteLoadOptions): Promise<TVoteLoadResult> {
  const baseUrl = typeof options.baseUrl === "function" ? options.baseUrl : () => options.baseUrl as string;
  const result: TVoteLoadResult = { acknowledged: [], voteLatenciesMs: [], cycleLatenciesMs: [], measuredVotes: 0, measuredSeconds: 0, measuredRequests: {}, failures: {}, failureSamples: [] };
  // Set once every annotator has signed in.
  let deadline = Number.POSITIVE_INFINITY;
  let windowStart = Number.POSITIVE_INFINITY;
  const stopped = () => performance.now() >= deadline || options.signal?.aborted === true;

  const fail = (step: string, detail: string) => {
    const key = `${step}:${detail.slice(0, 80)}`;
    result.failures[key] = (result.failures[key] ?? 0) + 1;
    if (result.failureSamples.length < 20) result.failureSamples.push(`${step}: ${detail.slice(0, 300)}`);
  };
  const count = (kind: "trpc" | "stream") => {
    const now = performance.now();
    if (now >= windowStart && now <= deadline) result.measuredRequests[kind] = (result.measuredRequests[kind] ?? 0) + 1;
  };
  /** A tRPC call of the page; a refusal fails the step (counted under `step`). */
  async function call<T>(step: string, send: () => Promise<TTrpcResult<T>>): Promise<T> {
    count("trpc");
    const answer = await send();
    if (!answer.ok) throw new StepFailed(step, `${answer.code} ${answer.message}`);
    return answer.data;
  }

  /** A signed-in guest, as a browser is after "Continue as guest" (retried until it works or the run stops). */
  async function arrive(): Promise<{ client: ArenaClient; termsVersion: string } | null> {
    while (options.signal?.aborted !== true) {
      const client = new ArenaClient(baseUrl());
      try {
        await client.readSession();
        await client.signInAsGuest();
        // Stands in for the consent data the arena page renders on the server (its terms version).
        const status = await client.query<{ termsVersion: string }>("consent.status");
        if (!status.ok) throw new Error(`consent.status ${status.code}: ${status.message}`);
        return { client, termsVersion: status.data.termsVersion };
      } catch (error) {
        client.close();
        fail("sign-in", (error as Error).message ?? String(error));
        await sleep(100);
      }
    }
    return null;
  }

  async function annotator(index: number, { client, termsVersion }: { client: ArenaClient; termsVersion: string }): Promise<void> {
    let sequence = 0;
    let consented = false;
    // The arena page's consent data comes with the page; the query refetches once it is stale.
    let consentFetchedAt = performance.now();
    while (!stopped()) {
      options.onProgress?.(result);
      let step = "create";
      try {
        const cycleStart = performance.now();
        const created = await call("create", () =>
          client.mutation<{ id: string }>("battle.create", { modality: "text", prompt: `Annotator ${index} question ${sequence++}: explain a sorting algorithm briefly.`, personalized: false }),
        );
        const battleId = created.id;
        step = "stream";
        const staleConsent = performance.now() - consentFetchedAt > QUERY_STALE_TIME_MS;
        count("stream");
        const [answers] = await Promise.all([
          client.waitForAnswers(battleId, options.requestTimeoutMs ?? 30_000),
          staleConsent ? call("consent", () => client.query("consent.status")).then(() => (consentFetchedAt = performance.now())) : undefined,
        ]);
        if (answers.outcome !== "ready") fail("stream", `ended with ${answers.outcome}`);
        // The page falls back to battle.get only when the end carries no battle.
        if (answers.battle === null) await call("refresh", () => client.query("battle.get", { battleId }));
        if (!consented) {
          step = "consent";
          await call("consent", () => client.mutation("consent.accept", { termsVersion }));
          await call("consent", () => client.query("consent.status"));
          consentFetchedAt = performance.now();
          consented = true;
        }
        step = "vote";
        const outcome = VOTE_OUTCOMES[sequence % VOTE_OUTCOMES.length]!;
        const voteStart = performance.now();
        // Exactly the arena's vote on a text battle without feedback: empty feedback fields and the listening record are left out.
        await call("vote", () => client.mutation("battle.vote", { battleId, outcome, feedback: givenFeedback({ general: "", a: "", b: "" }) }));
        const voteEnd = performance.now();
        result.acknowledged.push({ battleId, outcome });
        if (voteEnd >= windowStart && voteEnd <= deadline) {
          result.measuredVotes += 1;
          result.voteLatenciesMs.push(voteEnd - voteStart);
          result.cycleLatenciesMs.push(voteEnd - cycleStart);
        }
      } catch (error) {
        if (error instanceof StepFailed) {
          fail(error.step, error.detail);
          await sleep(50);
          continue;
        }
        fail(step, (error as Error).message ?? String(error));
        // A restarted server loses nothing the client needs except, possibly, the connection: retry soon.
        await sleep(100);
      }
    }
  }

  // Every annotator signs in first (next-auth's routes, served by Next); the clock starts when all have.
  const arrivals = await Promise.all(Array.from({ length: options.annotators }, () => arrive()));
  const startedAt = performance.now();
  deadline = startedAt + options.durationMs;
  windowStart = startedAt + (options.warmupMs ?? 0);
  const windowTimers = [setTimeout(() => options.onWindow?.("start"), options.warmupMs ?? 0), setTimeout(() => options.onWindow?.("end"), options.durationMs)];
  try {
    await Promise.all(arrivals.map((arrival, index) => (arrival ? annotator(index, arrival) : undefined)));
  } finally {
    for (const timer of windowTimers) clearTimeout(timer);
    for (const arrival of arrivals) arrival?.client.close();
  }
  result.measuredSeconds = Math.max(0.001, (Math.min(performance.now(), deadline) - windowStart) / 1000);
  return result;
}
