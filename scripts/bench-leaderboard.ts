/**
 * Benchmark of the in-app leaderboard recomputation (`computeAndStoreLeaderboards`) on a scratch
 * SQLite database holding synthetic votes with planted model strengths.
 *
 *   npm run bench:leaderboard -- [--database sqlite|postgres] [--votes 1000000] [--seed S] [--db FILE|NAME] [--keep]
 *                               [--postgres-url postgresql://postgres@127.0.0.1:5432/]
 *
 * Setup (not timed): migrates a fresh database (SQLite: a file, --db to keep one; PostgreSQL: a
 * database on --postgres-url, named --db to keep one), inserts 40 models over three modalities, 2,000
 * annotators with personas (1% of them excluded), and the votes in time order with their battles (text battles
 * also get one turn and two responses with style features), by typed multi-row Kysely INSERTs in transactions;
 * PostgreSQL is then vacuumed and analyzed (statistics and the visibility map), as autovacuum keeps it in production.
 * Timed (wall and CPU seconds, with the load average, since the machine may be shared): a full
 * recomputation in a fresh process state with no snapshot and no checkpoint (every counted vote
 * read, every variant of every modality, online Elo from the first vote), the first recomputation
 * of a NEW Node process afterwards (a child process: vote-log checkpoint restored, aggregates
 * replayed from it), an incremental one after 1,000 more votes,
 * and one after an annotator exclusion (aggregates replayed from the in-memory vote log; the
 * exclusion is undone afterwards), and again a new process after 1,000 more votes (2,000 votes on
 * top of the checkpoint; text refitted, style refitted). The votes a run adds are removed at the
 * start of the next run on a kept database. Each run reports `longestEventLoopStallMs`, the longest
 * event-loop delay during it (perf_hooks monitorEventLoopDelay, 5 ms resolution): what a request
 * served by the same process may wait. Runs under the server's Node flags (scripts/serve-command.js), as
 * the app's recomputations do. Prints ONE JSON line.
 */
import "./ensure-secrets";
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { join } from "node:path";
import { SERVE_NODE_FLAGS } from "./serve-command.js";
import { sql, type Insertable } from "kysely";
import { PROMPT_CATEGORIES } from "@/lib/domain/categories";
import { AGE_BAND_OPTIONS } from "@/lib/domain/persona/schema";
import { createRandom, randomInt, type Random } from "@/lib/domain/random";
import { RATING_POINTS_PER_STRENGTH } from "@/lib/domain/rating/types";
import { applyMigrations, dropPostgresDatabase, withDatabase } from "@/lib/server/db/migrations";
import type { Db } from "@/lib/server/db";
import { computeLeaderboard } from "@/lib/domain/rating";
import type { TRecomputeResult } from "@/lib/server/leaderboards/recompute";
import { createPostgresDb, sqliteDate, type PostgresTables } from "@/lib/server/store/kysely";
import { sqliteQueries } from "@/lib/server/store/sqlite-compiled";
import { runWrite } from "@/lib/server/store/sqlite-run";

const MODELS_PER_MODALITY = { text: 20, image: 10, audio: 10 } as const;
const MODALITY_SHARE = { text: 0.6, image: 0.2, audio: 0.2 } as const;
const ANNOTATORS = 2_000;
const EXCLUDED_SHARE = 0.01;
const ROWS_PER_INSERT = 2_000;
const DAY_MS = 86_400_000;
const SPAN_DAYS = 90;
const COUNTRIES = ["DE", "FR", "US", "BR", "IN", "JP", "NG", "AU", "GB", "MX"];
const AGE_BANDS = AGE_BAND_OPTIONS.map((option) => option.value);
const EXPERTISE = ["software", "science", "medicine", "arts", "business", "student"];

type Modality = keyof typeof MODELS_PER_MODALITY;

interface BenchOptions {
  database: "sqlite" | "postgres";
  postgresUrl: string;
  votes: number;
  seed: number;
  /** SQLite: the file; PostgreSQL: the database name. */
  dbFile: string | null;
  keep: boolean;
  /** Child mode: one recomputation at this time (ms) on --db, printed as the run's JSON. */
  restartAt: number | null;
}

