/**
 * Entry of the preference-group fit thread (see ./fit-thread.ts): fits the model given as
 * workerData and posts the result back once. EM on a million votes takes seconds of CPU; here it
 * never blocks the event loop that serves requests.
 */
import { parentPort, workerData } from "node:worker_threads";
import { computePreferenceFit, type TPreferenceFitInput } from "./compute";

const port = parentPort;
if (!port) throw new Error("fit.worker runs as a worker thread");
port.postMessage(computePreferenceFit(workerData as TPreferenceFitInput));
