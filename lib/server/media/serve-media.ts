import "server-only";

import { parseRangeHeader } from "./byte-range";
import { isMediaSha256, MediaStorageError, type MediaStorage } from "./storage";

/** Types we serve as themselves; anything else is sent as an opaque download type. */
const SERVABLE_MEDIA_TYPES = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "audio/wav",
  "audio/mpeg",
  "audio/ogg",
  "audio/flac",
]);

export interface ServeMediaDependencies {
  storage: MediaStorage;
  /** Fallback type when the store has none, e.g. the Response row's mediaMime. */
  lookupMime?: (sha256: string) => Promise<string | null>;
}

/** Content never changes under a hash: cache it forever, everywhere. */
const IMMUTABLE_HEADERS = {
  "Accept-Ranges": "bytes",
  "Cache-Control": "public, max-age=31536000, immutable",
  "X-Content-Type-Options": "nosniff",
  // Media are never documents: if one is ever opened directly, it runs nothing.
  "Content-Security-Policy": "default-src 'none'; sandbox",
};

const jsonError = (status: number, message: string) =>
  Response.json({ error: message }, { status, headers: { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" } });

/** RFC 9110 If-None-Match: `*`, or a list of (possibly weak) entity tags. */
function matchesEntityTag(header: string | null, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === etag);
}

/**
 * Answers a GET or HEAD for stored media: 400 for a malformed hash, 404 when unknown, 304 when the
 * client's ETag matches, 206 for a satisfiable byte range (audio seeking), 416 for a bad one, 200
 * otherwise. The strong ETag is the SHA-256 itself. An If-Range that does not match sends it whole.
 */
export async function serveMedia(request: Request, sha256: string, deps: ServeMediaDependencies): Promise<Response> {
  if (!isMediaSha256(sha256)) return jsonError(400, "A media reference is a lowercase hexadecimal SHA-256.");

  let media;
  try {
    media = await deps.storage.open(sha256);
  } catch (error) {
    console.error("[media] storage read failed", error instanceof MediaStorageError ? error.detail : error);
    return jsonError(503, "The media storage is unavailable. Please try again later.");
  }
  if (!media) return jsonError(404, "No media with this reference.");

  const etag = `"${sha256}"`;
  const storedType = media.mime ?? (await deps.lookupMime?.(sha256)) ?? null;
  const contentType = storedType && SERVABLE_MEDIA_TYPES.has(storedType) ? storedType : "application/octet-stream";
  const headers = new Headers({ ...IMMUTABLE_HEADERS, ETag: etag, "Content-Type": contentType });

  if (matchesEntityTag(request.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers });

  const ifRange = request.headers.get("if-range");
  const rangeHeader = ifRange === null || ifRange.trim() === etag ? request.headers.get("range") : null;
  const rangeRequest = parseRangeHeader(rangeHeader, media.size);
  const withBody = request.method !== "HEAD";

  if (rangeRequest.kind === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${media.size}`);
    headers.set("Cache-Control", "no-store");
    return new Response(null, { status: 416, headers });
  }
  if (rangeRequest.kind === "partial") {
    const { start, end } = rangeRequest.range;
    headers.set("Content-Range", `bytes ${start}-${end}/${media.size}`);
    headers.set("Content-Length", String(end - start + 1));
    return new Response(withBody ? media.stream(rangeRequest.range) : null, { status: 206, headers });
  }
  headers.set("Content-Length", String(media.size));
  return new Response(withBody ? media.stream() : null, { status: 200, headers });
}
