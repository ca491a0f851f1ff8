import "server-only";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { Db } from "@/lib/server/db";
import { AppError } from "@/lib/server/errors";
import { contentDisposition } from "@/lib/server/http/content-disposition";
import { authenticateApiToken, bearerToken } from "@/lib/server/services/api-tokens";
import { countReleaseDownload, releaseDirectory, type TReleaseSummary } from "@/lib/server/services/releases";

const CONTENT_TYPES: Record<string, string> = {
  jsonl: "application/x-ndjson; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  parquet: "application/vnd.apache.parquet",
  json: "application/json; charset=utf-8",
  md: "text/markdown; charset=utf-8",
};

function releaseContentType(fileName: string): string {
  return CONTENT_TYPES[fileName.slice(fileName.lastIndexOf(".") + 1).toLowerCase()] ?? "application/octet-stream";
}

function jsonError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: message }, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

export interface ServeReleaseOptions {
  releaseDir?: string;
}

/**
 * GET/HEAD of one file of a published release. Public: anyone may download; a researcher token in
 * `Authorization: Bearer …` is checked when sent (invalid or revoked → 401 with a JSON message).
 * `release` is what release.byVersion answered for `version` (null: none published); the file must be
 * listed in its files, so no other path can be reached. ETag = the file's SHA-256; each full GET counts
 * one download.
 */
export async function serveReleaseFile(
  db: Db,
  request: Request,
  release: Pick<TReleaseSummary, "version" | "files"> | null,
  version: string,
  fileName: string,
  options: ServeReleaseOptions = {},
): Promise<Response> {
  const authorization = request.headers.get("authorization");
  if (authorization !== null) {
    const token = bearerToken(authorization);
    if (!token) return jsonError(401, 'Send the token as "Authorization: Bearer <token>".', { "WWW-Authenticate": "Bearer" });
    try {
      await authenticateApiToken(db, token);
    } catch (error) {
      if (error instanceof AppError && error.code === "UNAUTHORIZED") return jsonError(401, error.message, { "WWW-Authenticate": 'Bearer error="invalid_token"' });
      throw error;
    }
  }
  if (!release) return jsonError(404, `Release ${version} does not exist or is not published.`);
  const { files } = release;
  const entry = files.find((file) => file.name === fileName);
  if (!entry) return jsonError(404, `Release ${version} has no file named ${fileName}. Its files: ${files.map((file) => file.name).join(", ")}.`);
  const path = join(releaseDirectory(release.version, options.releaseDir), entry.name);
  const size = await stat(path).then((info) => info.size).catch(() => null);
  if (size === null) return jsonError(404, `The file ${fileName} of release ${version} is missing on this server.`);

  const etag = `"${entry.sha256}"`;
  const headers = {
    "Content-Type": releaseContentType(entry.name),
    "Content-Length": String(size),
    ETag: etag,
    "Cache-Control": "public, max-age=31536000, immutable",
    "Content-Disposition": contentDisposition("attachment", `persona-arena-${version}-${entry.name}`),
    "X-Content-SHA256": entry.sha256,
  };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers: { ETag: etag } });
  if (request.method === "HEAD") return new Response(null, { status: 200, headers });
  await countReleaseDownload(db, release.version);
  const body = Readable.toWeb(createReadStream(path)) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, { status: 200, headers });
}

/** The JSON index of the published releases (release.list) with download URLs. */
export function releaseIndex(releases: readonly TReleaseSummary[], baseUrl: string): Response {
  return Response.json(
    {
      releases: releases.map((release) => ({
        version: release.version,
        window: { start: release.windowStart.toISOString(), end: release.windowEnd.toISOString() },
        rows: release.rowCount,
        k: release.kAnonymity,
        published_at: release.publishedAt?.toISOString() ?? null,
        downloads: release.downloadCount,
        files: release.files.map((file) => ({
          name: file.name,
          bytes: file.bytes,
          rows: file.rows,
          sha256: file.sha256,
          url: new URL(`/api/v1/releases/${encodeURIComponent(release.version)}/${encodeURIComponent(file.name)}`, baseUrl).toString(),
        })),
      })),
    },
    { headers: { "Cache-Control": "public, max-age=60" } },
  );
}
