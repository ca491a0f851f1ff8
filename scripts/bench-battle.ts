/**
 * Battle streaming benchmark: what our battle path adds to time-to-first-token (TTFT) and to the
 * full answer, compared with calling the fake provider directly, at 1 and at 50 concurrent battles.
 *
 *   npm run bench:battle -- [--rounds N] [--steady-seconds S] [--patterns c1,c50,c50steady] [--chunk-delay MS] [--database-url postgresql://…/db]
 *
 * Setup: the fake OpenAI-compatible server (tests/fixtures/fake-providers, real HTTP on 127.0.0.1,
 * `--chunk-delay` ms between chunks, default 20: 50 chunks a second, the pace of a fast hosted model
 * and of our demo models' 60 tokens/s; `--chunk-delay 2` is the earlier stress setting, 500 chunks a
 * second per stream) in a CHILD process, so that its CPU is not charged
 * to the measured process (a real provider runs elsewhere too); in this process a fresh migrated
 * SQLite database and two registered models pointing at the fake server.
 *
 * - direct: per battle, two concurrent streaming `fetch`es of /v1/chat/completions with SSE parsing,
 *   timed from the request to the first content chunk (TTFT) and to `[DONE]` (full);
 * - adapter: per battle, two concurrent `streamChat` calls of the registered model's provider
 *   (lib/server/providers: AI SDK adapter + concurrency limiter), to the first delta and to `done`;
 * - ours: per battle, `createBattle` (rate limit, moderation, matchmaking, persona, rows, generation
 *   through the provider adapter and the stream hub) and then the battle's SSE `Response` exactly as
 *   GET /api/battles/[id]/stream returns it, read as bytes and parsed; timed from the createBattle call
 *   to each side's first `delta` event (TTFT) and to its `side` complete event (full).
 *
 * Patterns: concurrency 1 (battles one after another); concurrency 50 as a BURST (50 battles started
 * in the same instant, round after round: a thundering herd, every first token competing with 49
 * battle creations); concurrency 50 STEADY (50 battles in flight at every moment, each of 50 loops
 * starting its next battle when its previous one ends, loops staggered: what "50 concurrent battles"
 * means for a running arena).
 *
 * The browser's HTTP hop to Next is not included (it is one more local socket write per event, the
 * same for every design). "Added" = percentile(ours) − percentile(direct) over all sides; "battle
 * path" = percentile(ours) − percentile(adapter), i.e. without the provider adapter's own cost.
 * SQLite is opened as the app opens it (WAL, synchronous=NORMAL: lib/server/db/adapter.ts sets them, the
 * one place that does); `--database-url` runs on a PostgreSQL database instead (created and dropped). Every path is warmed
 * up first, the paths are interleaved round by round, and the 1- and 15-minute load averages are
 * recorded before and after (figures on a loaded machine are not comparable). Prints a summary, then
 * ONE JSON line.
 */
import "./ensure-secrets";
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";

interface TBenchOptions {
  rounds: number;
  /** Seconds each path runs in the steady pattern (twice, interleaved). */
  steadySeconds: number;
  /** Which of c1, c50, c50steady to run (all by default). */
  patterns: string[];
  chunkDelayMs: number;
  databaseUrl: string | null;
}

function parseOptions(argv: string[]): TBenchOptions {
  const options: TBenchOptions = { rounds: 4, steadySeconds: 5, patterns: ["c1", "c50", "c50steady"], chunkDelayMs: 20, databaseUrl: null };
  for (let index = 0; index < argv.length; index++) {
    const value = argv[index + 1];
    if (argv[index] === "--rounds") options.rounds = Number(value);
    else if (argv[index] === "--chunk-delay") options.chunkDelayMs = Number(value);
    else if (argv[index] === "--steady-seconds") options.steadySeconds = Number(value);
    else if (argv[index] === "--patterns") options.patterns = value.split(",");
    else if (argv[index] === "--database-url") options.databaseUrl = value;
    else continue;
    index++;
  }
  return options;
}

const FAKE_SERVER_FLAG = "--serve-fake-provider";

/**
 * Child-process mode: runs the fake provider server and reports its URL over IPC. The provider runs
 * outside the measured process so that its CPU (SSE framing, timers) is not charged to our path, as
 * with a real remote provider.
 */
if (process.argv[2] === FAKE_SERVER_FLAG) {
  const { startFakeProviderServer } = await import("@/tests/fixtures/fake-providers/server");
  const server = await startFakeProviderServer({ chunkDelayMs: Number(process.argv[3]) });
  process.send!({ url: server.url });
  process.on("disconnect", () => void server.close().then(() => process.exit(0)));
  await new Promise(() => undefined);
}

async function startFakeProviderProcess(chunkDelayMs: number): Promise<{ url: string; close: () => void }> {
  const child = fork(process.argv[1], [FAKE_SERVER_FLAG, String(chunkDelayMs)], { execArgv: process.execArgv, stdio: "inherit" });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("message", (message) => resolve((message as { url: string }).url));
    child.once("exit", (code) => reject(new Error(`fake provider process exited with code ${code}`)));
  });
  return { url, close: () => child.disconnect() };
}