function parseArguments(args: string[]): BenchOptions {
  const options: BenchOptions = { database: "sqlite", postgresUrl: "postgresql://postgres@127.0.0.1:5432/", votes: 1_000_000, seed: 1, dbFile: null, keep: false, restartAt: null };
  for (let k = 0; k < args.length; k++) {
    const value = args[k + 1];
    if (args[k] === "--votes" || args[k] === "--seed") {
      if (value === undefined || !/^\d+$/.test(value)) throw new Error(`${args[k]} needs a non-negative integer`);
      options[args[k] === "--votes" ? "votes" : "seed"] = Number(value);
      k++;
    } else if (args[k] === "--database") {
      if (value !== "sqlite" && value !== "postgres") throw new Error("--database is sqlite or postgres");
      options.database = value;
      k++;
    } else if (args[k] === "--postgres-url") {
      if (!value) throw new Error("--postgres-url needs a URL");
      options.postgresUrl = value;
      k++;
    } else if (args[k] === "--db") {
      if (!value) throw new Error("--db needs a file path");
      options.dbFile = value;
      k++;
    } else if (args[k] === "--restart-at") {
      if (value === undefined || !/^\d+$/.test(value)) throw new Error("--restart-at needs a time in ms");
      options.restartAt = Number(value);
      k++;
    } else if (args[k] === "--keep") options.keep = true;
    else throw new Error(`unknown argument ${args[k]}`);
  }
  return options;
}

type TTable = keyof PostgresTables;
/** Rows in PostgreSQL's storage types (Date, boolean, JSON values); the SQLite seeder converts them as Prisma's adapter stores them. */
type TRow<T extends TTable> = Insertable<PostgresTables[T]>;

/** Inserts rows typed against the generated schema, in multi-row statements. */
interface Seeder {
  /** Rows produced by `row(k)` for k in [0, count), in one transaction. */
  insert<T extends TTable>(table: T, count: number, row: (k: number) => TRow<T>): Promise<void>;
  /**
   * Vacuums and analyzes (PostgreSQL), as autovacuum does on a server that holds a million votes: our
   * test server runs without autovacuum, and a database seeded in one go then had no statistics (the
   * planner chose nested loops over a million rows: a grouped scan took 70 s) and no visibility map
   * (no index-only scan could skip the table).
   */
  analyze(): Promise<void>;
  close(): Promise<void>;
}

