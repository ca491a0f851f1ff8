import { decode as nextAuthDecode, encode as nextAuthEncode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { decodeSessionToken, encodeSessionToken } from "@/lib/server/auth/session-jwt";

const secret = "session-jwt-test-secret-0123456789";
const salt = "next-auth.session-token";

describe("session tokens with a cached derived key", () => {
  it("are read by next-auth's own decode, and read next-auth's tokens", async () => {
    const ours = await encodeSessionToken({ token: { uid: "user-1", sub: "user-1" }, secret, salt });
    expect(await nextAuthDecode({ token: ours, secret, salt })).toMatchObject({ uid: "user-1", sub: "user-1" });

    const theirs = await nextAuthEncode({ token: { uid: "user-2" }, secret, salt });
    expect(await decodeSessionToken({ token: theirs, secret, salt })).toMatchObject({ uid: "user-2" });
  });

  it("sets issued-at, expiry from maxAge and a fresh id on every token", async () => {
    const before = Math.floor(Date.now() / 1000);
    const [first, second] = await Promise.all([1, 2].map(() => encodeSessionToken({ token: { uid: "u" }, secret, salt, maxAge: 60 })));
    const [a, b] = await Promise.all([first, second].map((token) => decodeSessionToken({ token, secret, salt })));
    expect(a!.iat).toBeGreaterThanOrEqual(before);
    expect(a!.exp).toBe((a!.iat as number) + 60);
    expect(a!.jti).not.toBe(b!.jti);
  });

  it("rejects a token made with another secret or salt, and an expired one", async () => {
    const token = await encodeSessionToken({ token: { uid: "u" }, secret, salt });
    await expect(decodeSessionToken({ token, secret: `${secret}-other`, salt })).rejects.toThrow();
    await expect(decodeSessionToken({ token, secret, salt: "other-salt" })).rejects.toThrow();
    const expired = await encodeSessionToken({ token: { uid: "u" }, secret, salt, maxAge: -60 });
    await expect(decodeSessionToken({ token: expired, secret, salt })).rejects.toThrow(/exp/);
    expect(await decodeSessionToken({ token: undefined, secret, salt })).toBeNull();
  });
});
