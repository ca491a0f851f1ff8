import "server-only";

import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";

import { env } from "@/lib/env";
import { AppError } from "@/lib/server/errors";

import type { ByteRange } from "./byte-range";
import { createS3Signer, sha256Hex, type S3Credentials, type S3RequestInit } from "./s3-signer";

/**
 * Content-addressed media storage: the key of a file is the SHA-256 of its bytes, so identical media
 * are stored once, a stored file never changes, and a reference can be verified by hashing. Two
 * backends: the local filesystem (default, `MEDIA_DIR`) and S3-compatible object storage (`S3_*`).
 * Both keep the MIME type next to the bytes (a `.mime` sidecar file, or the object's Content-Type).
 */
export interface StoredMedia {
  sha256: string;
  /** Size in bytes. */
  bytes: number;
  mime: string;
}

export interface OpenedMedia {
  size: number;
  /** Null when the store has no type for it (callers fall back to the database's Response.mediaMime). */
  mime: string | null;
  /** The bytes, or only `range` (inclusive, within 0..size-1). Nothing is read before the stream is pulled. */
  stream(range?: ByteRange): ReadableStream<Uint8Array>;
}

export interface MediaStorage {
  readonly kind: "local" | "s3";
  put(bytes: Uint8Array, mime: string): Promise<StoredMedia>;
  /** Null when nothing is stored under that hash (or the hash is malformed). */
  open(sha256: string): Promise<OpenedMedia | null>;
}

/** Infrastructure failure (disk, object store): not the model's fault, never shown with details. */
export class MediaStorageError extends AppError {
  constructor(
    /** For logs only. */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super("INTERNAL", "The media storage is unavailable. Please try again later.");
    this.name = "MediaStorageError";
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A media reference is a lowercase hex SHA-256. */
export function isMediaSha256(value: string): boolean {
  return SHA256_HEX.test(value);
}

/** `ab/cd/abcd…`: two levels of 256 folders keep directory listings small. */
export function mediaKey(sha256: string): string {
  return `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code === "ENOENT";

/** Writes to a temporary sibling, then renames: readers never see a partial file. */
async function writeAtomically(target: string, data: Uint8Array | string): Promise<void> {
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temporary, data);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export function createLocalMediaStorage(rootDir: string): MediaStorage {
  const root = path.resolve(rootDir);
  const fileOf = (sha256: string) => path.join(root, ...mediaKey(sha256).split("/"));

  return {
    kind: "local",
    async put(bytes, mime) {
      const sha256 = sha256Hex(bytes);
      const file = fileOf(sha256);
      try {
        await mkdir(path.dirname(file), { recursive: true });
        // The sidecar goes first, so every data file that exists has its type.
        await writeAtomically(`${file}.mime`, mime);
        const existing = await stat(file).catch((error: unknown) => (isMissing(error) ? null : Promise.reject(error)));
        if (!existing || existing.size !== bytes.length) await writeAtomically(file, bytes);
      } catch (error) {
        throw new MediaStorageError(`could not write ${file}: ${(error as Error).message}`, { cause: error });
      }
      return { sha256, bytes: bytes.length, mime };
    },
    async open(sha256) {
      if (!isMediaSha256(sha256)) return null;
      const file = fileOf(sha256);
      let size: number;
      try {
        size = (await stat(file)).size;
      } catch (error) {
        if (isMissing(error)) return null;
        throw new MediaStorageError(`could not read ${file}: ${(error as Error).message}`, { cause: error });
      }
      const mime = await readFile(`${file}.mime`, "utf8").then(
        (text) => text.trim() || null,
        () => null,
      );
      return {
        size,
        mime,
        stream: (range) => Readable.toWeb(createReadStream(file, range ? { start: range.start, end: range.end } : {})) as ReadableStream<Uint8Array>,
      };
    },
  };
}

export interface S3StorageConfig extends S3Credentials {
  /** `https://s3.eu-west-1.amazonaws.com`, `http://127.0.0.1:9000` (MinIO), ... */
  endpoint: string;
  bucket: string;
  /** `endpoint/bucket/key` (MinIO, most S3-compatible stores) instead of `bucket.endpoint/key`. */
  pathStyle: boolean;
  /** Key prefix inside the bucket, e.g. `media/`. */
  prefix?: string;
}

/** Defers an async open until the first read, and forwards cancellation. */
function lazyStream(open: () => Promise<ReadableStream<Uint8Array>>): ReadableStream<Uint8Array> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      reader ??= (await open()).getReader();
      const next = await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel(reason) {
      return reader?.cancel(reason);
    },
  });
}

