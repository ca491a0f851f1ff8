/**
 * `npm run bench:release [-- --battles 1000000]`: publishing a release of 1,000,000 battles must take
 * ≤ 60 s and ≤ 400 MB peak RSS. Three processes, so each figure is the publish's own:
 *  1. this orchestrator;
 *  2. `--seed <url>`: creates a scratch SQLite database and bulk-inserts the data with libsql prepared
 *     statements in 20,000-battle transactions (5,000 annotators with consent and personas; per battle one turn: a 60–400 character
 *     prompt and two answers of 300–1,500 characters, about 2 KB of text; 20 % with feedback), each battle already tagged
 *     (categories, language) as the vote path tags it, so the publish does not categorize 50k battles first;
 *  3. `--publish <url>`: publishes the window through the real service (publishRelease), under
 *     /usr/bin/time -v when available, with the heap flags of `npm run release:publish`
 *     (PUBLISH_HEAP_FLAGS), and reports wall time, process.resourceUsage().maxRSS and the CPU seconds of
 *     each busy thread (the main thread and the release file worker; max of them ≈ wall on an idle machine).
 * Ends by printing one JSON line with the figures, including the publish's CPU seconds (user + system) and
 * the load average when it started (on a shared machine wall time alone says little), and one SHA-256 over
 * the files' checksums (filesSha256), so two builds can be shown to publish byte-identical releases.
 */
import "./ensure-secrets";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Insertable } from "kysely";
import type { SqliteTables } from "@/lib/server/store/kysely";
import { AGE_BAND_OPTIONS } from "@/lib/domain/persona/schema";
import { VOTE_OUTCOMES } from "@/lib/domain/vocabulary";

const WINDOW = "2026-10";
/**
 * V8 heap flags of the publishing process, as `npm run release:publish` should pass them: capping the old
 * generation keeps peak RSS near 350 MB at a million battles (~500 MB without) for ~6 s more GC CPU.
 */
const PUBLISH_HEAP_FLAGS = ["--max-old-space-size=160"];
const WINDOW_START = Date.UTC(2026, 9, 1);
const WINDOW_MS = 30 * 86_400_000;
const { values } = parseArgs({ options: { battles: { type: "string", default: "1000000" }, seed: { type: "string" }, publish: { type: "string" }, dir: { type: "string" } } });
const battles = Number(values.battles);

const WORDS = (
  "the of and to in is that for it as with was on be by this are or from at an not have which you one all can more " +
  "model answer data because example function value result people time water music light city river system first " +
  "however therefore although recipe training garden history language energy simple important consider different"
).split(" ");

