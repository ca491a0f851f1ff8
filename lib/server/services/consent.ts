import "server-only";
import { env } from "@/lib/env";
import type { Db } from "@/lib/server/db";
import { AppError } from "@/lib/server/errors";
import { promiseCache } from "@/lib/server/promise-cache";

export interface TConsentStatus {
  /** True when the newest accepted terms are the current TERMS_VERSION. */
  current: boolean;
  termsVersion: string;
  license: string;
  acceptedVersion: string | null;
  acceptedAt: Date | null;
}

/** Users known to have accepted the current terms. Acceptance of a version is never undone (the history is append-only). */
const knownCurrent = promiseCache<string, true>("current-consent", { maxEntries: 100_000 });
const knownKey = (userId: string) => `${env.TERMS_VERSION}\u0000${userId}`;

/** The status of a user whose newest consent record is `latest`; a current one is remembered (assertCurrentConsent). */
function statusOf(userId: string, latest: { termsVersion: string; acceptedAt: Date } | null): TConsentStatus {
  const current = latest?.termsVersion === env.TERMS_VERSION;
  if (current) knownCurrent.set(knownKey(userId), Promise.resolve(true));
  return {
    current,
    termsVersion: env.TERMS_VERSION,
    license: env.RELEASE_LICENSE,
    acceptedVersion: latest?.termsVersion ?? null,
    acceptedAt: latest?.acceptedAt ?? null,
  };
}

/** The user's standing against the current terms (TERMS_VERSION, RELEASE_LICENSE). */
export async function getConsentStatus(db: Db, userId: string): Promise<TConsentStatus> {
  const latest = await db.consentRecord.findFirst({ where: { userId }, orderBy: { acceptedAt: "desc" }, select: { termsVersion: true, acceptedAt: true } });
  return statusOf(userId, latest);
}

/**
 * Records acceptance of the current terms (append-only history: the newest row is in force). The
 * client names the version it showed, so nobody accepts terms they did not see. An earlier release
 * opt-out carries over: accepting new terms never silently opts a person back in. Answers with the
 * status from the rows it read or wrote, without reading again.
 */
export async function acceptTerms(db: Db, userId: string, termsVersion: string): Promise<TConsentStatus> {
  if (termsVersion !== env.TERMS_VERSION) {
    throw new AppError("CONFLICT", "The terms changed while you were reading them. Please read the current version and accept again.");
  }
  const latest = await db.consentRecord.findFirst({ where: { userId }, orderBy: { acceptedAt: "desc" }, select: { termsVersion: true, acceptedAt: true, releaseOptOut: true } });
  if (latest?.termsVersion === env.TERMS_VERSION) return statusOf(userId, latest);
  const created = await db.consentRecord.create({
    data: { userId, termsVersion: env.TERMS_VERSION, license: env.RELEASE_LICENSE, releaseOptOut: latest?.releaseOptOut ?? false },
    select: { termsVersion: true, acceptedAt: true },
  });
  return statusOf(userId, created);
}

/**
 * Throws FORBIDDEN unless the user accepted the current terms; votes need it. Asks the database until
 * this process has seen them accepted (here, or in getConsentStatus and acceptTerms).
 */
export async function assertCurrentConsent(db: Db, userId: string): Promise<void> {
  if (knownCurrent.peek(knownKey(userId))) return;
  const status = await getConsentStatus(db, userId);
  if (!status.current) {
    throw new AppError(
      "FORBIDDEN",
      status.acceptedVersion
        ? `The data terms changed (now version ${status.termsVersion}). Please read and accept them before voting.`
        : `Please read and accept the data terms (version ${status.termsVersion}) before your first vote.`,
    );
  }
}
