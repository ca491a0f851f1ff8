import { encode } from "next-auth/jwt";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { env } from "@/lib/env";
import { DELETE_ACCOUNT_CONFIRMATION, deleteAccount } from "@/lib/server/services/account-deletion";
import { createGuestUser, endAllSessions, SESSION_USER_REFRESH_MS, SESSION_USER_TTL_MS } from "@/lib/server/services/accounts";
import { changeUserRole, setUserBanned } from "@/lib/server/services/users-admin";
import { storeOf } from "@/lib/server/store";
import { cookiePairs, getCurrentUser, SECURE_SESSION_COOKIE, SESSION_COOKIE, sessionClaims, sessionTokenFrom, sessionTokenOfCookieHeader } from "@/lib/server/session";
import { createUserWithRole, db } from "../helpers/caller";
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

  it("remembers the token of a Cookie header, and reads a changed header afresh (a new or removed session cookie)", () => {
    const header = (token: string) => `theme=dark; ${SESSION_COOKIE}.1=${token}-b; ${SESSION_COOKIE}.0=${token}-a`;
    expect(sessionTokenOfCookieHeader(header("first"))).toBe("first-afirst-b");
    expect(sessionTokenOfCookieHeader(header("first"))).toBe("first-afirst-b");
    expect(sessionTokenOfCookieHeader(header("second"))).toBe("second-asecond-b");
    expect(sessionTokenOfCookieHeader("theme=dark")).toBeNull();
    expect(sessionTokenOfCookieHeader(`${SECURE_SESSION_COOKIE}=secure; ${header("first")}`)).toBe("secure");
    expect(sessionTokenOfCookieHeader(null)).toBeNull();
    // A header too long to remember is still read, every time; and past the memo's bound every header still reads right.
    const long = `padding=${"x".repeat(10_000)}; ${SESSION_COOKIE}=long`;
    expect(sessionTokenOfCookieHeader(long)).toBe("long");
    expect(sessionTokenOfCookieHeader(long)).toBe("long");
    for (let index = 0; index < 5000; index++) expect(sessionTokenOfCookieHeader(`${SESSION_COOKIE}=token-${index}`)).toBe(`token-${index}`);
    expect(sessionTokenOfCookieHeader(header("first"))).toBe("first-afirst-b");
  });

  it("signs a request out when its session cookie goes, although the header with it was remembered", async () => {
    const user = await createUserWithRole("annotator");
    const token = await encode({ token: { uid: user.id }, secret });
    expect(await getCurrentUser(new Headers({ cookie: `theme=dark; ${SESSION_COOKIE}=${token}` }))).toMatchObject({ id: user.id });
    expect(await getCurrentUser(new Headers({ cookie: "theme=dark" }))).toBeNull();
    expect(await getCurrentUser(new Headers({ cookie: `theme=dark; ${SESSION_COOKIE}=${token}x` }))).toBeNull();
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

  it("loads the signed-in user from the request's headers, and applies a ban made by this process at the next request", async () => {
    const admin = await createUserWithRole("admin");
    const user = await createUserWithRole("annotator");
    const headers = new Headers({ cookie: `${SESSION_COOKIE}=${await encode({ token: { uid: user.id }, secret })}` });
    expect(await getCurrentUser(headers)).toMatchObject({ id: user.id, role: "annotator", isGuest: false });
    await setUserBanned(db, admin, { userId: user.id, banned: true });
    expect(await getCurrentUser(headers)).toBeNull();
    expect(await getCurrentUser(new Headers())).toBeNull();
  });

  it("applies a role change and an account deletion made by this process at the next request", async () => {
    const admin = await createUserWithRole("admin");
    const user = await createUserWithRole("annotator");
    const headers = new Headers({ cookie: `${SESSION_COOKIE}=${await encode({ token: { uid: user.id }, secret })}` });
    expect(await getCurrentUser(headers)).toMatchObject({ id: user.id, role: "annotator" });
    await changeUserRole(db, admin, { userId: user.id, role: "researcher" });
    expect(await getCurrentUser(headers)).toMatchObject({ id: user.id, role: "researcher" });
    await deleteAccount(db, user.id, DELETE_ACCOUNT_CONFIRMATION);
    expect(await getCurrentUser(headers)).toBeNull();
  });

  it("applies a ban written by another instance within SESSION_USER_TTL_MS, reading once per user until SESSION_USER_REFRESH_MS and then once in the background", async () => {
    const guest = await createGuestUser(db);
    const headers = new Headers({ cookie: `${SESSION_COOKIE}=${await encode({ token: { uid: guest.id }, secret })}` });
    const store = await storeOf(db);
    const reads = vi.spyOn(store, "readSessionUser");
    const start = Date.now();
    vi.useFakeTimers({ now: start, toFake: ["Date"] });
    try {
      expect(await getCurrentUser(headers)).toMatchObject({ id: guest.id });
      // Another instance bans the user: its write reaches the database, not this process's memory.
      await db.user.update({ where: { id: guest.id }, data: { bannedAt: new Date(), sessionVersion: { increment: 1 } } });
      // Within the bound, this process still answers from its read (one read for every request of the user).
      vi.setSystemTime(start + SESSION_USER_REFRESH_MS - 1);
      expect(await getCurrentUser(headers)).toMatchObject({ id: guest.id });
      expect(reads).toHaveBeenCalledTimes(1);
      // Past SESSION_USER_REFRESH_MS a request is still answered from that read, and reads the user again in the background.
      vi.setSystemTime(start + SESSION_USER_TTL_MS - 1);
      expect(await getCurrentUser(headers)).toMatchObject({ id: guest.id });
      expect(reads).toHaveBeenCalledTimes(2);
      // The ban applies once that read lands, before the first read is SESSION_USER_TTL_MS old.
      // (Polled turn by turn with the clock held: vi.waitFor would advance the faked Date past the bound.)
      while ((await getCurrentUser(headers)) !== null) await new Promise((resolve) => setImmediate(resolve));
      expect(reads).toHaveBeenCalledTimes(2);
      vi.setSystemTime(start + SESSION_USER_TTL_MS);
      expect(await getCurrentUser(headers)).toBeNull();
      expect(reads).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
      reads.mockRestore();
    }
  });

  it("accepts at once a token newer than the user this process read (signed in again after a sign-out on another instance)", async () => {
    const guest = await createGuestUser(db);
    const cookieFor = async (sv: number) => new Headers({ cookie: `${SESSION_COOKIE}=${await encode({ token: { uid: guest.id, sv }, secret })}` });
    expect(await getCurrentUser(await cookieFor(0))).toMatchObject({ id: guest.id });
    // Another instance ends every session (not through this process), and the user signs in again there.
    await db.user.update({ where: { id: guest.id }, data: { sessionVersion: { increment: 1 } } });
    expect(await getCurrentUser(await cookieFor(1))).toMatchObject({ id: guest.id });
    // The new read also ends the old token here, before the bound.
    expect(await getCurrentUser(await cookieFor(0))).toBeNull();
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
