import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createLocalMediaStorage, createS3MediaStorage, isMediaSha256, mediaKey, MediaStorageError, type MediaStorage } from "@/lib/server/media/storage";
import { sha256Hex } from "@/lib/server/media/s3-signer";
import { FAKE_PNG_BYTES, FAKE_WAV_BYTES } from "@/tests/fixtures/fake-providers/server";

import { FAKE_S3_BUCKET, FAKE_S3_CREDENTIALS, startFakeS3Server, type FakeS3Server } from "./fake-s3";

const png = new Uint8Array(FAKE_PNG_BYTES);
const wav = new Uint8Array(FAKE_WAV_BYTES);

const readAll = async (stream: ReadableStream<Uint8Array>) => Buffer.from(await new Response(stream).arrayBuffer());

function listFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** Behaviour both backends share. */
function describeStorageContract(name: string, storage: () => MediaStorage) {
  describe(`${name}: shared contract`, () => {
    it("keys media by the SHA-256 of their bytes", async () => {
      const stored = await storage().put(png, "image/png");
      expect(stored).toEqual({ sha256: sha256Hex(png), bytes: png.length, mime: "image/png" });
      expect(isMediaSha256(stored.sha256)).toBe(true);
    });

    it("opens stored media with size and type", async () => {
      const { sha256 } = await storage().put(wav, "audio/wav");
      const opened = await storage().open(sha256);
      expect(opened).toMatchObject({ size: wav.length, mime: "audio/wav" });
      expect((await readAll(opened!.stream())).equals(Buffer.from(wav))).toBe(true);
    });

    it("streams an inclusive byte range", async () => {
      const { sha256 } = await storage().put(wav, "audio/wav");
      const opened = await storage().open(sha256);
      expect((await readAll(opened!.stream({ start: 40, end: 49 }))).equals(Buffer.from(wav.subarray(40, 50)))).toBe(true);
    });

    it("returns null for an unknown hash", async () => {
      expect(await storage().open("0".repeat(64))).toBeNull();
    });

    it("returns null for a malformed hash without touching the store", async () => {
      expect(await storage().open("../../etc/passwd")).toBeNull();
    });

    it("stores identical bytes once under the same reference", async () => {
      const first = await storage().put(png, "image/png");
      const second = await storage().put(png, "image/png");
      expect(second.sha256).toBe(first.sha256);
    });
  });
}

describe("local media storage", () => {
  let folder: string;
  const storage = () => createLocalMediaStorage(folder);

  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), "arena-media-"));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  describeStorageContract("local", storage);

  it("shards files as ab/cd/<sha> with a .mime sidecar and leaves no temporary files", async () => {
    const { sha256 } = await storage().put(png, "image/png");
    expect(mediaKey(sha256)).toBe(`${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`);
    expect(listFiles(folder)).toEqual([path.join(sha256.slice(0, 2), sha256.slice(2, 4), sha256), path.join(sha256.slice(0, 2), sha256.slice(2, 4), `${sha256}.mime`)].sort());
    expect(readFileSync(path.join(folder, ...mediaKey(sha256).split("/")), null).equals(FAKE_PNG_BYTES)).toBe(true);
  });

  it("survives many concurrent writes of the same media", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => storage().put(wav, "audio/wav")));
    expect(new Set(results.map((result) => result.sha256)).size).toBe(1);
    expect(listFiles(folder)).toHaveLength(2);
    const opened = await storage().open(results[0].sha256);
    expect((await readAll(opened!.stream())).equals(Buffer.from(wav))).toBe(true);
  });

  it("reports an unknown type when the sidecar is missing", async () => {
    const { sha256 } = await storage().put(png, "image/png");
    rmSync(path.join(folder, ...`${mediaKey(sha256)}.mime`.split("/")));
    expect(await storage().open(sha256)).toMatchObject({ size: png.length, mime: null });
  });

  it("throws a MediaStorageError when the folder cannot be written", async () => {
    const blocked = path.join(folder, "a-file");
    writeFileSync(blocked, "not a folder");
    await expect(createLocalMediaStorage(blocked).put(wav, "audio/wav")).rejects.toBeInstanceOf(MediaStorageError);
  });
});