function makeRandom(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

function text(random: () => number, minChars: number, maxChars: number): string {
  const target = minChars + Math.floor(random() * (maxChars - minChars));
  let result = "";
  let sentence = 0;
  while (result.length < target) {
    const word = WORDS[Math.floor(random() * WORDS.length)]!;
    result += sentence === 0 ? word[0]!.toUpperCase() + word.slice(1) : word;
    sentence++;
    if (sentence > 8 && random() < 0.15) {
      result += random() < 0.1 ? ` ${Math.floor(random() * 2000)}.\n` : ". ";
      sentence = 0;
    } else result += random() < 0.05 ? ", " : " ";
  }
  return result;
}

const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");

async function seed(url: string): Promise<void> {
  const { applyMigrations } = await import("@/lib/server/db/migrations");
  await applyMigrations(url);
  const { sqliteQueries: q } = await import("@/lib/server/store/sqlite-compiled");
  const { runWrite } = await import("@/lib/server/store/sqlite-run");
  // libsql's synchronous prepared statements in big transactions (the async client costs ~0.4 ms per
  // battle, which would make seeding a million battles take longer than the publish); the statements
  // are multi-row inserts built by Kysely against the schema, in the storage types of Prisma's adapter.
  const { default: Database } = await import("libsql");
  const connection = new Database(url.slice("file:".length));
  connection.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA cache_size = -200000");
  const random = makeRandom(42);
  const now = iso(Date.UTC(2026, 8, 1));
  const users = 5000;
  const ages = AGE_BAND_OPTIONS.map((option) => option.value);
  const countries = ["FR", "DE", "US", "GB", "IN", "BR", "JP", "NG", "ES", "IT"];
  const userIds = Array.from({ length: users }, (_, u) => u);
  connection.exec("BEGIN");
  runWrite(connection, q.insertInto("Organization").values({ id: "org", slug: "org", name: "Org", createdAt: now }).compile());
  runWrite(
    connection,
    q
      .insertInto("ArenaModel")
      .values(Array.from({ length: 8 }, (_, m) => ({ id: `m${m}`, slug: `model-${m}`, displayName: `Model ${m}`, organizationId: "org", modality: "text" as const, providerKind: "demo", providerModelId: "demo", extraParams: "{}", createdAt: now, updatedAt: now })))
      .compile(),
  );
  for (let start = 0; start < users; start += 1000) {
    const chunk = userIds.slice(start, start + 1000);
    runWrite(connection, q.insertInto("User").values(chunk.map((u) => ({ id: `u${u}`, email: `user${u}@example.com`, role: "annotator" as const, isGuest: 0, createdAt: now, updatedAt: now }))).compile());
    const persona = (u: number) => JSON.stringify({ ageBand: ages[u % ages.length], gender: u % 2 ? "woman" : "man", country: countries[u % countries.length], education: "bachelor", aiUsageFrequency: "daily", preferences: { factuality: u % 100 } });
    runWrite(connection, q.insertInto("PersonaVersion").values(chunk.map((u) => ({ id: `p${u}`, userId: `u${u}`, version: 1, data: persona(u), createdAt: now }))).compile());
    runWrite(connection, q.insertInto("ConsentRecord").values(chunk.map((u) => ({ id: `c${u}`, userId: `u${u}`, termsVersion: "2026-09", license: "CC-BY-4.0", acceptedAt: now, releaseOptOut: 0 }))).compile());
  }
  connection.exec("COMMIT");
  const chunk = 20_000;
  /** Rows per INSERT: under SQLite's 32,766 parameters for the widest row (11 columns). */
  const rowsPerInsert = 1000;
  for (let start = 0; start < battles; start += chunk) {
    connection.exec("BEGIN");
    for (let from = start; from < Math.min(battles, start + chunk); from += rowsPerInsert) {
      const rows: { battles: Insertable<SqliteTables["Battle"]>[]; turns: Insertable<SqliteTables["Turn"]>[]; responses: Insertable<SqliteTables["Response"]>[]; votes: Insertable<SqliteTables["Vote"]>[] } = {
        battles: [],
        turns: [],
        responses: [],
        votes: [],
      };
      for (let index = from; index < Math.min(battles, start + chunk, from + rowsPerInsert); index++) {
        const id = index.toString(36).padStart(8, "0");
        const user = `u${index % users}`;
        const a = index % 8;
        const b = (a + 1 + (index % 7)) % 8;
        const at = iso(WINDOW_START + Math.floor((index / battles) * WINDOW_MS));
        rows.battles.push({ id: `b${id}`, publicId: `pub${id}x${Math.floor(random() * 1e9)}`, userId: user, modality: "text", personaVersionId: `p${index % users}`, personalized: 1, modelAId: `m${a}`, modelBId: `m${b}`, status: "voted", isGold: 0, categories: "", language: "en", categorizedBy: "rules-v1", createdAt: at });
        rows.turns.push({ id: `t${id}`, battleId: `b${id}`, index: 0, prompt: text(random, 60, 400), createdAt: at });
        rows.responses.push({ id: `ra${id}`, turnId: `t${id}`, side: "a", modelId: `m${a}`, status: "complete", text: text(random, 300, 1500), attempt: 1, startedAt: at });
        rows.responses.push({ id: `rb${id}`, turnId: `t${id}`, side: "b", modelId: `m${b}`, status: "complete", text: text(random, 300, 1500), attempt: 1, startedAt: at });
        rows.votes.push({ id: `v${id}`, battleId: `b${id}`, userId: user, modality: "text", modelAId: `m${a}`, modelBId: `m${b}`, outcome: VOTE_OUTCOMES[index % VOTE_OUTCOMES.length]!, feedbackGeneral: random() < 0.2 ? text(random, 20, 200) : null, countsForRating: 1, invalidReasons: "", categories: "", createdAt: at });
      }
      runWrite(connection, q.insertInto("Battle").values(rows.battles).compile());
      runWrite(connection, q.insertInto("Turn").values(rows.turns).compile());
      runWrite(connection, q.insertInto("Response").values(rows.responses).compile());
      runWrite(connection, q.insertInto("Vote").values(rows.votes).compile());
    }
    connection.exec("COMMIT");
  }
  connection.close();
}

interface ThreadCpu {
  name: string;
  user: number;
  system: number;
}

/** CPU seconds (user and system) of each thread of this process, from /proc (Linux); empty elsewhere. */
function threadCpuSeconds(): Map<string, ThreadCpu> {
  const threads = new Map<string, ThreadCpu>();
  const ticksPerSecond = 100;
  try {
    for (const tid of readdirSync("/proc/self/task")) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      threads.set(tid, { name, user: Number(fields[11]) / ticksPerSecond, system: Number(fields[12]) / ticksPerSecond });
    }
  } catch {
    // Not Linux: the per-thread figures are left out.
  }
  return threads;
}

