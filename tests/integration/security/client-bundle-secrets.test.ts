/**
 * Secrets never reach the browser: the client assets of a production build made WITH known secret
 * values in its environment (see ensureBuild) are searched for those values.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BUILD_DATABASE_URL, ensureBuild, TEST_AUTH_SECRET, TEST_METRICS_TOKEN, TEST_PROVIDER_KEY, TEST_PSEUDONYM_SECRET } from "@/scripts/load/app-process";
import { SECURITY_DIST_DIR } from "./support/built-app";

const DEVELOPMENT_DEFAULT_SECRET = "persona-arena-development-secret-not-for-production";

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

describe("client bundle", () => {
  let files: string[];

  beforeAll(() => {
    ensureBuild(SECURITY_DIST_DIR);
    files = filesUnder(path.join(process.cwd(), SECURITY_DIST_DIR, "static"));
  }, 900_000);

  it("has client scripts to search (the scan is not vacuous)", () => {
    expect(files.filter((file) => file.endsWith(".js")).length).toBeGreaterThan(5);
  });

  it.each([
    ["AUTH_SECRET", TEST_AUTH_SECRET],
    ["PSEUDONYM_SECRET", TEST_PSEUDONYM_SECRET],
    ["METRICS_TOKEN", TEST_METRICS_TOKEN],
    ["a model provider API key", TEST_PROVIDER_KEY],
    ["DATABASE_URL", BUILD_DATABASE_URL],
    ["the development default secret", DEVELOPMENT_DEFAULT_SECRET],
  ])("contains no trace of %s", (_name, secret) => {
    const containing = files.filter((file) => {
      const content = readFileSync(file);
      return content.includes(secret) || content.includes(Buffer.from(secret).toString("base64"));
    });
    expect(containing.map((file) => path.relative(process.cwd(), file))).toEqual([]);
  });
});
