import { describe, expect, it } from "vitest";
import { describePersonalData, detectPersonalData, PERSONA_BLOCKING_KINDS, personalDataFieldMessage } from "@/lib/domain/moderation/personal-data";

describe("detectPersonalData", () => {
  it("finds an email address", () => {
    expect(detectPersonalData("mail me at jane.doe@example.com")).toEqual(["EMAIL"]);
  });
  it("finds a phone number", () => {
    expect(detectPersonalData("call +44 20 7946 0958 tomorrow")).toEqual(["PHONE"]);
  });
  it("finds a Luhn-valid card number", () => {
    expect(detectPersonalData("my card is 4111 1111 1111 1111")).toEqual(["CARD"]);
  });
  it("ignores a 16-digit number that fails Luhn", () => {
    expect(detectPersonalData("order 4111 1111 1111 1112")).not.toContain("CARD");
  });
  it("finds a US social security number", () => {
    expect(detectPersonalData("SSN 123-45-6789")).toEqual(["NATIONAL_ID"]);
  });
  it("finds an API key", () => {
    expect(detectPersonalData("use sk-proj-abcdefghijklmnopqrstuvwx1234")).toEqual(["SECRET"]);
  });
  it("lists several kinds in a fixed order", () => {
    expect(detectPersonalData("123-45-6789 or jane@example.com")).toEqual(["EMAIL", "NATIONAL_ID"]);
  });
  it("does not refuse IP addresses by default", () => {
    expect(detectPersonalData("why does ping 192.168.1.20 time out?")).toEqual([]);
  });
  it("finds IP addresses when asked to", () => {
    expect(detectPersonalData("ping 192.168.1.20", ["IP"])).toEqual(["IP"]);
  });
  it("finds nothing in an ordinary prompt", () => {
    expect(detectPersonalData("Summarise the causes of the 1929 crash in 3 points.")).toEqual([]);
  });
});

describe("describePersonalData", () => {
  it("describes one kind", () => {
    expect(describePersonalData(["EMAIL"])).toBe("an email address");
  });
  it("joins two kinds with and", () => {
    expect(describePersonalData(["EMAIL", "PHONE"])).toBe("an email address and a phone number");
  });
  it("joins three kinds with commas and and", () => {
    expect(describePersonalData(["EMAIL", "PHONE", "CARD"])).toBe("an email address, a phone number and a payment card number");
  });
});

describe("the entry checks' kinds", () => {
  it("refuses passwords, addresses and private keys in prompts but not names or IPs", () => {
    expect(detectPersonalData("my password is Sunshine2024! please remember it")).toEqual(["PASSWORD"]);
    expect(detectPersonalData("I live at 742 Evergreen Terrace")).toEqual(["ADDRESS"]);
    expect(detectPersonalData("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\n-----END PRIVATE KEY-----")).toEqual(["PRIVATE_KEY"]);
    expect(detectPersonalData("Write a poem for my daughter Amelia")).toEqual([]);
  });
  it("refuses names and every other kind in persona free text", () => {
    expect(detectPersonalData("My name is Jennifer Walsh", PERSONA_BLOCKING_KINDS)).toEqual(["NAME"]);
    expect(detectPersonalData("sysadmin, my box is 203.0.113.7", PERSONA_BLOCKING_KINDS)).toEqual(["IP"]);
    expect(detectPersonalData("glaciologist", PERSONA_BLOCKING_KINDS)).toEqual([]);
  });
  it("names the field in its message", () => {
    expect(personalDataFieldMessage("Occupation", ["ADDRESS", "NAME"])).toBe(
      "Occupation seems to contain a street address and a person's name. Please remove personal data before saving.",
    );
  });
});
