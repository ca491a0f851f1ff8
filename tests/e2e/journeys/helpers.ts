import { expect, type Locator, type Page, type TestInfo } from "@playwright/test";

export { openE2eDatabase as openDatabase } from "../fixtures/old-votes";

export const isPhone = (page: Page) => (page.viewportSize()?.width ?? 1280) < 768;

/** A leaderboard table, scrolled to: its rank, model, score and interval headers are wholly in view (at a phone's width too). */
export async function expectRankingHeadersInView(table: Locator): Promise<void> {
  await table.scrollIntoViewIfNeeded();
  for (const header of [/^Rank/, /^Model$/, /^Score$/, /^95% CI$/]) await expect(table.getByRole("columnheader", { name: header })).toBeInViewport({ ratio: 1 });
}

/** On a phone the header's links and account actions sit behind "Menu". */
export async function openMenu(page: Page): Promise<void> {
  if (!isPhone(page)) return;
  const toggle = page.getByRole("button", { name: "Menu" });
  if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
}

/** A full-page screenshot kept with the test's artifacts (test-results/…/<name>.png). */
export async function saveScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}-${testInfo.project.name}.png`), fullPage: true });
}

/** A new guest who skips the survey and lands in the arena. */
export async function startAsGuest(page: Page, origin = ""): Promise<void> {
  await page.goto(`${origin}/`);
  await page.getByRole("button", { name: "Try it as a guest" }).click();
  await page.waitForURL("**/onboarding");
  await page.getByRole("button", { name: "Skip for now" }).click();
  await page.waitForURL("**/arena");
}

export async function expectBothAnswersComplete(page: Page, turn = 0): Promise<void> {
  const panels = page.getByTestId("answer-panels").nth(turn);
  for (const side of ["a", "b"]) await expect(panels.getByTestId(`answer-${side}`)).toHaveAttribute("data-status", "complete", { timeout: 45_000 });
}

/** Creates an account through the sign-up page, then signs out (a fresh context signs in with it). */
export async function signUp(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/arena");
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin") && url.pathname !== "/home");
}
