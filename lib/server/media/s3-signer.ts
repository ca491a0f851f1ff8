import "server-only";

import { createHash } from "node:crypto";

import { AwsClient } from "aws4fetch";

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

export const sha256Hex = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

/** What GET and HEAD sign as their payload hash: S3-compatible stores do not all accept UNSIGNED-PAYLOAD. */
const EMPTY_PAYLOAD_SHA256 = sha256Hex("");

export interface S3RequestInit {
  method: "PUT" | "GET" | "HEAD";
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** Hex SHA-256 of the body, when the caller already knows it (a media key is its body's hash). */
  payloadSha256?: string;
}

/**
 * AWS Signature V4 for S3, by aws4fetch. Every header we send is signed, content-type and range included
 * (aws4fetch leaves those two out unless asked), so nothing between us and the store can change them.
 * The returned function gives a signed Request for fetch; sending it (and reporting failures) stays with the caller.
 */
export function createS3Signer(credentials: S3Credentials): (url: URL, init: S3RequestInit) => Promise<Request> {
  const client = new AwsClient({ accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, region: credentials.region, service: "s3" });
  return (url, { method, headers, body, payloadSha256 }) =>
    client.sign(url.toString(), {
      method,
      headers: { ...headers, "x-amz-content-sha256": payloadSha256 ?? (body ? sha256Hex(body) : EMPTY_PAYLOAD_SHA256) },
      body: body as BodyInit | undefined,
      aws: { allHeaders: true },
    });
}
