import { createHmac } from "node:crypto";

/** Prefix of every released annotator pseudonym, e.g. `annotator_3f9a0c1d2b4e5f60`. */
const PSEUDONYM_PREFIX = "annotator_";

/**
 * Keyed pseudonym for a user id: `annotator_` + the first 16 hex digits of HMAC-SHA256(secret, scope ∥ userId).
 *
 * Invariants:
 * - same (userId, secret, scope) → same pseudonym, so one annotator's votes stay linkable inside a release;
 * - a different secret or a different scope → an unrelated pseudonym; passing the release version as
 *   `scope` makes pseudonyms per-release, so two releases cannot be joined on the annotator column;
 * - without the secret the mapping cannot be recomputed or inverted (the secret never leaves the server).
 *
 * The scope is length-prefixed so that ("ab", "c") and ("a", "bc") can never collide.
 */
export function pseudonymize(userId: string, secret: string, scope?: string): string {
  return PSEUDONYM_PREFIX + keyedDigest(userId, secret, scope ?? "");
}

/** Prefix of a per-release battle id, e.g. `battle_3f9a0c1d2b4e5f60`. */
const RELEASED_BATTLE_PREFIX = "battle_";

/**
 * Per-release battle id: `battle_` + 16 hex digits of HMAC-SHA256(secret, "battle:" ∥ release ∥ publicId).
 * Two releases never share one, so they cannot be joined on `battle_id`; the "battle:" domain keeps it
 * unrelated to any annotator pseudonym.
 */
export function releasedBattleId(publicId: string, secret: string, release: string): string {
  return RELEASED_BATTLE_PREFIX + keyedDigest(publicId, secret, `battle:${release}`);
}

function keyedDigest(id: string, secret: string, scope: string): string {
  if (secret.length === 0) throw new Error("pseudonymize needs a non-empty secret");
  const hmac = createHmac("sha256", secret);
  hmac.update(`${scope.length}:${scope}\u0000${id}`);
  return hmac.digest("hex").slice(0, 16);
}
