/**
 * A tiny S3-compatible object store for tests: path-style PUT, GET (with Range) and HEAD of objects
 * in one bucket, kept in memory. Every request must carry an AWS SigV4 Authorization header whose
 * signature is right for the known secret and the headers it says it signed; otherwise 403.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

import { AwsV4Signer } from "aws4fetch";

export const FAKE_S3_CREDENTIALS = { accessKeyId: "AKIDFAKES3TEST", secretAccessKey: "fake-s3-secret-key-for-tests", region: "eu-test-1" };
export const FAKE_S3_BUCKET = "arena-media";

const AUTHORIZATION_SHAPE =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

interface FakeS3Request {
  method: string;
  path: string;
  authorization: string;
  signedHeaders: string[];
}

export interface FakeS3Server {
  url: string;
  objects: Map<string, { body: Buffer; contentType: string | null }>;
  requests: FakeS3Request[];
  /** Makes every request answer this status (e.g. 500) until reset with null. */
  failWith(status: number | null): void;
  close(): Promise<void>;
}

async function signatureIsValid(req: IncomingMessage, body: Buffer, host: string): Promise<{ ok: boolean; signedHeaders: string[] }> {
  const match = AUTHORIZATION_SHAPE.exec(req.headers.authorization ?? "");
  if (!match) return { ok: false, signedHeaders: [] };
  const [, accessKeyId, day, region, signedHeaderList] = match;
  const signedHeaders = signedHeaderList.split(";");
  const amzDate = String(req.headers["x-amz-date"] ?? "");
  const payloadSha256 = String(req.headers["x-amz-content-sha256"] ?? "");
  if (accessKeyId !== FAKE_S3_CREDENTIALS.accessKeyId || region !== FAKE_S3_CREDENTIALS.region || !amzDate.startsWith(day)) return { ok: false, signedHeaders };
  if (!["host", "x-amz-content-sha256", "x-amz-date"].every((name) => signedHeaders.includes(name))) return { ok: false, signedHeaders };
  if (body.length > 0 && createHash("sha256").update(body).digest("hex") !== payloadSha256) return { ok: false, signedHeaders };
  // The signature is recomputed from what arrived: the method, path and query, and the headers it says it signed.
  const signed = Object.fromEntries(signedHeaders.filter((name) => name !== "host").map((name) => [name, String(req.headers[name] ?? "")]));
  const expected = await new AwsV4Signer({
    method: req.method ?? "GET",
    url: `http://${host}${req.url ?? "/"}`,
    headers: signed,
    ...FAKE_S3_CREDENTIALS,
    service: "s3",
    datetime: amzDate,
    allHeaders: true,
  }).authHeader();
  return { ok: expected === req.headers.authorization, signedHeaders };
}

export async function startFakeS3Server(): Promise<FakeS3Server> {
  const objects = new Map<string, { body: Buffer; contentType: string | null }>();
  const requests: FakeS3Request[] = [];
  let forcedStatus: number | null = null;

  const server = createServer(async (req, res) => {
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    const body = Buffer.concat(parts);
    const path = decodeURIComponent((req.url ?? "/").split("?")[0]);
    const check = await signatureIsValid(req, body, String(req.headers.host));
    requests.push({ method: req.method ?? "", path, authorization: req.headers.authorization ?? "", signedHeaders: check.signedHeaders });
    const xmlError = (status: number, code: string) => {
      res.writeHead(status, { "content-type": "application/xml" });
      res.end(req.method === "HEAD" ? undefined : `<?xml version="1.0"?><Error><Code>${code}</Code></Error>`);
    };
    if (forcedStatus !== null) return xmlError(forcedStatus, "InternalError");
    if (!check.ok) return xmlError(403, "SignatureDoesNotMatch");
    const prefix = `/${FAKE_S3_BUCKET}/`;
    if (!path.startsWith(prefix)) return xmlError(404, "NoSuchBucket");
    const key = path.slice(prefix.length);

    if (req.method === "PUT") {
      objects.set(key, { body, contentType: req.headers["content-type"] ?? null });
      res.writeHead(200, { etag: '"fake"' });
      return res.end();
    }
    const object = objects.get(key);
    if (!object) return xmlError(404, "NoSuchKey");
    const headers = { "content-type": object.contentType ?? "binary/octet-stream", "accept-ranges": "bytes" };
    if (req.method === "HEAD") {
      res.writeHead(200, { ...headers, "content-length": object.body.length });
      return res.end();
    }
    const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? "");
    if (range) {
      const [start, end] = [Number(range[1]), Math.min(Number(range[2]), object.body.length - 1)];
      res.writeHead(206, { ...headers, "content-range": `bytes ${start}-${end}/${object.body.length}`, "content-length": end - start + 1 });
      return res.end(object.body.subarray(start, end + 1));
    }
    res.writeHead(200, { ...headers, "content-length": object.body.length });
    res.end(object.body);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    objects,
    requests,
    failWith(status) {
      forcedStatus = status;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
