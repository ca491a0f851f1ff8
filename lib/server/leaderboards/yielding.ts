/** Long computations on the request thread, cut into slices with the event loop served in between. */

export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs a stepwise computation (a generator that pauses, as runSteps does), yielding to the event loop after each `sliceMs` of steps. */
export async function runStepsYielding<T>(steps: Generator<void, T>, sliceMs = 5): Promise<T> {
  let lastPause = performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() - lastPause > sliceMs) {
      await yieldToEventLoop();
      lastPause = performance.now();
    }
  }
}
