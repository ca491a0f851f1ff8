import { describe, expect, it } from "vitest";
import { insertRow } from "@/lib/server/store/sqlite-compiled";

describe("insertRow", () => {
  it("inserts every column of the row, whatever the order of its keys", () => {
    const first = insertRow("Turn", { id: "t1", battleId: "b1", index: 0, prompt: "hi", systemPrompt: null, createdAt: "2026-01-01T00:00:00.000+00:00" });
    const second = insertRow("Turn", { createdAt: "2026-01-02T00:00:00.000+00:00", systemPrompt: "s", prompt: "yo", index: 1, battleId: "b2", id: "t2" });
    expect(second.sql).toBe(first.sql);
    const columns = /\(([^)]*)\) values/.exec(first.sql)![1]!.split(", ").map((column) => column.replaceAll('"', ""));
    expect(Object.fromEntries(columns.map((column, index) => [column, first.parameters[index]]))).toEqual({ id: "t1", battleId: "b1", index: 0, prompt: "hi", systemPrompt: null, createdAt: "2026-01-01T00:00:00.000+00:00" });
    expect(Object.fromEntries(columns.map((column, index) => [column, second.parameters[index]]))).toEqual({ id: "t2", battleId: "b2", index: 1, prompt: "yo", systemPrompt: "s", createdAt: "2026-01-02T00:00:00.000+00:00" });
  });
});
