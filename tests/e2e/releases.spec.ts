import { createClient } from "@libsql/client";
import { expect, test } from "@playwright/test";
import path from "node:path";

/** Two months back: the window has ended and its 7-day embargo has passed. */
function pastWindow(): { version: string; inside: string } {
  const now = new Date();
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 1));
  const version = `${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, "0")}`;
  return { version, inside: new Date(start.getTime() + 10 * 86_400_000).toISOString().replace("Z", "+00:00") };
}

/** Old votes cannot be made through the UI (they must predate the embargo), so they are written directly. */
async function seedOldVotes(inside: string): Promise<void> {
  const client = createClient({ url: `file:${path.join(process.env.E2E_DATA_DIR!, "arena.db")}` });
  const models = await client.execute(`SELECT id FROM "ArenaModel" WHERE modality = 'text' ORDER BY slug LIMIT 2`);
  const [modelA, modelB] = models.rows.map((row) => String(row.id));
  for (let index = 0; index < 6; index++) {
    const id = `e2erel${index}`;
    await client.batch(
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
  client.close();
}

test("an admin publishes a release and anyone downloads it", async ({ page, request }) => {
  const { version, inside } = pastWindow();
  await seedOldVotes(inside);

  await page.goto("/signin");
  await page.getByLabel("Email").fill("admin@e2e.test");
  await page.getByLabel("Password").fill("admin-password-e2e");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));

  await page.goto("/admin/releases");
  await page.getByLabel("Window").fill(version);
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByText(`Release ${version} published with 6 battles.`)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId(`release-row-${version}`)).toContainText("published");

  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "already published" })).toBeVisible();

  await page.goto("/releases");
  await expect(page.getByRole("link", { name: `Release ${version}` })).toBeVisible();
  await page.getByRole("link", { name: `Release ${version}` }).click();
  await expect(page.getByRole("heading", { name: "Anonymization" })).toBeVisible();

  const download = await request.get(`/api/v1/releases/${version}/battles.jsonl`);
  expect(download.status()).toBe(200);
  expect(download.headers()["content-type"]).toContain("application/x-ndjson");
  const lines = (await download.text()).trim().split("\n");
  expect(lines).toHaveLength(6);
  expect(lines.join("\n")).not.toContain("@e2e.test");
  const index = await (await request.get("/api/v1/releases")).json();
  expect(index.releases[0].version).toBe(version);
});
