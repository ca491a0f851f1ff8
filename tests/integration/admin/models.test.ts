import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SessionUser } from "@/lib/server/services/accounts";
import { startFakeProviderServer, type FakeProviderServer } from "../../fixtures/fake-providers/server";
import { callerFor, createUserWithRole, db } from "../helpers/caller";
import { resetDatabase } from "../helpers/db";
import { createOrganizationRow, expectTrpcError, invalidFields, modelInput } from "./admin-test-support";

const SECRET_VALUE = "sk-test-secret-value-that-must-never-leak-1234";

describe("admin model registry", () => {
  let fake: FakeProviderServer;
  let admin: SessionUser;
  let organizationId: string;

  beforeAll(async () => {
    fake = await startFakeProviderServer();
  });
  afterAll(() => fake.close());

  beforeEach(async () => {
    await resetDatabase(db);
    admin = await createUserWithRole("admin");
    organizationId = (await createOrganizationRow("acme")).id;
    fake.requests.length = 0;
  });
  afterEach(() => {
    delete process.env.TEST_KEY_X;
  });

  const snapshot = async () => ({ models: await db.arenaModel.findMany({ orderBy: { id: "asc" } }), audit: await db.auditLog.count() });

  it("creates a model with every field and audits it", async () => {
    const caller = await callerFor(admin);
    const model = await caller.adminModels.create(modelInput(organizationId, { personaTemplate: "Be brief.{{#if country}} They live in {{country}}.{{/if}}" }));
    expect(model).toMatchObject({ slug: "test-model", status: "active", organization: { slug: "acme" }, extraParams: { temperature: 0.2 }, votes: 0, apiKeySet: false });
    const audit = await db.auditLog.findMany({ where: { action: "model.create" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: admin.id, targetType: "ArenaModel", targetId: model.id });
  });

  const invalidInputs: [string, (organizationId: string) => unknown, string][] = [
    ["an ftp endpoint", (org) => modelInput(org, { endpoint: "ftp://example.com/v1" }), "endpoint"],
    ["a javascript: endpoint", (org) => modelInput(org, { endpoint: "javascript:alert(1)" }), "endpoint"],
    ["credentials inside the endpoint URL", (org) => modelInput(org, { endpoint: "https://user:pw@example.com/v1" }), "endpoint"],
    ["a missing endpoint for an OpenAI-compatible model", (org) => modelInput(org, { endpoint: null }), "endpoint"],
    ["an API key value instead of a variable name", (org) => modelInput(org, { apiKeyEnvVar: "sk-abc123" }), "apiKeyEnvVar"],
    ["one of the app's own secrets as key variable", (org) => modelInput(org, { apiKeyEnvVar: "AUTH_SECRET" }), "apiKeyEnvVar"],
    ["extra parameters that are not an object", (org) => ({ ...modelInput(org), extraParams: [1, 2] }), "extraParams"],
    ["an invalid persona template", (org) => modelInput(org, { personaTemplate: "Hello {{nickname}}" }), "personaTemplate"],
    ["an unclosed persona section", (org) => modelInput(org, { personaTemplate: "{{#if country}}open" }), "personaTemplate"],
    ["a provider kind of another modality", (org) => modelInput(org, { modality: "image" }), "providerKind"],
    ["an unknown provider kind", (org) => ({ ...modelInput(org), providerKind: "shell" }), "providerKind"],
    ["a slug with spaces", (org) => modelInput(org, { slug: "My Model" }), "slug"],
    ["a negative sampling weight", (org) => modelInput(org, { samplingWeight: -1 }), "samplingWeight"],
    ["a timeout under a second", (org) => modelInput(org, { timeoutMs: 10 }), "timeoutMs"],
  ];

  for (const [description, input, field] of invalidInputs) {
    it(`refuses ${description} with a field error and changes nothing`, async () => {
      const caller = await callerFor(admin);
      const before = await snapshot();
      const error = await expectTrpcError(caller.adminModels.create(input(organizationId) as never), "BAD_REQUEST");
      expect(invalidFields(error)).toEqual([field]);
      expect(await snapshot()).toEqual(before);
    });
  }

  it("refuses an edit with an invalid template and keeps the stored model and audit log unchanged", async () => {
    const caller = await callerFor(admin);
    const model = await caller.adminModels.create(modelInput(organizationId));
    const before = await snapshot();
    const error = await expectTrpcError(caller.adminModels.update({ id: model.id, ...modelInput(organizationId, { personaTemplate: "{{/if}}" }) }), "BAD_REQUEST");
    expect(invalidFields(error)).toEqual(["personaTemplate"]);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a duplicate slug as a conflict and an unknown organization as a bad request", async () => {
    const caller = await callerFor(admin);
    await caller.adminModels.create(modelInput(organizationId));
    const before = await snapshot();
    await expectTrpcError(caller.adminModels.create(modelInput(organizationId, { displayName: "Other" })), "CONFLICT");
    await expectTrpcError(caller.adminModels.create(modelInput("no-such-org", { slug: "other-model" })), "BAD_REQUEST");
    expect(await snapshot()).toEqual(before);
  });

  it("edits every field and audits the names of the changed fields", async () => {
    const caller = await callerFor(admin);
    const model = await caller.adminModels.create(modelInput(organizationId));
    const updated = await caller.adminModels.update({
      id: model.id,
      ...modelInput(organizationId, { displayName: "Renamed", samplingWeight: 2.5, maxTokens: 512, extraParams: { top_p: 0.9 } }),
    });
    expect(updated).toMatchObject({ displayName: "Renamed", samplingWeight: 2.5, maxTokens: 512, extraParams: { top_p: 0.9 } });
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "model.update" } });
    expect((audit.details as { changedFields: string[] }).changedFields.sort()).toEqual(["displayName", "extraParams", "maxTokens", "samplingWeight"]);
  });

  it("never returns the API key value, only whether its variable is set, even when it is set", async () => {
    process.env.TEST_KEY_X = SECRET_VALUE;
    const caller = await callerFor(admin);
    const model = await caller.adminModels.create(modelInput(organizationId, { apiKeyEnvVar: "TEST_KEY_X", endpoint: `${fake.url}/v1` }));
    const outputs = [
      model,
      await caller.adminModels.list(),
      await caller.adminModels.get({ id: model.id }),
      await caller.adminModels.update({ id: model.id, ...modelInput(organizationId, { apiKeyEnvVar: "TEST_KEY_X", endpoint: `${fake.url}/v1`, displayName: "Keyed" }) }),
      await caller.adminModels.envVarStatus({ name: "TEST_KEY_X" }),
      await caller.adminModels.test({ id: model.id, prompt: "Say hello", withSamplePersona: true }),
      await caller.adminModels.changeStatus({ id: model.id, action: "pause", reason: "checking" }),
      await caller.adminUsers.auditLog({}),
      await caller.adminQuality.overview(),
    ];
    expect(model.apiKeySet).toBe(true);
    expect(outputs[4]).toEqual({ name: "TEST_KEY_X", isSet: true });
    expect(JSON.stringify(outputs)).not.toContain(SECRET_VALUE);
    expect(JSON.stringify(await db.auditLog.findMany())).not.toContain(SECRET_VALUE);
    // The key did reach the provider, so the test above is not vacuous.
    expect(fake.requests.some((request) => request.headers.authorization === `Bearer ${SECRET_VALUE}`)).toBe(true);

    delete process.env.TEST_KEY_X;
    expect(await caller.adminModels.envVarStatus({ name: "TEST_KEY_X" })).toEqual({ name: "TEST_KEY_X", isSet: false });
    expect((await caller.adminModels.get({ id: model.id })).apiKeySet).toBe(false);
  });

  it("pauses with a reason, resumes clearing failures, retires and re-activates, auditing each step", async () => {
    const caller = await callerFor(admin);
    const model = await caller.adminModels.create(modelInput(organizationId));
    const paused = await caller.adminModels.changeStatus({ id: model.id, action: "pause", reason: "provider outage" });
    expect(paused).toMatchObject({ status: "paused", pausedReason: "Paused by an administrator: provider outage" });
    expect(paused.pausedAt).toBeInstanceOf(Date);
    await expectTrpcError(caller.adminModels.changeStatus({ id: model.id, action: "pause" }), "CONFLICT");

    await db.arenaModel.update({ where: { id: model.id }, data: { consecutiveFailures: 7 } });
    const resumed = await caller.adminModels.changeStatus({ id: model.id, action: "resume" });
    expect(resumed).toMatchObject({ status: "active", pausedReason: null, pausedAt: null, consecutiveFailures: 0 });
    await expectTrpcError(caller.adminModels.changeStatus({ id: model.id, action: "resume" }), "CONFLICT");

    expect((await caller.adminModels.changeStatus({ id: model.id, action: "retire" })).status).toBe("retired");
    expect((await caller.adminModels.changeStatus({ id: model.id, action: "activate" })).status).toBe("active");
    const actions = (await db.auditLog.findMany({ where: { targetId: model.id }, orderBy: { createdAt: "asc" } })).map((row) => row.action);
    expect(actions).toEqual(["model.create", "model.pause", "model.resume", "model.retire", "model.activate"]);
  });

  it("resumes a model the circuit breaker paused", async () => {
    const caller = await callerFor(admin);
    const model = await caller.adminModels.create(modelInput(organizationId));
    await db.arenaModel.update({
      where: { id: model.id },
      data: { status: "paused", pausedReason: "Paused automatically: 5 consecutive failures", pausedAt: new Date(), consecutiveFailures: 5 },
    });
    const list = await caller.adminModels.list();
    expect(list[0]).toMatchObject({ id: model.id, status: "paused", pausedReason: "Paused automatically: 5 consecutive failures", consecutiveFailures: 5 });
    expect(await caller.adminModels.changeStatus({ id: model.id, action: "resume" })).toMatchObject({ status: "active", consecutiveFailures: 0 });
  });

  it("tests a model against an OpenAI-compatible server and shows the answer", async () => {
    const caller = await callerFor(admin);
    const model = await caller.adminModels.create(modelInput(organizationId, { endpoint: `${fake.url}/v1`, providerModelId: "fake-ok" }));
    const result = await caller.adminModels.test({ id: model.id, prompt: "What is a river?", withSamplePersona: false });
    expect(result.ok).toBe(true);
    if (!result.ok || result.kind !== "text") throw new Error("expected a text answer");
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.systemPrompt).toBeNull();
    const sent = fake.requests.at(-1)!.body as { messages: { role: string; content: string }[] };
    expect(sent.messages).toEqual([{ role: "user", content: "What is a river?" }]);
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "model.test" } });
    expect(audit.details).toMatchObject({ ok: true });
  });

  it("sends the sample persona rendered with the model's template when asked", async () => {
    const caller = await callerFor(admin);
    const model = await caller.adminModels.create(
      modelInput(organizationId, { endpoint: `${fake.url}/v1`, personaTemplate: "Persona check.{{#if occupation}} Works as {{occupation}}.{{/if}}" }),
    );
    const result = await caller.adminModels.test({ id: model.id, prompt: "Hi", withSamplePersona: true });
    expect(result.systemPrompt).toBe("Persona check. Works as Hydrologist.");
    const sent = fake.requests.at(-1)!.body as { messages: { role: string; content: string }[] };
    expect(sent.messages[0]).toEqual({ role: "system", content: "Persona check. Works as Hydrologist." });
  });

  it("reports provider failures with their kind and does not pause the model", async () => {
    const caller = await callerFor(admin);
    const model = await caller.adminModels.create(modelInput(organizationId, { endpoint: `${fake.url}/v1`, providerModelId: "fake-500" }));
    for (let attempt = 0; attempt < 6; attempt++) {
      const result = await caller.adminModels.test({ id: model.id, prompt: "Hello", withSamplePersona: false });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toMatchObject({ kind: "http_error", status: 500 });
    }
    expect((await caller.adminModels.get({ id: model.id })).status).toBe("active");
    expect((await db.auditLog.findFirstOrThrow({ where: { action: "model.test" } })).details).toMatchObject({ ok: false, failureKind: "http_error" });
  });

  it("reports a cut stream as stream_cut with the partial text", async () => {
    const caller = await callerFor(admin);
    const model = await caller.adminModels.create(modelInput(organizationId, { endpoint: `${fake.url}/v1`, providerModelId: "fake-cut" }));
    const result = await caller.adminModels.test({ id: model.id, prompt: "Hello", withSamplePersona: false });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe("stream_cut");
    expect(result.partialText.length).toBeGreaterThan(0);
  });

  it("tests an image model and returns the image as a data URL", async () => {
    const caller = await callerFor(admin);
    const model = await caller.adminModels.create(
      modelInput(organizationId, { slug: "demo-image", modality: "image", providerKind: "demo_image", endpoint: null, providerModelId: "geometric", extraParams: { width: 64, height: 64 } }),
    );
    const result = await caller.adminModels.test({ id: model.id, prompt: "A lighthouse", withSamplePersona: false });
    expect(result).toMatchObject({ ok: true, kind: "image", mime: "image/png", width: 64, height: 64 });
    if (result.ok && result.kind !== "text") expect(result.dataUrl.startsWith("data:image/png;base64,")).toBe(true);
  });

  it("tests an audio model and returns playable audio", async () => {
    const caller = await callerFor(admin);
    const model = await caller.adminModels.create(
      modelInput(organizationId, { slug: "demo-music", modality: "audio", providerKind: "demo_music", endpoint: null, providerModelId: "sine-pad", extraParams: {} }),
    );
    const result = await caller.adminModels.test({ id: model.id, prompt: "Calm piano", withSamplePersona: false });
    expect(result).toMatchObject({ ok: true, kind: "audio", mime: "audio/wav" });
  });

  it("creates organizations and moves a model between them, audited", async () => {
    const caller = await callerFor(admin);
    const model = await caller.adminModels.create(modelInput(organizationId));
    const other = await caller.adminModels.createOrganization({ slug: "beta-labs", name: "Beta <Labs>" });
    await expectTrpcError(caller.adminModels.createOrganization({ slug: "beta-labs", name: "Again" }), "CONFLICT");
    const moved = await caller.adminModels.assignOrganization({ modelId: model.id, organizationId: other.id });
    expect(moved.organization).toEqual({ id: other.id, slug: "beta-labs", name: "Beta <Labs>" });
    const organizations = await caller.adminModels.organizations();
    expect(organizations.map((organization) => [organization.name, organization.models])).toEqual([
      ["Beta <Labs>", 1],
      ["Organization acme", 0],
    ]);
    const actions = (await db.auditLog.findMany({ orderBy: { createdAt: "asc" } })).map((row) => row.action);
    expect(actions).toEqual(["model.create", "organization.create", "model.assign_organization"]);
  });
});
