import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createBackgroundScheduler } from "@/lib/server/jobs/scheduler";
import type { BackgroundJob } from "@/lib/server/jobs/registry";
import { GET as getReleaseIndex } from "@/app/api/v1/releases/route";
import { serveReleaseFile } from "@/lib/server/releases/download";
import { publishDueRelease } from "@/lib/server/releases/schedule";
import { DELETE_ACCOUNT_CONFIRMATION } from "@/lib/server/services/account-deletion";
import { getRelease, publishRelease } from "@/lib/server/services/releases";
import { callerFor, createUserWithRole } from "../helpers/caller";
import { resetDatabase } from "../helpers/db";
import { COMMON_PERSONA, createAnnotator, createModels, createVotedBattle, db, PUBLISH_AT, tempReleaseDir, WINDOW } from "./release-fixtures";

let releaseDir: string;

/** As the route serves it: the release as release.byVersion reads it, then the file. */
async function download(file: string, init: RequestInit = {}) {
  const request = new Request(`http://localhost/api/v1/releases/${WINDOW}/${file}`, init);
  return serveReleaseFile(db, request, await getRelease(db, WINDOW, { releaseDir }), WINDOW, file, { releaseDir });
}

async function downloads(): Promise<number> {
  return (await db.release.findUniqueOrThrow({ where: { version: WINDOW } })).downloadCount;
}

beforeAll(async () => {
  await resetDatabase(db);
  releaseDir = await tempReleaseDir();
  const { modelA, modelB } = await createModels();
  for (let index = 0; index < 6; index++) {
    const { user, persona } = await createAnnotator({ persona: COMMON_PERSONA });
    await createVotedBattle({ userId: user.id, personaVersionId: persona.id, modelAId: modelA.id, modelBId: modelB.id });
    await createVotedBattle({ userId: user.id, personaVersionId: persona.id, modelAId: modelA.id, modelBId: modelB.id, createdAt: new Date("2026-08-12T00:00:00Z") });
  }
  const admin = await createUserWithRole("admin");
  await publishRelease(db, { window: WINDOW, now: PUBLISH_AT, releaseDir, actorId: admin.id });
});

