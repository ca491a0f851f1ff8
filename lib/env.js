// @ts-check
/**
 * The one place that reads the environment. Validated once at build (next.config.js imports it) and at
 * start; every variable has a safe default for the embedded mode, so nothing is needed to start.
 * The README's configuration table lists each of these.
 */
import { createEnv } from "@t3-oss/env-nextjs";
import { z } from "zod";
import { DEVELOPMENT_SECRET, resolveGeneratedSecrets, secretsUsingDevelopmentValue } from "./secrets.js";

/** @param {boolean} fallback */
const bool = (fallback) =>
  z
    .enum(["true", "false", "1", "0"])
    .default(fallback ? "true" : "false")
    .transform((value) => value === "true" || value === "1");
/** @param {number} fallback @param {number} [min] */
const int = (fallback, min = 0) => z.coerce.number().int().min(min).default(fallback);

// Generated secrets the environment leaves unset come from the secrets file: read here, created by the entry
// points (scripts/ensure-secrets.ts), so every process of one installation holds the same values.
Object.assign(process.env, resolveGeneratedSecrets(process.env, { create: false }));

/** An IPv4 or IPv6 address, optionally with a /prefix: validated without node:net so this file stays importable anywhere. */
const isCidr = (/** @type {string} */ entry) => {
  const [address = "", prefix, ...rest] = entry.split("/");
  if (rest.length > 0 || (prefix !== undefined && !/^\d{1,3}$/.test(prefix))) return false;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(address)) return address.split(".").every((part) => Number(part) <= 255) && Number(prefix ?? 32) <= 32;
  if (!address.includes(":")) return false;
  try {
    new URL(`http://[${address}]/`);
    return Number(prefix ?? 128) <= 128;
  } catch {
    return false;
  }
};

