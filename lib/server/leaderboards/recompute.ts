import "server-only";
import { categorizePendingBattles } from "@/lib/server/services/categorize-battles";
import { ZLeaderboardDataSchema, type TLeaderboardData } from "@/lib/domain/leaderboard/snapshot";
import { MODALITIES, type TModality } from "@/lib/domain/vocabulary";
import { seedFromString } from "@/lib/domain/random";
import { env } from "@/lib/env";
import type { Db } from "@/lib/server/db";
import { boardFitter, type BoardFitter } from "./board-fitter";
import { boardSettings, fitFromCounts, fitModality, scansIfCertainlyRefitted, type TModalityFit } from "./fit";
import { refreshAggregates } from "./refresh";
import { recordStyleFit, storedStyleFit, writeLeaderboardRows, snapshotFingerprintWrite, type TLeaderboardWrite } from "./snapshot-store";
import { globalForLeaderboards, type AggregateState, type TRefreshMode } from "./state";
import type { TPackedStyledVotes, TStyledBattleColumns } from "./styled-rows";
import { loadStyledBattles } from "./styled-votes";
import { STYLE_VARIANT } from "./variants";
import { loadModelInfo } from "./vote-store";
import { yieldToEventLoop } from "@/lib/server/yielding";

/** Recomputing and storing every leaderboard snapshot, and the debounce that asks for it after votes. */

/**
 * Style control is refitted (and bootstrapped) when its fit is stale: it rests on fewer than
 * STYLE_REFIT_FLOOR votes and any vote came or went, or the text votes changed by at least
 * STYLE_REFIT_SHARE of their number since. At a million votes a refit is due every 50,000.
 */
export const STYLE_REFIT_FLOOR = 2_000;
export const STYLE_REFIT_SHARE = 0.05;

/**
 * Order of the grouped-count scans of a certainly refitted run (scansIfCertainlyRefitted): text first, whose
 * six category boards are the only boards fitted from the counts. Scanned in the read's order (text last),
 * its counts arrived after its votes in a traced cold full read (load 16), and its category boards were the
 * run's last 1.5 s; the other modalities' counts feed only their lifts.
 */
const SCAN_ORDER: readonly TModality[] = ["text", "image", "audio"];

/** Whether a style fit made at `fittedAt` text votes is stale at `voteCount`. */
export function styleRefitDue(fittedAt: number | null, voteCount: number): boolean {
  if (fittedAt === null) return true;
  const change = Math.abs(voteCount - fittedAt);
  return (fittedAt < STYLE_REFIT_FLOOR && change > 0) || change >= STYLE_REFIT_SHARE * voteCount;
}

export interface TRecomputeResult {
  /** Snapshots written this time. */
  snapshots: number;
  /** Modalities whose overall and segment snapshots were already computed from the same votes and settings, so kept as they are. */
  unchangedModalities: TModality[];
  /** Whether the aggregates were rebuilt (votes read again, or replayed after an exclusion change). */
  rebuilt: boolean;
  /** "replay": online Elo replayed from the first vote; "incremental": only new votes were fed. */
  eloMode: "replay" | "incremental";
  /**
   * "read": every counted vote was read from the database; "checkpoint": restored from the stored
   * vote-log checkpoint, then the votes after it read; "replay": replayed from memory after an
   * exclusion change; "incremental": new votes only.
   */
  refresh: TRefreshMode;
  voteCounts: Record<TModality, number>;
  seconds: number;
  /** Seconds per phase: reading votes into the aggregates, fitting, style control, storing. */
  phases: { aggregate: number; fit: number; style: number; store: number };
}

/**
 * Recomputes and stores every leaderboard snapshot: per modality "overall", "style" (text) and one
 * "segment:<key>" per single-condition persona segment with at least SEGMENT_MIN_VOTES votes;
 * snapshots of variants that no longer qualify are deleted. A modality whose snapshots were stored
 * from the same vote log, exclusions, model names and settings (its fingerprint in
 * LeaderboardState) is neither refitted nor rewritten, unless `rebuild`. Style control is refitted
 * when its fit is stale (styleRefitDue). Also clears the personal cache.
 */
export function computeAndStoreLeaderboards(db: Db, options: TRecomputeOptions = {}): Promise<TRecomputeResult> {
  return inRecomputeLane(() => computeAndStoreNow(db, options));
}

