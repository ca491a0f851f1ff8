/** Long computations on the request thread, cut into slices with the event loop served in between. */

export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A loop's time slices: `due` once `sliceMs` have passed since the slice began, `pause()` yields to the
 * event loop and begins the next one. A loop checks `if (slice.due) await slice.pause()` between its
 * steps (a hot loop checks only every few hundred steps), so it awaits nothing until a slice is over.
 */
export function timeSlices(sliceMs: number) {
  let began = performance.now();
  return {
    get due(): boolean {
      return performance.now() - began > sliceMs;
    },
    async pause(): Promise<void> {
      await yieldToEventLoop();
      began = performance.now();
    },
  };
}

/** Runs a stepwise computation (a generator that pauses, as runSteps does), yielding to the event loop after each `sliceMs` of steps. */
export async function runStepsYielding<T>(steps: Generator<void, T>, sliceMs = 5): Promise<T> {
  const slice = timeSlices(sliceMs);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (slice.due) await slice.pause();
  }
}
