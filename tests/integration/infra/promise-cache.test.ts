import { afterEach, describe, expect, it, vi } from "vitest";
import { promiseCache } from "@/lib/server/promise-cache";

let names = 0;
const fresh = (options?: { ttlMs?: number; maxEntries?: number; refreshAfterMs?: number }) => promiseCache<string, number>(`test-cache-${names++}`, options);

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

  it("past refreshAfterMs answers from the entry and loads it once in the background; the new value is as old as its load", async () => {
    const start = Date.now();
    vi.useFakeTimers({ toFake: ["Date"], now: start });
    const cache = fresh({ ttlMs: 1000, refreshAfterMs: 750 });
    const lands: Array<(value: number) => void> = [];
    const load = vi.fn(() => new Promise<number>((resolve) => lands.push(resolve)));
    const first = cache.get("k", load);
    lands[0]!(1);
    expect(await first).toBe(1);
    vi.setSystemTime(start + 749);
    expect(cache.get("k", load)).toBe(first);
    expect(load).toHaveBeenCalledTimes(1);

    vi.setSystemTime(start + 750);
    expect(cache.get("k", load)).toBe(first);
    // One background load at a time: the entry keeps answering until it lands.
    expect(cache.get("k", load)).toBe(first);
    expect(load).toHaveBeenCalledTimes(2);
    lands[1]!(2);
    // Turn by turn with the clock held (vi.waitFor would advance the faked Date).
    while (cache.peek("k") === first) await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.get("k", load)).toBe(2);

    // Its age counts from when the background load started (start + 750), not from when it landed.
    vi.setSystemTime(start + 1749);
    expect(cache.peek("k")).toBeDefined();
    vi.setSystemTime(start + 1750);
    expect(cache.peek("k")).toBeUndefined();
  });

  it("keeps a key deleted while its background load ran deleted, and a failed background load leaves the entry to expire", async () => {
    const start = Date.now();
    vi.useFakeTimers({ toFake: ["Date"], now: start });
    const cache = fresh({ ttlMs: 1000, refreshAfterMs: 500 });
    await cache.get("k", async () => 1);
    vi.setSystemTime(start + 500);
    let land!: (value: number) => void;
    const slow = vi.fn(() => new Promise<number>((resolve) => (land = resolve)));
    expect(await cache.get("k", slow)).toBe(1);
    cache.delete("k");
    land(2);
    // The cache's own handler of the load was attached before this await, so it has run after it.
    await slow.mock.results[0]!.value;
    expect(cache.peek("k")).toBeUndefined();

    await cache.get("j", async () => 1);
    vi.setSystemTime(start + 1000);
    const failing = vi.fn(async (): Promise<number> => Promise.reject(new Error("down")));
    expect(await cache.get("j", failing)).toBe(1);
    await expect(failing.mock.results[0]!.value).rejects.toThrow("down");
    expect(await cache.get("j", failing)).toBe(1);
    expect(failing).toHaveBeenCalledTimes(1);
    vi.setSystemTime(start + 1500);
    expect(cache.peek("j")).toBeUndefined();
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
