import { expect, test } from "@playwright/test";
import { startFakeProviderServer, type FakeProviderServer } from "../fixtures/fake-providers/server";

let fake: FakeProviderServer;

test.beforeAll(async () => {
  fake = await startFakeProviderServer({ port: 0 });
});
test.afterAll(async () => {
  await fake?.close();
});

test("an admin registers an OpenAI-compatible model, fixes its template, tests it and retires it", async ({ page }) => {
  const slug = `e2e-fake-${Date.now()}`;
  const displayName = `E2E <img src=x onerror="window.__pwned=1"> Fake`;

  await page.goto("/signin");
  await page.getByLabel("Email").fill("admin@e2e.test");
  await page.getByLabel("Password").fill("admin-password-e2e");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  // An admin lands on the admin overview.
  await page.waitForURL("**/admin");
  await expect(page.getByRole("heading", { name: "Admin", level: 1 })).toBeVisible();
  await page.getByRole("link", { name: "Models", exact: true }).click();
  await page.getByRole("link", { name: "Register a model" }).click();
  await page.waitForURL("**/admin/models/new");

  const form = page.getByRole("form", { name: "Register a model" });
  await form.getByLabel("Display name").fill(displayName);
  await form.getByLabel("Slug").fill(slug);
  await form.getByLabel("Organization").selectOption({ index: 1 });
  await form.getByLabel("Provider kind").selectOption("openai_compatible");
  await expect(page.getByTestId("provider-kind-hint")).toContainText("base URL ending in /v1");
  await form.getByLabel("Endpoint URL").fill(`${fake.url}/v1`);
  await form.getByLabel("Provider model id").fill("fake-ok");
  await form.getByLabel("API key environment variable").fill("E2E_UNSET_KEY");
  await expect(page.getByTestId("env-var-status")).toHaveText("not set on the server");

  // An invalid template: the error shows inline as you type and the form does not submit.
  await form.getByLabel("Persona template").fill("Hello {{nickname}}");
  await expect(page.getByTestId("persona-template-errors")).toContainText('Unknown placeholder "nickname"');
  await form.getByRole("button", { name: "Register model" }).click();
  await expect(form.getByText("Please correct the highlighted fields.")).toBeVisible();
  await expect(page).toHaveURL(/\/admin\/models\/new$/);

  await form.getByLabel("Persona template").fill("Be kind.{{#if occupation}} The user works as {{occupation}}.{{/if}}");
  await expect(page.getByTestId("persona-template-errors")).toHaveCount(0);
  await expect(page.getByTestId("persona-template-preview")).toHaveText("Be kind. The user works as Hydrologist.");
  await form.getByRole("button", { name: "Register model" }).click();
  await page.waitForURL(/\/admin\/models\/(?!new)[^/]+$/);

  // The hostile name renders as text.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(displayName);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  // The key variable is not set on the server: the test shows the failure and its kind.
  await page.getByRole("textbox", { name: "Prompt", exact: true }).fill("What is a watershed?");
  await page.getByRole("button", { name: "Send test prompt" }).click();
  await expect(page.getByTestId("model-test-result").getByRole("alert")).toContainText("The model failed (config)");
  await expect(page.getByTestId("model-test-result")).toContainText("E2E_UNSET_KEY is not set");

  // The fake server needs no key: clear it in the registry entry and test again.
  const editForm = page.getByRole("form", { name: "Edit model" });
  await editForm.getByLabel("API key environment variable").fill("");
  await editForm.getByRole("button", { name: "Save changes" }).click();
  await expect(editForm.getByText("Saved.")).toBeVisible();
  await page.getByRole("button", { name: "Send test prompt" }).click();
  await expect(page.getByTestId("model-test-answer")).toContainText("You asked: What is a watershed?");
  expect(fake.requests.some((request) => request.path === "/v1/chat/completions")).toBe(true);

  await page.getByRole("button", { name: `Retire ${displayName}` }).click();
  await page.getByRole("button", { name: "Confirm retire" }).click();
  await expect(page.getByText("retired", { exact: true }).first()).toBeVisible();

  await page.goto("/admin/audit");
  await expect(page.getByTestId("audit-row").first()).toContainText("model.retire");
  await expect(page.getByTestId("audit-row").filter({ hasText: "model.create" }).first()).toContainText("admin@e2e.test");
});

test("a non-admin cannot see the admin pages", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: "Try it as a guest" }).click();
  await page.waitForURL("**/onboarding");
  await page.goto("/admin/models");
  await page.waitForURL("**/signin");
  await expect(page.getByRole("heading", { name: "Models" })).toHaveCount(0);
});