export const env = createEnv({
  server: {
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: z
      .string()
      .regex(/^(file:|postgres(ql)?:\/\/)/, "must be a file: URL (SQLite) or a postgresql:// URL")
      .default("file:./data/arena.db"),
    // Connections of the store's own PostgreSQL pool (the vote path's reads and group commits); Prisma keeps its own.
    POSTGRES_STORE_POOL_SIZE: int(10, 1),
    PORT: int(3000, 1),
    /** Signs session tokens. When unset: read from SECRETS_FILE (lib/secrets.js), which `npm start` and the CLIs create. */
    AUTH_SECRET: z.string().min(16).default(DEVELOPMENT_SECRET),
    NEXTAUTH_URL: z.url().optional(),
    /** Without NEXTAUTH_URL: host names (comma-separated, "*.example.org" allowed) whose Host header auth redirects may follow; unset = the request's own Host. */
    AUTH_TRUSTED_HOSTS: z.string().optional(),
    /** Keyed HMAC secret for release pseudonyms; never leaves the server. Unset: read from SECRETS_FILE like AUTH_SECRET. */
    PSEUDONYM_SECRET: z.string().min(16).default(DEVELOPMENT_SECRET),
    /** JSON file of the generated secrets (AUTH_SECRET, PSEUDONYM_SECRET) that the environment does not set. */
    SECRETS_FILE: z.string().default("data/secrets.json"),
    ADMIN_EMAIL: z.email().optional(),
    ADMIN_PASSWORD: z.string().min(10).optional(),
    GITHUB_ID: z.string().optional(),
    GITHUB_SECRET: z.string().optional(),
    OIDC_ISSUER: z.url().optional(),
    OIDC_CLIENT_ID: z.string().optional(),
    OIDC_CLIENT_SECRET: z.string().optional(),
    OIDC_NAME: z.string().default("Single sign-on"),
    REDIS_URL: z.string().regex(/^rediss?:\/\//).optional(),
    SEED_DEMO: bool(true),
    /** With SEED_DEMO: a new database also gets the simulated demo history (lib/server/services/demo-history.ts). */
    DEMO_HISTORY: bool(true),
    DEMO_TOKENS_PER_SECOND: int(60, 1),
    /** "true": `npm start`'s server serves tRPC and the battle event stream itself, past Next's request pipeline (lib/server/http/fast-lane.ts). */
    FAST_LANE: bool(true),
    MIN_LISTEN_SECONDS: z.coerce.number().min(0).default(5),
    /** Image and text votes sooner than this after both answers were delivered (server clock) are stored but not counted. */
    MIN_READ_SECONDS: z.coerce.number().min(0).max(600).default(2),
    /** The circuit breaker pauses a model after this many failed answers for real users within the window… */
    CIRCUIT_BREAKER_FAILURES: int(3, 1),
    CIRCUIT_BREAKER_WINDOW_SECONDS: int(600, 10),
    /** …when they are at least this share of its answers in the window, or its last CIRCUIT_BREAKER_FAILURES answers all failed. */
    CIRCUIT_BREAKER_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0.5),
    MEDIA_DIR: z.string().default("data/media"),
    S3_ENDPOINT: z.url().optional(),
    S3_BUCKET: z.string().optional(),
    S3_REGION: z.string().default("us-east-1"),
    S3_ACCESS_KEY_ID: z.string().optional(),
    S3_SECRET_ACCESS_KEY: z.string().optional(),
    /** true: `S3_ENDPOINT/S3_BUCKET/key` (MinIO and most S3-compatible stores); false: `S3_BUCKET.host/key`. */
    S3_FORCE_PATH_STYLE: bool(true),
    /** Key prefix inside the bucket, e.g. "media/". */
    S3_PREFIX: z.string().regex(/^([\w.-]+\/)*$/, "must be empty or end with /").default(""),
    RELEASE_DIR: z.string().default("data/releases"),
    RELEASE_LICENSE: z.string().default("CC-BY-4.0"),
    RELEASE_K: int(5, 2),
    RELEASE_EMBARGO_DAYS: int(7),
    RELEASE_CADENCE: z.enum(["off", "weekly", "monthly"]).default("monthly"),
    RELEASE_PSEUDONYM_SCOPE: z.enum(["stable", "per_release"]).default("stable"),
    TERMS_VERSION: z.string().default("2026-11"),
    PROVISIONAL_MIN_VOTES: int(30),
    LEADERBOARD_BOOTSTRAP_ROUNDS: int(1000, 10),
    LEADERBOARD_DEBOUNCE_MS: int(5000),
    RATE_LIMIT_BATTLES_PER_MINUTE: int(30, 1),
    RATE_LIMIT_VOTES_PER_MINUTE: int(60, 1),
    DAILY_VOTE_CAP: int(500, 1),
    /** "true": a battle never pairs two models of one organization. */
    MATCHMAKING_DISTINCT_ORGANIZATIONS: bool(false),
    GOLD_BATTLE_SHARE: z.coerce.number().min(0).max(1).default(0.02),
    PERSONALIZATION_EXPERIMENT_SHARE: z.coerce.number().min(0).max(1).default(0.2),
    DUPLICATE_PROMPT_THRESHOLD: z.coerce.number().int().min(1).default(10),
    CATEGORY_CLASSIFIER: z.string().default("rules"),
    BACKGROUND_JOBS: bool(true),
    /** Extra blocked terms, comma separated, added to the small built-in list (lib/domain/moderation/blocklist.ts). */
    MODERATION_BLOCKLIST: z.string().default(""),
    /** "block" rejects prompts that contain personal data (emails, phone numbers, cards, IDs, API keys). */
    MODERATION_PII: z.enum(["block", "allow"]).default("block"),
    /** Base URL of an OpenAI-compatible API (…/v1) or the full …/moderations URL; unset = no provider check. */
    MODERATION_ENDPOINT: z.url().optional(),
    /** NAME of the env variable that holds the moderation API key (read with readProviderSecret). */
    MODERATION_API_KEY_ENV: z.string().regex(/^[A-Z][A-Z0-9_]{1,127}$/).optional(),
    MODERATION_MODEL: z.string().default("omni-moderation-latest"),
    /** What to do when the moderation provider cannot be reached: "open" lets prompts through (logged). */
    MODERATION_FAILURE_MODE: z.enum(["open", "closed"]).default("open"),
    MODERATION_TIMEOUT_MS: int(5000, 100),
    /** Largest JSON / tRPC request body; larger requests get 413. */
    MAX_JSON_BODY_BYTES: int(1024 * 1024, 1024),
    /** Largest other request body (uploads); keep ≤ experimental.proxyClientMaxBodySize (10 MB by default). */
    MAX_UPLOAD_BODY_BYTES: int(10 * 1024 * 1024, 1024),
    /** /api/metrics requires `Authorization: Bearer <METRICS_TOKEN>`; unset, it answers 401 (`npm start` generates one into data/secrets.json). */
    METRICS_TOKEN: z.string().min(16).optional(),
    /**
     * Comma-separated CIDRs (or addresses) of the reverse proxies in front of the app. Only connections from
     * these are believed about X-Forwarded-For / X-Forwarded-Proto; empty: the socket's address counts.
     */
    TRUSTED_PROXIES: z
      .string()
      .default("")
      .transform((value) => value.split(",").map((entry) => entry.trim()).filter(Boolean))
      .refine((entries) => entries.every(isCidr), "must be a comma-separated list of CIDRs such as 10.0.0.0/8,::1/128"),
    /** Most calls in one batched tRPC request; more get 400. */
    TRPC_MAX_BATCH: int(10, 1),
    /** Sign-in attempts per client address per minute (per account: half of it). */
    RATE_LIMIT_SIGN_INS_PER_MINUTE: int(20, 1),
    /** Sign-ups per client address per hour (per email: 3). */
    RATE_LIMIT_SIGN_UPS_PER_HOUR: int(10, 1),
    /** New guest sessions per client address per hour. */
    RATE_LIMIT_GUESTS_PER_HOUR: int(60, 1),
    /** Failed sign-ins (per address and per account, in an hour) before the backoff starts. */
    SIGN_IN_FREE_FAILURES: int(5),
    /** The backoff doubles from 1 s after each further failure, up to this. */
    SIGN_IN_MAX_BACKOFF_SECONDS: int(900, 1),
    /** Build output folder; lets parallel builds (e.g. several e2e runs) use separate folders. */
    NEXT_DIST_DIR: z.string().default(".next"),
  },
  client: {},
  experimental__runtimeEnv: {},
  emptyStringAsUndefined: true,
  skipValidation: process.env.SKIP_ENV_VALIDATION === "1",
});