/** A value as Prisma's SQLite adapter stores it: dates as ISO text with "+00:00", booleans 0/1, JSON as text. */
function sqliteStored(value: unknown): unknown {
  if (value instanceof Date) return sqliteDate(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return value;
}

async function sqliteSeeder(file: string): Promise<Seeder> {
  const { default: Database } = await import("libsql");
  const connection = new Database(file);
  connection.exec("PRAGMA synchronous = OFF");
  return {
    async insert(table, count, row) {
      connection.exec("BEGIN");
      for (let start = 0; start < count; start += ROWS_PER_INSERT) {
        const rows = [];
        for (let k = start; k < Math.min(count, start + ROWS_PER_INSERT); k++) rows.push(Object.fromEntries(Object.entries(row(k)).map(([column, value]) => [column, sqliteStored(value)])));
        // The rows were typed against the schema by `row`; only their storage types changed.
        runWrite(connection, sqliteQueries.insertInto(table).values(rows as never).compile());
      }
      connection.exec("COMMIT");
    },
    analyze: async () => undefined,
    close: async () => {
      connection.close();
    },
  };
}

function postgresSeeder(url: string): Seeder {
  const kysely = createPostgresDb(url, { maxConnections: 1 });
  return {
    async insert(table, count, row) {
      await kysely.transaction().execute(async (tx) => {
        for (let start = 0; start < count; start += ROWS_PER_INSERT) {
          const rows = [];
          // JSON columns go in as text (pg would send arrays as PostgreSQL arrays).
          for (let k = start; k < Math.min(count, start + ROWS_PER_INSERT); k++) rows.push(Object.fromEntries(Object.entries(row(k)).map(([column, value]) => [column, value !== null && typeof value === "object" && !(value instanceof Date) ? JSON.stringify(value) : value])));
          await tx.insertInto(table).values(rows as never).execute();
        }
      });
    },
    analyze: async () => {
      await sql`vacuum analyze`.execute(kysely);
    },
    close: () => kysely.destroy(),
  };
}

/**
 * Text battles are tagged with a prompt category when they are voted on, as the app tags them, so the
 * recomputation's categorizePendingBattles finds nothing to do (600,000 untagged battles would be
 * classified one by one inside the first timed run).
 */
const categorized = (modality: Modality, k: number) => (modality === "text" ? { categories: PROMPT_CATEGORIES[k % PROMPT_CATEGORIES.length], categorizedBy: "rules" } : {});

function pickOutcome(random: Random, ratingA: number, ratingB: number): TRow<"Vote">["outcome"] {
  const roll = random();
  if (roll < 0.05) return "both_bad";
  if (roll < 0.15) return "tie";
  const winA = 1 / (1 + Math.exp((ratingB - ratingA) / RATING_POINTS_PER_STRENGTH));
  return random() < winA ? "model_a" : "model_b";
}

async function seedBenchDatabase(seeder: Seeder, options: BenchOptions, start: number) {
  const random = createRandom(options.seed);
  const at = new Date(start);
  await seeder.insert("Organization", 4, (k) => ({ id: `org${k}`, slug: `org-${k}`, name: `Org ${k}` }));
  const models: Record<Modality, { id: string; rating: number }[]> = { text: [], image: [], audio: [] };
  const modelRows: TRow<"ArenaModel">[] = [];
  for (const modality of Object.keys(MODELS_PER_MODALITY) as Modality[]) {
    for (let m = 0; m < MODELS_PER_MODALITY[modality]; m++) {
      const id = `${modality}-model-${m}`;
      models[modality].push({ id, rating: 1000 + 300 - (600 * m) / (MODELS_PER_MODALITY[modality] - 1) });
      modelRows.push({ id, slug: id, displayName: id, organizationId: `org${m % 4}`, modality, providerKind: "demo", providerModelId: "demo", extraParams: {}, updatedAt: at });
    }
  }
  await seeder.insert("ArenaModel", modelRows.length, (k) => modelRows[k]);
  await seeder.insert("User", ANNOTATORS, (u): TRow<"User"> => ({ id: `u${u}`, email: `u${u}@bench.test`, role: "annotator", votesExcludedAt: u < ANNOTATORS * EXCLUDED_SHARE ? at : null, updatedAt: at }));
  await seeder.insert("PersonaVersion", ANNOTATORS, (u) => ({
    id: `p${u}`,
    userId: `u${u}`,
    version: 1,
    createdAt: new Date(start - (SPAN_DAYS + 1) * DAY_MS),
    data: {
      country: COUNTRIES[u % COUNTRIES.length],
      ageBand: AGE_BANDS[(u >> 2) % AGE_BANDS.length],
      expertise: EXPERTISE[(u >> 3) % EXPERTISE.length],
      preferences: { creativity: (u * 37) % 101, factuality: (u * 53) % 101 },
    },
  }));

  // Votes arrive in time order (as in the app, so table order follows createdAt), modalities mixed
  // at random in the planned shares.
  const battles = Array.from({ length: options.votes }, (_, k) => {
    const roll = random();
    const modality: Modality = roll < MODALITY_SHARE.text ? "text" : roll < MODALITY_SHARE.text + MODALITY_SHARE.image ? "image" : "audio";
    const pool = models[modality];
    const a = randomInt(random, pool.length);
    const b = (a + 1 + randomInt(random, pool.length - 1)) % pool.length;
    const user = randomInt(random, ANNOTATORS);
    const createdAt = start - SPAN_DAYS * DAY_MS + Math.floor((k * SPAN_DAYS * DAY_MS) / options.votes);
    return { modality, a: pool[a], b: pool[b], user, createdAt, outcome: pickOutcome(random, pool[a].rating, pool[b].rating) };
  });

  await seeder.insert("Battle", battles.length, (k): TRow<"Battle"> => {
    const battle = battles[k];
    return { id: `b${k}`, publicId: `pb${k}`, userId: `u${battle.user}`, modality: battle.modality, personaVersionId: `p${battle.user}`, modelAId: battle.a.id, modelBId: battle.b.id, status: "voted", createdAt: new Date(battle.createdAt), ...categorized(battle.modality, k) };
  });
  await seeder.insert("Vote", battles.length, (k): TRow<"Vote"> => {
    const battle = battles[k];
    return { id: `v${k}`, battleId: `b${k}`, userId: `u${battle.user}`, modality: battle.modality, modelAId: battle.a.id, modelBId: battle.b.id, outcome: battle.outcome, countsForRating: k % 50 !== 0, createdAt: new Date(battle.createdAt), categories: categorized(battle.modality, k).categories };
  });
  const textBattles = battles.map((battle, k) => ({ battle, k })).filter(({ battle }) => battle.modality === "text");
  await seeder.insert("Turn", textBattles.length, (t) => ({ id: `t${textBattles[t].k}`, battleId: `b${textBattles[t].k}`, index: 0, prompt: "prompt" }));
  await seeder.insert("Response", textBattles.length * 2, (r): TRow<"Response"> => {
    const { battle, k } = textBattles[r >> 1];
    const side = r % 2 === 0 ? ("a" as const) : ("b" as const);
    const styleFeatures = { tokens: 100 + ((k * 7 + r) % 400), headers: (k + r) % 4, lists: (k * 3 + r) % 6, bold: (k + 2 * r) % 5 };
    return { id: `r${r}`, turnId: `t${k}`, side, modelId: side === "a" ? battle.a.id : battle.b.id, status: "complete", text: "answer", styleFeatures };
  });
  return { battles, models };
}

const round3 = (value: number) => Number(value.toFixed(3));

/** computeAndStoreLeaderboards, loaded by openAppDatabase (outside the timed runs). */
let recompute: typeof import("@/lib/server/leaderboards/recompute").computeAndStoreLeaderboards;

/** One recomputation with its wall and CPU seconds, phases and the 1-minute load average before it. */
async function timedRecompute(db: Db, now: Date) {
  const load = loadavg()[0];
  // The recomputation shares the app's event loop: its longest stall is what a request may wait.
  const stalls = monitorEventLoopDelay({ resolution: 5 });
  stalls.enable();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result: TRecomputeResult = await recompute(db, { now });
  const cpu = process.cpuUsage(cpuBefore);
  stalls.disable();
  return {
    seconds: round3((performance.now() - started) / 1000),
    cpuSeconds: round3((cpu.user + cpu.system) / 1e6),
    loadAverage: Number(load.toFixed(2)),
    longestEventLoopStallMs: Math.round(stalls.max / 1e6),
    refresh: result.refresh,
    eloMode: result.eloMode,
    snapshots: result.snapshots,
    unchangedModalities: result.unchangedModalities,
    phases: Object.fromEntries(Object.entries(result.phases).map(([phase, seconds]) => [phase, round3(seconds)])),
  };
}

/**
 * Milliseconds of a fixed single-threaded workload (a 20-model Bradley–Terry fit with 300 bootstrap
 * rounds on fixed cells; best of three): the machine is a shared VM whose speed drifts by a factor
 * of 1.5 over an hour, so figures taken at different times are compared through this index.
 */
function machineSpeedIndex(): number {
  const random = createRandom(7);
  const models = Array.from({ length: 20 }, (_, k) => `m${k}`);
  const counts = new Float64Array(20 * 20 * 3);
  for (let k = 0; k < 200_000; k++) {
    const a = randomInt(random, 20);
    const b = (a + 1 + randomInt(random, 19)) % 20;
    counts[(a * 20 + b) * 3 + randomInt(random, 3)] += 1;
  }
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    computeLeaderboard({ models, counts, total: 200_000 }, { bootstrapRounds: 300, seed: 1 });
    best = Math.min(best, performance.now() - started);
  }
  return Math.round(best);
}

