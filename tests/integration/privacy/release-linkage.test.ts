import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ZReleasedBattleSchema, type TReleasedBattle } from "@/lib/domain/release/schema";
import { callerFor, createUserWithRole } from "../helpers/caller";
import { resetDatabase } from "../helpers/db";
import { COMMON_PERSONA, createAnnotator, createModels, createVotedBattle, db } from "../releases/release-fixtures";
import { runScript } from "./cli-support";

// Per-release pseudonyms for this file, and its own release folder; set before lib/env is read.
const releaseDir = vi.hoisted(() => {
  process.env.RELEASE_PSEUDONYM_SCOPE = "per_release";
  process.env.RELEASE_K = "5";
  return (process.env.RELEASE_DIR = `${process.env.TMPDIR ?? "/tmp"}/linkage-releases-${process.pid}-${Date.now()}`);
});

const K = 5;
const OTHER_PERSONA = { ...COMMON_PERSONA, gender: "man", country: "DE", ageBand: "45-54", responseStyle: "detailed", preferences: { factuality: 70, creativity: 85 } };
const publicIds: string[] = [];
let september: TReleasedBattle[] = [];
let october: TReleasedBattle[] = [];

async function releasedRows(version: string): Promise<TReleasedBattle[]> {
  const jsonl = await readFile(join(releaseDir, version, "battles.jsonl"), "utf8");
  return jsonl.trimEnd().split("\n").map((line) => ZReleasedBattleSchema.parse(JSON.parse(line)));
}

/** What an attacker joins non-overlapping releases on when pseudonyms differ: the released persona. */
function fingerprint(row: TReleasedBattle): string {
  return JSON.stringify({ ...row.persona, preferences: Object.entries(row.persona.preferences).sort() });
}

function annotatorsByFingerprint(rows: readonly TReleasedBattle[]): Map<string, Set<string>> {
  const groups = new Map<string, Set<string>>();
  for (const row of rows) groups.set(fingerprint(row), (groups.get(fingerprint(row)) ?? new Set()).add(row.annotator));
  return groups;
}

let admin: Awaited<ReturnType<typeof createUserWithRole>>;

beforeAll(async () => {
  await resetDatabase(db);
  admin = await createUserWithRole("admin");
  const { modelA, modelB } = await createModels();
  for (let index = 0; index < 10; index++) {
    const { user, persona } = await createAnnotator({ persona: index < 5 ? COMMON_PERSONA : OTHER_PERSONA });
    // Two votes in September, two in October (one of them in ISO week 44, which straddles the month end).
    for (const createdAt of ["2026-08-12T09:00:00Z", "2026-09-08T09:00:00Z", "2026-09-21T09:00:00Z", "2026-10-12T09:00:00Z", "2026-10-28T09:00:00Z"]) {
      publicIds.push(
        await createVotedBattle({ userId: user.id, personaVersionId: persona.id, modelAId: modelA.id, modelBId: modelB.id, prompt: `prompt ${index} ${createdAt}`, createdAt: new Date(createdAt) }),
      );
    }
  }
  await (await callerFor(admin)).release.publish({ window: "2026-10" });
});

afterAll(async () => {
  await resetDatabase(db);
  await rm(releaseDir, { recursive: true, force: true });
});

describe("no vote in two releases", () => {
  it("refuses, on the admin page, a week that overlaps a published month, naming it", async () => {
    const error = await (await callerFor(admin)).release.publish({ window: "2026-W44" }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "CONFLICT" });
    expect((error as Error).message).toBe(
      "Window 2026-W44 overlaps release 2026-10 (2026-10-01 to 2026-10-31), which is already published since " +
        `${new Date().toISOString().slice(0, 10)}. A vote is published in at most one release, so that releases cannot be joined on their battles: choose a window that does not overlap it.`,
    );
    expect(await db.release.findUnique({ where: { version: "2026-W44" } })).toBeNull();
  });

  it("refuses the same on the command line", async () => {
    const result = await runScript("scripts/release-publish.ts", ["--window", "2026-W40"], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Not published: Window 2026-W40 overlaps release 2026-10");
    expect(await db.release.findUnique({ where: { version: "2026-W40" } })).toBeNull();
  });

  it("lets exactly one of two overlapping windows published at the same time through", async () => {
    const caller = await callerFor(admin);
    const outcomes = await Promise.allSettled([caller.release.publish({ window: "2026-08" }), caller.release.publish({ window: "2026-W33" })]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    const refused = outcomes.find((outcome) => outcome.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: "CONFLICT" });
    expect((refused.reason as Error).message).toMatch(/^Window 2026-(08|W33) overlaps release 2026-(W33|08) /);
    expect(await db.release.count({ where: { version: { in: ["2026-08", "2026-W33"] }, status: "published" } })).toBe(1);
  });

  it("publishes the month before, which does not overlap", async () => {
    await (await callerFor(admin)).release.publish({ window: "2026-09" });
    september = await releasedRows("2026-09");
    october = await releasedRows("2026-10");
    expect(september).toHaveLength(20);
    expect(october).toHaveLength(20);
  });
});

describe("joining two per-release releases", () => {
  it("finds no shared battle id, and no database public id at all", () => {
    const octoberIds = new Set(october.map((row) => row.battle_id));
    expect(september.filter((row) => octoberIds.has(row.battle_id))).toEqual([]);
    for (const row of [...september, ...october]) {
      expect(row.battle_id).toMatch(/^battle_[0-9a-f]{16}$/);
      expect(publicIds).not.toContain(row.battle_id);
    }
  });

  it("finds no shared annotator pseudonym", () => {
    const octoberAnnotators = new Set(october.map((row) => row.annotator));
    expect(september.filter((row) => octoberAnnotators.has(row.annotator))).toEqual([]);
  });

  it("finds no shared vote: the same prompt is never released twice", () => {
    const octoberPrompts = new Set(october.map((row) => row.turns[0]!.prompt));
    expect(september.filter((row) => octoberPrompts.has(row.turns[0]!.prompt))).toEqual([]);
  });

  it("cannot single anyone out by the persona fingerprint: each one matches at least k annotators on either side", () => {
    const septemberGroups = annotatorsByFingerprint(september);
    const octoberGroups = annotatorsByFingerprint(october);
    for (const [print, annotators] of septemberGroups) {
      expect(annotators.size, print).toBeGreaterThanOrEqual(K);
      const candidates = octoberGroups.get(print);
      if (candidates) expect(candidates.size, print).toBeGreaterThanOrEqual(K);
    }
    for (const annotators of octoberGroups.values()) expect(annotators.size).toBeGreaterThanOrEqual(K);
  });
});
