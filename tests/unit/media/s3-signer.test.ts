import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { createS3Signer } from "@/lib/server/media/s3-signer";

// The worked examples of the AWS documentation ("Signature Calculations for the Authorization Header:
// Transferring Payload in a Single Chunk"), with its published credentials and signatures: they check that
// the options we give aws4fetch (service s3, every sent header signed, the payload hash) sign as S3 expects.
const sign = createS3Signer({ accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1" });

describe("createS3Signer", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2013-05-24T00:00:00.000Z"));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("reproduces the AWS GET Object example (a signed range)", async () => {
    const request = await sign(new URL("https://examplebucket.s3.amazonaws.com/test.txt"), { method: "GET", headers: { Range: "bytes=0-9" } });
    expect(request.headers.get("authorization")).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
    );
    expect(request.headers.get("x-amz-date")).toBe("20130524T000000Z");
  });

  it("reproduces the AWS PUT Object example (payload hashed from the body, path encoded once)", async () => {
    const request = await sign(new URL("https://examplebucket.s3.amazonaws.com/test$file.text"), {
      method: "PUT",
      headers: { Date: "Fri, 24 May 2013 00:00:00 GMT", "x-amz-storage-class": "REDUCED_REDUNDANCY" },
      body: new TextEncoder().encode("Welcome to Amazon S3."),
    });
    expect(request.headers.get("authorization")).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd",
    );
  });

  it("reproduces the AWS GET Bucket Lifecycle example (query string)", async () => {
    const request = await sign(new URL("https://examplebucket.s3.amazonaws.com/?lifecycle"), { method: "GET" });
    expect(request.headers.get("authorization")).toContain("Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
  });

  it("signs the payload hash it is given instead of hashing the body again", async () => {
    const body = new TextEncoder().encode("Welcome to Amazon S3.");
    const given = "f".repeat(64);
    const request = await sign(new URL("http://127.0.0.1:9000/bucket/key"), { method: "PUT", headers: { "content-type": "image/png" }, body, payloadSha256: given });
    expect(request.headers.get("x-amz-content-sha256")).toBe(given);
    expect(request.headers.get("authorization")).toContain("SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,");
  });
});
