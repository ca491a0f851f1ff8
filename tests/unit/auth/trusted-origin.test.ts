import { describe, expect, it } from "vitest";
import { isTrustedHost, resolveRequestOrigin } from "@/lib/domain/auth/trusted-origin";

describe("resolveRequestOrigin", () => {
  it("uses NEXTAUTH_URL whenever it is set", () => {
    expect(resolveRequestOrigin({ configuredUrl: "https://arena.example.org/base", host: "evil.test" })).toBe("https://arena.example.org");
  });

  it("follows the request's Host when nothing is configured", () => {
    expect(resolveRequestOrigin({ host: "arena.lan:3000" })).toBe("http://arena.lan:3000");
    expect(resolveRequestOrigin({ host: "192.168.1.20:8080", protocol: "https:" })).toBe("https://192.168.1.20:8080");
    expect(resolveRequestOrigin({ host: "[::1]:3000" })).toBe("http://[::1]:3000");
  });

  it("refuses a Host that could smuggle another URL", () => {
    for (const host of ["evil.test/path", "user@evil.test", "evil.test\\x", "", "a b", "evil.test:99999999"]) {
      expect(resolveRequestOrigin({ host }), host).toBeNull();
    }
  });

  it("with an allow-list, follows only listed hosts and falls back to the first name", () => {
    const trustedHosts = "arena.example.org, *.arena.example.org, localhost:3000";
    expect(resolveRequestOrigin({ trustedHosts, host: "arena.example.org" })).toBe("http://arena.example.org");
    expect(resolveRequestOrigin({ trustedHosts, host: "eu.arena.example.org:8443", protocol: "https" })).toBe("https://eu.arena.example.org:8443");
    expect(resolveRequestOrigin({ trustedHosts, host: "localhost:3000" })).toBe("http://localhost:3000");
    expect(resolveRequestOrigin({ trustedHosts, host: "localhost:4000" })).toBe("http://arena.example.org");
    expect(resolveRequestOrigin({ trustedHosts, host: "evil.test" })).toBe("http://arena.example.org");
    expect(resolveRequestOrigin({ trustedHosts: "*.example.org", host: "evil.test" })).toBeNull();
  });
});

describe("isTrustedHost", () => {
  it("matches a name on any port, a name:port exactly, and wildcard subdomains only", () => {
    expect(isTrustedHost("Arena.Example.org:3000", ["arena.example.org"])).toBe(true);
    expect(isTrustedHost("arena.example.org:3001", ["arena.example.org:3000"])).toBe(false);
    expect(isTrustedHost("example.org", ["*.example.org"])).toBe(false);
    expect(isTrustedHost("notexample.org", ["*.example.org"])).toBe(false);
    expect(isTrustedHost("a.example.org", ["*.example.org"])).toBe(true);
  });
});
