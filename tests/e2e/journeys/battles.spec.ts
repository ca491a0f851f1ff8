import { expect, test } from "@playwright/test";
import { expectBothAnswersComplete, isPhone, openDatabase, openMenu, saveScreenshot, startAsGuest } from "./helpers";

const BATTLE_URL = /\/arena\/b\/([0-9a-z]+)$/;

/** Demo text models stream at this speed during the reload test, so a reload lands mid-answer. */
const SLOW_TOKENS_PER_SECOND = 10;

async function setDemoTextSpeed(tokensPerSecond: number | null): Promise<void> {
  const db = await openDatabase();
  await db.execute(
    tokensPerSecond === null
      ? `UPDATE "ArenaModel" SET "extraParams" = json_remove("extraParams", '$.tokensPerSecond') WHERE "providerKind" = 'demo_text'`
      : `UPDATE "ArenaModel" SET "extraParams" = json_set(COALESCE("extraParams", '{}'), '$.tokensPerSecond', ${tokensPerSecond}) WHERE "providerKind" = 'demo_text'`,
  );
  db.close();
}

/** Older battles of the same annotator, written directly: enough to need a second history page. */
async function addOlderBattles(battleId: string, count: number): Promise<void> {
  const db = await openDatabase();
  const owner = await db.execute({ sql: `SELECT "userId", "modelAId", "modelBId" FROM "Battle" WHERE id = ?`, args: [battleId] });
  const { userId, modelAId, modelBId } = owner.rows[0]!;
  for (let index = 0; index < count; index++) {
    const id = `${battleId.slice(0, 20)}old${index}`;
    const createdAt = new Date(Date.now() - (index + 1) * 3_600_000).toISOString();
    await db.batch(
      [
        {
          sql: `INSERT INTO "Battle" (id, "publicId", "userId", modality, personalized, "modelAId", "modelBId", status, "isGold", "createdAt") VALUES (?, ?, ?, 'text', 1, ?, ?, 'ready', 0, ?)`,
          args: [id, `pub-${id}`, userId!, modelAId!, modelBId!, createdAt],
        },
        { sql: `INSERT INTO "Turn" (id, "battleId", "index", prompt, "createdAt") VALUES (?, ?, 0, ?, ?)`, args: [`t${id}`, id, `Older question number ${index + 1}`, createdAt] },
      ],
      "write",
    );
  }
  db.close();
}