type TTimedRun = Awaited<ReturnType<typeof timedRecompute>>;

/** The first recomputation of a new Node process on the bench's database (the app after a restart), run as a child process. */
function restartedProcessRecompute(options: BenchOptions, database: string, at: number): TTimedRun {
  const args = ["--database", options.database, "--postgres-url", options.postgresUrl, "--db", database, "--restart-at", String(at)];
  const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1], ...args], { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`restarted recomputation failed: ${child.stderr}`);
  const last = child.stdout.trim().split("\n").at(-1)!;
  return JSON.parse(last) as TTimedRun;
}

/**
 * The app's database client on `url`, and a close: the environment names the database before the
 * app's modules load, so they choose their store (lib/server/store) as the app does.
 */
async function openAppDatabase(url: string): Promise<{ db: Db; close(): Promise<void> }> {
  process.env.DATABASE_URL = url;
  const { db, warmDatabaseClient } = await import("@/lib/server/db");
  // As the app's start does (instrumentation.ts), before any recomputation: a process's first Prisma query
  // loads the query compiler and held the event loop 150–650 ms of a restarted process's timed run, a stall
  // no server has while its jobs run.
  await warmDatabaseClient(db);
  // And its fitting threads and the store's compiled thread modules, as the app's start does too.
  await (await import("@/lib/server/leaderboards/board-fitter")).startLeaderboardThreads(db);
  const { isPostgres } = await import("@/lib/env");
  const { closeAppPostgres } = await import("@/lib/server/store/app-postgres");
  ({ computeAndStoreLeaderboards: recompute } = await import("@/lib/server/leaderboards/recompute"));
  return {
    db,
    close: async () => {
      await db.$disconnect();
      if (isPostgres) await closeAppPostgres();
    },
  };
}