describe("S3 media storage against a fake S3 server", () => {
  let s3: FakeS3Server;
  const storage = (overrides: Partial<Parameters<typeof createS3MediaStorage>[0]> = {}) =>
    createS3MediaStorage({ endpoint: s3.url, bucket: FAKE_S3_BUCKET, pathStyle: true, ...FAKE_S3_CREDENTIALS, ...overrides });

  beforeAll(async () => {
    s3 = await startFakeS3Server();
  });
  afterAll(() => s3.close());
  beforeEach(() => {
    s3.objects.clear();
    s3.requests.length = 0;
    s3.failWith(null);
  });

  describeStorageContract("s3", () => storage());

  it("puts the object at bucket/ab/cd/<sha> with its content type", async () => {
    const { sha256 } = await storage().put(png, "image/png");
    expect(s3.requests).toHaveLength(1);
    expect(s3.requests[0]).toMatchObject({ method: "PUT", path: `/${FAKE_S3_BUCKET}/${mediaKey(sha256)}` });
    expect(s3.objects.get(mediaKey(sha256))).toMatchObject({ contentType: "image/png" });
  });

  it("signs every request with SigV4 over host, date, payload hash and the sent headers", async () => {
    const { sha256 } = await storage().put(png, "image/png");
    const opened = await storage().open(sha256);
    await readAll(opened!.stream({ start: 0, end: 3 }));
    expect(s3.requests.map((request) => request.method)).toEqual(["PUT", "HEAD", "GET"]);
    for (const request of s3.requests) {
      expect(request.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDFAKES3TEST\/\d{8}\/eu-test-1\/s3\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/,
      );
    }
    expect(s3.requests[0].signedHeaders).toEqual(["content-type", "host", "x-amz-content-sha256", "x-amz-date"]);
    expect(s3.requests[2].signedHeaders).toEqual(["host", "range", "x-amz-content-sha256", "x-amz-date"]);
  });

  it("is refused with a wrong secret, as a MediaStorageError", async () => {
    await expect(storage({ secretAccessKey: "wrong-secret" }).put(png, "image/png")).rejects.toBeInstanceOf(MediaStorageError);
    expect(s3.objects.size).toBe(0);
  });

  it("does not read the object before the stream is pulled", async () => {
    const { sha256 } = await storage().put(png, "image/png");
    await storage().open(sha256);
    expect(s3.requests.map((request) => request.method)).toEqual(["PUT", "HEAD"]);
  });

  it("uses the key prefix", async () => {
    const { sha256 } = await storage({ prefix: "media/" }).put(png, "image/png");
    expect(s3.objects.has(`media/${mediaKey(sha256)}`)).toBe(true);
    expect(await storage({ prefix: "media/" }).open(sha256)).toMatchObject({ size: png.length });
  });

  it("throws a MediaStorageError when the store fails", async () => {
    const { sha256 } = await storage().put(png, "image/png");
    s3.failWith(500);
    await expect(storage().open(sha256)).rejects.toBeInstanceOf(MediaStorageError);
    await expect(storage().put(wav, "audio/wav")).rejects.toBeInstanceOf(MediaStorageError);
  });

  it("throws a MediaStorageError when the store is unreachable", async () => {
    await expect(storage({ endpoint: "http://127.0.0.1:1" }).put(png, "image/png")).rejects.toBeInstanceOf(MediaStorageError);
  });

  it("addresses virtual-hosted buckets as bucket.host", async () => {
    const requested: string[] = [];
    const originalFetch = globalThis.fetch;
    globalThis.fetch = (async (input: URL | RequestInfo) => {
      requested.push(input instanceof Request ? input.url : String(input));
      return new Response(null, { status: 404 });
    }) as typeof fetch;
    try {
      await storage({ endpoint: "https://s3.eu-test-1.example.com", pathStyle: false }).open("a".repeat(64));
    } finally {
      globalThis.fetch = originalFetch;
    }
    expect(requested).toEqual([`https://${FAKE_S3_BUCKET}.s3.eu-test-1.example.com/aa/aa/${"a".repeat(64)}`]);
  });
});
