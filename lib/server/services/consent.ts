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

/** The user's standing against the current terms (TERMS_VERSION, RELEASE_LICENSE). */
export async function getConsentStatus(db: Db, userId: string): Promise<TConsentStatus> {
  const latest = await db.consentRecord.findFirst({ where: { userId }, orderBy: { acceptedAt: "desc" } });
  return {
    current: latest?.termsVersion === env.TERMS_VERSION,
    termsVersion: env.TERMS_VERSION,
    license: env.RELEASE_LICENSE,
    acceptedVersion: latest?.termsVersion ?? null,
    acceptedAt: latest?.acceptedAt ?? null,
  };
}

/**
 * Records acceptance of the current terms (append-only history: the newest row is in force). The
 * client names the version it showed, so nobody accepts terms they did not see. An earlier release
 * opt-out carries over: accepting new terms never silently opts a person back in.
 */
export async function acceptTerms(db: Db, userId: string, termsVersion: string): Promise<TConsentStatus> {
  if (termsVersion !== env.TERMS_VERSION) {
    throw new AppError("CONFLICT", "The terms changed while you were reading them. Please read the current version and accept again.");
  }
  const latest = await db.consentRecord.findFirst({ where: { userId }, orderBy: { acceptedAt: "desc" }, select: { termsVersion: true, releaseOptOut: true } });
  if (latest?.termsVersion !== env.TERMS_VERSION) {
    await db.consentRecord.create({
      data: { userId, termsVersion: env.TERMS_VERSION, license: env.RELEASE_LICENSE, releaseOptOut: latest?.releaseOptOut ?? false },
    });
  }
  return getConsentStatus(db, userId);
}

/** Users known to have accepted the current terms. Acceptance of a version is never undone (the history is append-only). */
const knownCurrent = promiseCache<string, true>("current-consent", { maxEntries: 100_000 });

/** Throws FORBIDDEN unless the user accepted the current terms; votes need it. Asks the database until it has seen them accepted. */
export async function assertCurrentConsent(db: Db, userId: string): Promise<void> {
  const known = `${env.TERMS_VERSION}\u0000${userId}`;
  if (knownCurrent.peek(known)) return;
  const status = await getConsentStatus(db, userId);
  if (!status.current) {
    throw new AppError(
      "FORBIDDEN",
      status.acceptedVersion
        ? `The data terms changed (now version ${status.termsVersion}). Please read and accept them before voting.`
        : `Please read and accept the data terms (version ${status.termsVersion}) before your first vote.`,
    );
  }
  knownCurrent.set(known, Promise.resolve(true));
}
