import { describe, expect, it } from "vitest";
import { pseudonymize, releasedBattleId } from "@/lib/domain/anonymization/pseudonym";

describe("pseudonymize", () => {
  it("has the annotator_ prefix and 16 hex digits", () => {
    expect(pseudonymize("user-1", "secret")).toMatch(/^annotator_[0-9a-f]{16}$/);
  });

  it("is stable for the same user, secret and scope", () => {
    expect(pseudonymize("user-1", "secret", "2025-06")).toBe(pseudonymize("user-1", "secret", "2025-06"));
  });

  it("differs between users", () => {
    expect(pseudonymize("user-1", "secret")).not.toBe(pseudonymize("user-2", "secret"));
  });

  it("differs between secrets", () => {
    expect(pseudonymize("user-1", "secret-a")).not.toBe(pseudonymize("user-1", "secret-b"));
  });

  it("differs between scopes, so releases cannot be joined on pseudonyms", () => {
    expect(pseudonymize("user-1", "secret", "2025-06")).not.toBe(pseudonymize("user-1", "secret", "2025-07"));
  });

  it("treats no scope differently from a scope", () => {
    expect(pseudonymize("user-1", "secret")).not.toBe(pseudonymize("user-1", "secret", "v1"));
  });

  it("does not let scope and user id run into each other", () => {
    expect(pseudonymize("c", "secret", "ab")).not.toBe(pseudonymize("bc", "secret", "a"));
  });

  it("does not contain the user id", () => {
    expect(pseudonymize("alice@example.com", "secret")).not.toContain("alice");
  });

  it("matches a known HMAC value", () => {
    // printf '0:\0u' | openssl dgst -sha256 -hmac k
    expect(pseudonymize("u", "k")).toBe("annotator_cd35bf042170453e");
  });

  it("rejects an empty secret", () => {
    expect(() => pseudonymize("user-1", "")).toThrow(/secret/);
  });

  it("spreads 10,000 users over 10,000 distinct pseudonyms", () => {
    const pseudonyms = new Set(Array.from({ length: 10_000 }, (_, i) => pseudonymize(`user-${i}`, "secret", "v1")));
    expect(pseudonyms.size).toBe(10_000);
  });
});

describe("releasedBattleId", () => {
  it("has the battle_ prefix and 16 hex digits", () => {
    expect(releasedBattleId("pub_1", "secret", "2026-10")).toMatch(/^battle_[0-9a-f]{16}$/);
  });

  it("differs between releases, so two releases share no battle id", () => {
    expect(releasedBattleId("pub_1", "secret", "2026-10")).not.toBe(releasedBattleId("pub_1", "secret", "2026-11"));
  });

  it("is stable inside one release and depends on the secret", () => {
    expect(releasedBattleId("pub_1", "secret", "2026-10")).toBe(releasedBattleId("pub_1", "secret", "2026-10"));
    expect(releasedBattleId("pub_1", "secret", "2026-10")).not.toBe(releasedBattleId("pub_1", "other-secret", "2026-10"));
  });

  it("never equals the annotator pseudonym digest of the same id and scope", () => {
    expect(releasedBattleId("x", "secret", "2026-10").slice("battle_".length)).not.toBe(pseudonymize("x", "secret", "2026-10").slice("annotator_".length));
  });
});
