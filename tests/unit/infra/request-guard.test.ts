import { describe, expect, it, vi } from "vitest";
import {
  allowedOriginsFor,
  bodyLimitFor,
  checkContentLength,
  checkCrossSiteRequest,
  CROSS_SITE_ERROR,
  formatBytes,
  guardApiRequest,
} from "@/lib/server/security/request-guard";

const base = {
  method: "POST",
  pathname: "/api/trpc/battle.create",
  origin: null,
  secFetchSite: null,
  authorization: null,
  allowedOrigins: () => ["https://arena.example.org"],
};
const refused = { ok: false, status: 403, error: CROSS_SITE_ERROR };

describe("checkCrossSiteRequest", () => {
  it("passes a same-origin fetch", () => {
    expect(checkCrossSiteRequest({ ...base, secFetchSite: "same-origin", origin: "https://arena.example.org" })).toEqual({ ok: true });
  });
  it("refuses a cross-site fetch", () => {
    expect(checkCrossSiteRequest({ ...base, secFetchSite: "cross-site", origin: "https://evil.example" })).toEqual(refused);
  });
  it("refuses a same-site (sibling subdomain) request", () => {
    expect(checkCrossSiteRequest({ ...base, secFetchSite: "same-site", origin: "https://blog.example.org" })).toEqual(refused);
  });
  it("passes a user-initiated request (Sec-Fetch-Site: none)", () => {
    expect(checkCrossSiteRequest({ ...base, secFetchSite: "none" })).toEqual({ ok: true });
  });
  it("trusts Sec-Fetch-Site over a matching Origin", () => {
    expect(checkCrossSiteRequest({ ...base, secFetchSite: "cross-site", origin: "https://arena.example.org" })).toEqual(refused);
  });
  it("falls back to Origin when Sec-Fetch-Site is missing: ours passes", () => {
    expect(checkCrossSiteRequest({ ...base, origin: "https://arena.example.org" })).toEqual({ ok: true });
  });
  it("falls back to Origin when Sec-Fetch-Site is missing: foreign is refused", () => {
    expect(checkCrossSiteRequest({ ...base, origin: "https://evil.example" })).toEqual(refused);
  });
  it("compares origins case-insensitively", () => {
    expect(checkCrossSiteRequest({ ...base, origin: "HTTPS://Arena.Example.org" })).toEqual({ ok: true });
  });
  it("refuses Origin: null (sandboxed frames, data: URLs)", () => {
    expect(checkCrossSiteRequest({ ...base, origin: "null" })).toEqual(refused);
  });
  it("passes a non-browser request without Origin or Sec-Fetch-Site", () => {
    expect(checkCrossSiteRequest(base)).toEqual({ ok: true });
  });
  it("exempts next-auth's routes, which check their own CSRF token", () => {
    expect(checkCrossSiteRequest({ ...base, pathname: "/api/auth/callback/credentials", secFetchSite: "cross-site" })).toEqual({ ok: true });
  });
  it("does not exempt paths that only start with the same letters", () => {
    expect(checkCrossSiteRequest({ ...base, pathname: "/api/authority", secFetchSite: "cross-site" })).toEqual(refused);
  });
  it("exempts bearer-token requests", () => {
    expect(checkCrossSiteRequest({ ...base, secFetchSite: "cross-site", authorization: "Bearer abc123" })).toEqual({ ok: true });
  });
  it("does not exempt other Authorization schemes", () => {
    expect(checkCrossSiteRequest({ ...base, secFetchSite: "cross-site", authorization: "Basic dXNlcjpwYXNz" })).toEqual(refused);
  });
  it("passes safe methods from anywhere", () => {
    expect(checkCrossSiteRequest({ ...base, method: "GET", secFetchSite: "cross-site" })).toEqual({ ok: true });
  });
  it.each(["PUT", "PATCH", "DELETE", "post"])("checks %s", (method) => {
    expect(checkCrossSiteRequest({ ...base, method, secFetchSite: "cross-site" })).toEqual(refused);
  });
  it("leaves non-API paths to Next (server actions check their own origin)", () => {
    expect(checkCrossSiteRequest({ ...base, pathname: "/arena", secFetchSite: "cross-site" })).toEqual({ ok: true });
  });
  it("works out the allowed origins only when the Origin header decides", () => {
    const allowedOrigins = vi.fn(() => ["https://arena.example.org"]);
    expect(checkCrossSiteRequest({ ...base, secFetchSite: "same-origin", origin: "https://arena.example.org", allowedOrigins })).toEqual({ ok: true });
    expect(checkCrossSiteRequest({ ...base, method: "GET", origin: "https://evil.example", allowedOrigins })).toEqual({ ok: true });
    expect(allowedOrigins).not.toHaveBeenCalled();
    expect(checkCrossSiteRequest({ ...base, origin: "https://evil.example", allowedOrigins })).toEqual(refused);
    expect(allowedOrigins).toHaveBeenCalledTimes(1);
  });
});

