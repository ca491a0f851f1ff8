import { describe, expect, it } from "vitest";
import { describePersonalData, detectPersonalData } from "@/lib/domain/moderation/personal-data";

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
