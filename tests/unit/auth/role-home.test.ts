import { describe, expect, it } from "vitest";
import { landingPathFor, ROLE_HOMES } from "@/lib/domain/auth/role-home";
import { ROLES } from "@/lib/domain/auth/roles";

describe("landingPathFor", () => {
  it("sends each role to the page of its work", () => {
    expect(ROLES.map((role) => [role, landingPathFor(role, null)])).toEqual([
      ["guest", "/arena"],
      ["annotator", "/arena"],
      ["researcher", "/researcher"],
      ["model_owner", "/dashboard"],
      ["admin", "/admin"],
    ]);
    expect(Object.keys(ROLE_HOMES).sort()).toEqual([...ROLES].sort());
  });

  it("prefers a same-site next path", () => {
    expect(landingPathFor("admin", "/arena/b/abc")).toBe("/arena/b/abc");
  });

  it("ignores a next that would leave the site", () => {
    for (const next of ["https://evil.test/", "//evil.test/x", "/\\evil.test", "javascript:alert(1)", ""]) {
      expect(landingPathFor("researcher", next), next).toBe("/researcher");
    }
  });
});