describe("allowedOriginsFor", () => {
  it("includes the request's origin and the configured public URL", () => {
    expect(allowedOriginsFor({ requestOrigin: "http://localhost:3000", configuredUrl: "https://arena.example.org/app" })).toEqual([
      "http://localhost:3000",
      "https://arena.example.org",
    ]);
  });
  it("adds the host a reverse proxy forwarded, with its protocol", () => {
    expect(allowedOriginsFor({ requestOrigin: "http://10.0.0.5:3000", forwardedHost: "arena.example.org", forwardedProto: "https" })).toEqual([
      "http://10.0.0.5:3000",
      "https://arena.example.org",
    ]);
  });
  it("uses the first forwarded value when proxies appended several", () => {
    expect(allowedOriginsFor({ requestOrigin: "http://app:3000", forwardedHost: "a.example, b.example", forwardedProto: "https, http" })).toContain("https://a.example");
  });
  it("ignores an invalid configured URL and removes repeats", () => {
    expect(allowedOriginsFor({ requestOrigin: "http://localhost:3000", configuredUrl: "not a url", forwardedHost: "localhost:3000" })).toEqual(["http://localhost:3000"]);
  });
});

describe("body limits", () => {
  const limits = { maxJsonBytes: 1024 * 1024, maxUploadBytes: 10 * 1024 * 1024 };
  it("uses the JSON limit for tRPC whatever the content type", () => {
    expect(bodyLimitFor("/api/trpc/vote.cast", null, limits)).toBe(limits.maxJsonBytes);
  });
  it("uses the JSON limit for JSON bodies elsewhere", () => {
    expect(bodyLimitFor("/api/models/x", "application/json; charset=utf-8", limits)).toBe(limits.maxJsonBytes);
    expect(bodyLimitFor("/api/models/x", "application/merge-patch+json", limits)).toBe(limits.maxJsonBytes);
  });
  it("uses the upload limit for other bodies", () => {
    expect(bodyLimitFor("/api/media/upload", "multipart/form-data; boundary=x", limits)).toBe(limits.maxUploadBytes);
  });
  it("refuses a declared length over the limit with 413 and the limit in words", () => {
    expect(checkContentLength("1048577", 1024 * 1024)).toEqual({ ok: false, status: 413, error: "This request is too large: the limit is 1 MB." });
  });
  it("passes a declared length at the limit, and a missing one", () => {
    expect(checkContentLength("1048576", 1024 * 1024)).toEqual({ ok: true });
    expect(checkContentLength(null, 1024 * 1024)).toEqual({ ok: true });
  });
  it("formats sizes for people", () => {
    expect([formatBytes(512), formatBytes(64 * 1024), formatBytes(1.5 * 1024 * 1024)]).toEqual(["512 bytes", "64 KB", "1.5 MB"]);
  });
});

describe("guardApiRequest", () => {
  const options = { maxJsonBytes: 1000, maxUploadBytes: 5000, configuredUrl: "https://arena.example.org" };
  const request = (headers: Record<string, string>, method = "POST") => ({
    method,
    pathname: "/api/trpc/battle.create",
    requestOrigin: "http://localhost:3000",
    headers: new Headers(headers),
  });
  it("refuses a cross-site request before looking at its size", () => {
    expect(guardApiRequest(request({ "sec-fetch-site": "cross-site", "content-length": "999999" }), options)).toMatchObject({ status: 403 });
  });
  it("refuses an oversized same-origin request with 413", () => {
    expect(guardApiRequest(request({ "sec-fetch-site": "same-origin", "content-length": "1001" }), options)).toMatchObject({ status: 413 });
  });
  it("passes a same-origin request within the limit", () => {
    expect(guardApiRequest(request({ "sec-fetch-site": "same-origin", "content-length": "1000" }), options)).toEqual({ ok: true });
  });
  it("accepts the configured public origin", () => {
    expect(guardApiRequest(request({ origin: "https://arena.example.org" }), options)).toEqual({ ok: true });
  });
  it("does not size-check safe methods", () => {
    expect(guardApiRequest(request({ "content-length": "999999" }, "GET"), options)).toEqual({ ok: true });
  });
});
