import { describe, expect, it } from "vitest";

import { createHttpImageProvider } from "@/lib/server/providers/http-image";
import { createHttpMusicProvider } from "@/lib/server/providers/http-music";
import { createOpenAIImagesProvider } from "@/lib/server/providers/openai-images";
import type { ModelConfig, ProviderDependencies, ProviderKind } from "@/lib/server/providers/types";

import { setupFakeProviderServer } from "./text-test-support";

const API_KEY = "sk-media-secret-1a2b3c4d";
const deps: ProviderDependencies = { getSecret: (name) => (name === "MEDIA_KEY" ? API_KEY : undefined) };
const signal = () => new AbortController().signal;

const fake = setupFakeProviderServer();

function config(providerKind: ProviderKind, endpoint: string, overrides: Partial<ModelConfig> = {}): ModelConfig {
  return {
    slug: "media-model",
    providerKind,
    endpoint,
    providerModelId: "fake-ok",
    apiKeyEnvVar: "MEDIA_KEY",
    extraParams: {},
    timeoutMs: 5_000,
    maxTokens: 0,
    maxConcurrency: 2,
    ...overrides,
  };
}

describe("OpenAI images adapter", () => {
  const provider = (overrides: Partial<ModelConfig> = {}) => createOpenAIImagesProvider(config("openai_images", `${fake().url}/v1`, overrides), deps);
  const generate = (overrides: Partial<ModelConfig> = {}) => provider(overrides).generateImage({ prompt: "a red square", personaContext: null, signal: signal() });

  it("decodes a b64_json image and reports its dimensions", async () => {
    expect(await generate()).toMatchObject({ ok: true, mime: "image/png", width: 2, height: 2 });
  });

  it("posts model, prompt and size with a bearer key", async () => {
    await generate({ extraParams: { quality: "hd" } });
    const request = fake().requests[0];
    expect(request.path).toBe("/v1/images/generations");
    expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.body).toMatchObject({ model: "fake-ok", prompt: "a red square", n: 1, size: "1024x1024", quality: "hd" });
  });

  it("downloads an image answered by URL", async () => {
    expect(await generate({ providerModelId: "fake-url" })).toMatchObject({ ok: true, mime: "image/png" });
    expect(fake().requests.map((request) => request.path)).toEqual(["/v1/images/generations", "/files/image.png"]);
  });

  it.each([
    ["fake-500", "http_error"],
    ["fake-400", "http_error"],
    ["fake-429", "rate_limited"],
    ["fake-garbage", "bad_response"],
    ["fake-empty", "empty"],
    ["fake-corrupt", "bad_response"],
  ])("maps %s to %s", async (modelId, kind) => {
    expect(await generate({ providerModelId: modelId })).toMatchObject({ ok: false, error: { kind } });
  });

  it("times out a server that never answers", async () => {
    expect(await generate({ providerModelId: "fake-timeout", timeoutMs: 200 })).toMatchObject({ ok: false, error: { kind: "timeout" } });
  });

  it("rejects images over the configured size limit", async () => {
    expect(await generate({ extraParams: { maxResponseBytes: 10 } })).toMatchObject({ ok: false, error: { kind: "too_large" } });
  });
});

describe("generic HTTP image adapter", () => {
  const generate = (behaviour: string, overrides: Partial<ModelConfig> = {}) =>
    createHttpImageProvider(config("http_image", `${fake().url}/image/${behaviour}`, overrides), deps).generateImage({
      prompt: "a lighthouse",
      personaContext: "Age: 25-34",
      signal: signal(),
    });

  it("accepts image bytes and sends the documented JSON body", async () => {
    expect(await generate("fake-ok", { extraParams: { width: 256, height: 128 } })).toMatchObject({ ok: true, mime: "image/png" });
    expect(fake().requests[0].body).toEqual({ prompt: "a lighthouse", persona_context: "Age: 25-34", width: 256, height: 128, model: "fake-ok" });
    expect(fake().requests[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it("accepts JSON {url} and JSON {b64}", async () => {
    expect(await generate("fake-json-url")).toMatchObject({ ok: true });
    expect(await generate("fake-b64")).toMatchObject({ ok: true });
  });

  it.each([
    ["fake-500", "http_error"],
    ["fake-429", "rate_limited"],
    ["fake-garbage", "bad_response"],
    ["fake-corrupt", "bad_response"],
    ["fake-empty", "empty"],
  ])("maps %s to %s", async (behaviour, kind) => {
    expect(await generate(behaviour)).toMatchObject({ ok: false, error: { kind } });
  });

  it("rejects an answer over the size limit while downloading", async () => {
    expect(await generate("fake-ok", { extraParams: { maxResponseBytes: 20 } })).toMatchObject({ ok: false, error: { kind: "too_large" } });
  });

  it("reports a missing key variable as a config error without calling the server", async () => {
    const result = await generate("fake-ok", { apiKeyEnvVar: "NOT_SET" });
    expect(result).toMatchObject({ ok: false, error: { kind: "config" } });
    expect(fake().requests).toHaveLength(0);
  });
});

describe("generic HTTP music adapter", () => {
  const generate = (behaviour: string, overrides: Partial<ModelConfig> = {}, controller = new AbortController()) =>
    createHttpMusicProvider(config("http_music", `${fake().url}/music/${behaviour}`, overrides), deps).generateMusic({
      prompt: "calm piano",
      personaContext: null,
      durationSeconds: 10,
      lyrics: "la la",
      signal: controller.signal,
    });

  it("accepts WAV bytes with their duration and sends the documented JSON body", async () => {
    expect(await generate("fake-ok")).toMatchObject({ ok: true, mime: "audio/wav", durationSeconds: 1 });
    expect(fake().requests[0].body).toEqual({ prompt: "calm piano", duration_seconds: 10, lyrics: "la la", persona_context: null, model: "fake-ok" });
  });

  it("accepts MP3 and JSON {url}", async () => {
    expect(await generate("fake-mp3")).toMatchObject({ ok: true, mime: "audio/mpeg" });
    expect(await generate("fake-json-url")).toMatchObject({ ok: true, mime: "audio/wav" });
  });

  it.each([
    ["fake-500", "http_error"],
    ["fake-400", "http_error"],
    ["fake-429", "rate_limited"],
    ["fake-garbage", "bad_response"],
    ["fake-corrupt", "bad_response"],
    ["fake-empty", "empty"],
  ])("maps %s to %s", async (behaviour, kind) => {
    expect(await generate(behaviour)).toMatchObject({ ok: false, error: { kind } });
  });

  it("times out, and reports a caller abort as aborted", async () => {
    expect(await generate("fake-timeout", { timeoutMs: 200 })).toMatchObject({ ok: false, error: { kind: "timeout" } });
    const controller = new AbortController();
    const pending = generate("fake-timeout", {}, controller);
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, error: { kind: "aborted" } });
  });

  it("never includes the API key in failure messages", async () => {
    const results = await Promise.all(["fake-500", "fake-400", "fake-429", "fake-garbage"].map((behaviour) => generate(behaviour)));
    expect(JSON.stringify(results)).not.toContain(API_KEY);
  });
});
