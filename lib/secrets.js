// @ts-check
/**
 * Where the app's generated secrets come from, for every process (the app, `npm start`, `release:publish`,
 * the scheduler, `admin:create`, benches and tests): the environment variable when it is set, else the
 * value in the secrets file (SECRETS_FILE, default data/secrets.json), which is created with fresh random
 * values (mode 0600) the first time a process needs one. lib/env.js calls this before validating, so no
 * process can pick a different key than another one started in the same directory.
 *
 * Plain JavaScript because next.config.js imports lib/env.js, which imports this file.
 */
import { randomBytes } from "node:crypto";
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The public fallback used only when no secret can be stored (e.g. a read-only build); refused in production. */
export const DEVELOPMENT_SECRET = "persona-arena-development-secret-not-for-production";

const randomSecret = () => randomBytes(32).toString("base64url");

/** Secrets generated when unset. Adding one is one line here (and its entry in lib/env.js). */
export const GENERATED_SECRETS = /** @type {const} */ ({
  AUTH_SECRET: randomSecret,
  PSEUDONYM_SECRET: randomSecret,
  /** Bearer token of /api/metrics: per-model series would otherwise reveal a battle's pair. */
  METRICS_TOKEN: randomSecret,
});

/** @typedef {keyof typeof GENERATED_SECRETS} GeneratedSecretName */
/** @typedef {Partial<Record<GeneratedSecretName, string>>} GeneratedSecrets */

/** @param {Record<string, string | undefined>} environment */
function secretsFilePath(environment) {
  const configured = environment.SECRETS_FILE;
  return path.resolve(configured && configured.length > 0 ? configured : path.join("data", "secrets.json"));
}

/** @param {string} file @returns {Record<string, unknown>} */
function readSecretsFile(file) {
  if (!existsSync(file)) return {};
  let parsed;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${error instanceof Error ? error.message : error}): fix it, or delete it to generate new secrets (new pseudonyms in later releases)`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error(`${file} must hold a JSON object of secrets`);
  return parsed;
}

/**
 * Writes `contents` to `file` without a reader ever seeing a half-written file: a temporary file is
 * linked into place when the file does not exist yet (so of two processes creating it at once, one
 * wins and the other reads the winner's values), or renamed over it when secrets are added.
 * @param {string} file @param {Record<string, unknown>} contents @param {boolean} replace
 */
function writeSecretsFile(file, contents, replace) {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(temporary, JSON.stringify(contents, null, 2) + "\n", { mode: 0o600 });
  try {
    if (replace) renameSync(temporary, file);
    else linkSync(temporary, file);
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== "EEXIST") throw error;
  } finally {
    if (existsSync(temporary)) unlinkSync(temporary);
  }
}

/**
 * The generated secrets that `environment` does not set, read from the secrets file; missing ones are
 * generated and stored first when `create` is true. Set variables are never written to the file.
 * @param {Record<string, string | undefined>} environment
 * @param {{ create: boolean }} options
 * @returns {GeneratedSecrets}
 */
export function resolveGeneratedSecrets(environment, { create }) {
  const names = /** @type {GeneratedSecretName[]} */ (Object.keys(GENERATED_SECRETS)).filter((name) => !environment[name]);
  if (names.length === 0) return {};
  const file = secretsFilePath(environment);
  let stored = readSecretsFile(file);
  const missing = names.filter((name) => typeof stored[name] !== "string" || String(stored[name]).length === 0);
  if (missing.length > 0 && create) {
    const existed = existsSync(file);
    writeSecretsFile(file, { ...stored, ...Object.fromEntries(missing.map((name) => [name, GENERATED_SECRETS[name]()])) }, existed);
    stored = readSecretsFile(file);
  }
  /** @type {GeneratedSecrets} */
  const resolved = {};
  for (const name of names) if (typeof stored[name] === "string" && stored[name]) resolved[name] = /** @type {string} */ (stored[name]);
  return resolved;
}

/**
 * Names of the generated secrets that still hold the public development value. In production this list
 * must be empty before the app serves requests or a release is published.
 * @param {Record<string, unknown>} values
 * @returns {string[]}
 */
export function secretsUsingDevelopmentValue(values) {
  return Object.keys(GENERATED_SECRETS).filter((name) => values[name] === DEVELOPMENT_SECRET);
}
