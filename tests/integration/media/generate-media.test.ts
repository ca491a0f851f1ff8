import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { sha256Hex } from "@/lib/server/media/s3-signer";
import { createLocalMediaStorage, type MediaStorage } from "@/lib/server/media/storage";
import { generateMediaResponse, musicDurationFor } from "@/lib/server/services/generate-media";
import type { TRuntimeModel } from "@/lib/server/services/models-runtime";
import { FAKE_PNG_BYTES, FAKE_WAV_BYTES, startFakeProviderServer, type FakeProviderServer } from "@/tests/fixtures/fake-providers/server";

import { db } from "../helpers/caller";
import { resetDatabase } from "../helpers/db";

let fake: FakeProviderServer;
let folder: string;
let storage: MediaStorage;

beforeAll(async () => {
  fake = await startFakeProviderServer();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.resetStats();
  folder = mkdtempSync(path.join(tmpdir(), "arena-generate-media-"));
  storage = createLocalMediaStorage(folder);
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

let modelCounter = 0;
function model(providerKind: string, endpoint: string | null, overrides: Partial<TRuntimeModel> = {}): TRuntimeModel {
  modelCounter++;
  return {
    id: `model-${modelCounter}`,
    slug: `media-model-${modelCounter}`,
    providerKind,
    endpoint,
    providerModelId: "fake-ok",
    apiKeyEnvVar: null,
    extraParams: {},
    timeoutMs: 5_000,
    maxTokens: 0,
    maxConcurrency: 4,
    ...overrides,
  };
}

const generate = (arenaModel: TRuntimeModel, signal = new AbortController().signal) =>
  generateMediaResponse({ model: arenaModel, prompt: "a lighthouse at dusk", personaContext: "Age: 25-34", signal, storage });

async function storedBytes(sha256: string): Promise<Buffer> {
  const opened = await storage.open(sha256);
  if (!opened) throw new Error(`nothing stored under ${sha256}`);
  return Buffer.from(await new Response(opened.stream()).arrayBuffer());
}

describe("generateMediaResponse: images over HTTP", () => {
  const image = (behaviour: string, overrides: Partial<TRuntimeModel> = {}) => model("http_image", `${fake.url}/image/${behaviour}`, overrides);

  it("stores the image and returns its reference, type, size and dimensions", async () => {
    const result = await generate(image("fake-ok"));
    expect(result).toMatchObject({ ok: true, sha256: sha256Hex(FAKE_PNG_BYTES), mime: "image/png", bytes: FAKE_PNG_BYTES.length, width: 2, height: 2 });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect((await storedBytes(sha256Hex(FAKE_PNG_BYTES))).equals(FAKE_PNG_BYTES)).toBe(true);
  });

  it("sends the prompt and persona context", async () => {
    await generate(image("fake-ok"));
    expect(fake.requests[0].body).toMatchObject({ prompt: "a lighthouse at dusk", persona_context: "Age: 25-34" });
  });

  it("downloads an image answered by URL", async () => {
    expect(await generate(image("fake-json-url"))).toMatchObject({ ok: true, sha256: sha256Hex(FAKE_PNG_BYTES) });
    expect(fake.requests.map((request) => request.path)).toEqual(["/image/fake-json-url", "/files/image.png"]);
  });

  it("decodes an image answered as base64", async () => {
    expect(await generate(image("fake-b64"))).toMatchObject({ ok: true, sha256: sha256Hex(FAKE_PNG_BYTES) });
  });

  it("works with the OpenAI Images API", async () => {
    expect(await generate(model("openai_images", `${fake.url}/v1`))).toMatchObject({ ok: true, mime: "image/png" });
  });

  it.each([
    ["fake-500", "http_error"],
    ["fake-429", "rate_limited"],
    ["fake-garbage", "bad_response"],
    ["fake-corrupt", "bad_response"],
    ["fake-empty", "empty"],
  ])("turns %s into a failed side (%s) and stores nothing", async (behaviour, kind) => {
    const result = await generate(image(behaviour));
    expect(result).toMatchObject({ ok: false, error: { kind } });
    expect(await storage.open(sha256Hex(FAKE_PNG_BYTES))).toBeNull();
  });

  it("fails a side that never answers with a timeout", async () => {
    const result = await generate(image("fake-timeout", { timeoutMs: 200 }));
    expect(result).toMatchObject({ ok: false, error: { kind: "timeout" } });
    expect(result.latencyMs).toBeGreaterThanOrEqual(150);
  });

  it("fails an oversized image", async () => {
    expect(await generate(image("fake-ok", { extraParams: { maxResponseBytes: 16 } }))).toMatchObject({ ok: false, error: { kind: "too_large" } });
  });

  it("fails an oversized image delivered by URL", async () => {
    expect(await generate(image("fake-json-url", { extraParams: { maxResponseBytes: 16 } }))).toMatchObject({ ok: false, error: { kind: "too_large" } });
  });

  it("reports a cancelled call as aborted", async () => {
    const controller = new AbortController();
    const pending = generate(image("fake-timeout"), controller.signal);
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, error: { kind: "aborted" } });
  });
});

