import { rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// lib/env reads MEDIA_DIR once, when first imported: point it at a scratch folder before that.
const mediaDir = vi.hoisted(() => {
  const folder = `${process.env.TMPDIR ?? "/tmp"}/arena-media-route-${process.pid}-${Date.now()}`;
  process.env.MEDIA_DIR = folder;
  return folder;
});

import { GET } from "@/app/api/media/[sha256]/route";
import { storeMedia } from "@/lib/server/media/storage";
import { FAKE_PNG_BYTES, FAKE_WAV_BYTES } from "@/tests/fixtures/fake-providers/server";

import { db } from "../helpers/caller";
import { resetDatabase } from "../helpers/db";

let wavSha = "";
let pngSha = "";

beforeAll(async () => {
  await resetDatabase(db);
  wavSha = (await storeMedia(new Uint8Array(FAKE_WAV_BYTES), "audio/wav")).sha256;
  pngSha = (await storeMedia(new Uint8Array(FAKE_PNG_BYTES), "image/png")).sha256;
});
afterAll(() => rmSync(mediaDir, { recursive: true, force: true }));

function get(sha256: string, headers: Record<string, string> = {}, method = "GET") {
  return GET(new Request(`http://localhost/api/media/${sha256}`, { method, headers }), { params: Promise.resolve({ sha256 }) });
}

const body = async (response: Response) => Buffer.from(await response.arrayBuffer());

describe("GET /api/media/[sha256]", () => {
  it("serves the whole file with its type, length and immutable caching", async () => {
    const response = await get(wavSha);
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "content-type": "audio/wav",
      "content-length": String(FAKE_WAV_BYTES.length),
      "accept-ranges": "bytes",
      etag: `"${wavSha}"`,
      "cache-control": "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
    });
    expect((await body(response)).equals(FAKE_WAV_BYTES)).toBe(true);
  });

  it("serves images with their type", async () => {
    const response = await get(pngSha);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect((await body(response)).equals(FAKE_PNG_BYTES)).toBe(true);
  });

  it("answers a byte range with 206 and Content-Range", async () => {
    const response = await get(wavSha, { range: "bytes=44-143" });
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe(`bytes 44-143/${FAKE_WAV_BYTES.length}`);
    expect(response.headers.get("content-length")).toBe("100");
    expect((await body(response)).equals(FAKE_WAV_BYTES.subarray(44, 144))).toBe(true);
  });

  it("answers an open-ended range to the end of the file", async () => {
    const response = await get(wavSha, { range: `bytes=${FAKE_WAV_BYTES.length - 10}-` });
    expect(response.status).toBe(206);
    expect((await body(response)).equals(FAKE_WAV_BYTES.subarray(FAKE_WAV_BYTES.length - 10))).toBe(true);
  });

  it("answers a suffix range with the last bytes", async () => {
    const response = await get(wavSha, { range: "bytes=-4" });
    expect(response.headers.get("content-range")).toBe(`bytes ${FAKE_WAV_BYTES.length - 4}-${FAKE_WAV_BYTES.length - 1}/${FAKE_WAV_BYTES.length}`);
    expect(await body(response)).toHaveLength(4);
  });

  it("answers a range past the end with 416 and the real size", async () => {
    const response = await get(wavSha, { range: `bytes=${FAKE_WAV_BYTES.length}-` });
    expect(response.status).toBe(416);
    expect(response.headers.get("content-range")).toBe(`bytes */${FAKE_WAV_BYTES.length}`);
  });

  it("answers a malformed range with 416", async () => {
    expect((await get(wavSha, { range: "bytes=9-3" })).status).toBe(416);
  });

  it("sends the whole file when If-Range does not match", async () => {
    const response = await get(wavSha, { range: "bytes=0-9", "if-range": '"stale"' });
    expect(response.status).toBe(200);
    expect(await body(response)).toHaveLength(FAKE_WAV_BYTES.length);
  });

  it("honours a matching If-Range", async () => {
    expect((await get(wavSha, { range: "bytes=0-9", "if-range": `"${wavSha}"` })).status).toBe(206);
  });

  it("answers 304 when the client already has it", async () => {
    const response = await get(pngSha, { "if-none-match": `"${pngSha}"` });
    expect(response.status).toBe(304);
    expect(response.headers.get("etag")).toBe(`"${pngSha}"`);
    expect(await body(response)).toHaveLength(0);
  });

  it("answers HEAD without a body", async () => {
    const response = await get(pngSha, {}, "HEAD");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe(String(FAKE_PNG_BYTES.length));
    expect(await body(response)).toHaveLength(0);
  });

  it("answers 404 for an unknown hash", async () => {
    const response = await get("f".repeat(64));
    expect(response.status).toBe(404);
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it.each(["not-a-hash", "A".repeat(64), "a".repeat(63), "..%2F..%2Fetc%2Fpasswd"])("answers 400 for the malformed reference %s", async (reference) => {
    expect((await get(reference)).status).toBe(400);
  });

  it("falls back to the Response row's type when the sidecar is gone", async () => {
    const sha256 = (await storeMedia(new Uint8Array([...FAKE_PNG_BYTES, 0]), "image/png")).sha256;
    rmSync(path.join(mediaDir, sha256.slice(0, 2), sha256.slice(2, 4), `${sha256}.mime`));
    expect((await get(sha256)).headers.get("content-type")).toBe("application/octet-stream");

    const user = await db.user.create({ data: { role: "annotator" } });
    const organization = await db.organization.create({ data: { slug: "route-org", name: "Route Org" } });
    const modelData = { organizationId: organization.id, modality: "image" as const, providerKind: "demo_image", extraParams: {} };
    const modelA = await db.arenaModel.create({ data: { ...modelData, slug: "route-a", displayName: "A", providerModelId: "geometric" } });
    const modelB = await db.arenaModel.create({ data: { ...modelData, slug: "route-b", displayName: "B", providerModelId: "concentric" } });
    const battle = await db.battle.create({ data: { publicId: "route-battle", userId: user.id, modality: "image", modelAId: modelA.id, modelBId: modelB.id } });
    const turn = await db.turn.create({ data: { battleId: battle.id, index: 0, prompt: "a lighthouse" } });
    await db.response.create({ data: { turnId: turn.id, side: "a", modelId: modelA.id, status: "complete", mediaSha256: sha256, mediaMime: "image/png" } });

    expect((await get(sha256)).headers.get("content-type")).toBe("image/png");
  });
});