/**
 * Recomputes, as computeAndStoreLeaderboards, when `due()` still says so once this run's turn in
 * the lane comes (a run that finished meanwhile may have made it current); null when it did not.
 */
export function computeAndStoreLeaderboardsIfDue(db: Db, due: () => Promise<boolean>, options: TRecomputeOptions = {}): Promise<TRecomputeResult | null> {
  return inRecomputeLane(async () => ((await due()) ? computeAndStoreNow(db, options) : null));
}

export interface TRecomputeOptions {
  now?: Date;
  rebuild?: boolean;
}

const recompute = (globalForLeaderboards.leaderboardRecompute ??= { timer: null, running: null, dirty: false, lane: Promise.resolve() });

/**
 * One recomputation at a time in this process, whoever asks (the debounce after votes, the
 * background job, an admin, a script): each waits for the one before to settle. Two at once would
 * fit the same boards twice and write them in an arbitrary order.
 */
function inRecomputeLane<T>(work: () => Promise<T>): Promise<T> {
  const run = recompute.lane.then(work);
  recompute.lane = run.catch(() => undefined);
  return run;
}

async function computeAndStoreNow(db: Db, options: TRecomputeOptions): Promise<TRecomputeResult> {
  // Category boards read the tags: voted battles are tagged before they are aggregated.
  await categorizePendingBattles(db);
  // SQLite's driver answers synchronously, so queries awaited one after another resolve as
  // microtasks and never let the event loop in: the run yields between its steps.
  await yieldToEventLoop();
  const fitter = await boardFitter();
  await yieldToEventLoop();
  return fitAndStore(db, options, fitter);
}

async function fitAndStore(db: Db, options: TRecomputeOptions, fitter: BoardFitter): Promise<TRecomputeResult> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const phases = { aggregate: 0, fit: 0, style: 0, store: 0 };
  let mark = performance.now();
  const lap = (phase: keyof typeof phases) => {
    const at = performance.now();
    phases[phase] += (at - mark) / 1000;
    mark = at;
  };
  const rebuild = options.rebuild ?? false;
  const info = await loadModelInfo(db);
  const infoFingerprint = seedFromString(JSON.stringify([...info.entries()].sort(([x], [y]) => (x < y ? -1 : 1))));
  await yieldToEventLoop();
  // The category boards and lifts of those modalities fitted from their counts while the votes are read.
  const counts = await scansIfCertainlyRefitted(db, SCAN_ORDER, rebuild);
  const byCounts = new Map([...counts].map(([modality, scan]) => [modality, fitFromCounts(db, modality, scan, { info, now, fitter })]));
  for (const fitted of byCounts.values()) fitted.catch(() => undefined);
  const context = (modality: TModality) => ({ info, infoFingerprint, now, rebuild, fitter, byCounts: byCounts.get(modality) });
  // During a full read, a modality is fitted as soon as its votes are in, while the read-ahead
  // worker reads the next modality's votes (and then the styled votes) on the other core.
  const earlyFits = new Map<TModality, Promise<TModalityFit>>();
  const onModalityRead = (readState: AggregateState, modality: TModality) => {
    const fit = fitModality(db, readState, modality, context(modality));
    fit.catch(() => undefined);
    earlyFits.set(modality, fit);
  };
  // And style control is fitted from the styled votes a worker packs before it reads any vote.
  const early: { style: Promise<TLeaderboardData | null> | null } = { style: null };
  const fitStyle = (battles: TStyledBattleColumns) =>
    fitter.fit({ kind: "style", modality: "text", computedAt: now, settings: boardSettings(), info, variant: STYLE_VARIANT, label: "Style control", battles }).then((boards) => boards[0] ?? null);
  const onStyleRows = (readState: AggregateState, rows: TPackedStyledVotes) => {
    early.style = loadStyledBattles(db, readState.excludedUsers, rows).then(fitStyle);
    early.style.catch(() => undefined);
  };
  const { state, mode, checkpointSaved } = await refreshAggregates(db, now, { forceRebuild: rebuild, onModalityRead, onStyleRows });
  const rebuilt = mode !== "incremental";
  lap("aggregate");
  // Every modality's boards and the style fit are started at once (the fitting threads take them as
  // they come), then stored modality by modality as they are done.
  const fits = new Map(MODALITIES.map((modality) => [modality, earlyFits.get(modality) ?? fitModality(db, state, modality, context(modality))]));
  for (const fit of fits.values()) fit.catch(() => undefined);
  const textVotes = state.modalities.text.aggregate.voteCount;
  // A new process (or one restored from a checkpoint) keeps the stored fit while it is recent.
  if (textVotes > 0 && state.styleFittedAt === null && !rebuild) state.styleFittedAt = await storedStyleFit(db, state.excludedFingerprint);
  let style: Promise<TLeaderboardData | null> | null = null;
  if (textVotes > 0 && styleRefitDue(state.styleFittedAt, textVotes)) {
    const fitNow = async () => fitStyle(await loadStyledBattles(db, state.excludedUsers));
    // (An early fit saw the same votes and exclusions as this run.)
    style = early.style ? early.style.catch(fitNow) : fitNow();
    style.catch(() => undefined);
  }
  const voteCounts = {} as Record<TModality, number>;
  let snapshots = 0;
  const unchangedModalities: TModality[] = [];
  for (const modality of MODALITIES) {
    const { aggregate } = state.modalities[modality];
    voteCounts[modality] = aggregate.voteCount;
    await yieldToEventLoop();
    const { fingerprint, current, fitted } = await fits.get(modality)!;
    const stored = [...fitted];
    /** Variants left as they are in the database this time. */
    const kept = current.filter((variant) => variant !== STYLE_VARIANT);
    if (current.length > 0) unchangedModalities.push(modality);
    lap("fit");
    if (modality === "text" && aggregate.voteCount > 0) {
      if (style) {
        const board = await style;
        if (board) stored.push(board);
        state.styleFittedAt = aggregate.voteCount;
        await recordStyleFit(db, { fittedAt: aggregate.voteCount, excludedFingerprint: state.excludedFingerprint });
      } else kept.push(STYLE_VARIANT);
      lap("style");
    }
    const snapshotWrites: TLeaderboardWrite[] = [];
    for (const data of stored) {
      // One snapshot validated at a time: a text modality's 30 took 50 ms at once (zod compiles its fast path on the first).
      await yieldToEventLoop();
      snapshotWrites.push({ kind: "snapshot", data: ZLeaderboardDataSchema.parse(data), computedAt: now });
    }
    await yieldToEventLoop();
    await writeLeaderboardRows(db, [
      { kind: "keep-only", modality, variants: [...stored.map((data) => data.variant), ...kept] },
      ...snapshotWrites,
      ...(current.length === 0 ? [snapshotFingerprintWrite(modality, fingerprint)] : []),
    ]);
    snapshots += stored.length;
    lap("store");
  }
  await checkpointSaved;
  globalForLeaderboards.personalCache?.clear();
  return {
    snapshots,
    unchangedModalities,
    rebuilt,
    eloMode: rebuilt ? "replay" : "incremental",
    refresh: mode,
    voteCounts,
    seconds: (performance.now() - started) / 1000,
    phases,
  };
}

