import { expect, test, type Page } from "@playwright/test";

const DEMO_TEXT_MODELS = ["Aster-1", "Bramble Chat", "Cobalt Analyst", "Dune Tales", "Ember Mini"];

async function startAsGuest(page: Page) {
  await page.goto("/");
  await page.getByRole("button", { name: "Try it as a guest" }).click();
  // The arena sends newcomers to the one-minute survey first.
  await page.waitForURL("**/onboarding");
}

async function expectBothAnswersComplete(page: Page, turn: number) {
  const panels = page.getByTestId("answer-panels").nth(turn);
  for (const side of ["a", "b"]) {
    const panel = panels.getByTestId(`answer-${side}`);
    await expect(panel).toHaveAttribute("data-status", "complete");
    await expect(panel.locator(".answer-markdown")).not.toBeEmpty();
  }
}

test("guest: survey, prompt, two streamed answers, vote with feedback, reveal, follow-up, new battle", async ({ page }) => {
  await startAsGuest(page);
  await page.getByRole("combobox", { name: "Field of expertise" }).selectOption({ label: "Software and IT" });
  await page.getByRole("combobox", { name: "Response style" }).selectOption("concise");
  await page.locator("#persona-ageBand-decline").check();
  await page.getByRole("button", { name: "Save and start" }).click();
  await page.waitForURL("**/arena");

  const disclosure = page.getByTestId("persona-disclosure");
  await expect(disclosure).toContainText("Field of expertise: Software and IT");
  await expect(disclosure).not.toContainText("Age");

  await page.getByLabel("Your prompt").fill("How do I reverse a list in Python?");
  await page.getByRole("button", { name: "Send to both models" }).click();
  await expect(page.getByTestId("turn-prompt")).toHaveText("How do I reverse a list in Python?");
  await expectBothAnswersComplete(page, 0);
  await expect(page.getByText("Exactly what was sent in this battle")).toBeVisible();

  await page.getByLabel("Overall").fill("Both were clear, A was shorter.");
  await page.getByLabel("About answer B").fill("A bit long.");
  await expect(page.getByRole("button", { name: /A is better/ })).toBeEnabled();
  await page.getByRole("button", { name: /A is better/ }).click();

  await expect(page.getByRole("heading", { name: "Before your first vote" })).toBeVisible();
  await expect(page.getByText("Pseudonymized")).toBeVisible();
  await page.getByRole("button", { name: "I agree, submit my vote" }).click();

  const result = page.getByTestId("vote-result");
  await expect(result).toContainText("Thanks for your vote!");
  await expect(result).toContainText("It counts toward the leaderboard.");
  const nameA = (await page.getByTestId("model-name-a").first().textContent()) ?? "";
  const nameB = (await page.getByTestId("model-name-b").first().textContent()) ?? "";
  expect(DEMO_TEXT_MODELS.some((name) => nameA.includes(name))).toBe(true);
  expect(DEMO_TEXT_MODELS.some((name) => nameB.includes(name))).toBe(true);
  expect(nameA).not.toBe(nameB);

  await page.getByLabel("Ask a follow-up").fill("Can you show it with slicing?");
  await page.getByRole("button", { name: "Send follow-up" }).click();
  await expect(page.getByTestId("turn-prompt")).toHaveCount(2);
  await expectBothAnswersComplete(page, 1);

  await page.getByRole("button", { name: "New battle" }).click();
  await expect(page.getByLabel("Your prompt")).toBeVisible();
  await expect(page.getByTestId("answer-panels")).toHaveCount(0);
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test("answers stack vertically and the vote buttons are reachable", async ({ page }) => {
    await startAsGuest(page);
    await page.getByRole("button", { name: "Skip for now" }).click();
    await page.waitForURL("**/arena");
    await expect(page.getByTestId("persona-disclosure")).toContainText("Nothing");

    await page.getByLabel("Your prompt").fill("Give me three tips for sleeping better");
    await page.getByRole("button", { name: "Send to both models" }).click();
    await expectBothAnswersComplete(page, 0);

    const boxA = await page.getByTestId("answer-a").boundingBox();
    const boxB = await page.getByTestId("answer-b").boundingBox();
    expect(boxA && boxB).toBeTruthy();
    expect(boxB!.y).toBeGreaterThanOrEqual(boxA!.y + boxA!.height);
    expect(Math.abs(boxA!.x - boxB!.x)).toBeLessThan(2);
    expect(boxA!.width).toBeLessThanOrEqual(390);

    const voteB = page.getByRole("button", { name: /B is better/ });
    await voteB.scrollIntoViewIfNeeded();
    await expect(voteB).toBeInViewport();
    await voteB.tap();
    await page.getByRole("button", { name: "I agree, submit my vote" }).tap();
    await expect(page.getByTestId("vote-result")).toContainText("Model A was");
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(390);
  });
});
