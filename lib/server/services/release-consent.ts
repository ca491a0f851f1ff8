import "server-only";
import type { Db } from "@/lib/server/db";
import { AppError } from "@/lib/server/errors";

export interface TReleasePreference {
  /** True when the user accepted data terms at least once. */
  consented: boolean;
  /** True when the newest consent record opts out of future releases. */
  optedOut: boolean;
  since: Date | null;
}

export async function getReleasePreference(db: Db, userId: string): Promise<TReleasePreference> {
  const latest = await db.consentRecord.findFirst({ where: { userId }, orderBy: { acceptedAt: "desc" }, select: { releaseOptOut: true, acceptedAt: true } });
  return { consented: latest !== null, optedOut: latest?.releaseOptOut ?? false, since: latest?.acceptedAt ?? null };
}

/**
 * Opts the user out of future releases (or back in) by appending a consent record that repeats the
 * terms in force with the new choice: the history stays, the newest row rules. Releases already
 * published are not changed.
 */
export async function setReleaseOptOut(db: Db, userId: string, optOut: boolean): Promise<TReleasePreference> {
  const latest = await db.consentRecord.findFirst({ where: { userId }, orderBy: { acceptedAt: "desc" } });
  if (!latest) throw new AppError("BAD_REQUEST", "You have not accepted the data terms, so none of your votes are released.");
  if (latest.releaseOptOut !== optOut) {
    const acceptedAt = new Date(Math.max(Date.now(), latest.acceptedAt.getTime() + 1));
    await db.consentRecord.create({ data: { userId, termsVersion: latest.termsVersion, license: latest.license, releaseOptOut: optOut, acceptedAt } });
  }
  return getReleasePreference(db, userId);
}
