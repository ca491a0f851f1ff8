import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { buildBlocklist } from "@/lib/domain/moderation/blocklist";
import {
  assertPromptAllowed,
  createOpenAiModerationProvider,
  createPromptModerator,
  ModerationProviderError,
  moderatePrompt,
  type PromptModeratorConfig,
} from "@/lib/server/moderation";
import { moderationsUrl } from "@/lib/server/moderation/provider";

type Handler = (body: { model?: string; input?: string }, req: IncomingMessage, res: ServerResponse) => void;

/** A tiny OpenAI-compatible moderation server; each test sets `handler`. */
let handler: Handler;
const received: { body: { model?: string; input?: string }; authorization?: string; path?: string }[] = [];
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const body = JSON.parse(raw || "{}");
      received.push({ body, authorization: req.headers.authorization, path: req.url });
      handler(body, req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received.length = 0;
});

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
};
const flagWords: Handler = (body, _req, res) =>
  json(res, 200, { id: "modr-1", results: [{ flagged: /attack/.test(body.input ?? ""), categories: { violence: /attack/.test(body.input ?? "") } }] });

function moderator(overrides: Partial<PromptModeratorConfig> = {}) {
  const warn = vi.fn();
  const moderate = createPromptModerator({
    blocklist: buildBlocklist(),
    personalData: "block",
    failureMode: "open",
    provider: createOpenAiModerationProvider({ endpoint: baseUrl, apiKey: "test-key", model: "omni-test", timeoutMs: 300 }),
    warn,
    ...overrides,
  });
  return { moderate, warn };
}

describe("OpenAI-compatible moderation provider", () => {
  it("posts the prompt and model to /moderations with the API key", async () => {
    handler = flagWords;
    const { moderate } = moderator();
    expect(await moderate("a friendly question")).toEqual({ allowed: true });
    expect(received).toEqual([{ body: { model: "omni-test", input: "a friendly question" }, authorization: "Bearer test-key", path: "/v1/moderations" }]);
  });

  it("refuses a prompt the provider flags, naming the categories", async () => {
    handler = flagWords;
    const { moderate } = moderator();
    expect(await moderate("plan an attack")).toMatchObject({ allowed: false, reason: "flagged", details: ["violence"] });
  });

  it("never sends a prompt that the local checks refuse", async () => {
    handler = flagWords;
    const { moderate } = moderator();
    expect(await moderate("email me: a@example.com")).toMatchObject({ allowed: false, reason: "personal_data" });
    expect(await moderate("csam")).toMatchObject({ allowed: false, reason: "blocklist" });
    expect(received).toEqual([]);
  });

  it("fails open with a warning when the provider answers an error status", async () => {
    handler = (_body, _req, res) => json(res, 500, { error: "boom" });
    const { moderate, warn } = moderator();
    expect(await moderate("plan an attack")).toEqual({ allowed: true });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/failing open/);
  });

  it("fails closed when configured to", async () => {
    handler = (_body, _req, res) => json(res, 503, {});
    const { moderate } = moderator({ failureMode: "closed" });
    expect(await moderate("hello")).toMatchObject({ allowed: false, reason: "moderation_unavailable" });
  });

  it("treats an unreadable response as a failure, not as unflagged", async () => {
    handler = (_body, _req, res) => json(res, 200, { unexpected: true });
    const { moderate } = moderator({ failureMode: "closed" });
    expect(await moderate("hello")).toMatchObject({ allowed: false, reason: "moderation_unavailable" });
  });

  it("gives up after the timeout", async () => {
    handler = (_body, _req, res) => setTimeout(() => json(res, 200, { results: [{ flagged: false }] }), 2000);
    const provider = createOpenAiModerationProvider({ endpoint: baseUrl, timeoutMs: 100 });
    const started = Date.now();
    await expect(provider.moderate("slow")).rejects.toBeInstanceOf(ModerationProviderError);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("fails when nothing listens at the endpoint", async () => {
    const provider = createOpenAiModerationProvider({ endpoint: "http://127.0.0.1:1/v1" });
    await expect(provider.moderate("hello")).rejects.toBeInstanceOf(ModerationProviderError);
  });

  it("accepts a base URL or the full moderations URL", () => {
    expect(moderationsUrl("https://api.example.com/v1/")).toBe("https://api.example.com/v1/moderations");
    expect(moderationsUrl("https://api.example.com/v1/moderations")).toBe("https://api.example.com/v1/moderations");
  });
});

describe("moderatePrompt with the default configuration (no provider)", () => {
  it("allows an ordinary prompt", async () => {
    expect(await moderatePrompt("Compare bubble sort and merge sort.")).toEqual({ allowed: true });
  });

  it("refuses personal data with the kind in the message", async () => {
    expect(await moderatePrompt("my number is 555-123-4567")).toMatchObject({
      allowed: false,
      reason: "personal_data",
      message: "Your prompt seems to contain a phone number. Please remove personal data before sending.",
    });
  });

  it("assertPromptAllowed throws BAD_REQUEST with the message on the prompt field", async () => {
    await expect(assertPromptAllowed("write about csam")).rejects.toMatchObject({ code: "BAD_REQUEST", fieldErrors: { prompt: expect.any(String) } });
    await expect(assertPromptAllowed("write a poem")).resolves.toBeUndefined();
  });
});
