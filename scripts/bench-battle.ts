/**
 * Battle streaming benchmark: what our battle path adds to time-to-first-token (TTFT) and to the
 * full answer, compared with calling the fake provider directly, at 1 and at 50 concurrent battles.
 *
 *   npm run bench:battle -- [--rounds N] [--chunk-delay MS]
 *
 * Setup, all in this process: the fake OpenAI-compatible server (tests/fixtures/fake-providers, real
 * HTTP on 127.0.0.1, `--chunk-delay` ms between chunks, default 2), a fresh migrated SQLite database,
 * two registered models pointing at the fake server.
 *
 * - direct: per battle, two concurrent streaming `fetch`es of /v1/chat/completions with SSE parsing,
 *   timed from the request to the first content chunk (TTFT) and to `[DONE]` (full);
 * - ours: per battle, `createBattle` (rate limit, moderation, matchmaking, persona, rows, generation
 *   through the provider adapter and the stream hub) and then the battle's SSE `Response` exactly as
 *   GET /api/battles/[id]/stream returns it, read as bytes and parsed; timed from the createBattle call
 *   to each side's first `delta` event (TTFT) and to its `side` complete event (full).
 *
 * The browser's HTTP hop to Next is not included (it is one more local socket write per event, the
 * same for every design). "Added" = percentile(ours) − percentile(direct) over all sides. Prints
 * a table, then ONE final JSON line.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

interface TBenchOptions {
  rounds: number;
  chunkDelayMs: number;
}

function parseOptions(argv: string[]): TBenchOptions {
  const options: TBenchOptions = { rounds: 4, chunkDelayMs: 2 };
  for (let index = 0; index < argv.length; index++) {
    const value = Number(argv[index + 1]);
    if (argv[index] === "--rounds") options.rounds = value;
    else if (argv[index] === "--chunk-delay") options.chunkDelayMs = value;
    else continue;
    index++;
  }
  return options;
}

const options = parseOptions(process.argv.slice(2));
const dataDir = mkdtempSync(join(tmpdir(), "bench-battle-"));
// Set before any app module reads lib/env.
Object.assign(process.env, {
  DATABASE_URL: `file:${join(dataDir, "arena.db")}`,
  RATE_LIMIT_BATTLES_PER_MINUTE: "1000000",
  NODE_ENV: "production",
  SKIP_ENV_VALIDATION: process.env.SKIP_ENV_VALIDATION ?? "",
});

const { applyMigrations } = await import("@/lib/server/db/migrations");
await applyMigrations(process.env.DATABASE_URL!);
const { db } = await import("@/lib/server/db");
if (process.env.BENCH_WAL === "1") {
  await db.$queryRawUnsafe("PRAGMA journal_mode=WAL");
  await db.$queryRawUnsafe("PRAGMA synchronous=NORMAL");
}
const { createBattle } = await import("@/lib/server/services/battles");
const { openBattleEventStream } = await import("@/lib/server/battles/event-stream");
const { startFakeProviderServer } = await import("@/tests/fixtures/fake-providers/server");
type TEvent = import("@/lib/domain/battle/stream-events").TBattleStreamEvent;

const fake = await startFakeProviderServer({ chunkDelayMs: options.chunkDelayMs });
const organization = await db.organization.create({ data: { slug: "bench", name: "Bench Org" } });
for (const slug of ["bench-a", "bench-b"]) {
  await db.arenaModel.create({
    data: {
      slug,
      displayName: slug,
      organizationId: organization.id,
      modality: "text",
      providerKind: "openai_compatible",
      endpoint: `${fake.url}/v1`,
      providerModelId: "fake-ok",
      extraParams: {},
      timeoutMs: 60_000,
      maxTokens: 512,
      maxConcurrency: 256,
    },
  });
}
const user = await db.user.create({ data: { role: "guest", isGuest: true } });
const PROMPT = "Explain how tide pools form and what lives in them";

interface TSample {
  ttftMs: number;
  fullMs: number;
}

/** SSE frames from a byte stream. */
async function* sseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let boundary: number;
    while ((boundary = buffer.indexOf("\n\n")) !== -1) {
      const frame = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      for (const line of frame.split("\n")) if (line.startsWith("data: ")) yield line.slice(6);
    }
  }
}

