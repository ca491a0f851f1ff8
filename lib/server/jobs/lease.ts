import "server-only";
import type { Db } from "@/lib/server/db";
import { isUniqueViolation } from "@/lib/server/db/errors";

/**
 * Database leases (JobLease rows) so that one instance among many does a piece of work. Every change is
 * one conditional UPDATE (atomic on SQLite and PostgreSQL), or an INSERT that loses cleanly to a
 * concurrent one through the primary key. Times are the instances' clocks, so they must be in sync to
 * well under a lease's length (NTP is enough).
 */
export interface LeaseOptions {
  now?: Date;
  /**
   * true (default): the current holder may take its own unexpired lease again (a renewal).
   * false: only an expired or missing lease is taken, whoever asks; used for "once per period" markers.
   */
  reentrant?: boolean;
}


/** Takes lease `name` for `holder` until now + ttlMs when it is free, expired or (reentrant) already held by `holder`. */
export async function tryAcquireLease(db: Db, name: string, holder: string, ttlMs: number, { now = new Date(), reentrant = true }: LeaseOptions = {}): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + ttlMs);
  const takeable = reentrant ? { OR: [{ expiresAt: { lte: now } }, { holder }] } : { expiresAt: { lte: now } };
  const { count } = await db.jobLease.updateMany({ where: { name, ...takeable }, data: { holder, expiresAt } });
  if (count === 1) return true;
  if (await db.jobLease.findUnique({ where: { name }, select: { name: true } })) return false;
  try {
    await db.jobLease.create({ data: { name, holder, expiresAt } });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** Extends `holder`'s lease to now + ttlMs; false when someone else holds it (or it was released). */
export async function renewLease(db: Db, name: string, holder: string, ttlMs: number, now: Date = new Date()): Promise<boolean> {
  const { count } = await db.jobLease.updateMany({ where: { name, holder }, data: { expiresAt: new Date(now.getTime() + ttlMs) } });
  return count === 1;
}

/** Gives the lease up at once so another instance need not wait for it to expire; no-op for non-holders. */
export async function releaseLease(db: Db, name: string, holder: string): Promise<boolean> {
  const { count } = await db.jobLease.deleteMany({ where: { name, holder } });
  return count === 1;
}
