import { expect, test } from "@playwright/test";

test("an admin starts an offline demo judge run and sees it complete; anyone sees the preference-groups page", async ({ page }) => {
  await page.goto("/leaderboard/groups?modality=text");
  await expect(page.getByRole("heading", { name: "Preference groups", level: 1 })).toBeVisible();

  await page.goto("/signin");
  await page.getByLabel("Email").fill("admin@e2e.test");
  await page.getByLabel("Password").fill("admin-password-e2e");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL("**/admin");

  await page.goto("/admin");
  await page.getByRole("link", { name: "Personalized judge" }).click();
  await page.waitForURL("**/researcher/judge");
  const form = page.getByRole("form", { name: "Start a judge run" });
  await form.getByLabel("Judge model").selectOption("demo");
  await form.getByLabel("Sample size").fill("5");
  await form.getByRole("button", { name: "Start run" }).click();
  await expect(page.getByTestId("judge-run-status")).toContainText("completed", { timeout: 30_000 });
  await expect(page.getByTestId("judge-summary")).toContainText("Judge with persona");
});