export function createS3MediaStorage(config: S3StorageConfig): MediaStorage {
  const base = new URL(config.endpoint);
  const sign = createS3Signer(config);
  const prefix = config.prefix ?? "";

  function objectUrl(sha256: string): URL {
    const key = `${prefix}${mediaKey(sha256)}`;
    if (config.pathStyle) return new URL(`${base.pathname.replace(/\/$/, "")}/${config.bucket}/${key}`, base);
    const url = new URL(`/${key}`, base);
    url.hostname = `${config.bucket}.${base.hostname}`;
    return url;
  }

  async function send(sha256: string, init: S3RequestInit) {
    const url = objectUrl(sha256);
    try {
      return await fetch(await sign(url, init));
    } catch (error) {
      throw new MediaStorageError(`S3 ${init.method} ${url.pathname} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  async function failure(response: Response, what: string): Promise<MediaStorageError> {
    const body = await response.text().catch(() => "");
    const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
    return new MediaStorageError(`S3 ${what} answered ${response.status}${code ? ` ${code}` : ""}`);
  }

  return {
    kind: "s3",
    async put(bytes, mime) {
      const sha256 = sha256Hex(bytes);
      // Content-addressed: the body's hash IS the key, and it doubles as the signed payload hash.
      const response = await send(sha256, {
        method: "PUT",
        headers: { "content-type": mime },
        body: bytes,
        payloadSha256: sha256,
      });
      if (!response.ok) throw await failure(response, "PUT");
      await response.body?.cancel();
      return { sha256, bytes: bytes.length, mime };
    },
    async open(sha256) {
      if (!isMediaSha256(sha256)) return null;
      const head = await send(sha256, { method: "HEAD" });
      if (head.status === 404) return null;
      if (!head.ok) throw await failure(head, "HEAD");
      const size = Number(head.headers.get("content-length"));
      if (!Number.isSafeInteger(size) || size < 0) throw new MediaStorageError("S3 HEAD answered without a Content-Length");
      const mime = head.headers.get("content-type");
      return {
        size,
        mime: mime && mime !== "binary/octet-stream" ? mime : null,
        stream: (range) =>
          lazyStream(async () => {
            const response = await send(sha256, { method: "GET", headers: range ? { range: `bytes=${range.start}-${range.end}` } : {} });
            const expected = range ? 206 : 200;
            if (response.status !== expected || !response.body) throw await failure(response, "GET");
            return response.body;
          }),
      };
    },
  };
}

/**
 * S3 when `S3_ENDPOINT` is set (it then needs S3_BUCKET and both keys), else the local folder
 * `MEDIA_DIR`. Built once per process.
 */
function mediaStorageFromEnv(): MediaStorage {
  if (!env.S3_ENDPOINT) return createLocalMediaStorage(env.MEDIA_DIR);
  if (!env.S3_BUCKET || !env.S3_ACCESS_KEY_ID || !env.S3_SECRET_ACCESS_KEY) {
    throw new MediaStorageError("S3_ENDPOINT is set but S3_BUCKET, S3_ACCESS_KEY_ID or S3_SECRET_ACCESS_KEY is missing");
  }
  return createS3MediaStorage({
    endpoint: env.S3_ENDPOINT,
    bucket: env.S3_BUCKET,
    region: env.S3_REGION,
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    pathStyle: env.S3_FORCE_PATH_STYLE,
    prefix: env.S3_PREFIX,
  });
}

let configuredStorage: MediaStorage | undefined;

export function getMediaStorage(): MediaStorage {
  configuredStorage ??= mediaStorageFromEnv();
  return configuredStorage;
}

/** Stores bytes in the configured storage; returns the reference saved on the Response row. */
export function storeMedia(bytes: Uint8Array, mime: string): Promise<StoredMedia> {
  return getMediaStorage().put(bytes, mime);
}
