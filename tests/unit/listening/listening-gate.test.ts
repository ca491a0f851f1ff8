import { describe, expect, it } from "vitest";

import { canVoteOnAudio, describeListeningProgress } from "@/components/arena/media/listening-gate";

describe("canVoteOnAudio", () => {
  it("opens when both clips reached the minimum", () => {
    expect(canVoteOnAudio(5, 7.5, 5)).toBe(true);
  });

  it("stays closed while clip A is short", () => {
    expect(canVoteOnAudio(4.9, 9, 5)).toBe(false);
  });

  it("stays closed while clip B is short", () => {
    expect(canVoteOnAudio(9, 0, 5)).toBe(false);
  });

  it("is open with a minimum of zero", () => {
    expect(canVoteOnAudio(0, 0, 0)).toBe(true);
  });
});

describe("describeListeningProgress", () => {
  it("shows progress towards the minimum", () => {
    expect(describeListeningProgress(3.24, 5)).toBe("Listened 3.2 s of 5 s needed");
  });

  it("rounds down so it never shows the minimum before the gate opens", () => {
    expect(describeListeningProgress(4.99, 5)).toBe("Listened 4.9 s of 5 s needed");
  });

  it("shows whole seconds without a decimal", () => {
    expect(describeListeningProgress(0, 2)).toBe("Listened 0 s of 2 s needed");
  });

  it("drops the requirement once it is met", () => {
    expect(describeListeningProgress(6.37, 5)).toBe("Listened 6.3 s");
  });
});
