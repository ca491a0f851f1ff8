/** Long computations on the request thread, cut into slices with the event loop served in between. */

/**
 * Resolves on a later turn of the event loop, ONE waiter per turn (first come, first served): the
 * timers and I/O due run between two waiters. With a setImmediate each, every waiter of one turn ran
 * in the same check phase, so the slices of concurrent sliced loops (a recomputation's modalities
 * fingerprinting their logs, summing their counts) ran back to back and held the loop for their sum.
 */
export const yieldToEventLoop = () =>
  new Promise<void>((resolve) => {
    waiting.push(resolve);
    if (waiting.length === 1) setImmediate(wakeOne);
  });

/** The waiters of yieldToEventLoop; a wakeOne is scheduled exactly while it is not empty. */
const waiting: (() => void)[] = [];

/** When the last waiter was woken: the time slices of every loop count from it (timeSlices). */
let wokenAt = performance.now();

function wakeOne(): void {
  const next = waiting.shift()!;
  // Scheduled now, run on the next turn: immediates queued during a check phase wait for the next one.
  if (waiting.length > 0) setImmediate(wakeOne);
  wokenAt = performance.now();
  next();
}

/**
 * A loop's time slices: `due` once `sliceMs` have passed since the last waiter of yieldToEventLoop was
 * woken, `pause()` yields to the event loop. A loop checks `if (slice.due) await slice.pause()` between
 * its steps (a hot loop checks only every few hundred steps), so it awaits nothing until a slice is over.
 * The slice is the turn's, not the loop's: a loop that starts (or resumes after other I/O) once another
 * has used the turn's slice pauses after its first step; counted per loop, several loops starting in one
 * turn each ran a whole slice back to back.
 */
export function timeSlices(sliceMs: number) {
  return {
    get due(): boolean {
      return performance.now() - wokenAt > sliceMs;
    },
    pause: yieldToEventLoop,
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
