/**
 * Entry of the release file thread (see release-writer.ts): runs the release file sink on the batches
 * the publishing thread posts. It first replies { type: "ready" } once the files are open; then one reply
 * per request, in order (TReleaseFileRequest → TReleaseFileReply), and { type: "failed" } instead when a
 * step throws (the files are then discarded). workerData is the sink's config.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { ReleaseFileEntry } from "@/lib/domain/release/card";
import { openReleaseFileSink, type ReleaseFileBatch, type ReleaseFileSink, type ReleaseFileSinkConfig } from "./release-file-sink";

export type TReleaseFileRequest = { type: "batch"; batch: ReleaseFileBatch } | { type: "finish" } | { type: "abort" };

export type TReleaseFileReply =
  | { type: "ready" | "aborted" }
  /** batch.jsonl's buffer, transferred back for reuse. */
  | { type: "written"; buffer: ArrayBuffer }
  | { type: "finished"; files: ReleaseFileEntry[] }
  | { type: "failed"; message: string };

const port = parentPort;
if (!port) throw new Error("release-file.worker runs as a worker thread");
const reply = (message: TReleaseFileReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

let sink: ReleaseFileSink | null = null;
try {
  sink = openReleaseFileSink(workerData as ReleaseFileSinkConfig);
  reply({ type: "ready" });
} catch (error) {
  reply({ type: "failed", message: error instanceof Error ? error.message : String(error) });
}

port.on("message", (message: TReleaseFileRequest) => {
  if (!sink) return;
  try {
    if (message.type === "batch") {
      sink.writeBatch(message.batch);
      const buffer = message.batch.jsonl.buffer as ArrayBuffer;
      reply({ type: "written", buffer }, [buffer]);
    } else if (message.type === "finish") {
      const files = sink.finish();
      sink = null;
      reply({ type: "finished", files });
    } else {
      sink.discard();
      sink = null;
      reply({ type: "aborted" });
    }
  } catch (error) {
    sink?.discard();
    sink = null;
    reply({ type: "failed", message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
});
