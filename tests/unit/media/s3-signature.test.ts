import { describe, expect, it } from "vitest";

import { amzDateOf, EMPTY_PAYLOAD_SHA256, sha256Hex, signS3Request } from "@/lib/server/media/s3-signature";

// The worked examples of the AWS documentation ("Signature Calculations for the Authorization Header:
// Transferring Payload in a Single Chunk"), with its published credentials and signatures.
const credentials = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1" };
const amzDate = "20130524T000000Z";

describe("signS3Request", () => {
  it("reproduces the AWS GET Object example", () => {
    const headers = signS3Request(
      { method: "GET", url: new URL("https://examplebucket.s3.amazonaws.com/test.txt"), headers: { Range: "bytes=0-9" }, payloadSha256: EMPTY_PAYLOAD_SHA256, amzDate },
      credentials,
    );
    expect(headers.authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
    );
  });

  it("reproduces the AWS PUT Object example", () => {
    const payload = "Welcome to Amazon S3.";
    const headers = signS3Request(
      {
        method: "PUT",
        url: new URL("https://examplebucket.s3.amazonaws.com/test$file.text"),
        headers: { Date: "Fri, 24 May 2013 00:00:00 GMT", "x-amz-storage-class": "REDUCED_REDUNDANCY" },
        payloadSha256: sha256Hex(payload),
        amzDate,
      },
      credentials,
    );
    expect(headers.authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd",
    );
  });

  it("reproduces the AWS GET Bucket Lifecycle example (query string)", () => {
    const headers = signS3Request(
      { method: "GET", url: new URL("https://examplebucket.s3.amazonaws.com/?lifecycle"), payloadSha256: EMPTY_PAYLOAD_SHA256, amzDate },
      credentials,
    );
    expect(headers.authorization).toContain("Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
  });

  it("signs the host with its port, as fetch sends it", () => {
    const headers = signS3Request({ method: "HEAD", url: new URL("http://127.0.0.1:9000/bucket/key"), payloadSha256: EMPTY_PAYLOAD_SHA256, amzDate }, credentials);
    expect(headers.host).toBe("127.0.0.1:9000");
  });

  it("formats dates without separators or milliseconds", () => {
    expect(amzDateOf(new Date("2013-05-24T00:00:00.123Z"))).toBe("20130524T000000Z");
  });
});
