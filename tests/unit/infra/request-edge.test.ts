import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { contentDisposition } from "@/lib/server/http/content-disposition";
import { applyClientHeaders, normalizeAddress, refuseMethod, refuseUnboundedBody, resolveClient, trustedProxyMatcher } from "@/lib/server/http/request-edge.js";

const trusted = trustedProxyMatcher(["10.0.0.0/8", "192.168.1.5", "fd00::/8"]);
const request = (remoteAddress: string, headers: Record<string, string> = {}, encrypted = false) => ({ remoteAddress, encrypted, headers });

describe("trusted proxies", () => {
  it("matches CIDRs and single addresses, IPv4-mapped IPv6 included", () => {
    expect(trusted("10.1.2.3")).toBe(true);
    expect(trusted("::ffff:10.1.2.3")).toBe(true);
    expect(trusted("192.168.1.5")).toBe(true);
    expect(trusted("192.168.1.6")).toBe(false);
    expect(trusted("fd12::1")).toBe(true);
    expect(trusted("2001:db8::1")).toBe(false);
    expect(trusted("not an address")).toBe(false);
    expect(trustedProxyMatcher([])("127.0.0.1")).toBe(false);
  });

  it("gives the same answers when asked again, and past the addresses it remembers", () => {
    const matcher = trustedProxyMatcher(["10.0.0.0/8"]);
    for (let round = 0; round < 2; round++) {
      expect(matcher("10.1.2.3")).toBe(true);
      expect(matcher("::ffff:10.1.2.3")).toBe(true);
      expect(matcher("11.1.2.3")).toBe(false);
    }
    for (let index = 0; index < 5000; index++) expect(matcher(`10.0.${index >> 8}.${index & 255}`)).toBe(true);
    expect(matcher("11.1.2.3")).toBe(false);
    expect(matcher("10.1.2.3")).toBe(true);
  });

  it("uses the socket's address and protocol when the peer is not trusted, whatever the headers say", () => {
    expect(resolveClient(request("203.0.113.9", { "x-forwarded-for": "1.2.3.4", "x-forwarded-proto": "https" }), trusted)).toEqual({ ip: "203.0.113.9", protocol: "http", viaTrustedProxy: false });
    expect(resolveClient(request("::ffff:203.0.113.9", {}, true), trusted)).toMatchObject({ ip: "203.0.113.9", protocol: "https" });
  });

  it("reads X-Forwarded-For from the right past trusted hops; the first untrusted address is the client", () => {
    expect(resolveClient(request("10.0.0.1", { "x-forwarded-for": "6.6.6.6, 198.51.100.7" }), trusted).ip).toBe("198.51.100.7");
    expect(resolveClient(request("10.0.0.1", { "x-forwarded-for": "198.51.100.7, 10.0.0.2" }), trusted).ip).toBe("198.51.100.7");
    expect(resolveClient(request("10.0.0.1", { "x-forwarded-for": "garbage, 198.51.100.7" }), trusted).ip).toBe("198.51.100.7");
    expect(resolveClient(request("10.0.0.1", { "x-forwarded-for": "10.0.0.3" }), trusted).ip).toBe("10.0.0.3");
    expect(resolveClient(request("10.0.0.1"), trusted).ip).toBe("10.0.0.1");
  });

  it("takes X-Forwarded-Proto from the nearest trusted proxy", () => {
    expect(resolveClient(request("10.0.0.1", { "x-forwarded-proto": "http, https" }), trusted).protocol).toBe("https");
    expect(resolveClient(request("10.0.0.1", { "x-forwarded-proto": "gopher" }), trusted).protocol).toBe("http");
  });

  it("rewrites the request's forwarded headers to exactly what it believed", () => {
    const message = { socket: { remoteAddress: "203.0.113.9" }, headers: { "x-forwarded-for": "1.2.3.4", "x-forwarded-host": "evil.example", "x-real-ip": "5.6.7.8", "x-forwarded-proto": "https" } } as unknown as IncomingMessage;
    applyClientHeaders(message, trusted);
    expect(message.headers).toEqual({ "x-forwarded-for": "203.0.113.9", "x-forwarded-proto": "http" });
  });

  it("normalizes bracketed and mapped addresses", () => {
    expect(normalizeAddress("[::1]")).toBe("::1");
    expect(normalizeAddress(" ::FFFF:1.2.3.4 ")).toBe("1.2.3.4");
  });
});

describe("the door", () => {
  const message = (method: string, headers: Record<string, string> = {}) => ({ method, headers }) as unknown as IncomingMessage;

  it("refuses methods no route answers with 405 and the allowed list", () => {
    expect(refuseMethod(message("GET"))).toBeNull();
    expect(refuseMethod(message("OPTIONS"))).toBeNull();
    expect(refuseMethod(message("TRACE"))).toMatchObject({ status: 405, headers: { allow: expect.stringContaining("POST") } });
    expect(refuseMethod(message("PROPFIND"))?.status).toBe(405);
  });

  it("needs a declared length within the limit for bodies bound for Next", () => {
    expect(refuseUnboundedBody(message("POST", { "content-length": "10" }), { maxBodyBytes: 100 })).toBeNull();
    expect(refuseUnboundedBody(message("GET"), { maxBodyBytes: 100 })).toBeNull();
    expect(refuseUnboundedBody(message("POST", { "transfer-encoding": "chunked" }), { maxBodyBytes: 100 })?.status).toBe(411);
    expect(refuseUnboundedBody(message("POST", { "content-length": "101" }), { maxBodyBytes: 100 })?.status).toBe(413);
  });
});

describe("Content-Disposition", () => {
  it("keeps a plain name as it is", () => {
    expect(contentDisposition("attachment", "battles-acme.jsonl")).toBe(`attachment; filename="battles-acme.jsonl"; filename*=UTF-8''battles-acme.jsonl`);
  });

  it("encodes quotes, CR/LF, non-ASCII and lone surrogates so the header cannot break", () => {
    const value = contentDisposition("attachment", 'a"b\r\nSet-Cookie: x=1 ünï \uD800.jsonl');
    expect(value).not.toMatch(/[\r\n]/);
    expect(value).toMatch(/^attachment; filename="a_b__Set-Cookie: x=1 _n_ _\.jsonl"; filename\*=UTF-8''a%22b__Set-Cookie%3A%20x%3D1%20%C3%BC/);
    expect(() => new Headers({ "content-disposition": value })).not.toThrow();
  });
});