test("a battle has its own URL: it resumes its stream after a reload, Back/Forward work, and My battles lists it", async ({ page }, testInfo) => {
  await setDemoTextSpeed(SLOW_TOKENS_PER_SECOND);
  let battleId = "";
  try {
    await startAsGuest(page);
    await page.getByLabel("Your prompt").fill("Explain how vaccines work to my grandmother");
    await page.getByRole("button", { name: "Send to both models" }).click();
    await page.waitForURL(BATTLE_URL);
    battleId = BATTLE_URL.exec(page.url())![1]!;

    // Reload while both models are still answering: the page comes back with the prompt and picks the stream up again.
    await expect(page.getByTestId("answer-a")).toHaveAttribute("data-status", "streaming");
    await page.reload();
    await expect(page.getByTestId("turn-prompt")).toHaveText("Explain how vaccines work to my grandmother");
    await expect(page.getByText("Answering…").first()).toBeVisible();
    await expect(page.getByTestId("answer-a").locator(".answer-markdown")).not.toBeEmpty();
    await expectBothAnswersComplete(page);
  } finally {
    await setDemoTextSpeed(null);
  }

  // Once both answers are complete the vote bar is on screen without scrolling.
  const voteA = page.getByRole("button", { name: /A is better/ });
  await expect(voteA).toBeEnabled();
  await expect(voteA).toBeInViewport();
  await expect(page.getByTestId("vote-bar")).toHaveAttribute("data-sticky", "true");
  await saveScreenshot(page, testInfo, "battle-answers");

  await voteA.click();
  await page.getByRole("button", { name: "I agree, submit my vote" }).click();
  const result = page.getByTestId("vote-result");
  await expect(result).toContainText("Thanks for your vote!");
  await expect(page.getByTestId("vote-choice")).toHaveText(/^You preferred Model A \(.+\)\.$/);
  await expect(page.getByTestId("winner-a")).toBeVisible();
  await saveScreenshot(page, testInfo, "battle-voted");

  // Back leaves the battle for a new one; Forward returns to it as stored, vote included.
  await page.goBack();
  await page.waitForURL(/\/arena$/);
  await expect(page.getByLabel("Your prompt")).toBeVisible();
  await page.goForward();
  await page.waitForURL(BATTLE_URL);
  await expect(page.getByTestId("vote-result")).toContainText("You preferred Model A");

  // A follow-up after the vote: the thanks box stays under the judged turn; "Send follow-up" keeps to one line.
  const sendFollowUp = page.getByRole("button", { name: "Send follow-up" });
  expect((await sendFollowUp.boundingBox())!.height).toBeLessThan(48);
  await page.getByLabel("Ask a follow-up").fill("And in one sentence?");
  await sendFollowUp.click();
  await expectBothAnswersComplete(page, 1);
  const thanksBottom = await result.evaluate((box) => box.getBoundingClientRect().bottom);
  const secondTurnTop = await page.getByTestId("answer-panels").nth(1).evaluate((panels) => panels.getBoundingClientRect().top);
  expect(thanksBottom).toBeLessThan(secondTurnTop);

  await addOlderBattles(battleId, 20);
  await openMenu(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My battles" }).click();
  await page.waitForURL("**/arena/history");
  const items = page.getByTestId("battle-history-item");
  await expect(items).toHaveCount(20);
  await expect(items.first()).toContainText("Explain how vaccines work to my grandmother");
  await expect(items.first()).toContainText(/You preferred Model A \(.+\)\. A: .+ · B: .+/);
  await expect(items.nth(1)).toContainText("No vote yet. Models stay hidden until you vote.");
  await expect(page.getByText("Page 1 of 2")).toBeVisible();
  await saveScreenshot(page, testInfo, "my-battles");

  await page.getByRole("link", { name: "Older", exact: true }).click();
  await expect(page.getByText("Page 2 of 2")).toBeVisible();
  await expect(items).toHaveCount(1);
  await expect(items.first()).toContainText("Older question number 20");
  await items.first().click();
  await page.waitForURL(BATTLE_URL);
  await expect(page.getByTestId("turn-prompt")).toHaveText("Older question number 20");

  if (isPhone(page)) expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test("a prompt at the limit: a live counter, a clear refusal past it instead of truncation, and a collapsed bubble", async ({ page }, testInfo) => {
  await startAsGuest(page);
  const sentence = "Summarise the history of lighthouses on the Atlantic coast for a school project. ";
  const pasted = sentence.repeat(Math.ceil(20_000 / sentence.length)).slice(0, 20_000);
  const prompt = page.getByLabel("Your prompt");
  const send = page.getByRole("button", { name: "Send to both models" });

  await prompt.fill(pasted);
  await expect(prompt).toHaveValue(pasted);
  await expect(page.getByTestId("prompt-counter")).toHaveText("20,000 / 8,000 characters: 12,000 too many. Shorten your prompt to send it; nothing was cut.");
  await expect(send).toBeDisabled();
  await saveScreenshot(page, testInfo, "prompt-over-limit");

  const atLimit = pasted.slice(0, 8_000);
  await prompt.fill(atLimit);
  await expect(page.getByTestId("prompt-counter")).toHaveText("8,000 / 8,000 characters");
  await expect(send).toBeEnabled();
  await send.click();
  await page.waitForURL(BATTLE_URL);

  const bubble = page.getByTestId("turn-prompt");
  const showMore = page.getByRole("button", { name: "Show more (8,000 characters)" });
  await expect(showMore).toBeVisible();
  expect((await bubble.boundingBox())!.height).toBeLessThan(200);
  await expectBothAnswersComplete(page);
  await expect(page.getByTestId("answer-a")).toBeInViewport();
  await showMore.click();
  await expect(page.getByRole("button", { name: "Show less" })).toBeVisible();
  expect((await bubble.boundingBox())!.height).toBeGreaterThan(400);
});