async function main() {
  // The app recomputes in its server's process, which runs with the server's Node flags (a larger young
  // generation): so does the bench, and the restarted processes it spawns inherit them.
  if (!SERVE_NODE_FLAGS.every((flag) => process.execArgv.includes(flag))) {
    const child = spawnSync(process.execPath, [...SERVE_NODE_FLAGS, ...process.execArgv, process.argv[1], ...process.argv.slice(2)], { stdio: "inherit" });
    process.exitCode = child.status ?? 1;
    return;
  }
  const options = parseArguments(process.argv.slice(2));
  const postgres = options.database === "postgres";
  const folder = options.dbFile || postgres ? null : mkdtempSync(join(tmpdir(), "bench-leaderboard-"));
  const database = options.dbFile ?? (postgres ? `arena_bench_leaderboard_${randomBytes(4).toString("hex")}` : join(folder!, "arena.db"));
  const url = postgres ? withDatabase(options.postgresUrl, database) : `file:${database}`;
  if (options.restartAt !== null) {
    const app = await openAppDatabase(url);
    try {
      // The app's client has served queries before its first recomputation: load Prisma's query
      // compiler (WebAssembly, ~0.15 s on first use) before timing, as a started app has.
      await app.db.user.findFirst({ select: { id: true } });
      console.log(JSON.stringify(await timedRecompute(app.db, new Date(options.restartAt))));
    } finally {
      await app.close();
    }
    return;
  }
  await applyMigrations(url);
  const app = await openAppDatabase(url);
  const { db } = app;
  const seeder = postgres ? postgresSeeder(url) : await sqliteSeeder(database);
  try {
    const now = Date.now();
    const existing = await db.vote.count();
    const setupStart = performance.now();
    if (existing === 0) await seedBenchDatabase(seeder, options, now);
    const setupSeconds = (performance.now() - setupStart) / 1000;
    // A kept database would otherwise grow by the unstyled text votes of every earlier run, until
    // they are all the style fit sees.
    await db.vote.deleteMany({ where: { OR: [{ id: { startsWith: "vn" } }, { id: { startsWith: "vm" } }] } });
    await db.battle.deleteMany({ where: { OR: [{ id: { startsWith: "bn" } }, { id: { startsWith: "bm" } }] } });
    // Databases seeded before the battles were tagged at seeding: tag them now, outside the timed runs.
    await db.battle.updateMany({ where: { modality: "text", categories: null }, data: { categories: "", categorizedBy: "rules" } });
    await db.leaderboardSnapshot.deleteMany({});
    await db.leaderboardState.deleteMany({});
    await seeder.analyze();
    const storedVotes = await db.vote.count();

    const speedIndexBefore = machineSpeedIndex();
    const full = await timedRecompute(db, new Date(now));
    const restart = restartedProcessRecompute(options, database, now + 500);

    const textModels = await db.arenaModel.findMany({ where: { modality: "text" }, select: { id: true }, orderBy: { id: "asc" } });
    /** 1,000 new text votes, 1 ms apart from `from` on, ids tagged with `batch`. */
    const addTextVotes = async (batch: string, from: number) => {
      const id = (k: number) => `${batch}${now}-${k}`;
      const [a, b] = [(k: number) => textModels[k % 5].id, (k: number) => textModels[5 + (k % 5)].id];
      const user = ANNOTATORS - 1;
      await seeder.insert("Battle", 1000, (k): TRow<"Battle"> => ({ id: `b${id(k)}`, publicId: `pb${id(k)}`, userId: `u${user}`, modality: "text", personaVersionId: `p${user}`, modelAId: a(k), modelBId: b(k), status: "voted", createdAt: new Date(from + k), ...categorized("text", k) }));
      await seeder.insert("Vote", 1000, (k): TRow<"Vote"> => ({ id: `v${id(k)}`, battleId: `b${id(k)}`, userId: `u${user}`, modality: "text", modelAId: a(k), modelBId: b(k), outcome: "model_a", createdAt: new Date(from + k) }));
    };
    await addTextVotes("n", now + 1000);
    const incremental = await timedRecompute(db, new Date(now + 5000));

    const excludedUser = `u${ANNOTATORS - 2}`;
    await db.user.update({ where: { id: excludedUser }, data: { votesExcludedAt: new Date(now) } });
    const exclusion = await timedRecompute(db, new Date(now + 6000));
    await db.user.update({ where: { id: excludedUser }, data: { votesExcludedAt: null } });

    // A restart after votes the checkpoint does not hold yet (both batches; the style fit was
    // recorded under the exclusion, so it is refitted too): the worst case of a new process short
    // of a full read.
    await addTextVotes("m", now + 7000);
    const restartAfterNewVotes = restartedProcessRecompute(options, database, now + 9000);

    const text = await db.leaderboardSnapshot.findUnique({ where: { modality_variant: { modality: "text", variant: "overall" } } });
    const topModel = (text?.data as { rows?: { modelId: string }[] } | undefined)?.rows?.[0]?.modelId ?? null;
    const runs = { full, restart, restartAfterNewVotes, incremental, exclusion };
    console.log(
      JSON.stringify({
        bench: "leaderboard-recompute",
        database: options.database,
        storedVotes,
        setupSeconds: Number(setupSeconds.toFixed(1)),
        fullRecomputeSeconds: full.seconds,
        longestEventLoopStallMs: Math.max(...Object.values(runs).map((run) => run.longestEventLoopStallMs)),
        ...Object.fromEntries(Object.entries(runs).flatMap(([name, run]) => [[`${name}RecomputeSeconds`, run.seconds], [name, run]])),
        topTextModel: topModel,
        peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
        machineSpeedIndexMs: { before: speedIndexBefore, after: machineSpeedIndex() },
        target: "full recompute <= 2 s; longest event-loop stall <= 50 ms",
      }),
    );
  } finally {
    await seeder.close();
    await app.close();
    if (folder && !options.keep) rmSync(folder, { recursive: true, force: true });
    if (postgres && !options.keep && !options.dbFile) await dropPostgresDatabase(url);
  }
}

await main();
