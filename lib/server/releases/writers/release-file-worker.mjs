/**
 * Worker-thread entry of the release writer (see release-writer.ts): runs release-file-sink.mjs on the
 * batches the main thread posts. It first replies { type: "ready" } once the files are open; then one reply
 * per request, in order:
 *   { type: "batch", batch } → { type: "written", buffer } (batch.jsonl's buffer, transferred back for reuse)
 *   { type: "finish" }       → { type: "finished", files }
 *   { type: "abort" }        → { type: "aborted" }
 * and { type: "failed", message } instead when a step throws (the files are then discarded). workerData
 * is the sink's config.
 */
import { parentPort, workerData } from "node:worker_threads";
import { openReleaseFileSink } from "./release-file-sink.mjs";

if (!parentPort) throw new Error("release-file-worker.mjs runs only as a worker thread.");
const port = parentPort;

/** @type {ReturnType<typeof openReleaseFileSink> | null} */
let sink = null;
try {
  sink = openReleaseFileSink(workerData);
  port.postMessage({ type: "ready" });
} catch (error) {
  port.postMessage({ type: "failed", message: error instanceof Error ? error.message : String(error) });
}

port.on("message", (message) => {
  if (!sink) return;
  try {
    if (message.type === "batch") {
      sink.writeBatch(message.batch);
      const { buffer } = message.batch.jsonl;
      port.postMessage({ type: "written", buffer }, [buffer]);
    } else if (message.type === "finish") {
      const files = sink.finish();
      sink = null;
      port.postMessage({ type: "finished", files });
    } else if (message.type === "abort") {
      sink.discard();
      sink = null;
      port.postMessage({ type: "aborted" });
    }
  } catch (error) {
    sink?.discard();
    sink = null;
    port.postMessage({ type: "failed", message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
});
