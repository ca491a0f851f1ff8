import { encode } from "next-auth/jwt";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { env } from "@/lib/env";
import { createGuestUser, endAllSessions } from "@/lib/server/services/accounts";
import { cookiePairs, getCurrentUser, SECURE_SESSION_COOKIE, SESSION_COOKIE, sessionClaims, sessionTokenFrom } from "@/lib/server/session";
import { db } from "../helpers/caller";
import { resetDatabase } from "../helpers/db";

const secret = env.AUTH_SECRET;

describe("the session from next-auth's cookie", () => {
  beforeEach(() => resetDatabase(db));

  it("uses next-auth's cookie names, and prefers the Secure one when both are sent", () => {
    expect(SESSION_COOKIE).toBe("next-auth.session-token");
    expect(SECURE_SESSION_COOKIE).toBe("__Secure-next-auth.session-token");
    expect(sessionTokenFrom(cookiePairs(`${SESSION_COOKIE}=plain; ${SECURE_SESSION_COOKIE}=secure`))).toBe("secure");
  });

  it("reads the token from a Cookie header, joining next-auth's chunks in order and ignoring other cookies", () => {
    const header = `theme=dark; ${SESSION_COOKIE}.1=def; other=${encodeURIComponent("a b")}; ${SESSION_COOKIE}.0=abc; ${SESSION_COOKIE}.10=xyz; ${SESSION_COOKIE}.2=ghi`;
    expect([...cookiePairs(header)]).toContainEqual(["other", "a b"]);
    expect(sessionTokenFrom(cookiePairs(header))).toBe("abcdefghixyz");
    expect(sessionTokenFrom(cookiePairs(`${SESSION_COOKIE}=whole`))).toBe("whole");
    expect(sessionTokenFrom(cookiePairs("theme=dark; broken; =x"))).toBeNull();
    expect(sessionTokenFrom(cookiePairs(null))).toBeNull();
  });

  it("gives the user id as the session callback does (uid, else sub), and null for a token that does not decode", async () => {
    const sessionUserId = async (token: string | null) => (await sessionClaims(token))?.id ?? null;
    expect(await sessionUserId(await encode({ token: { uid: "from-uid", sub: "from-sub" }, secret }))).toBe("from-uid");
    expect(await sessionUserId(await encode({ token: { sub: "from-sub" }, secret }))).toBe("from-sub");
    expect(await sessionUserId(await encode({ token: { name: "nobody" }, secret }))).toBeNull();
    expect(await sessionUserId(await encode({ token: { uid: "u" }, secret: `${secret}-other` }))).toBeNull();
    expect(await sessionUserId(await encode({ token: { uid: "u" }, secret, maxAge: -60 }))).toBeNull();
    expect(await sessionUserId("not.a.token")).toBeNull();
    expect(await sessionUserId(null)).toBeNull();
  });

  it("refuses a token that expires while this process remembers it decoded", async () => {
    const sessionUserId = async (token: string | null) => (await sessionClaims(token))?.id ?? null;
    const token = await encode({ token: { uid: "short-lived" }, secret, maxAge: 30 });
    expect(await sessionUserId(token)).toBe("short-lived");
    expect(await sessionUserId(token)).toBe("short-lived");
    vi.useFakeTimers({ now: Date.now() + 31_000, toFake: ["Date"] });
    try {
      expect(await sessionUserId(token)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it("loads the signed-in user from the request's headers, fresh from the database", async () => {
    const guest = await createGuestUser(db);
    const headers = new Headers({ cookie: `${SESSION_COOKIE}=${await encode({ token: { uid: guest.id }, secret })}` });
    expect(await getCurrentUser(headers)).toMatchObject({ id: guest.id, role: "guest", isGuest: true });
    await db.user.update({ where: { id: guest.id }, data: { bannedAt: new Date() } });
    expect(await getCurrentUser(headers)).toBeNull();
    expect(await getCurrentUser(new Headers())).toBeNull();
  });

  it("ends every session of a user when the session version is raised, and a token of the new version works", async () => {
    const guest = await createGuestUser(db);
    const cookieFor = async (sv: number) => new Headers({ cookie: `${SESSION_COOKIE}=${await encode({ token: { uid: guest.id, sv }, secret })}` });
    const old = await cookieFor(0);
    expect(await getCurrentUser(old)).toMatchObject({ id: guest.id });
    await endAllSessions(db, guest.id);
    expect(await getCurrentUser(old)).toBeNull();
    expect(await getCurrentUser(await cookieFor(1))).toMatchObject({ id: guest.id });
  });
});