async function directSide(): Promise<TSample> {
  const started = performance.now();
  const response = await fetch(`${fake.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "fake-ok", stream: true, messages: [{ role: "user", content: PROMPT }] }),
  });
  let ttftMs = Number.NaN;
  for await (const data of sseData(response.body!)) {
    if (data === "[DONE]") break;
    const content = (JSON.parse(data) as { choices?: Array<{ delta?: { content?: string } }> }).choices?.[0]?.delta?.content;
    if (content && Number.isNaN(ttftMs)) ttftMs = performance.now() - started;
  }
  return { ttftMs, fullMs: performance.now() - started };
}

async function directBattle(): Promise<TSample[]> {
  return Promise.all([directSide(), directSide()]);
}

async function ourBattle(): Promise<TSample[]> {
  const started = performance.now();
  const view = await createBattle(db, user, { modality: "text", prompt: PROMPT, personalized: true }, null);
  const response = await openBattleEventStream({ db, userId: user.id, battleId: view.id, signal: new AbortController().signal });
  const firstDelta: Partial<Record<"a" | "b", number>> = {};
  const done: Partial<Record<"a" | "b", number>> = {};
  for await (const data of sseData(response.body!)) {
    const event = JSON.parse(data) as TEvent;
    const now = performance.now() - started;
    if (event.type === "snapshot") {
      for (const side of ["a", "b"] as const) if (event.sides[side].text) firstDelta[side] ??= now;
    } else if (event.type === "delta") firstDelta[event.side] ??= now;
    else if (event.type === "side") {
      if (event.snapshot.status !== "complete") throw new Error(`side ${event.side} failed: ${event.snapshot.errorMessage}`);
      done[event.side] = now;
    } else if (event.type === "end") break;
  }
  return (["a", "b"] as const).map((side) => ({ ttftMs: firstDelta[side] ?? Number.NaN, fullMs: done[side] ?? Number.NaN }));
}

async function run(kind: "direct" | "ours", concurrency: number, rounds: number): Promise<TSample[]> {
  const samples: TSample[] = [];
  const battle = kind === "direct" ? directBattle : ourBattle;
  for (let round = 0; round < rounds; round++) {
    const results = await Promise.all(Array.from({ length: concurrency }, () => battle()));
    samples.push(...results.flat());
  }
  return samples;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

const round2 = (value: number) => Math.round(value * 100) / 100;

function compare(direct: TSample[], ours: TSample[]) {
  const stat = (samples: TSample[], key: keyof TSample, p: number) => percentile(samples.map((sample) => sample[key]), p);
  return {
    samples: ours.length,
    direct: { ttftMedian: round2(stat(direct, "ttftMs", 50)), ttftP99: round2(stat(direct, "ttftMs", 99)), fullMedian: round2(stat(direct, "fullMs", 50)), fullP99: round2(stat(direct, "fullMs", 99)) },
    ours: { ttftMedian: round2(stat(ours, "ttftMs", 50)), ttftP99: round2(stat(ours, "ttftMs", 99)), fullMedian: round2(stat(ours, "fullMs", 50)), fullP99: round2(stat(ours, "fullMs", 99)) },
    addedTtftMedianMs: round2(stat(ours, "ttftMs", 50) - stat(direct, "ttftMs", 50)),
    addedTtftP99Ms: round2(stat(ours, "ttftMs", 99) - stat(direct, "ttftMs", 99)),
    addedFullMedianMs: round2(stat(ours, "fullMs", 50) - stat(direct, "fullMs", 50)),
    addedFullP99Ms: round2(stat(ours, "fullMs", 99) - stat(direct, "fullMs", 99)),
  };
}

// Warm up both paths (JIT, sockets, prepared statements).
await run("direct", 10, 2);
await run("ours", 10, 2);

const results: Record<string, ReturnType<typeof compare>> = {};
for (const [concurrency, rounds] of [
  [1, options.rounds * 10],
  [50, options.rounds],
] as const) {
  // Interleave the two paths so drift (GC, disk) hits both alike.
  const direct: TSample[] = [];
  const ours: TSample[] = [];
  for (let round = 0; round < rounds; round++) {
    direct.push(...(await run("direct", concurrency, 1)));
    ours.push(...(await run("ours", concurrency, 1)));
  }
  results[`c${concurrency}`] = compare(direct, ours);
  const r = results[`c${concurrency}`];
  console.log(
    `concurrency ${String(concurrency).padStart(2)}: ${r.samples} sides | TTFT direct ${r.direct.ttftMedian}/${r.direct.ttftP99} ms, ours ${r.ours.ttftMedian}/${r.ours.ttftP99} ms ` +
      `→ added median ${r.addedTtftMedianMs} ms, p99 ${r.addedTtftP99Ms} ms | full direct ${r.direct.fullMedian}/${r.direct.fullP99} ms, ours ${r.ours.fullMedian}/${r.ours.fullP99} ms ` +
      `→ added median ${r.addedFullMedianMs} ms, p99 ${r.addedFullP99Ms} ms`,
  );
}

await fake.close();
await db.$disconnect();
rmSync(dataDir, { recursive: true, force: true });
console.log(JSON.stringify({ benchmark: "battle-streaming", chunkDelayMs: options.chunkDelayMs, ...results }));
process.exit(0);