const options = parseOptions(process.argv.slice(2));
const dataDir = mkdtempSync(join(tmpdir(), "bench-battle-"));
// Set before any app module reads lib/env.
Object.assign(process.env, {
  DATABASE_URL: options.databaseUrl ?? `file:${join(dataDir, "arena.db")}`,
  RATE_LIMIT_BATTLES_PER_MINUTE: "1000000",
  NODE_ENV: "production",
  SKIP_ENV_VALIDATION: process.env.SKIP_ENV_VALIDATION ?? "",
});

const { applyMigrations, dropPostgresDatabase } = await import("@/lib/server/db/migrations");
await applyMigrations(process.env.DATABASE_URL!);
const { db } = await import("@/lib/server/db");
const { getRuntimeProvider } = await import("@/lib/server/services/models-runtime");
const { createBattle } = await import("@/lib/server/services/battles");
const { openBattleEventStream } = await import("@/lib/server/battles/event-stream");
type TEvent = import("@/lib/domain/battle/stream-events").TBattleStreamEvent;

const fake = await startFakeProviderProcess(options.chunkDelayMs);
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
const benchModel = await db.arenaModel.findUniqueOrThrow({ where: { slug: "bench-a" } });
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

async function adapterSide(): Promise<TSample> {
  const runtime = getRuntimeProvider(benchModel);
  if (runtime.modality !== "text") throw new Error("bench model is not a text model");
  const started = performance.now();
  let ttftMs = Number.NaN;
  for await (const event of runtime.provider.streamChat({ messages: [{ role: "user", content: PROMPT }], signal: new AbortController().signal })) {
    if (event.type === "delta" && Number.isNaN(ttftMs)) ttftMs = performance.now() - started;
    if (event.type === "error") throw new Error(event.error.message);
  }
  return { ttftMs, fullMs: performance.now() - started };
}

