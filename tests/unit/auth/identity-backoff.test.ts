import { describe, expect, it } from "vitest";
import { backoffSeconds, tooManyAttemptsMessage } from "@/lib/server/auth/identity-throttle";
import { characterCount, ZPromptSchema } from "@/lib/schemas/battle";

describe("sign-in backoff", () => {
  it("is free for the first failures, then doubles from one second up to the cap", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20, 200].map((failures) => backoffSeconds(failures, 3, 900))).toEqual([0, 0, 0, 1, 2, 4, 8, 900, 900]);
  });

  it("words the wait in seconds, then minutes", () => {
    expect(tooManyAttemptsMessage("sign_in", 1)).toBe("Too many sign-in attempts from here — try again in 1 second.");
    expect(tooManyAttemptsMessage("guest", 30_000)).toBe("Too many new guest sessions from here — try again in 30 seconds.");
    expect(tooManyAttemptsMessage("sign_up", 3_600_000)).toBe("Too many sign-ups from here — try again in 60 minutes.");
  });
});

describe("prompt length and visibility", () => {
  it("counts characters (code points), not UTF-16 units", () => {
    expect(characterCount("😀😀")).toBe(2);
    expect(ZPromptSchema.safeParse("😀".repeat(8_000)).success).toBe(true);
    expect(ZPromptSchema.safeParse("😀".repeat(8_001)).success).toBe(false);
  });

  it("refuses a prompt of only invisible characters with a clear message", () => {
    const result = ZPromptSchema.safeParse("\u200B\u200C\u200D\uFEFF\u2060\u3164");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/no visible characters/);
    expect(ZPromptSchema.safeParse("\u200Bhi").success).toBe(true);
  });
});
