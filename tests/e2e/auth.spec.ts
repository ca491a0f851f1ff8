import { expect, test } from "@playwright/test";

test("a guest opens the home page, creates an account, signs out and signs in again", async ({ page }) => {
  const email = `e2e-${Date.now()}@example.com`;
  const password = "correct horse battery";

  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Which AI answers");
  await page.getByRole("button", { name: "Try it as a guest" }).click();
  await page.waitForURL("**/onboarding");
  await expect(page.getByTestId("user-label")).toHaveText("Guest");

  await page.getByRole("link", { name: "Save my progress" }).click();
  await expect(page.getByRole("status")).toContainText("You are browsing as a guest");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();
  await expect(page.getByText("Use at least 10 characters.")).toBeVisible();

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/arena");
  await expect(page.getByTestId("user-label")).toHaveText(email);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();

  await page.getByRole("link", { name: "Sign in" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("wrong password!!");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByText("That email and password do not match an account.")).toBeVisible();
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL("**/arena");
  await expect(page.getByTestId("user-label")).toHaveText(email);
});

test("the health endpoint reports the database", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: "ok", database: { ok: true } });
});
