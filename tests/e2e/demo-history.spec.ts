import { expect, test } from "@playwright/test";
import path from "node:path";
import { laneDataDir, runLaneFixture } from "./fixtures/lane";

/** The living demo on a running app: seeded, shown as simulated on every page that shows it, then removed. */
function fixture(action: "seed" | "remove"): Record<string, unknown> {
  const output = runLaneFixture("demo-history.ts", [action], { RELEASE_DIR: path.join(laneDataDir(), "releases") });
  return JSON.parse(output.trim().split("\n").at(-1)!) as Record<string, unknown>;
}

let release: string;

test.beforeAll(() => {
  const seeded = fixture("seed");
  expect(seeded.created).toBe(true);
  release = String(seeded.release);
});

test.afterAll(() => {
  // Later specs expect an arena without the simulated history.
  fixture("remove");
});

test("the leaderboard and the leaderboard API say that the votes are simulated", async ({ page, request }) => {
  await page.goto("/leaderboard");
  await expect(page.getByTestId("simulated-data-note")).toContainText("Simulated demo data");
  await page.goto("/leaderboard?modality=image");
  await expect(page.getByTestId("simulated-data-note")).toContainText("image votes");
  const api = await request.get("/api/v1/leaderboard?modality=text");
  expect(Number(api.headers()["x-simulated-votes"])).toBeGreaterThan(1000);
});

test("a visitor downloads the simulated demo release, marked as such", async ({ page, request }) => {
  await page.goto("/releases");
  await expect(page.getByTestId("simulated-data-note")).toBeVisible();
  await expect(page.getByTestId("release-simulated")).toContainText("Simulated demo data");
  await page.getByRole("link", { name: `Release ${release}` }).click();
  await expect(page.getByTestId("simulated-data-note")).toContainText("battles of this release");
  const manifest = await request.get(`/api/v1/releases/${release}/manifest.json`);
  expect(manifest.status()).toBe(200);
  const body = (await manifest.json()) as { simulated_battles?: number; counts: { battles: number } };
  expect(body.simulated_battles).toBe(body.counts.battles);
  const card = await request.get(`/api/v1/releases/${release}/README.md`);
  expect(await card.text()).toContain("Simulated demo data");
});
