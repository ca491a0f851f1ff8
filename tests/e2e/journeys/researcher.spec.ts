import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pastWindow, seedOldVotes } from "../fixtures/old-votes";
import { openDatabase, openMenu, saveScreenshot, signIn, signUp } from "./helpers";

test("a researcher finds the Research page, creates a token and downloads a release with the copied command", async ({ page, browser, request, baseURL }, testInfo) => {
  // An admin: publishing an empty window says why and leaves no failed row; a release is published unless one exists (e.g. the demo release).
  await signIn(page, "admin@e2e.test", "admin-password-e2e");
  await page.goto("/admin/releases");
  await page.getByLabel("Window").fill("2020-01");
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Nothing to publish for 2020-01: it has no releasable votes." })).toBeVisible();
  await expect(page.getByTestId("release-row-2020-01")).toHaveCount(0);

  let releases = (await (await request.get("/api/v1/releases")).json()) as { releases: Array<{ version: string; rows: number }> };
  let publishedHere: string | null = null;
  if (releases.releases.length === 0) {
    // Three months back: not the window tests/e2e/releases.spec.ts publishes.
    const { version, inside } = pastWindow(3);
    await seedOldVotes(inside, "e2ejrn");
    await page.getByLabel("Window").fill(version);
    await page.getByRole("button", { name: "Publish" }).click();
    await expect(page.getByText(`Release ${version} published with 6 battles.`)).toBeVisible({ timeout: 30_000 });
    releases = (await (await request.get("/api/v1/releases")).json()) as typeof releases;
    publishedHere = version;
  }
  const latest = releases.releases[0]!;

  // The audit log reads as sentences with names, not ids and JSON.
  await page.goto("/admin/audit");
  if (publishedHere) {
    const row = page.getByTestId("audit-row").filter({ hasText: "Published a release" }).first();
    await expect(row).toContainText(`Release ${publishedHere}`);
    await expect(row).toContainText("Battles: 6");
    await expect(row).toContainText("admin@e2e.test");
  } else {
    await expect(page.getByTestId("audit-row").first().or(page.getByText("No entries."))).toBeVisible();
  }
  await saveScreenshot(page, testInfo, "admin-audit");

  await page.goto("/releases");
  await expect(page.getByTestId("next-release")).toContainText(/Next release: \d{4}-\d{2} .* due \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
  await saveScreenshot(page, testInfo, "releases");

  // The researcher, in a browser of their own.
  const context = await browser.newContext({ ...testInfo.project.use, baseURL });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  const researcherPage = await context.newPage();
  const email = `researcher-dl-${testInfo.project.name}-${Date.now()}@e2e.test`;
  await signUp(researcherPage, email, "correct horse battery");
  const db = await openDatabase();
  await db.execute({ sql: `UPDATE "User" SET role = 'researcher' WHERE email = ?`, args: [email] });
  db.close();
  // A role written straight into the database (as another instance would write it) reaches the app within the
  // session-user cache's bound (SESSION_USER_TTL_MS, 1 s): the page is loaded again until the menu offers Research.
  const researchLink = researcherPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Research" });
  await expect(async () => {
    await researcherPage.goto("/arena");
    await openMenu(researcherPage);
    await expect(researchLink).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await researchLink.click();
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
  expect(lines).toHaveLength(latest.rows);
  for (const line of lines) expect(JSON.parse(line)).toHaveProperty("battle_id");
  await context.close();
});