describe("release router", () => {
  it("publishing needs the release:publish scope", async () => {
    const researcher = await callerFor(await createUserWithRole("researcher"));
    await expect(researcher.release.publish({ window: "2026-11" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("admins get a readable refusal for a window still under embargo", async () => {
    const admin = await callerFor(await createUserWithRole("admin"));
    await expect(admin.release.publish({ window: "2099-01" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/embargo/) });
  });

  it("lists the published release publicly", async () => {
    const releases = await (await callerFor(null)).release.list();
    expect(releases.map((release) => release.version)).toEqual([WINDOW]);
  });
});

describe("public downloads", () => {
  it("streams a file with its content type, length and checksum ETag, and counts it", async () => {
    const before = await downloads();
    const response = await download("battles.jsonl");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.equals(await readFile(join(releaseDir, WINDOW, "battles.jsonl")))).toBe(true);
    expect(response.headers.get("content-length")).toBe(String(body.byteLength));
    const release = await db.release.findUniqueOrThrow({ where: { version: WINDOW } });
    const entry = (release.files as Array<{ name: string; sha256: string }>).find((file) => file.name === "battles.jsonl")!;
    expect(response.headers.get("etag")).toBe(`"${entry.sha256}"`);
    expect(await downloads()).toBe(before + 1);
  });

  it.each([
    ["battles.csv", "text/csv; charset=utf-8"],
    ["battles.parquet", "application/vnd.apache.parquet"],
    ["manifest.json", "application/json; charset=utf-8"],
    ["README.md", "text/markdown; charset=utf-8"],
  ])("answers HEAD for %s with %s and does not count it", async (file, type) => {
    const before = await downloads();
    const response = await download(file, { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(type);
    expect(Number(response.headers.get("content-length"))).toBeGreaterThan(0);
    expect(await downloads()).toBe(before);
  });

  it.each(["../../etc/passwd", "..%2Fmanifest.json", "battles.jsonl.partial", ".env"])("refuses %s: only the release's files can be reached", async (file) => {
    const response = await download(file);
    expect(response.status).toBe(404);
    expect((await response.json()).error).toMatch(/no file named/);
  });

  it("404s an unknown release", async () => {
    const response = await serveReleaseFile(db, new Request("http://localhost/x"), await getRelease(db, "2020-01", { releaseDir }), "2020-01", "battles.jsonl", { releaseDir });
    expect(response.status).toBe(404);
  });

  it("lists published releases with download URLs in the JSON index", async () => {
    const index = await (await getReleaseIndex(new Request("http://arena.test/api/v1/releases"))).json();
    expect(index.releases[0].version).toBe(WINDOW);
    expect(index.releases[0].files.map((file: { url: string }) => file.url)).toContain(`http://arena.test/api/v1/releases/${WINDOW}/battles.parquet`);
  });
});

describe("researcher API tokens", () => {
  it("are created once in full, listed by prefix, used as bearer tokens, and refused once revoked", async () => {
    const researcher = await createUserWithRole("researcher");
    const caller = await callerFor(researcher);
    const created = await caller.token.create({ name: "laptop" });
    expect(created.token).toMatch(/^pa_[A-Za-z0-9_-]{43}$/);
    const stored = await db.apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.tokenHash).not.toContain(created.token);
    expect(JSON.stringify(await caller.token.list())).not.toContain(created.token);
    expect((await caller.token.list())[0]).toMatchObject({ name: "laptop", prefix: created.token.slice(0, 11), revokedAt: null });

    const before = await downloads();
    const ok = await download("battles.parquet", { headers: { Authorization: `Bearer ${created.token}` } });
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
    expect(await downloads()).toBe(before + 1);
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt).not.toBeNull();

    await caller.token.revoke({ id: created.id });
    const revoked = await download("battles.parquet", { headers: { Authorization: `Bearer ${created.token}` } });
    expect(revoked.status).toBe(401);
    expect((await revoked.json()).error).toMatch(/revoked/);
    expect(await downloads()).toBe(before + 1);
  });

  it("an unknown or malformed token is 401 with a JSON message", async () => {
    for (const header of ["Bearer pa_notarealtoken", "Basic abc"]) {
      const response = await download("battles.jsonl", { headers: { Authorization: header } });
      expect(response.status).toBe(401);
      expect(typeof (await response.json()).error).toBe("string");
    }
  });

  it("annotators cannot manage tokens", async () => {
    const annotator = await createUserWithRole("annotator");
    await expect((await callerFor(annotator)).token.create({ name: "x" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("another user cannot revoke someone's token", async () => {
    const owner = await callerFor(await createUserWithRole("researcher"));
    const token = await owner.token.create({ name: "mine" });
    const other = await callerFor(await createUserWithRole("researcher"));
    await expect(other.token.revoke({ id: token.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("opt-out and account deletion", () => {
  it("opting out appends a consent record and opting back in another", async () => {
    const { user } = await createAnnotator({ persona: COMMON_PERSONA });
    const caller = await callerFor(user.id);
    expect(await caller.account.setReleaseOptOut({ optOut: true })).toMatchObject({ optedOut: true });
    expect(await caller.account.setReleaseOptOut({ optOut: false })).toMatchObject({ optedOut: false });
    expect(await db.consentRecord.count({ where: { userId: user.id } })).toBe(3);
  });

  it("deletion needs the typed confirmation, erases personal data, revokes tokens and signs out", async () => {
    const { modelA, modelB } = { modelA: await db.arenaModel.findUniqueOrThrow({ where: { slug: "alpha-model" } }), modelB: await db.arenaModel.findUniqueOrThrow({ where: { slug: "beta-model" } }) };
    const { user, persona } = await createAnnotator({ persona: { ...COMMON_PERSONA, aboutMe: "I love hiking" } });
    await db.user.update({ where: { id: user.id }, data: { role: "researcher", name: "Dana" } });
    await createVotedBattle({ userId: user.id, personaVersionId: persona.id, modelAId: modelA.id, modelBId: modelB.id, prompt: "my private question", feedback: "my private feedback" });
    const caller = await callerFor(user.id);
    await caller.token.create({ name: "t" });
    await expect(caller.account.delete({ confirmation: "yes" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await caller.account.delete({ confirmation: DELETE_ACCOUNT_CONFIRMATION });

    const erased = await db.user.findUniqueOrThrow({ where: { id: user.id }, omit: { passwordHash: false } });
    expect(erased).toMatchObject({ email: null, name: null, passwordHash: null });
    expect(erased.deletedAt).not.toBeNull();
    expect((await db.personaVersion.findFirstOrThrow({ where: { userId: user.id } })).data).toEqual({});
    expect(await db.vote.findFirstOrThrow({ where: { userId: user.id } })).toMatchObject({ feedbackGeneral: null });
    expect(JSON.stringify(await db.turn.findMany({ where: { battle: { userId: user.id } } }))).not.toContain("my private question");
    expect(await db.apiToken.count({ where: { userId: user.id, revokedAt: null } })).toBe(0);
    await expect((await callerFor(user.id)).account.releasePreference()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("scheduled publishing", () => {
  it("two instances publish the previous period once", async () => {
    const scheduleDir = await tempReleaseDir();
    const now = new Date("2026-09-10T00:00:00Z");
    const published: string[] = [];
    const job: BackgroundJob = {
      name: "release.publish.test",
      intervalMs: 60_000,
      run: async ({ db: jobDb }) => {
        const release = await publishDueRelease(jobDb, { now, cadence: "monthly", releaseDir: scheduleDir });
        if (release) published.push(release.version);
      },
    };
    const instances = ["one", "two"].map((holder) => createBackgroundScheduler({ db, holder, jobs: () => [job], now: () => now }));
    await Promise.all(instances.map((instance) => instance.tick()));
    await Promise.all(instances.map((instance) => instance.tick()));
    expect(published).toEqual(["2026-08"]);
    expect((await db.release.findUniqueOrThrow({ where: { version: "2026-08" } })).status).toBe("published");
    expect(await publishDueRelease(db, { now, cadence: "monthly", releaseDir: scheduleDir })).toBeNull();
    await Promise.all(instances.map((instance) => instance.stop()));
  });

  it("does nothing while the embargo runs or when the cadence is off", async () => {
    expect(await publishDueRelease(db, { now: new Date("2026-10-03T00:00:00Z"), cadence: "monthly" })).toBeNull();
    expect(await publishDueRelease(db, { now: PUBLISH_AT, cadence: "off" })).toBeNull();
    expect(await db.release.findUnique({ where: { version: "2026-09" } })).toBeNull();
  });
});
