import { expect, test } from "@playwright/test";
import { runLaneFixture } from "./fixtures/lane";
import { expectRankingHeadersInView } from "./journeys/helpers";

interface SeedResult {
  ownerEmail: string;
  ownerPassword: string;
  organizations: Record<string, string>;
}

let seed: SeedResult;

test.beforeAll(() => {
  const output = runLaneFixture("leaderboard-seed.ts");
  seed = JSON.parse(output.trim().split("\n").at(-1)!) as SeedResult;
});

test("the leaderboard shows the ranked table, its charts and an empty state", async ({ page }) => {
  await page.goto("/leaderboard");
  const table = page.getByTestId("leaderboard-table");
  await expect(table).toBeVisible();
  const names = await table.locator("tbody tr td:nth-child(2)").allTextContents();
  expect(names.map((name) => name.replace("provisional", "").trim())).toEqual(["Aster-1", "Bramble Chat", "Cobalt Analyst", "Dune Tales", "Ember Mini"]);
  await expect(table.locator("tbody tr").first()).toContainText("Aurora Labs");
  await expect(table.locator("tbody tr").first().locator("td").nth(4)).toHaveText(/^\+\d+\/−\d+$/);
  await expect(page.getByTestId("leaderboard-meta")).toContainText(/computed .* from [\d,]+ votes/);

  await expect(page.getByTestId("chart-ratings").locator("svg.recharts-surface")).toBeVisible();
  await expect(page.getByTestId("chart-votes").locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expect(page.getByTestId("chart-history").locator(".recharts-line").first()).toBeVisible();
  await expect(page.getByTestId("chart-heatmap").getByRole("cell").first()).toBeVisible();

  await page.locator("summary", { hasText: "Persona segment" }).click();
  await page.getByRole("link", { name: /Region: Europe/ }).click();
  await expect(page.getByTestId("leaderboard-meta")).toContainText("Region: Europe");

  await page.getByRole("tab", { name: "Music" }).click();
  await expect(page.getByTestId("leaderboard-empty")).toContainText("No ranking yet");
});

test("a fresh board says 'not enough votes yet'; after enough votes it shows ranks with intervals", async ({ page }) => {
  const plant = (votes: number) => runLaneFixture("leaderboard-growth-seed.ts", ["--votes", String(votes)]);
  const rowOf = (name: string) => page.getByTestId("leaderboard-table").locator("tbody tr", { hasText: name });

  plant(1);
  await page.goto("/leaderboard?modality=image");
  for (const name of ["Lumen Stripes", "Mosaic-8"]) {
    await expect(rowOf(name).getByTestId("not-enough-votes")).toHaveText("not enough votes yet");
    // Never "+0/−0": one vote leaves a wide interval.
    await expect(rowOf(name).getByTestId("interval")).toHaveText(/^\+[1-9]\d{2,}\/−[1-9]\d{2,}$/);
  }
  await expect(page.getByTestId("leaderboard-explanation")).toContainText("Rank (UB) is 1 plus the number of models whose whole interval lies above");
  // A young board (no ranks, provisional badges, four-digit intervals) still fits a phone's width.
  await page.setViewportSize({ width: 390, height: 844 });
  await expectRankingHeadersInView(page.getByTestId("leaderboard-table").first());
  await expect(rowOf("Lumen Stripes").getByTestId("interval")).toBeInViewport({ ratio: 1 });
  await page.setViewportSize({ width: 1280, height: 800 });

  plant(80);
  await page.reload();
  await expect(rowOf("Lumen Stripes").locator("td").first()).toHaveText(/^\d+$/);
  await expect(rowOf("Mosaic-8").locator("td").first()).toHaveText(/^\d+$/);
  await expect(rowOf("Lumen Stripes").getByTestId("interval")).toHaveText(/^\+\d+\/−\d+$/);
  await expect(page.getByTestId("leaderboard-method")).toContainText("weak prior");
});

test("the JSON API serves the same table", async ({ request }) => {
  const response = await request.get("/api/v1/leaderboard?modality=text&format=json");
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.rows.map((row: { slug: string }) => row.slug).slice(0, 2)).toEqual(["aster-1", "bramble-chat"]);
  expect((await request.get("/api/v1/leaderboard?modality=video")).status()).toBe(400);
});

test("a model owner sees only their organization's models", async ({ page }) => {
  await page.goto("/signin?callbackUrl=/dashboard");
  await page.getByLabel("Email").fill(seed.ownerEmail);
  await page.getByLabel("Password").fill(seed.ownerPassword);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
  await page.goto("/dashboard");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Aurora Labs");
  // Other specs share this server and may register more Aurora Labs models: check membership, not a count.
  const models = page.getByTestId("owner-model").locator("h2");
  await expect(models.filter({ hasText: "Aster-1" })).toHaveCount(1);
  const names = await models.allTextContents();
  for (const own of ["Aster-1", "Ember Mini", "Prism Geo", "Pad Synth"]) expect(names.some((name) => name.startsWith(own))).toBe(true);
  for (const other of ["Bramble Chat", "Cobalt Analyst", "Dune Tales", "Lumen Stripes", "Mosaic-8", "Halo Rings", "Chip Tune", "String Pluck", "Bell FM"]) {
    expect(names.some((name) => name.startsWith(other))).toBe(false);
  }
  await expect(page.getByTestId("owner-chart-history").first().locator(".recharts-line").first()).toBeVisible();
  await expect(page.getByTestId("owner-feedback")).toContainText("[EMAIL]");
  await expect(page.getByTestId("org-switcher")).toHaveCount(0);

  await page.goto(`/dashboard?org=${seed.organizations["basalt-ai"]}`);
  await expect(page.getByText("You can only see the dashboard of your own organization.")).toBeVisible();

  const exported = await page.request.get(`/api/v1/owner/battles?organizationId=${seed.organizations["aurora-labs"]}`);
  expect(exported.status()).toBe(200);
  const lines = (await exported.text()).trim().split("\n").map((line) => JSON.parse(line) as { model_a: string; model_b: string });
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect([line.model_a, line.model_b].some((slug) => ["aster-1", "ember-mini", "prism-geo", "pad-synth"].includes(slug))).toBe(true);
  expect((await page.request.get(`/api/v1/owner/battles?organizationId=${seed.organizations["basalt-ai"]}`)).status()).toBe(403);
});
