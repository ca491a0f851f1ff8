import { describe, expect, it } from "vitest";
import { describeAuditAction, describeAuditDetails } from "@/lib/domain/audit/describe";

describe("describeAuditAction", () => {
  it("gives known actions a sentence", () => {
    expect(describeAuditAction("model.retire")).toBe("Retired a model");
    expect(describeAuditAction("user.role_change")).toBe("Changed a user's role");
  });
  it("reads unknown actions as words", () => {
    expect(describeAuditAction("webhook.send_again")).toBe("Webhook: send again");
    expect(describeAuditAction("cleanup")).toBe("Cleanup");
  });
});

describe("describeAuditDetails", () => {
  it("turns a from/to pair into one change line", () => {
    expect(describeAuditDetails({ slug: "aster-1", from: "active", to: "paused", reason: "too slow" })).toEqual([
      "Changed: active → paused",
      "Slug: aster-1",
      "Reason: too slow",
    ]);
  });
  it("labels known keys and formats their values", () => {
    expect(describeAuditDetails({ ok: false, latencyMs: 1234.4, failureKind: "http_error" })).toEqual(["Result: failed", "Latency: 1,234 ms", "Failure: http error"]);
    expect(describeAuditDetails({ rowCount: 1200, k: 5 })).toEqual(["Battles: 1,200", "k-anonymity: 5"]);
    expect(describeAuditDetails({ changedFields: ["displayName", "samplingWeight"] })).toEqual(["Changed: display name, sampling weight"]);
  });
  it("hides internal ids and shows nothing for empty details", () => {
    expect(describeAuditDetails({ organizationId: "c123", organization: "aurora-labs", role: "owner" })).toEqual(["Organization: aurora-labs", "Role: owner"]);
    expect(describeAuditDetails(null)).toEqual([]);
  });
});
