/**
 * The read-ahead thread (started by ./read-ahead.ts), its jobs in the order the caller feeds them.
 *
 * A vote job (a modality from a time on) is cut into windows of `windowMs` on a grid that starts at
 * the job's `from`, read in time order; stretches without votes are jumped over. The thread parses
 * each window into index columns, classifies its votes by persona and counts the cells of those not
 * excluded (./window-cells.ts), and posts the columns and classes (their buffers are transferred, not
 * copied), then the job's cells; before its windows, how many votes the job holds. A style job: the
 * packed styled votes since the style cutoff. The thread's queries come compiled
 * (TReadAheadData.queries): it loads no Kysely. What it classifies and counts by (TReadAheadCells)
 * comes as its first message, which the thread waits for only when it first counts a window: the
 * starter loads it while the thread starts.
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
const { libsql, file, windowMs, jobs, queries } = workerData as TReadAheadData;
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
  for (const job of jobs) {
    if ("style" in job) {
      const cutoff = firstRow(runner, fillTemplate(queries.styleCutoff, [job.style.maxVotes - 1]))?.createdAt;
      // SQLite stores dates as ISO text.
      const since = cutoff == null ? 0 : Date.parse(cutoff as string);
      post({ style: { rows: firstRow(runner, fillTemplate(queries.styledVotes, [sqliteTime(since)]))?.rows ?? "", since } });
      continue;
    }
    const { modality, from, until } = job;
    // The caller sizes the modality's log once from this, instead of doubling it as the windows come.
    post({ modality, votes: Number(firstRow(runner, fillTemplate(queries.ledgerCount, [modality, sqliteTime(from), sqliteTime(until)]))?.count ?? 0) });
    const numbering = createPackedWindowNumbering();
    const context = await cellsContext;
    const cells = new WindowCells(context.timelines, new Set(context.excludedUsers));
    const firstFrom = (start: number) => {
      const at = firstRow(runner, fillTemplate(queries.ledgerFirst, [modality, sqliteTime(start), sqliteTime(until)]))?.first;
      return at == null ? null : Date.parse(at);
    };
    for (let window = 0; ; window++) {
      const start = from + window * windowMs;
      const next = start > until ? null : firstFrom(start);
      if (next === null) break;
      // No vote before `next`: go on from the window of the grid that holds it.
      window = Math.floor((next - from) / windowMs);
      const windowStart = from + window * windowMs;
      const end = Math.min(windowStart + windowMs, until + 1);
      const { rows, last } = firstRow(runner, fillTemplate(queries.ledgerWindow, [modality, sqliteTime(windowStart), sqliteTime(end)])) ?? { rows: null, last: null };
      const columns = parseNumberedVoteWindow(rows ?? "", numbering, idOf);
      const classes = cells.add(columns, numbering);
      const buffers = [columns.modelA, columns.modelB, columns.outcome, columns.user, columns.day, columns.time, classes.personaClass].map((column) => column.buffer as ArrayBuffer);
      post({ modality, columns, classes, last: last == null ? null : Date.parse(last) }, buffers);
    }
    const partial = cells.partial(numbering);
    const buffers = [partial.global, ...partial.conditions.map(({ cells: counts }) => counts), ...partial.classes.map(({ votes }) => votes), ...partial.days.map(({ cells: counts }) => counts)].map((column) => column.buffer as ArrayBuffer);
    post({ modality, done: true, cells: partial }, buffers);
  }
  connection.close();
}

readJobs().catch((error: unknown) => post({ failed: error instanceof Error ? error.message : String(error) }));