// next-auth v4 reads AUTH_TRUST_HOST itself. Without NEXTAUTH_URL it must take its origin from X-Forwarded-Host,
// which proxy.ts sets to the request's trusted Host on every /api/auth request (never the client's value).
if (!env.NEXTAUTH_URL) process.env.AUTH_TRUST_HOST = "true";

export const isPostgres = /^postgres(ql)?:\/\//.test(env.DATABASE_URL);

/**
 * In production mode, the reason to refuse `what` ("serve requests", "publish a release") while a
 * generated secret holds the public development value: with it anyone could forge sessions or recompute
 * every release pseudonym from a user id. Null when there is nothing to refuse.
 * @param {string} what
 * @returns {string | null}
 */
export function developmentSecretRefusal(what) {
  if (env.NODE_ENV !== "production") return null;
  const weak = secretsUsingDevelopmentValue(env);
  if (weak.length === 0) return null;
  return (
    `Refusing to ${what} in production with the public development value of ${weak.join(" and ")}. ` +
    `Set each to a random value of at least 16 characters, or leave it unset and let \`npm start\` or the command generate one into ${env.SECRETS_FILE}.`
  );
}

/** @param {string} what */
export function assertProductionSecrets(what) {
  const refusal = developmentSecretRefusal(what);
  if (refusal) throw new Error(refusal);
}

/**
 * Model API keys live in environment variables whose NAMES are stored in the model registry.
 * Only names shaped like env vars are read, and the value is never logged or returned to clients.
 * @param {string} name
 * @returns {string | undefined}
 */
export function readProviderSecret(name) {
  if (!/^[A-Z][A-Z0-9_]{1,127}$/.test(name)) return undefined;
  const value = process.env[name];
  return value && value.length > 0 ? value : undefined;
}
