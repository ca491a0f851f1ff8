import { expect, test, type Locator, type Page } from "@playwright/test";

// playwright.config.ts starts the app with MIN_LISTEN_SECONDS=2 and the seeded demo image / music models.
const MIN_LISTEN_SECONDS = 2;

/**
 * Starts a guest session through next-auth's endpoints (the guest button itself is covered by
 * auth.spec.ts): the page's first /api/auth requests each set their own CSRF cookie, so a click
 * racing them is flaky, and these tests are about media.
 */
async function enterArenaAsGuest(page: Page) {
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const signIn = await page.request.post("/api/auth/callback/guest", { form: { csrfToken, json: "true" } });
  expect(signIn.ok()).toBe(true);
  // A new guest answers (here: skips) the persona survey before the first battle.
  await page.goto("/onboarding");
  await expect(page.getByTestId("user-label")).toHaveText("Guest");
  await page.getByRole("button", { name: "Skip for now" }).click();
  await page.waitForURL("**/arena");
  await expect(page.getByRole("tab", { name: "Music" })).toBeVisible();
}

async function startBattle(page: Page, tab: "Image" | "Music", prompt: string) {
  await page.getByRole("tab", { name: tab }).click();
  await page.getByLabel("Your prompt").fill(prompt);
  await page.getByRole("button", { name: "Send to both models" }).click();
  for (const side of ["a", "b"]) await expect(page.getByTestId(`answer-${side}`)).toHaveAttribute("data-status", "complete", { timeout: 30_000 });
}

async function voteAndAcceptTerms(page: Page, choice: string) {
  await page.getByRole("button", { name: choice }).click();
  await page.getByRole("button", { name: "I agree, submit my vote" }).click();
  await expect(page.getByTestId("vote-result")).toContainText("Model A was");
}

const listenedSeconds = async (clip: Locator) => Number(await clip.getAttribute("data-listened-seconds"));

const waitUntilEnded = (clip: Locator) =>
  expect.poll(() => clip.locator("audio").evaluate((audio: HTMLAudioElement) => audio.ended), { timeout: 10_000 }).toBe(true);

test("an image battle shows both images at the same size, enlarges one, and reveals after the vote", async ({ page }) => {
  await enterArenaAsGuest(page);
  await startBattle(page, "Image", "a lighthouse at dusk in watercolour");

  const frames = page.getByTestId("image-response");
  await expect(frames).toHaveCount(2);
  for (const image of await page.getByTestId("image-response").locator("img").all()) {
    await expect.poll(() => image.evaluate((element: HTMLImageElement) => element.complete && element.naturalWidth)).toBeGreaterThan(0);
  }
  const [boxA, boxB] = await Promise.all([frames.nth(0).boundingBox(), frames.nth(1).boundingBox()]);
  expect(boxA && boxB).toBeTruthy();
  expect(Math.round(boxA!.width)).toBe(Math.round(boxB!.width));
  expect(Math.round(boxA!.height)).toBe(Math.round(boxB!.height));
  expect(Math.round(boxA!.width)).toBe(Math.round(boxA!.height));
  expect(boxA!.width).toBeGreaterThan(100);

  // The media route answers byte ranges and caches forever, also through the built server.
  const src = await frames.nth(0).locator("img").getAttribute("src");
  const ranged = await page.request.get(src!, { headers: { Range: "bytes=0-7" } });
  expect(ranged.status()).toBe(206);
  expect(ranged.headers()["content-type"]).toBe("image/png");
  expect(ranged.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  expect([...(await ranged.body())]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  await page.getByRole("button", { name: "Enlarge Image from Model A" }).click();
  const dialog = page.getByRole("dialog", { name: "Image from Model A" });
  await expect(dialog).toBeVisible();
  const enlarged = await dialog.locator("img").boundingBox();
  expect(enlarged!.width).toBeGreaterThan(boxA!.width);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("button", { name: "Enlarge Image from Model A" })).toBeFocused();

  await voteAndAcceptTerms(page, "A is better");
  await expect(page.getByTestId("model-name-a")).toBeVisible();
  await expect(page.getByTestId("model-name-b")).toBeVisible();
});

test("a music battle keeps the vote disabled until both clips have played for the minimum time; seeking does not count", async ({ page }) => {
  await enterArenaAsGuest(page);
  await startBattle(page, "Music", "calm piano with rain");

  const clips = page.getByTestId("audio-response");
  await expect(clips).toHaveCount(2);
  const [clipA, clipB] = [clips.nth(0), clips.nth(1)];
  const voteA = page.getByRole("button", { name: "A is better" });
  const voteB = page.getByRole("button", { name: "B is better" });
  await expect(voteA).toBeDisabled();
  await expect(voteB).toBeDisabled();
  await expect(page.getByText("Listen to both clips first")).toBeVisible();
  await expect(clipA).toContainText(`Listened 0 s of ${MIN_LISTEN_SECONDS} s needed`);
  await expect(clipA.getByRole("slider")).toBeEnabled();

  // Seek clip A (with its slider) close to its end and let it finish: the clip reached its end, little was heard.
  const durationA = Number(await clipA.getByRole("slider").getAttribute("max"));
  expect(durationA).toBeGreaterThanOrEqual(5);
  await clipA.getByRole("slider").fill(String(durationA - 0.4));
  await clipA.getByRole("button", { name: "Play Clip A" }).click();
  await waitUntilEnded(clipA);
  const afterSeekingPaused = await listenedSeconds(clipA);
  expect(afterSeekingPaused).toBeGreaterThan(0);
  expect(afterSeekingPaused).toBeLessThan(MIN_LISTEN_SECONDS);
  await expect(voteA).toBeDisabled();

  // Seeking forward while playing skips most of the clip: only the ~0.4 s really played counts.
  await clipA.locator("audio").evaluate(async (audio: HTMLAudioElement) => {
    audio.currentTime = 0;
    await audio.play();
    audio.currentTime = audio.duration - 3;
    await new Promise((resolve) => setTimeout(resolve, 100));
    audio.currentTime = audio.duration - 0.3;
  });
  await waitUntilEnded(clipA);
  const afterSeekingWhilePlaying = await listenedSeconds(clipA);
  expect(afterSeekingWhilePlaying).toBeGreaterThan(afterSeekingPaused);
  expect(afterSeekingWhilePlaying).toBeLessThan(MIN_LISTEN_SECONDS);
  await expect(voteA).toBeDisabled();

  // Really listening to clip A unlocks its half of the gate only.
  await clipA.getByRole("slider").fill("0");
  await clipA.getByRole("button", { name: "Play Clip A" }).click();
  await expect(clipA).not.toContainText("needed", { timeout: 10_000 });
  await clipA.getByRole("button", { name: "Pause Clip A" }).click();
  expect(await listenedSeconds(clipA)).toBeGreaterThanOrEqual(MIN_LISTEN_SECONDS);
  await expect(voteA).toBeDisabled();
  await expect(voteB).toBeDisabled();

  await clipB.getByRole("button", { name: "Play Clip B" }).click();
  await expect(voteB).toBeDisabled();
  await expect(voteB).toBeEnabled({ timeout: 10_000 });
  expect(await listenedSeconds(clipB)).toBeGreaterThanOrEqual(MIN_LISTEN_SECONDS);
  await expect(voteA).toBeEnabled();

  // The server recomputes the listening time from the recorded events and accepts the vote.
  await voteAndAcceptTerms(page, "B is better");
});
