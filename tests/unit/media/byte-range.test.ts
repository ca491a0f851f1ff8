import { describe, expect, it } from "vitest";

import { parseRangeHeader } from "@/lib/server/media/byte-range";

describe("parseRangeHeader", () => {
  it("answers the whole body without a header", () => {
    expect(parseRangeHeader(null, 100)).toEqual({ kind: "whole" });
  });

  it("answers the whole body for an empty header", () => {
    expect(parseRangeHeader("  ", 100)).toEqual({ kind: "whole" });
  });

  it("reads a closed range", () => {
    expect(parseRangeHeader("bytes=10-19", 100)).toEqual({ kind: "partial", range: { start: 10, end: 19 } });
  });

  it("reads an open-ended range", () => {
    expect(parseRangeHeader("bytes=90-", 100)).toEqual({ kind: "partial", range: { start: 90, end: 99 } });
  });

  it("reads the first byte only", () => {
    expect(parseRangeHeader("bytes=0-0", 100)).toEqual({ kind: "partial", range: { start: 0, end: 0 } });
  });

  it("reads a suffix range", () => {
    expect(parseRangeHeader("bytes=-10", 100)).toEqual({ kind: "partial", range: { start: 90, end: 99 } });
  });

  it("clamps a suffix longer than the body", () => {
    expect(parseRangeHeader("bytes=-500", 100)).toEqual({ kind: "partial", range: { start: 0, end: 99 } });
  });

  it("clamps an end past the body", () => {
    expect(parseRangeHeader("bytes=50-1000", 100)).toEqual({ kind: "partial", range: { start: 50, end: 99 } });
  });

  it("accepts a case-insensitive unit and spaces", () => {
    expect(parseRangeHeader("Bytes= 1 - 2 ", 100)).toEqual({ kind: "partial", range: { start: 1, end: 2 } });
  });

  it("refuses a start at the end of the body", () => {
    expect(parseRangeHeader("bytes=100-", 100)).toEqual({ kind: "unsatisfiable" });
  });

  it("refuses a start after the end", () => {
    expect(parseRangeHeader("bytes=20-10", 100)).toEqual({ kind: "unsatisfiable" });
  });

  it("refuses an empty suffix", () => {
    expect(parseRangeHeader("bytes=-0", 100)).toEqual({ kind: "unsatisfiable" });
  });

  it("refuses a range without numbers", () => {
    expect(parseRangeHeader("bytes=-", 100)).toEqual({ kind: "unsatisfiable" });
  });

  it.each(["bytes=abc", "bytes=1-2-3", "bytes=-1-", "bytes=1.5-2"])("refuses the malformed %s", (header) => {
    expect(parseRangeHeader(header, 100)).toEqual({ kind: "unsatisfiable" });
  });

  it("ignores other units", () => {
    expect(parseRangeHeader("items=0-5", 100)).toEqual({ kind: "whole" });
  });

  it("answers several ranges with the whole body", () => {
    expect(parseRangeHeader("bytes=0-1, 5-6", 100)).toEqual({ kind: "whole" });
  });
});
