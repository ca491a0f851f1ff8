/**
 * A read-ahead thread (started by ./read-ahead.ts), its jobs in the order the caller feeds them.
 *
 * A vote job (a modality from a time on) is cut into windows of `windowMs` on a grid that starts at
 * the job's `from`; the threads claim the grid's windows in turn from a counter they share (`claims`,
 * one per job), so each window is read by one thread, and a thread that is ahead (the other one packs
 * the styled votes, or was given a core later) takes more of them instead of leaving its core idle.
 * A thread parses its windows into index columns, classifies their votes by persona and counts the
 * cells of those not excluded (./window-cells.ts), and posts the columns and classes in order (their
 * buffers are transferred, not copied), then the job's cells; stretches without votes are jumped over.
 * A style job is done by worker 0 alone: the packed styled votes since the style cutoff. The thread's
 * queries come compiled (TReadAheadData.queries): it loads no Kysely. What it classifies and counts by
 * (TReadAheadCells) comes as its first message, which the thread waits for only when it first counts
 * a window: the starter loads it while the thread starts. Worker 0 first posts how many votes a vote job holds.
 */
import { parentPort, workerData } from "node:worker_threads";

import { fillTemplate } from "@/lib/server/store/query-template";
import { firstRow, sqliteTime, type SqliteRunner } from "@/lib/server/store/sqlite-run";
import { requireLibsql } from "@/lib/server/workers/libsql";

import { createPackedWindowNumbering, parseNumberedVoteWindow } from "./packed-vote-window";
import type { TReadAheadCells, TReadAheadData, TReadAheadMessage } from "./read-ahead";
import { WindowCells } from "./window-cells";

const port = parentPort;
if (!port) throw new Error("read-ahead.worker runs as a worker thread");
const { libsql, file, windowMs, jobs, queries, claims, workerIndex } = workerData as TReadAheadData;
const claimed = new Int32Array(claims);
const post = (message: TReadAheadMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const cellsContext = new Promise<TReadAheadCells>((resolve) => port.once("message", resolve));

async function readJobs(): Promise<void> {
  const Database = requireLibsql(libsql);
  const connection = new Database(file, { readonly: true });
  const runner = connection as unknown as SqliteRunner;
  const idOf = (number: number) => {
    const row = firstRow(runner, fillTemplate(queries.ratingNumberId, [number]));
    if (!row) throw new Error(`the vote ledger names an unknown number ${number}`);
    return row.id;
  };
  for (const [jobIndex, job] of jobs.entries()) {
    if ("style" in job) {
      if (workerIndex === 0) {
        const cutoff = firstRow(runner, fillTemplate(queries.styleCutoff, [job.style.maxVotes - 1]))?.createdAt;
        // SQLite stores dates as ISO text.
        const since = cutoff == null ? 0 : Date.parse(cutoff as string);
        post({ style: { rows: firstRow(runner, fillTemplate(queries.styledVotes, [sqliteTime(since)]))?.rows ?? "", since } });
      }
      continue;
    }
    const { modality, from, until } = job;
    // The caller sizes the modality's log once from this, instead of doubling it as the windows come.
    if (workerIndex === 0) post({ modality, votes: Number(firstRow(runner, fillTemplate(queries.ledgerCount, [modality, sqliteTime(from), sqliteTime(until)]))?.count ?? 0) });
    const numbering = createPackedWindowNumbering();
    const context = await cellsContext;
    const cells = new WindowCells(context.timelines, new Set(context.excludedUsers));
    const firstFrom = (start: number) => {
      const at = firstRow(runner, fillTemplate(queries.ledgerFirst, [modality, sqliteTime(start), sqliteTime(until)]))?.first;
      return at == null ? null : Date.parse(at);
    };
    for (;;) {
      const window = Atomics.add(claimed, jobIndex, 1);
      const start = from + window * windowMs;
      const next = start > until ? null : firstFrom(start);
      if (next === null) break;
      const first = Math.floor((next - from) / windowMs);
      if (first > window) {
        // No vote in this window: every thread goes on from the next window with votes.
        for (let seen = Atomics.load(claimed, jobIndex); seen < first; ) {
          const was = Atomics.compareExchange(claimed, jobIndex, seen, first);
          seen = was === seen ? first : was;
        }
        continue;
      }
      const end = Math.min(start + windowMs, until + 1);
      const { rows, last } = firstRow(runner, fillTemplate(queries.ledgerWindow, [modality, sqliteTime(start), sqliteTime(end)])) ?? { rows: null, last: null };
      const columns = parseNumberedVoteWindow(rows ?? "", numbering, idOf);
      const classes = cells.add(columns, numbering);
      const buffers = [columns.modelA, columns.modelB, columns.outcome, columns.user, columns.day, columns.time, classes.personaClass].map((column) => column.buffer as ArrayBuffer);
      post({ modality, window, columns, classes, last: last == null ? null : Date.parse(last) }, buffers);
    }
    const partial = cells.partial(numbering);
    const buffers = [partial.global, ...partial.conditions.map(({ cells: counts }) => counts), ...partial.classes.map(({ votes }) => votes), ...partial.days.map(({ cells: counts }) => counts)].map((column) => column.buffer as ArrayBuffer);
    post({ modality, done: true, cells: partial }, buffers);
  }
  connection.close();
}

readJobs().catch((error: unknown) => post({ failed: error instanceof Error ? error.message : String(error) }));