describe("generateMediaResponse: music over HTTP", () => {
  const music = (behaviour: string, overrides: Partial<TRuntimeModel> = {}) => model("http_music", `${fake.url}/music/${behaviour}`, overrides);

  it("stores the audio with its duration", async () => {
    expect(await generate(music("fake-ok"))).toMatchObject({ ok: true, sha256: sha256Hex(FAKE_WAV_BYTES), mime: "audio/wav", bytes: FAKE_WAV_BYTES.length, durationSeconds: 1 });
    expect((await storedBytes(sha256Hex(FAKE_WAV_BYTES))).equals(FAKE_WAV_BYTES)).toBe(true);
  });

  it("asks for 10 seconds by default", async () => {
    await generate(music("fake-ok"));
    expect(fake.requests[0].body).toMatchObject({ duration_seconds: 10, prompt: "a lighthouse at dusk" });
  });

  it("asks for the model's configured duration, clamped to 30 seconds", async () => {
    await generate(music("fake-ok", { extraParams: { durationSeconds: 90 } }));
    expect(fake.requests[0].body).toMatchObject({ duration_seconds: 30 });
  });

  it("accepts MP3 answers", async () => {
    expect(await generate(music("fake-mp3"))).toMatchObject({ ok: true, mime: "audio/mpeg" });
  });

  it("downloads audio answered by URL", async () => {
    expect(await generate(music("fake-json-url"))).toMatchObject({ ok: true, mime: "audio/wav" });
  });

  it.each([
    ["fake-500", "http_error"],
    ["fake-400", "http_error"],
    ["fake-corrupt", "bad_response"],
    ["fake-garbage", "bad_response"],
    ["fake-empty", "empty"],
  ])("turns %s into a failed side (%s)", async (behaviour, kind) => {
    expect(await generate(music(behaviour))).toMatchObject({ ok: false, error: { kind } });
  });

  it("fails a side that never answers with a timeout", async () => {
    expect(await generate(music("fake-timeout", { timeoutMs: 200 }))).toMatchObject({ ok: false, error: { kind: "timeout" } });
  });

  it("fails oversized audio", async () => {
    expect(await generate(music("fake-ok", { extraParams: { maxResponseBytes: 1000 } }))).toMatchObject({ ok: false, error: { kind: "too_large" } });
  });
});

describe("generateMediaResponse: offline demo models and registry rows", () => {
  beforeEach(() => resetDatabase(db));

  it("generates and stores a demo image from a seeded-style ArenaModel row", async () => {
    const organization = await db.organization.create({ data: { slug: "demo-org", name: "Demo Org" } });
    const row = await db.arenaModel.create({
      data: { slug: "prism-geo-test", displayName: "Prism Geo", organizationId: organization.id, modality: "image", providerKind: "demo_image", providerModelId: "geometric", extraParams: { width: 64, height: 64 } },
    });
    const result = await generate(row);
    expect(result).toMatchObject({ ok: true, mime: "image/png", width: 64, height: 64 });
    if (result.ok) expect(sha256Hex(await storedBytes(result.sha256))).toBe(result.sha256);
  });

  it("generates a demo clip of the requested length", async () => {
    const result = await generate(model("demo_music", null, { providerModelId: "sine-pad", extraParams: { durationSeconds: 6 } }));
    expect(result).toMatchObject({ ok: true, mime: "audio/wav" });
    if (result.ok) expect(result.durationSeconds).toBeCloseTo(6, 1);
  });

  it("gives the same reference for the same prompt (deterministic demo, content-addressed)", async () => {
    const demo = model("demo_image", null, { providerModelId: "concentric", extraParams: { width: 32, height: 32 } });
    const first = await generate(demo);
    if (!first.ok) throw new Error(first.error.message);
    expect(await generate(demo)).toMatchObject({ ok: true, sha256: first.sha256 });
  });

  it("refuses a text model", async () => {
    expect(await generate(model("demo_text", null, { providerModelId: "concise-expert" }))).toMatchObject({ ok: false, error: { kind: "config" } });
  });
});

describe("musicDurationFor", () => {
  it.each([
    [{}, 10],
    [null, 10],
    [{ durationSeconds: 12 }, 12],
    [{ durationSeconds: 2 }, 5],
    [{ durationSeconds: 31 }, 30],
    [{ durationSeconds: "20" }, 10],
    [{ durationSeconds: Number.NaN }, 10],
  ])("maps %j to %d seconds", (extraParams, seconds) => {
    expect(musicDurationFor(extraParams)).toBe(seconds);
  });
});