async function adapterBattle(): Promise<TSample[]> {
  return Promise.all([adapterSide(), adapterSide()]);
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

const BATTLES = { direct: directBattle, adapter: adapterBattle, ours: ourBattle };

/**
 * Steady pattern: `concurrency` battles in flight at every moment, each loop starting its next
 * battle as soon as the previous one ends (starts spread out as with real annotators), for
 * `seconds`; battles started in the first second are a warm-up and not counted.
 */
async function runSteady(kind: keyof typeof BATTLES, concurrency: number, seconds: number): Promise<TSample[]> {
  const lag = (await import("node:perf_hooks")).monitorEventLoopDelay({ resolution: 2 });
  lag.enable();
  try {
    return await runSteadyInner(kind, concurrency, seconds);
  } finally {
    lag.disable();
    if (process.env.BENCH_LAG) console.log(kind, "event loop lag mean", (lag.mean / 1e6).toFixed(1), "p99", (lag.percentile(99) / 1e6).toFixed(1), "max", (lag.max / 1e6).toFixed(1));
  }
}

async function runSteadyInner(kind: keyof typeof BATTLES, concurrency: number, seconds: number): Promise<TSample[]> {
  const samples: TSample[] = [];
  const started = performance.now();
  const countFrom = started + 1000;
  const end = started + seconds * 1000;
  // Loops start staggered over one battle's length, so that they do not run in lockstep.
  const stagger = (loop: number) => new Promise((resolve) => setTimeout(resolve, (loop * 30 * options.chunkDelayMs) / concurrency));
  await Promise.all(
    Array.from({ length: concurrency }, async (_, loop) => {
      await stagger(loop);
      while (performance.now() < end) {
        const at = performance.now();
        const results = await BATTLES[kind]();
        if (at >= countFrom) samples.push(...results);
      }
    }),
  );
  return samples;
}

async function run(kind: keyof typeof BATTLES, concurrency: number, rounds: number): Promise<TSample[]> {
  const samples: TSample[] = [];
  const battle = BATTLES[kind];
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

function compare(direct: TSample[], adapter: TSample[], ours: TSample[]) {
  const stat = (samples: TSample[], key: keyof TSample, p: number) => percentile(samples.map((sample) => sample[key]), p);
  const summary = (samples: TSample[]) => ({
    ttftMedian: round2(stat(samples, "ttftMs", 50)),
    ttftP99: round2(stat(samples, "ttftMs", 99)),
    fullMedian: round2(stat(samples, "fullMs", 50)),
    fullP99: round2(stat(samples, "fullMs", 99)),
  });
  return {
    samples: ours.length,
    direct: summary(direct),
    adapter: summary(adapter),
    ours: summary(ours),
    battlePathTtftMedianMs: round2(stat(ours, "ttftMs", 50) - stat(adapter, "ttftMs", 50)),
    battlePathTtftP99Ms: round2(stat(ours, "ttftMs", 99) - stat(adapter, "ttftMs", 99)),
    battlePathFullMedianMs: round2(stat(ours, "fullMs", 50) - stat(adapter, "fullMs", 50)),
    battlePathFullP99Ms: round2(stat(ours, "fullMs", 99) - stat(adapter, "fullMs", 99)),
    addedTtftMedianMs: round2(stat(ours, "ttftMs", 50) - stat(direct, "ttftMs", 50)),
    addedTtftP99Ms: round2(stat(ours, "ttftMs", 99) - stat(direct, "ttftMs", 99)),
    addedFullMedianMs: round2(stat(ours, "fullMs", 50) - stat(direct, "fullMs", 50)),
    addedFullP99Ms: round2(stat(ours, "fullMs", 99) - stat(direct, "fullMs", 99)),
  };
}

const loadBefore = loadavg();
// Warm up every path (JIT, sockets, prepared statements).
for (const kind of ["direct", "adapter", "ours"] as const) await run(kind, 10, 2);

const results: Record<string, ReturnType<typeof compare>> = {};
type TPattern = { key: string; label: string; collect: (kind: keyof typeof BATTLES) => Promise<TSample[]>; repeats: number };
const patterns: TPattern[] = [
  { key: "c1", label: "concurrency 1", collect: (kind) => run(kind, 1, 1), repeats: options.rounds * 10 },
  { key: "c50", label: "concurrency 50, burst (50 battles started at once)", collect: (kind) => run(kind, 50, 1), repeats: options.rounds },
  { key: "c50steady", label: "concurrency 50, steady (50 battles in flight)", collect: (kind) => runSteady(kind, 50, options.steadySeconds), repeats: 2 },
];
for (const { key, label, collect, repeats } of patterns.filter((pattern) => options.patterns.includes(pattern.key))) {
  // Interleave the paths so drift (GC, disk, other processes) hits them alike.
  const samples = { direct: [] as TSample[], adapter: [] as TSample[], ours: [] as TSample[] };
  for (let round = 0; round < repeats; round++) {
    for (const kind of ["direct", "adapter", "ours"] as const) samples[kind].push(...(await collect(kind)));
  }
  const r = compare(samples.direct, samples.adapter, samples.ours);
  results[key] = r;
  const show = (label: string, s: { ttftMedian: number; ttftP99: number; fullMedian: number; fullP99: number }) =>
    `${label} TTFT ${s.ttftMedian}/${s.ttftP99} full ${s.fullMedian}/${s.fullP99}`;
  console.log(`${label} (${r.samples} sides; median/p99 ms): ${show("direct", r.direct)} | ${show("adapter", r.adapter)} | ${show("ours", r.ours)}`);
  console.log(
    `  added vs direct: TTFT median ${r.addedTtftMedianMs}, p99 ${r.addedTtftP99Ms}; full median ${r.addedFullMedianMs}, p99 ${r.addedFullP99Ms}` +
      ` | battle path alone (vs adapter): TTFT median ${r.battlePathTtftMedianMs}, p99 ${r.battlePathTtftP99Ms}; full median ${r.battlePathFullMedianMs}, p99 ${r.battlePathFullP99Ms}`,
  );
}

fake.close();
await db.$disconnect();
if (options.databaseUrl) await dropPostgresDatabase(options.databaseUrl);
rmSync(dataDir, { recursive: true, force: true });
const database = options.databaseUrl ? "postgresql" : "sqlite";
const load = (values: number[]) => ({ "1m": round2(values[0]), "15m": round2(values[2]) });
const loadAverage = { before: load(loadBefore), after: load(loadavg()) };
console.log(`load average (1m/15m): before ${loadAverage.before["1m"]}/${loadAverage.before["15m"]}, after ${loadAverage.after["1m"]}/${loadAverage.after["15m"]}`);
// The target (median ≤ 5 ms, p99 ≤ 25 ms added to the first token at 50 concurrent battles) is
// judged on the steady pattern: 50 battles in flight. The burst starts 50 battles in one millisecond,
// a stress case in which even the direct calls wait tens of milliseconds for their first token.
const steady = results.c50steady;
const target = steady
  ? { pattern: "c50steady", addedTtftMedianMs: steady.addedTtftMedianMs, addedTtftP99Ms: steady.addedTtftP99Ms, met: steady.addedTtftMedianMs <= 5 && steady.addedTtftP99Ms <= 25 }
  : null;
if (target) {
  console.log(`target, 50 battles in flight: added TTFT median ${target.addedTtftMedianMs} ms (≤ 5), p99 ${target.addedTtftP99Ms} ms (≤ 25): ${target.met ? "met" : "NOT met"}`);
}
console.log(JSON.stringify({ benchmark: "battle-streaming", database, chunkDelayMs: options.chunkDelayMs, loadAverage, ...results, target }));
process.exit(0);
