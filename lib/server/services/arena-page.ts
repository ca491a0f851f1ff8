import "server-only";
import { env } from "@/lib/env";
import type { Db } from "@/lib/server/db";
import { getConsentStatus } from "@/lib/server/services/consent";
import { describeCurrentPersona } from "@/lib/server/services/personas";

/** What every arena page (new battle or /arena/b/[id]) hands the Arena component for a signed-in user. */
export async function loadArenaProps(db: Db, userId: string) {
  const [disclosure, consent] = await Promise.all([describeCurrentPersona(db, userId), getConsentStatus(db, userId)]);
  return {
    hasPersona: disclosure.version !== null,
    props: {
      statements: disclosure.statements,
      consent: { current: consent.current, termsVersion: consent.termsVersion, license: consent.license },
      minListenSeconds: env.MIN_LISTEN_SECONDS,
      minReadSeconds: env.MIN_READ_SECONDS,
    },
  };
}
