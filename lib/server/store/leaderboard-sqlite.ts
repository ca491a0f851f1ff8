import "server-only";
import { randomUUID } from "node:crypto";
import type { CompiledQuery } from "kysely";
import type { Db } from "@/lib/server/db";
import { inSqliteTransaction, readOnlySqlite, sqliteDatabaseFile, sqliteDate, writableSqlite } from "@/lib/server/db/sqlite-direct";
import { walCheckpointerRunning } from "@/lib/server/db/wal-checkpointer";
import { AppError } from "@/lib/server/errors";
import { parseNumberedVoteWindow } from "@/lib/server/leaderboards/packed-vote-window";
import { READ_AHEAD_WORKER, startReadAhead } from "@/lib/server/leaderboards/read-ahead";
import type { TLeaderboardWrite } from "@/lib/server/leaderboards/snapshot-store";
import type { TStateWriterData } from "@/lib/server/leaderboards/state-writer.worker";
import type { TPackedStyledVotes } from "@/lib/server/leaderboards/styled-rows";
import { libsqlModulePath } from "@/lib/server/workers/libsql";
import { prepareWorker, startWorker } from "@/lib/server/workers/start-worker";
import { modalityVoteCount, sqliteDialect as d, unstyledResponsesQuery } from "./common-queries";
import {
  countedThroughQuery,
  countedVoteAfterNewestSnapshotQuery,
  excludedUsersQuery,
  ledgerFirstQuery,
  ledgerWindowQuery,
  modalityVoteCountsQuery,
  modelInfoQuery,
  parseJsonOrNull,
  personaDataQuery,
  personaRowsQuery,
  personaSummaryQuery,
  personaVersionOf,
  ratingNumberIdQuery,
  snapshotVariantsQuery,
  stateRowExistsQuery,
  stateRowQuery,
} from "./leaderboard-sqlite-queries";
import type { TSqliteReadData } from "./sqlite-read.worker";
import type { LeaderboardReader, LeaderboardStore } from "./leaderboard-store";
import { sqliteQueries as q } from "./sqlite-compiled";
import { allRows, firstRow, runWrite } from "./sqlite-run";
import { timeSlices, yieldToEventLoop } from "@/lib/server/yielding";

/**
 * The leaderboard store on SQLite. Reads go through a read-only libsql connection of their own, in
 * raw statements, which skips the Prisma driver adapter's per-query and per-value conversions (a
 * third of the read time at a million votes); the vote windows come from the vote ledger (a narrow
 * row per counted vote with its line precomputed, clustered by modality and time: a third of the
 * time of the same window from "Vote", and a tenth of the parsing). A full read runs in read-ahead
 * worker threads. Writes go through the process's writable connection in one IMMEDIATE transaction;
 * the vote-log checkpoint through a thread of its own.
 */
