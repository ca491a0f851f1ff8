import { describe, expect, it } from "vitest";
import { readJsonBody } from "@/lib/server/security/body";

function streamingRequest(chunks: string[], headers: Record<string, string> = {}) {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });
  return new Request("http://localhost/api/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

describe("readJsonBody", () => {
  it("parses a body within the limit", async () => {
    expect(await readJsonBody(new Request("http://localhost/api/x", { method: "POST", body: '{"a":1}' }), 100)).toEqual({ ok: true, value: { a: 1 } });
  });
  it("refuses a declared length over the limit with 413 without reading", async () => {
    const result = await readJsonBody(new Request("http://localhost/api/x", { method: "POST", body: "x".repeat(200) }), 100);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.response.status).toBe(413);
      expect(await result.response.json()).toEqual({ error: "This request is too large: the limit is 100 bytes." });
    }
  });
  it("refuses a streamed body that grows past the limit without a Content-Length", async () => {
    const result = await readJsonBody(streamingRequest(['{"a":"', "x".repeat(80), "y".repeat(80), '"}']), 100);
    expect(result.ok === false && result.response.status).toBe(413);
  });
  it("answers 400 for invalid JSON", async () => {
    const result = await readJsonBody(new Request("http://localhost/api/x", { method: "POST", body: "{nope" }), 100);
    expect(result.ok === false && result.response.status).toBe(400);
  });
  it("counts bytes, not characters", async () => {
    const result = await readJsonBody(streamingRequest([JSON.stringify("é".repeat(40))]), 60);
    expect(result.ok === false && result.response.status).toBe(413);
  });
});
