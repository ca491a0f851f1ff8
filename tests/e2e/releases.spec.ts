import { expect, test } from "@playwright/test";
import { pastWindow, seedOldVotes } from "./fixtures/old-votes";

test("an admin publishes a release and anyone downloads it", async ({ page, request }) => {
  const { version, inside } = pastWindow(2);
  await seedOldVotes(inside, "e2erel");

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
