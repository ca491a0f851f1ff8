import { describe, expect, it } from "vitest";
import { timeSlices, yieldToEventLoop } from "@/lib/server/yielding";

/** Holds this thread for `ms` (a stretch of synchronous work). */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe("yielding to the event loop", () => {
  it("wakes one waiter per turn of the event loop, so a timer due runs between two waiters", async () => {
    const order: string[] = [];
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        order.push("timer");
        resolve();
      }, 1),
    );
    const first = yieldToEventLoop().then(() => {
      order.push("first");
      // The timer is due once this is over.
      busy(5);
    });
    const second = yieldToEventLoop().then(() => order.push("second"));
    await Promise.all([first, second, timer]);
    expect(order).toEqual(["first", "timer", "second"]);
  });

  it("wakes the waiters in the order they came", async () => {
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((k) => yieldToEventLoop().then(() => order.push(k))));
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it("counts a loop's slice from the turn's waking, so a loop started after another's slice pauses after its first step", async () => {
    // Slices long enough that the thread waiting for a core on a busy machine does not use one up.
    await yieldToEventLoop();
    expect(timeSlices(50).due).toBe(false);
    // Another loop's slice of this turn.
    busy(60);
    const slice = timeSlices(50);
    expect(slice.due).toBe(true);
    await slice.pause();
    expect(slice.due).toBe(false);
  });
});