export function createSqliteLeaderboardStore(db: Db): LeaderboardStore {
  const file = async () => {
    const path = await sqliteDatabaseFile(db);
    if (!path) throw new AppError("INTERNAL", "The leaderboards need the SQLite database in a file.");
    return path;
  };
  /** Rows of a small read, on the process's kept connection, on this thread (a thread's start would cost more than the read). */
  const rowsHere = async <O>(query: CompiledQuery<O>): Promise<O[]> => allRows(await writableSqlite(await file()), query);
  return {
    threadModules: [READ_AHEAD_WORKER, SQLITE_READ_WORKER, STATE_WRITER_WORKER],

    async excludedUserIds() {
      return (await rowsHere(excludedUsersQuery)).map((row) => row.id);
    },

    async readStateText(key) {
      // libsql returns a blob as an ArrayBuffer (the generated type says Buffer).
      const [row] = await rowsHere(stateRowQuery(key));
      return row ? new TextDecoder().decode(row.data as ArrayBuffer | Uint8Array) : null;
    },

    async snapshotVariants(modality) {
      return (await rowsHere(snapshotVariantsQuery(modality))).map((row) => row.variant);
    },

    modelInfo: () => rowsHere(modelInfoQuery),

    async countedVoteAfterNewestSnapshot() {
      const [row] = await rowsHere(countedVoteAfterNewestSnapshotQuery);
      return Boolean(row?.newer);
    },

    async personaVersionData(userIds) {
      return (await rowsHere(personaDataQuery(JSON.stringify(userIds)))).map((row) => ({ userId: row.userId, data: parseJsonOrNull(row.data) }));
    },

    async openReader(): Promise<LeaderboardReader> {
      const path = await file();
      const connection = await readOnlySqlite(path);
      const idOf = (number: number) => {
        const row = firstRow(connection, ratingNumberIdQuery(number));
        if (!row) throw new AppError("INTERNAL", `The vote ledger names an unknown number ${number}.`);
        return row.id;
      };
      return {
        async readVoteWindow(modality, window, numbering) {
          const row = firstRow(connection, ledgerWindowQuery(modality, window.from.getTime(), window.to.getTime()));
          return { columns: parseNumberedVoteWindow(row?.rows ?? "", numbering, idOf), last: row?.last == null ? null : Date.parse(row.last) };
        },
        async personaFingerprint() {
          const row = firstRow(connection, personaSummaryQuery());
          return `${row?.count ?? 0}:${row?.maxCreatedAt == null ? "" : Date.parse(row.maxCreatedAt)}:${row?.maxId ?? ""}`;
        },
        async personaVersions() {
          // Parsed in slices: thousands of personas read and parsed at once held the event loop ~50 ms.
          const rows = allRows(connection, personaRowsQuery());
          const versions = [];
          const slice = timeSlices(5);
          for (const row of rows) {
            versions.push(personaVersionOf(row));
            if (slice.due) await slice.pause();
          }
          return versions;
        },
        async firstVoteTime(modality, from, until) {
          const first = firstRow(connection, ledgerFirstQuery(modality, from, until))?.first;
          return first == null ? null : Date.parse(first);
        },
        startReadAhead: (jobs, cells) => startReadAhead(path, jobs, cells),
        close: () => connection.close(),
      };
    },

    async readStyledVotes(maxVotes) {
      return readStyledPackedOffThread(await file(), maxVotes);
    },

    async readUnstyledResponses(since) {
      return readRowsOffThread(await file(), [unstyledResponsesQuery(d, new Date(since))])[0];
    },

    async writeRows(writes) {
      if (writes.length === 0) return;
      const connection = await writableSqlite(await file());
      // The snapshots are serialized before the transaction, yielding between rows: the event loop
      // never waits on all of them at once, and the write lock is held for the statements only.
      const queries: CompiledQuery[] = [];
      for (const write of writes) {
        queries.push(leaderboardWriteQuery(write));
        await yieldToEventLoop();
      }
      await inSqliteTransaction(connection, () => {
        for (const query of queries) runWrite(connection, query);
      });
    },

    async countCountedThrough(cursors) {
      const timed = cursors.flatMap((cursor) => (cursor.time === null ? [] : [countedThroughQuery(cursor.modality, cursor.time)]));
      const counts = timed.length > 0 ? (await Promise.all(readRowsOffThread(await file(), timed))).map((rows) => Number(rows[0]?.count ?? 0)) : [];
      return cursors.map((cursor) => (cursor.time === null ? 0 : counts.shift()!));
    },

    modalityVoteCounts(modalities) {
      // One thread scans them in turn (a thread start per scan cost ~0.1 CPU s each).
      const scans = file().then((path) => readRowsOffThread(path, modalities.map(modalityVoteCountsQuery)));
      return modalities.map((_, k) => scans.then((rows) => rows[k]).then((rows) => rows.map(modalityVoteCount)));
    },

    async readStateRow(key) {
      const path = await file();
      // Whether the row is there, on the process's kept connection (a key lookup, the blob not read): a
      // first recomputation has none, and starting a thread to learn so held up its read by 0.1-0.5 s.
      if (allRows(await writableSqlite(path), stateRowExistsQuery(key)).length === 0) return null;
      // An 8 MB blob through Prisma's adapter (base64 both ways) held the event loop 1-2 s on a new process's first run.
      const rows = await readRowsOffThread(path, [stateRowQuery(key)])[0];
      // libsql returns a blob as an ArrayBuffer (the generated type says Buffer).
      const data: ArrayBuffer | Uint8Array | undefined = rows[0]?.data;
      if (!data) return null;
      return data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    },

    async writeStateRow(key, data) {
      const path = await file();
      const owned = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
      // Compiled without blocking this thread before the first start (compiled synchronously, it held the loop 75–300 ms).
      await prepareWorker(STATE_WRITER_WORKER);
      const { sql, parameters } = upsertStateQuery(key, new Date(), owned);
      const workerData: TStateWriterData = { libsql: libsqlModulePath(), file: path, sql, parameters: [...parameters], autocheckpoint: !walCheckpointerRunning(path) };
      const worker = startWorker(STATE_WRITER_WORKER, { workerData, transferList: [owned.buffer], background: true });
      await new Promise<void>((resolve, reject) => {
        worker.once("error", reject);
        worker.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`the writer thread exited with code ${code}`))));
      });
    },
  };
}

