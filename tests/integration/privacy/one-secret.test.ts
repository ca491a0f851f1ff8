import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { pseudonymize } from "@/lib/domain/anonymization/pseudonym";
import { ZReleasedBattleSchema } from "@/lib/domain/release/schema";
import { env } from "@/lib/env";
import { publishDueRelease } from "@/lib/server/releases/schedule";
import { DEVELOPMENT_SECRET } from "@/lib/secrets.js";
import { callerFor, createUserWithRole } from "../helpers/caller";
import { resetDatabase } from "../helpers/db";
import { COMMON_PERSONA, createAnnotator, createModels, createVotedBattle, db } from "../releases/release-fixtures";
import { runScript } from "./cli-support";

// The app's release folder for this file (the admin page publishes there); set before lib/env is read.
const releaseDir = vi.hoisted(() => (process.env.RELEASE_DIR = `${process.env.TMPDIR ?? "/tmp"}/one-secret-releases-${process.pid}-${Date.now()}`));

const CLI = "scripts/release-publish.ts";
/** Months published: by the command line, the admin page (tRPC) and the scheduler. */
const BY_CLI = "2026-07";
const BY_ADMIN = "2026-08";
const BY_SCHEDULER = "2026-09";

const userIds: string[] = [];

async function releasedPseudonyms(version: string): Promise<Map<string, string>> {
  const jsonl = await readFile(join(releaseDir, version, "battles.jsonl"), "utf8");
  const byPrompt = new Map<string, string>();
  for (const line of jsonl.trimEnd().split("\n")) {
    const row = ZReleasedBattleSchema.parse(JSON.parse(line));
    byPrompt.set(row.turns[0]!.prompt, row.annotator);
  }
  return byPrompt;
}

beforeAll(async () => {
  await resetDatabase(db);
  const { modelA, modelB } = await createModels();
  for (let index = 0; index < 6; index++) {
    const { user, persona } = await createAnnotator({ persona: COMMON_PERSONA });
    userIds.push(user.id);
    for (const [month, day] of [["07", 10], ["08", 11], ["09", 12]] as const) {
      await createVotedBattle({
        userId: user.id,
        personaVersionId: persona.id,
        modelAId: modelA.id,
        modelBId: modelB.id,
        prompt: `question of annotator ${index} in ${month}`,
        createdAt: new Date(`2026-${month}-${day}T10:00:00Z`),
      });
    }
  }
});

afterAll(async () => {
  await resetDatabase(db);
  await rm(releaseDir, { recursive: true, force: true });
});

describe("one source of secrets for every process", () => {
  it("the tests read PSEUDONYM_SECRET from the secrets file, not the development default", () => {
    const stored = JSON.parse(readFileSync(env.SECRETS_FILE, "utf8"));
    expect(env.PSEUDONYM_SECRET).toBe(stored.PSEUDONYM_SECRET);
    expect(env.PSEUDONYM_SECRET).not.toBe(DEVELOPMENT_SECRET);
  });

  it("gives an annotator one pseudonym whether the CLI, the admin page or the scheduler publishes", async () => {
    const cli = await runScript(CLI, ["--window", BY_CLI], { PSEUDONYM_SECRET: undefined, AUTH_SECRET: undefined });
    expect(cli.stderr).toBe("");
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ version: BY_CLI, rows: 6 });

    const admin = await createUserWithRole("admin");
    await (await callerFor(admin)).release.publish({ window: BY_ADMIN });

    const scheduled = await publishDueRelease(db, { now: new Date("2026-10-20T00:00:00Z"), cadence: "monthly" });
    expect(scheduled?.version).toBe(BY_SCHEDULER);

    const stored = JSON.parse(readFileSync(env.SECRETS_FILE, "utf8"));
    for (const [monthIndex, version] of [BY_CLI, BY_ADMIN, BY_SCHEDULER].entries()) {
      const pseudonyms = await releasedPseudonyms(version);
      userIds.forEach((userId, index) => {
        const month = ["07", "08", "09"][monthIndex];
        const expected = pseudonymize(userId, stored.PSEUDONYM_SECRET);
        expect(pseudonyms.get(`question of annotator ${index} in ${month}`), `${version} annotator ${index}`).toBe(expected);
        expect(expected).not.toBe(pseudonymize(userId, DEVELOPMENT_SECRET));
      });
    }
  });

  it("the command line creates the secrets file when it is missing", async () => {
    const fresh = join(await mkdtemp(join(tmpdir(), "fresh-secrets-")), "data", "secrets.json");
    const result = await runScript(CLI, ["--window", "2026-02"], { SECRETS_FILE: fresh, PSEUDONYM_SECRET: undefined, AUTH_SECRET: undefined });
    expect(result.stderr).toContain("Not published: Nothing to publish for 2026-02");
    expect(existsSync(fresh)).toBe(true);
    const created = JSON.parse(readFileSync(fresh, "utf8"));
    expect(created.PSEUDONYM_SECRET).toMatch(/^[\w-]{32,}$/);
    expect(created.AUTH_SECRET).toMatch(/^[\w-]{32,}$/);
  });

  it("admin:create reads and creates the secrets file the same way", async () => {
    const fresh = join(await mkdtemp(join(tmpdir(), "admin-secrets-")), "secrets.json");
    const result = await runScript("scripts/admin-create.ts", ["--email", "first.admin@example.org", "--password", "a long enough password"], {
      SECRETS_FILE: fresh,
      PSEUDONYM_SECRET: undefined,
      AUTH_SECRET: undefined,
    });
    expect(result.stdout).toContain("first.admin@example.org");
    expect(result.code).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(fresh, "utf8"))).sort()).toEqual(["AUTH_SECRET", "PSEUDONYM_SECRET"]);
  });

  it("refuses to publish in production with the development default, with a clear message", async () => {
    const result = await runScript(CLI, ["--window", "2026-03"], { NODE_ENV: "production", PSEUDONYM_SECRET: DEVELOPMENT_SECRET });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Not published: Refusing to publish a release in production with the public development value of PSEUDONYM_SECRET");
    expect(await db.release.findUnique({ where: { version: "2026-03" } })).toBeNull();
  });

  it("refuses to serve in production with the development default, with a clear message", async () => {
    const result = await runScript("scripts/serve.js", ["--port", "3299"], { NODE_ENV: "production", AUTH_SECRET: DEVELOPMENT_SECRET });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Refusing to serve requests in production with the public development value of AUTH_SECRET");
  });
});