async function publish(url: string, dir: string): Promise<void> {
  process.env.DATABASE_URL = url;
  const { db } = await import("@/lib/server/db");
  const { publishRelease } = await import("@/lib/server/services/releases");
  // Threads that exit before the end (the release file worker) are only seen while they run: sample.
  const busiestThreads = new Map<string, ThreadCpu>();
  const sampleThreads = () => {
    for (const [tid, thread] of threadCpuSeconds()) busiestThreads.set(tid, thread);
  };
  const rssBeforePublishMb = Math.round(process.memoryUsage.rss() / 2 ** 20);
  const beforePublish = threadCpuSeconds();
  const sampler = setInterval(sampleThreads, 250);
  const started = performance.now();
  const release = await publishRelease(db, { window: WINDOW, releaseDir: dir, now: new Date(Date.UTC(2026, 11, 1)), k: 5 });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  sampleThreads();
  const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  // CPU seconds each thread spent during the publish (the startup's module loading is left out).
  const threadCpu = [...busiestThreads]
    .map(([tid, thread]) => ({
      name: thread.name,
      user: thread.user - (beforePublish.get(tid)?.user ?? 0),
      system: thread.system - (beforePublish.get(tid)?.system ?? 0),
    }))
    .filter((thread) => thread.user + thread.system >= 0.5)
    .sort((a, b) => b.user + b.system - (a.user + a.system))
    .map((thread) => ({ name: thread.name, userSeconds: Math.round(thread.user * 10) / 10, systemSeconds: Math.round(thread.system * 10) / 10 }));
  console.log(JSON.stringify({ rows: release.rowCount, seconds: Math.round(seconds * 10) / 10, maxRssMb, bytes: release.files.reduce((sum, file) => sum + file.bytes, 0), filesSha256: filesDigest(release.files), rssBeforePublishMb, threadCpu }));
  await db.$disconnect();
}

/** One SHA-256 over the release's file names and checksums: equal digests mean byte-identical releases. */
function filesDigest(files: ReadonlyArray<{ name: string; sha256: string }>): string {
  return createHash("sha256").update(files.map((file) => `${file.name} ${file.sha256}\n`).join("")).digest("hex");
}

async function orchestrate(): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), "bench-release-"));
  const url = `file:${join(folder, "arena.db")}`;
  const node = [process.execPath, "--conditions=react-server", "--import", "tsx", new URL(import.meta.url).pathname];
  const publishNode = [process.execPath, ...PUBLISH_HEAP_FLAGS, ...node.slice(1)];
  try {
    const seedStarted = performance.now();
    execFileSync(node[0]!, [...node.slice(1), "--seed", url, "--battles", String(battles)], { stdio: "inherit" });
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const timeAvailable = existsSync("/usr/bin/time");
    const loadAverage = Math.round(loadavg()[0]! * 10) / 10;
    const command = timeAvailable ? ["/usr/bin/time", "-v", ...publishNode] : publishNode;
    const result = spawnSync(command[0]!, [...command.slice(1), "--publish", url, "--dir", join(folder, "releases")], { encoding: "utf8", maxBuffer: 1 << 26 });
    if (result.status !== 0) throw new Error(`publish failed:\n${result.stdout}\n${result.stderr}`);
    const figures = JSON.parse(result.stdout.trim().split("\n").at(-1)!) as {
      rows: number;
      seconds: number;
      maxRssMb: number;
      bytes: number;
      filesSha256: string;
      threadCpu: Array<{ userSeconds: number; systemSeconds: number }>;
    };
    const busiestThreadCpuSeconds = Math.max(0, ...figures.threadCpu.map((thread) => thread.userSeconds + thread.systemSeconds));
    const timeRss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr ?? "");
    const cpuSeconds = ["User", "System"].reduce((sum, kind) => sum + Number(new RegExp(`${kind} time \\(seconds\\): ([\\d.]+)`).exec(result.stderr ?? "")?.[1] ?? NaN), 0);
    const peakRssMb = timeRss ? Math.round(Number(timeRss[1]) / 1024) : figures.maxRssMb;
    console.log(
      JSON.stringify({
        benchmark: "release-publish",
        database: "sqlite",
        battles,
        rows: figures.rows,
        seconds: figures.seconds,
        cpuSeconds: Number.isNaN(cpuSeconds) ? null : Math.round(cpuSeconds * 10) / 10,
        threadCpu: figures.threadCpu,
        busiestThreadCpuSeconds: Math.round(busiestThreadCpuSeconds * 10) / 10,
        loadAverageAtStart: loadAverage,
        peakRssMb,
        maxRssMbResourceUsage: figures.maxRssMb,
        releaseBytes: figures.bytes,
        filesSha256: figures.filesSha256,
        seedSeconds: Math.round(seedSeconds),
        withinTarget: figures.seconds <= 60 && peakRssMb <= 400,
      }),
    );
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

if (values.seed) await seed(values.seed);
else if (values.publish) await publish(values.publish, values.dir!);
else await orchestrate();
