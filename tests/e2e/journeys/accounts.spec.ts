import { expect, test, type Page } from "@playwright/test";
import { expectRankingHeadersInView, openDatabase, openMenu, saveScreenshot, signIn, signUp, startAsGuest } from "./helpers";

const PASSWORD = "correct horse battery";

async function setRole(email: string, role: "researcher" | "model_owner"): Promise<void> {
  const db = await openDatabase();
  await db.execute({ sql: `UPDATE "User" SET role = ? WHERE email = ?`, args: [role, email] });
  if (role === "model_owner") {
    await db.execute({
      sql: `INSERT INTO "Membership" (id, "userId", "organizationId", role, "createdAt") SELECT 'm' || u.id, u.id, (SELECT id FROM "Organization" ORDER BY slug LIMIT 1), 'owner', CURRENT_TIMESTAMP FROM "User" u WHERE u.email = ?`,
      args: [email],
    });
  }
  db.close();
}

async function signOutRegistered(page: Page): Promise<void> {
  await openMenu(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((url) => url.pathname === "/");
  await openMenu(page);
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
}

/** A new account given `role` (as an admin would), then signed in from the sign-in page. */
async function signInAsNew(page: Page, email: string, role: "researcher" | "model_owner"): Promise<void> {
  await signUp(page, email, PASSWORD);
  await signOutRegistered(page);
  await setRole(email, role);
  await signIn(page, email, PASSWORD);
}

test("each role lands on its own page after signing in; the survey is offered, not forced", async ({ page }, testInfo) => {
  const run = `${testInfo.project.name}-${Date.now()}`;

  await signIn(page, "admin@e2e.test", "admin-password-e2e");
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("heading", { name: "Admin", level: 1 })).toBeVisible();
  await saveScreenshot(page, testInfo, "admin-home");
  await signOutRegistered(page);

  // An annotator without a persona gets the arena with the survey offered above it.
  const annotator = `annotator-${run}@e2e.test`;
  await signUp(page, annotator, PASSWORD);
  await expect(page.getByTestId("survey-offer")).toBeVisible();
  await expect(page.getByLabel("Your prompt")).toBeVisible();
  await signOutRegistered(page);
  await signIn(page, annotator, PASSWORD);
  await expect(page).toHaveURL(/\/arena$/);
  await signOutRegistered(page);

  await signInAsNew(page, `researcher-${run}@e2e.test`, "researcher");
  await expect(page).toHaveURL(/\/researcher$/);
  await openMenu(page);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Research" })).toBeVisible();
  await signOutRegistered(page);

  await signInAsNew(page, `owner-${run}@e2e.test`, "model_owner");
  await expect(page).toHaveURL(/\/dashboard$/);
  await saveScreenshot(page, testInfo, "owner-dashboard");
});

test("a guest who signs out is warned and offered to save the progress; sign-out stays on the host the app was reached by", async ({ page, request, baseURL }, testInfo) => {
  // NEXTAUTH_URL is not set in the e2e app: reach it by another host name than localhost.
  const origin = baseURL!.replace("localhost", "127.0.0.1");
  // A client cannot point auth elsewhere with X-Forwarded-Host: the request's own Host is used.
  const spoofed = await request.get(`${origin}/api/auth/signin`, { headers: { "X-Forwarded-Host": "evil.test" }, maxRedirects: 0 });
  expect(spoofed.status()).toBe(302);
  expect(spoofed.headers().location).toContain(`callbackUrl=${encodeURIComponent(origin)}`);
  expect(spoofed.headers().location).not.toContain("evil.test");
  await startAsGuest(page, origin);
  await expect(page.getByTestId("user-label")).toHaveText("Guest");

  await openMenu(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  const warning = page.getByRole("alertdialog", { name: "Sign out of your guest session?" });
  await expect(warning).toContainText("A guest session cannot be opened again");
  await saveScreenshot(page, testInfo, "guest-sign-out-warning");
  await warning.getByRole("button", { name: "Cancel" }).click();
  await expect(warning).toHaveCount(0);

  await page.getByRole("button", { name: "Sign out" }).click();
  await warning.getByRole("link", { name: "Save my progress" }).click();
  await page.waitForURL(`${origin}/signup`);
  await expect(page.getByText("You are browsing as a guest")).toBeVisible();

  await openMenu(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await warning.getByRole("button", { name: "Sign out anyway" }).click();
  await page.waitForURL(`${origin}/`);
  await openMenu(page);
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
});

test("the 404 page is designed, the favicon exists, and another user's battle is not found", async ({ page, request }, testInfo) => {
  const icon = await request.get("/icon.svg");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");

  await page.goto("/no-such-page");
  await expect(page.getByRole("heading", { name: "This page is not here" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Start a battle" })).toBeVisible();
  await saveScreenshot(page, testInfo, "not-found");

  await startAsGuest(page);
  const response = await page.goto("/arena/b/0123456789abcdef0123456789abcdef");
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("not-found")).toBeVisible();

  await page.goto("/leaderboard");
  await expect(page.getByRole("heading", { name: "Leaderboard", level: 1 })).toBeVisible();
  await saveScreenshot(page, testInfo, "leaderboard");
  // A ranking exists once votes were counted in this lane's app (tests/e2e/leaderboard.spec.ts seeds them; any vote counts after the debounce).
  // Comparison groups each get a table of their own: the first one stands for all.
  const table = page.getByTestId("leaderboard-table").first();
  if (await table.isVisible()) {
    // On a phone the explanations above the table can push it below the fold: scrolled to, its headers must fit the width.
    await expectRankingHeadersInView(table);
    if (await table.getByText("provisional").count()) await expect(page.getByTestId("provisional-legend")).toBeVisible();
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(page.viewportSize()!.width);
});

test("the survey: unticking 'prefer not to say' keeps the earlier answer, and the profile shows a new version at once", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: "Try it as a guest" }).click();
  await page.waitForURL("**/onboarding");
  const gender = page.getByRole("combobox", { name: "Gender" });
  await gender.selectOption({ label: "Woman" });
  await page.locator("#persona-gender-decline").check();
  await expect(gender).toHaveValue("");
  await page.locator("#persona-gender-decline").uncheck();
  await expect(gender).toHaveValue("woman");
  await page.getByRole("button", { name: "Save and start" }).click();
  await page.waitForURL("**/arena");

  await page.goto("/profile");
  await expect(page.getByTestId("persona-version")).toContainText("Version 1.");
  await page.getByRole("combobox", { name: "Gender" }).selectOption({ label: "Man" });
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("persona-version")).toContainText("Version 2.");
  await expect(page.getByTestId("persona-disclosure")).toContainText("Man");
});
