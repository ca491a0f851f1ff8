import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEVELOPMENT_SECRET, GENERATED_SECRETS, resolveGeneratedSecrets, secretsUsingDevelopmentValue } from "@/lib/secrets.js";

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "secrets-unit-"));
  file = join(dir, "nested", "secrets.json");
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("resolveGeneratedSecrets", () => {
  it("creates the file with a random value for every generated secret, readable by its owner only", () => {
    const resolved = resolveGeneratedSecrets({ SECRETS_FILE: file }, { create: true });
    expect(Object.keys(resolved).sort()).toEqual(Object.keys(GENERATED_SECRETS).sort());
    for (const value of Object.values(resolved)) expect(value!.length).toBeGreaterThanOrEqual(32);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(resolved);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("returns the same values to a second process reading the file", () => {
    const first = resolveGeneratedSecrets({ SECRETS_FILE: file }, { create: true });
    expect(resolveGeneratedSecrets({ SECRETS_FILE: file }, { create: false })).toEqual(first);
    expect(resolveGeneratedSecrets({ SECRETS_FILE: file }, { create: true })).toEqual(first);
  });

  it("lets the environment win and never writes a variable that is set", () => {
    const resolved = resolveGeneratedSecrets({ SECRETS_FILE: file, PSEUDONYM_SECRET: "from-the-environment-0123" }, { create: true });
    expect(resolved.PSEUDONYM_SECRET).toBeUndefined();
    expect(JSON.parse(readFileSync(file, "utf8")).PSEUDONYM_SECRET).toBeUndefined();
  });

  it("adds a newly generated secret to an existing file and keeps the others", () => {
    writeFileSync(join(dir, "secrets.json"), JSON.stringify({ AUTH_SECRET: "kept-auth-secret-0123456789" }));
    const resolved = resolveGeneratedSecrets({ SECRETS_FILE: join(dir, "secrets.json") }, { create: true });
    expect(resolved.AUTH_SECRET).toBe("kept-auth-secret-0123456789");
    expect(resolved.PSEUDONYM_SECRET).toMatch(/^[\w-]{32,}$/);
  });

  it("reads nothing and creates nothing when asked only to read", () => {
    expect(resolveGeneratedSecrets({ SECRETS_FILE: file }, { create: false })).toEqual({});
    expect(existsSync(file)).toBe(false);
  });
});

describe("secretsUsingDevelopmentValue", () => {
  it("names the secrets that hold the public development value", () => {
    expect(secretsUsingDevelopmentValue({ AUTH_SECRET: "x".repeat(32), PSEUDONYM_SECRET: DEVELOPMENT_SECRET })).toEqual(["PSEUDONYM_SECRET"]);
    expect(secretsUsingDevelopmentValue({ AUTH_SECRET: "x".repeat(32), PSEUDONYM_SECRET: "y".repeat(32) })).toEqual([]);
  });
});

describe("a damaged secrets file", () => {
  it("is named in the error instead of being replaced silently", () => {
    const damaged = join(mkdtempSync(join(tmpdir(), "secrets-damaged-")), "secrets.json");
    writeFileSync(damaged, "{ not json");
    expect(() => resolveGeneratedSecrets({ SECRETS_FILE: damaged }, { create: true })).toThrow(`${damaged} is not valid JSON`);
    expect(readFileSync(damaged, "utf8")).toBe("{ not json");
  });
});
