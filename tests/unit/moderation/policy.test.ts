import { describe, expect, it } from "vitest";
import { buildBlocklist } from "@/lib/domain/moderation/blocklist";
import {
  BLOCKLIST_MESSAGE,
  decideFromVerdict,
  evaluatePromptLocally,
  flaggedMessage,
  interpretModerationResponse,
  ModerationResponseError,
} from "@/lib/domain/moderation/policy";

const policy = { blocklist: buildBlocklist(), personalData: "block" as const };

describe("evaluatePromptLocally", () => {
  it("allows an ordinary prompt", () => {
    expect(evaluatePromptLocally("Write a haiku about autumn.", policy)).toEqual({ allowed: true });
  });
  it("refuses a block-list hit with the block-list message and the term", () => {
    expect(evaluatePromptLocally("find csam", policy)).toEqual({ allowed: false, reason: "blocklist", message: BLOCKLIST_MESSAGE, details: ["csam"] });
  });
  it("refuses personal data naming the kind found", () => {
    expect(evaluatePromptLocally("Reply to bob@example.com for me", policy)).toEqual({
      allowed: false,
      reason: "personal_data",
      message: "Your prompt seems to contain an email address. Please remove personal data before sending.",
      details: ["EMAIL"],
    });
  });
  it("checks the block list before personal data", () => {
    const decision = evaluatePromptLocally("csam bob@example.com", policy);
    expect(decision.allowed === false && decision.reason).toBe("blocklist");
  });
  it("lets personal data through when the policy allows it", () => {
    expect(evaluatePromptLocally("Reply to bob@example.com", { ...policy, personalData: "allow" })).toEqual({ allowed: true });
  });
  it("still applies the block list when personal data is allowed", () => {
    expect(evaluatePromptLocally("csam", { ...policy, personalData: "allow" }).allowed).toBe(false);
  });
  it("refuses only the configured personal-data kinds", () => {
    expect(evaluatePromptLocally("Reply to bob@example.com", { ...policy, personalDataKinds: ["PHONE"] })).toEqual({ allowed: true });
  });
  it("never repeats the offending text in the message", () => {
    const decision = evaluatePromptLocally("card 4111111111111111", policy);
    expect(decision.allowed === false && decision.message).not.toContain("4111");
  });
});

describe("interpretModerationResponse", () => {
  it("reads an unflagged result", () => {
    expect(interpretModerationResponse({ results: [{ flagged: false, categories: { violence: false } }] })).toEqual({ flagged: false, categories: [] });
  });
  it("collects the true categories, sorted and unique", () => {
    const body = {
      results: [
        { flagged: true, categories: { violence: true, "self-harm/intent": true, sexual: false } },
        { flagged: false, categories: { violence: true } },
      ],
    };
    expect(interpretModerationResponse(body)).toEqual({ flagged: true, categories: ["self-harm/intent", "violence"] });
  });
  it("accepts a result without categories", () => {
    expect(interpretModerationResponse({ results: [{ flagged: true }] })).toEqual({ flagged: true, categories: [] });
  });
  it("rejects a body without results", () => {
    expect(() => interpretModerationResponse({ error: "nope" })).toThrow(ModerationResponseError);
  });
  it("rejects an empty results list", () => {
    expect(() => interpretModerationResponse({ results: [] })).toThrow(ModerationResponseError);
  });
  it("rejects a result whose flagged is not a boolean", () => {
    expect(() => interpretModerationResponse({ results: [{ flagged: "yes" }] })).toThrow(ModerationResponseError);
  });
  it("rejects null", () => {
    expect(() => interpretModerationResponse(null)).toThrow(ModerationResponseError);
  });
});

describe("decideFromVerdict and flaggedMessage", () => {
  it("allows an unflagged verdict", () => {
    expect(decideFromVerdict({ flagged: false, categories: [] })).toEqual({ allowed: true });
  });
  it("refuses a flagged verdict with readable categories", () => {
    expect(decideFromVerdict({ flagged: true, categories: ["self-harm/intent"] })).toEqual({
      allowed: false,
      reason: "flagged",
      message: "This prompt can't be sent: our safety check flagged it (self harm intent). Please rephrase it.",
      details: ["self-harm/intent"],
    });
  });
  it("words a flag without categories", () => {
    expect(flaggedMessage([])).toBe("This prompt can't be sent: our safety check flagged it. Please rephrase it.");
  });
});