/** Blobs go to the driver as Buffers. */
const blob = (data: Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

const upsertStateQuery = (key: string, updatedAt: Date, data: Uint8Array) =>
  q
    .insertInto("LeaderboardState")
    .values({ key, updatedAt: sqliteDate(updatedAt), data: blob(data) })
    .onConflict((conflict) => conflict.column("key").doUpdateSet((eb) => ({ updatedAt: eb.ref("excluded.updatedAt"), data: eb.ref("excluded.data") })))
    .compile();

/** One write of writeRows, compiled; dates as the driver adapter stores them. */
function leaderboardWriteQuery(write: TLeaderboardWrite) {
  if (write.kind === "state") return upsertStateQuery(write.key, new Date(), write.data);
  if (write.kind === "lift") {
    const values = { computedAt: sqliteDate(write.computedAt), voteCount: write.voteCount, data: JSON.stringify(write.data) };
    return q
      .insertInto("LiftSnapshot")
      .values({ modality: write.modality, ...values })
      .onConflict((conflict) => conflict.column("modality").doUpdateSet(values))
      .compile();
  }
  if (write.kind === "no-lift") return q.deleteFrom("LiftSnapshot").where("modality", "=", write.modality).compile();
  if (write.kind === "keep-only") {
    const query = q.deleteFrom("LeaderboardSnapshot").where("modality", "=", write.modality);
    return (write.variants.length > 0 ? query.where("variant", "not in", write.variants) : query).compile();
  }
  const { data } = write;
  return q
    .insertInto("LeaderboardSnapshot")
    .values({ id: `lbs_${randomUUID()}`, modality: data.modality, variant: data.variant, computedAt: sqliteDate(write.computedAt), voteCount: data.voteCount, data: JSON.stringify(data) })
    .onConflict((conflict) =>
      conflict.columns(["modality", "variant"]).doUpdateSet((eb) => ({ computedAt: eb.ref("excluded.computedAt"), voteCount: eb.ref("excluded.voteCount"), data: eb.ref("excluded.data") })),
    )
    .compile();
}

/**
 * The packed styled votes read by a read-ahead thread (the query takes 0.1–0.3 s at 20,000 votes and
 * would stall the event loop that long); it fails when the thread cannot start or fails.
 */
async function readStyledPackedOffThread(file: string, maxVotes: number): Promise<TPackedStyledVotes> {
  const readAhead = await startReadAhead(file, [{ style: { maxVotes } }], Promise.resolve({ timelines: new Map(), excludedUsers: [] }));
  try {
    const message = await readAhead.next();
    if ("failed" in message) throw new AppError("INTERNAL", `Reading the styled votes failed: ${message.failed}`);
    if (!("style" in message)) throw new AppError("INTERNAL", "The styled votes thread answered out of order.");
    return message.style;
  } finally {
    readAhead.close();
  }
}

const SQLITE_READ_WORKER = "lib/server/store/sqlite-read.worker.ts";
const STATE_WRITER_WORKER = "lib/server/leaderboards/state-writer.worker.ts";

/**
 * The rows of each of `queries`, run in turn by one thread of its own on a read-only connection
 * (./sqlite-read.worker.ts): a promise per query, settled as soon as its rows arrive.
 */
function readRowsOffThread<O>(file: string, queries: CompiledQuery<O>[]): Promise<O[]>[] {
  if (queries.length === 0) return [];
  const answers = queries.map(() => {
    const answer = {} as { promise: Promise<O[]>; resolve: (rows: O[]) => void; reject: (error: unknown) => void };
    answer.promise = new Promise((resolve, reject) => Object.assign(answer, { resolve, reject }));
    // Every promise settles; the caller may never await the later ones when an earlier one failed.
    answer.promise.catch(() => undefined);
    return answer;
  });
  const run = async () => {
    await prepareWorker(SQLITE_READ_WORKER);
    const workerData: TSqliteReadData = { libsql: libsqlModulePath(), file, queries: queries.map((query) => ({ sql: query.sql, parameters: query.parameters })) };
    const worker = startWorker(SQLITE_READ_WORKER, { workerData, background: true });
    let received = 0;
    worker.on("message", (rows: O[]) => answers[received++]?.resolve(rows));
    worker.once("error", (error) => {
      for (const { reject } of answers.slice(received)) reject(error);
      received = answers.length;
    });
    worker.once("exit", (code) => {
      for (const { reject } of answers.slice(received)) reject(new AppError("INTERNAL", `The read thread exited with code ${code}.`));
    });
  };
  run().catch((error: unknown) => {
    for (const { reject } of answers) reject(error);
  });
  return answers.map(({ promise }) => promise);
}
