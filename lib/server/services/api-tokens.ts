import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { hasAccess, isRole } from "@/lib/domain/auth/roles";
import type { Db } from "@/lib/server/db";
import { AppError } from "@/lib/server/errors";

/** Researcher tokens look like `pa_<43 base64url characters>` (256 random bits). */
const API_TOKEN_PREFIX = "pa_";
const DISPLAY_PREFIX_LENGTH = API_TOKEN_PREFIX.length + 8;
const MAX_ACTIVE_TOKENS = 20;

export interface TApiToken {
  id: string;
  name: string;
  /** The first characters of the token, to recognise it; the rest is never stored. */
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface TCreatedApiToken extends TApiToken {
  /** The full token: returned once, at creation; only its SHA-256 is stored. */
  token: string;
}

function hashApiToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

const tokenSelect = { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;

export async function createApiToken(db: Db, userId: string, name: string): Promise<TCreatedApiToken> {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 80) throw new AppError("BAD_REQUEST", "Give the token a name of 1 to 80 characters.");
  const active = await db.apiToken.count({ where: { userId, revokedAt: null } });
  if (active >= MAX_ACTIVE_TOKENS) throw new AppError("BAD_REQUEST", `You already have ${MAX_ACTIVE_TOKENS} active tokens. Revoke one first.`);
  const token = API_TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const created = await db.apiToken.create({
    data: { userId, name: trimmed, prefix: token.slice(0, DISPLAY_PREFIX_LENGTH), tokenHash: hashApiToken(token) },
    select: tokenSelect,
  });
  return { ...created, token };
}

/** The user's tokens, newest first, active and revoked (never their hashes). */
export function listApiTokens(db: Db, userId: string): Promise<TApiToken[]> {
  return db.apiToken.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, select: tokenSelect });
}

export async function revokeApiToken(db: Db, userId: string, tokenId: string): Promise<TApiToken> {
  const { count } = await db.apiToken.updateMany({ where: { id: tokenId, userId, revokedAt: null }, data: { revokedAt: new Date() } });
  const token = await db.apiToken.findFirst({ where: { id: tokenId, userId }, select: tokenSelect });
  if (!token) throw new AppError("NOT_FOUND", "This token was not found.");
  if (count === 0 && !token.revokedAt) throw new AppError("CONFLICT", "This token could not be revoked. Please try again.");
  return token;
}

/** Revokes every active token of a user (account deletion, bans). */
export async function revokeAllApiTokens(db: Pick<Db, "apiToken">, userId: string, now = new Date()): Promise<number> {
  const { count } = await db.apiToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
  return count;
}

/** The value of an `Authorization: Bearer <token>` header, or null when there is none. */
export function bearerToken(header: string | null): string | null {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match ? match[1]! : null;
}

/**
 * The user behind a bearer token, or UNAUTHORIZED: unknown, revoked, or its owner deleted, banned or
 * no longer allowed to download releases. Records when the token was last used.
 */
export async function authenticateApiToken(db: Db, token: string): Promise<{ userId: string; tokenId: string }> {
  const found = token.startsWith(API_TOKEN_PREFIX)
    ? await db.apiToken.findUnique({
        where: { tokenHash: hashApiToken(token) },
        select: { id: true, revokedAt: true, user: { select: { id: true, role: true, deletedAt: true, bannedAt: true } } },
      })
    : null;
  if (!found) throw new AppError("UNAUTHORIZED", "This API token is not valid.");
  if (found.revokedAt) throw new AppError("UNAUTHORIZED", "This API token was revoked. Create a new one on your researcher page.");
  const { user } = found;
  if (user.deletedAt || user.bannedAt || !isRole(user.role) || !hasAccess(user.role, "release:download")) {
    throw new AppError("UNAUTHORIZED", "This API token's account may no longer download releases.");
  }
  await db.apiToken.update({ where: { id: found.id }, data: { lastUsedAt: new Date() } });
  return { userId: user.id, tokenId: found.id };
}
