import { afterEach, describe, expect, it, vi } from "vitest";
import { promiseCache } from "@/lib/server/promise-cache";

let names = 0;
const fresh = (options?: { ttlMs?: number; maxEntries?: number }) => promiseCache<string, number>(`test-cache-${names++}`, options);

describe("promiseCache", () => {
  afterEach(() => vi.useRealTimers());

  it("shares one load between callers until it is ttlMs old", async () => {
    const cache = fresh({ ttlMs: 1000 });
    const load = vi.fn(async () => 7);
    const [a, b] = [cache.get("k", load), cache.get("k", load)];
    expect(a).toBe(b);
    expect(await a).toBe(7);
    expect(load).toHaveBeenCalledTimes(1);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 1001 });
    expect(cache.peek("k")).toBeUndefined();
    await cache.get("k", load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("forgets a failed load, but not a newer entry set while it ran", async () => {
    const cache = fresh();
    await expect(cache.get("k", async () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(cache.peek("k")).toBeUndefined();

    let fail!: (error: Error) => void;
    const failing = cache.set("k", new Promise<number>((_, reject) => (fail = reject)));
    const newer = cache.set("k", Promise.resolve(2));
    fail(new Error("late"));
    await expect(failing).rejects.toThrow("late");
    expect(cache.peek("k")).toBe(newer);
  });

  it("drops the oldest entry past maxEntries, and delete/clear forget entries", async () => {
    const cache = fresh({ maxEntries: 2 });
    for (const key of ["a", "b", "c"]) cache.set(key, Promise.resolve(1));
    expect(["a", "b", "c"].map((key) => cache.peek(key) !== undefined)).toEqual([false, true, true]);
    cache.delete("b");
    expect(cache.peek("b")).toBeUndefined();
    cache.clear();
    expect(cache.peek("c")).toBeUndefined();
  });

  it("keeps one store per name (each bundled copy of a module sees the same entries)", () => {
    const name = `test-cache-${names++}`;
    const value = promiseCache<string, number>(name).set("k", Promise.resolve(3));
    expect(promiseCache<string, number>(name).peek("k")).toBe(value);
  });
});