/**
 * Asks for a recomputation after new votes: debounced by LEADERBOARD_DEBOUNCE_MS so a burst of
 * votes costs one run, never concurrent with another run in this process (a request during a run
 * schedules one more). Returns at once; failures are logged, the next vote or job retries.
 */
export function scheduleLeaderboardRecompute(db?: Db): void {
  recompute.dirty = true;
  if (recompute.timer) return;
  recompute.timer = setTimeout(() => {
    recompute.timer = null;
    void runScheduledRecompute(db);
  }, env.LEADERBOARD_DEBOUNCE_MS);
  recompute.timer.unref?.();
}

/**
 * Resolves once no scheduled recomputation is pending or running in this process (a run that
 * schedules another is waited for too): for a caller that must not overlap one, such as a reset
 * of the database or a shutdown.
 */
export async function scheduledRecomputesSettled(): Promise<void> {
  while (recompute.timer || recompute.running) {
    if (recompute.running) await recompute.running;
    else await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await recompute.lane;
}

async function runScheduledRecompute(db?: Db): Promise<void> {
  if (recompute.running) {
    await recompute.running.catch(() => undefined);
    if (recompute.timer) return;
  }
  if (!recompute.dirty) return;
  recompute.dirty = false;
  const database = db ?? (await import("@/lib/server/db")).db;
  recompute.running = computeAndStoreLeaderboards(database).catch((error: unknown) => {
    console.error("[leaderboards] recomputation failed", error);
  });
  await recompute.running;
  recompute.running = null;
  if (recompute.dirty && !recompute.timer) scheduleLeaderboardRecompute(db);
}

