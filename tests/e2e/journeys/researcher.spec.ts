import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openDatabase, openMenu, saveScreenshot, signIn, signUp } from "./helpers";

/** Three months back: ended, past its embargo, and not the window tests/e2e/releases.spec.ts publishes. */
function pastWindow(): { version: string; inside: string } {
  const now = new Date();
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 3, 1));
  const version = `${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, "0")}`;
  return { version, inside: new Date(start.getTime() + 12 * 86_400_000).toISOString().replace("Z", "+00:00") };
}

/** Votes old enough to publish cannot be cast through the UI, so they are written directly. */
async function seedOldVotes(inside: string): Promise<void> {
  const db = openDatabase();
  const models = await db.execute(`SELECT id FROM "ArenaModel" WHERE modality = 'text' ORDER BY slug LIMIT 2`);
  const [modelA, modelB] = models.rows.map((row) => String(row.id));
  for (let index = 0; index < 6; index++) {
    const id = `e2ejrn${index}`;
    await db.batch(
      [
        { sql: `INSERT INTO "User" (id, email, role, "isGuest", "createdAt", "updatedAt") VALUES (?, ?, 'annotator', 0, ?, ?)`, args: [`u${id}`, `${id}@e2e.test`, inside, inside] },
        { sql: `INSERT INTO "ConsentRecord" (id, "userId", "termsVersion", license, "acceptedAt", "releaseOptOut") VALUES (?, ?, 'e2e', 'CC-BY-4.0', ?, 0)`, args: [`c${id}`, `u${id}`, inside] },
        { sql: `INSERT INTO "Battle" (id, "publicId", "userId", modality, personalized, "modelAId", "modelBId", status, "isGold", "createdAt") VALUES (?, ?, ?, 'text', 0, ?, ?, 'voted', 0, ?)`, args: [`b${id}`, `pub-${id}`, `u${id}`, modelA!, modelB!, inside] },
        { sql: `INSERT INTO "Turn" (id, "battleId", "index", prompt, "createdAt") VALUES (?, ?, 0, 'Name a colour', ?)`, args: [`t${id}`, `b${id}`, inside] },
        { sql: `INSERT INTO "Response" (id, "turnId", side, "modelId", status, text, attempt, "startedAt") VALUES (?, ?, 'a', ?, 'complete', 'Blue', 1, ?)`, args: [`ra${id}`, `t${id}`, modelA!, inside] },
        { sql: `INSERT INTO "Response" (id, "turnId", side, "modelId", status, text, attempt, "startedAt") VALUES (?, ?, 'b', ?, 'complete', 'Green', 1, ?)`, args: [`rb${id}`, `t${id}`, modelB!, inside] },
        { sql: `INSERT INTO "Vote" (id, "battleId", "userId", modality, "modelAId", "modelBId", outcome, "countsForRating", "invalidReasons", "createdAt") VALUES (?, ?, ?, 'text', ?, ?, 'model_a', 1, '', ?)`, args: [`v${id}`, `b${id}`, `u${id}`, modelA!, modelB!, inside] },
      ],
      "write",
    );
  }
  db.close();
}

test("a researcher finds the Research page, creates a token and downloads a release with the copied command", async ({ page, browser, request, baseURL }, testInfo) => {
  // An admin: publishing an empty window says why and leaves no failed row; a release is published unless one exists (e.g. the demo release).
  await signIn(page, "admin@e2e.test", "admin-password-e2e");
  await page.goto("/admin/releases");
  await page.getByLabel("Window").fill("2020-01");
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Nothing to publish for 2020-01: it has no releasable votes." })).toBeVisible();
  await expect(page.getByTestId("release-row-2020-01")).toHaveCount(0);

  let releases = (await (await request.get("/api/v1/releases")).json()) as { releases: Array<{ version: string; rowCount: number }> };
  if (releases.releases.length === 0) {
    const { version, inside } = pastWindow();
    await seedOldVotes(inside);
    await page.getByLabel("Window").fill(version);
    await page.getByRole("button", { name: "Publish" }).click();
    await expect(page.getByText(`Release ${version} published with 6 battles.`)).toBeVisible({ timeout: 30_000 });
    releases = (await (await request.get("/api/v1/releases")).json()) as typeof releases;
  }
  const latest = releases.releases[0]!;

  await page.goto("/releases");
  await expect(page.getByTestId("next-release")).toContainText(/Next release: \d{4}-\d{2} .* due \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
  await saveScreenshot(page, testInfo, "releases");

  // The researcher, in a browser of their own.
  const context = await browser.newContext({ ...testInfo.project.use, baseURL });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  const researcherPage = await context.newPage();
  const email = `researcher-dl-${testInfo.project.name}-${Date.now()}@e2e.test`;
  await signUp(researcherPage, email, "correct horse battery");
  const db = openDatabase();
  await db.execute({ sql: `UPDATE "User" SET role = 'researcher' WHERE email = ?`, args: [email] });
  db.close();
  await researcherPage.goto("/arena");
  await openMenu(researcherPage);
  await researcherPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Research" }).click();
  await researcherPage.waitForURL("**/researcher");
  await expect(researcherPage.getByTestId("next-release")).toBeVisible();

  await researcherPage.getByLabel("Name").fill("lab server");
  await researcherPage.getByRole("button", { name: "Create token" }).click();
  const command = researcherPage.getByTestId("copy-command");
  const expectedUrl = `${baseURL}/api/v1/releases/${latest.version}/battles.jsonl`;
  await expect(command).toHaveText(new RegExp(`^curl -fSLO -H "Authorization: Bearer [^"]+" ${expectedUrl.replace(/[.?]/g, "\\$&")}$`));
  await saveScreenshot(researcherPage, testInfo, "researcher");
  await researcherPage.getByRole("button", { name: "Copy" }).click();
  await expect(researcherPage.getByRole("button", { name: "Copied" })).toBeVisible();
  const copied = await researcherPage.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await command.textContent());

  // Pasted into a terminal as is.
  const directory = mkdtempSync(path.join(tmpdir(), "arena-download-"));
  execFileSync("bash", ["-c", copied], { cwd: directory, stdio: "pipe", timeout: 30_000 });
  const lines = readFileSync(path.join(directory, "battles.jsonl"), "utf8").trim().split("\n");
  expect(lines).toHaveLength(latest.rowCount);
  for (const line of lines) expect(JSON.parse(line)).toHaveProperty("battle_id");
  await context.close();
});
