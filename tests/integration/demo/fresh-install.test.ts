import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LeaderboardView } from "@/components/leaderboard/leaderboard-view";
import { getLeaderboard } from "@/lib/server/leaderboards/read";
import { computeAndStoreLeaderboards } from "@/lib/server/leaderboards/recompute";
import { runQueuedJudgeRuns } from "@/lib/server/judge/run";
import { refitPreferenceGroups } from "@/lib/server/preference-groups/job";
import { getMyPreferenceGroup, getPreferenceGroups } from "@/lib/server/preference-groups/read";
import { getOwnerDashboard, listDashboardOrganizations } from "@/lib/server/services/owner-dashboard";
import { seedDemoHistory } from "@/lib/server/services/demo-history";
import { setOrganizationMembership, changeUserRole } from "@/lib/server/services/users-admin";
import { callerFor, createUserWithRole, db } from "../helpers/caller";
import { resetDatabase } from "../helpers/db";
import { seedDemoContent } from "@/prisma/seed";

/** What every role sees on a fresh install with the living demo: the judge, preference groups and the owner dashboard. */
const NOW = new Date("2026-12-06T10:00:00Z");

beforeAll(async () => {
  await resetDatabase(db);
  await seedDemoContent(db);
  await seedDemoHistory(db, { now: NOW, releaseDir: await mkdtemp(join(tmpdir(), "fresh-install-")) });
}, 300_000);

afterAll(async () => {
  await resetDatabase(db);
});

describe("the demo judge on the living demo", () => {
  it("judges voted demo battles with the persona the models saw and shows the planted persona effect", async () => {
    const admin = await createUserWithRole("admin");
    const caller = await callerFor(admin);
    const started = await caller.judge.start({ judgeModelId: null, sampleSize: 1000, seed: 11 });
    await runQueuedJudgeRuns(db);
    const run = await caller.judge.get({ id: started.id });
    expect(run.status).toBe("completed");
    expect(run.done).toBe(2000);
    const summary = run.summary!;
    expect(summary.sampled).toBe(1000);
    expect(summary.groupCount).toBeGreaterThan(1);
    const { judge_persona: aware, judge_blind: blind, group_model: groups, global_board: global } = summary.methods;
    for (const method of [aware, blind, groups, global]) {
      expect(method.items).toBe(1000);
      expect(method.curve.map((point) => point.minCertainty)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(method.curve[0].coverage).toBeCloseTo(method.answered / 1000, 12);
    }
    expect(aware.abstained + blind.abstained).toBe(0);
    // The demo judge reads the stated length preference, which the demo's "brief" group acts on.
    expect(aware.agreement!).toBeGreaterThan(blind.agreement!);
    // The judge saw the persona exactly as the models did: the demo battles' first-turn system prompt.
    const judged = await db.judgeItem.findFirstOrThrow({ where: { runId: started.id }, select: { voteId: true } });
    const turn = await db.turn.findFirstOrThrow({ where: { index: 0, battle: { vote: { id: judged.voteId } } }, select: { systemPrompt: true } });
    expect(turn.systemPrompt).toContain("About the user");
    // The group model, fitted on the other votes, beats the global board on these annotators.
    expect(groups.agreement!).toBeGreaterThan(global.agreement!);
  }, 300_000);
});

describe("preference groups on the living demo", () => {
  it("the background job fits several groups per modality, and an annotator finds their own group", async () => {
    await refitPreferenceGroups(db, NOW);
    const text = (await getPreferenceGroups(db, "text"))!;
    expect(text.groupCount).toBeGreaterThan(1);
    expect(text.groups.every((group) => group.rows.length === 5)).toBe(true);
    expect(new Set(text.groups.map((group) => group.rows[0].slug)).size).toBeGreaterThan(1);
    expect(text.groups.some((group) => group.traits.length > 0)).toBe(true);
    for (const modality of ["image", "audio"] as const) expect((await getPreferenceGroups(db, modality))?.groupCount).toBeGreaterThanOrEqual(1);
    const annotator = await db.user.findFirstOrThrow({ where: { simulated: true, votes: { some: { modality: "text" } } }, select: { id: true } });
    const mine = await getMyPreferenceGroup(db, annotator.id, "text");
    expect(mine.reason).toBeNull();
    expect(mine.group?.rows.length).toBe(5);

    // The main leaderboard's "for people like you" area links to the annotator's own group board.
    await computeAndStoreLeaderboards(db, { now: NOW });
    const view = await getLeaderboard(db, "text");
    const props = { modality: "text" as const, variant: "overall", personal: false, data: view.data, segments: view.segments, categories: view.categories, hasStyle: view.hasStyle, provisionalMinVotes: 30 };
    const html = renderToStaticMarkup(createElement(LeaderboardView, { ...props, personalState: { available: true, message: null }, myGroup: { index: mine.group!.index, probability: mine.probability } }));
    expect(html).toContain(`For people who vote like you: group ${mine.group!.index + 1}`);
    expect(html).toContain('href="/leaderboard/groups?modality=text"');
    expect(renderToStaticMarkup(createElement(LeaderboardView, { ...props, personalState: null }))).not.toContain("variant-my-group");
  }, 120_000);
});

describe("the owner dashboard on the living demo", () => {
  it("shows a demo organization's models with ratings, history, opponents, segments and feedback once an admin makes someone its owner", async () => {
    await computeAndStoreLeaderboards(db, { now: NOW });
    const admin = await createUserWithRole("admin");
    const owner = await createUserWithRole("annotator", "owner@example.org");
    await changeUserRole(db, admin, { userId: owner.id, role: "model_owner" });
    const aurora = await db.organization.findUniqueOrThrow({ where: { slug: "aurora-labs" }, select: { id: true } });
    expect(await listDashboardOrganizations(db, { id: owner.id, role: "model_owner" })).toEqual([]);
    await setOrganizationMembership(db, admin, { userId: owner.id, organizationId: aurora.id, role: "owner" });
    const ownerUser = { id: owner.id, role: "model_owner" };
    expect((await listDashboardOrganizations(db, ownerUser)).map((organization) => organization.id)).toEqual([aurora.id]);
    const dashboard = await getOwnerDashboard(db, ownerUser, aurora.id, NOW);
    expect(dashboard.models.map((model) => model.modality).sort()).toEqual(["audio", "image", "text", "text"]);
    for (const model of dashboard.models) {
      expect(model.current?.votes).toBeGreaterThan(50);
      expect(model.history.length).toBeGreaterThanOrEqual(10);
      expect(model.opponents.length).toBeGreaterThan(0);
      expect(model.votesByDay.length).toBeGreaterThanOrEqual(30);
    }
    expect(dashboard.models.filter((model) => model.modality === "text").every((model) => model.segments.length > 0)).toBe(true);
    expect(dashboard.feedback.length).toBeGreaterThan(10);
    expect(dashboard.feedback.every((item) => item.text.length > 0 && ["won", "lost", "tie", "both_bad"].includes(item.result))).toBe(true);
    const other = await db.organization.findUniqueOrThrow({ where: { slug: "basalt-ai" }, select: { id: true } });
    await expect(getOwnerDashboard(db, ownerUser, other.id, NOW)).rejects.toThrow();
  }, 120_000);
});
