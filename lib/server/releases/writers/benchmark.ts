import "server-only";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRandom } from "@/lib/domain/random";
import type { ReleaseFileEntry } from "@/lib/domain/release/card";
import { createReleaseWriter } from "./release-writer";
import { syntheticReleasedBattle } from "./synthetic";

export interface ReleaseWriterBenchmark {
  rows: number;
  seconds: number;
  peakRssMb: number;
  files: ReleaseFileEntry[];
}

/**
 * Writes `rows` synthetic battles through createReleaseWriter into a temporary directory (removed
 * afterwards) and reports wall time and the peak resident set size sampled every 50 ms. Rows are made
 * on the fly, so the figure is the writer's memory, not the input's.
 */
export async function benchmarkReleaseWriter(
  rows = 1_000_000,
  options: { parquetRowGroupSize?: number; validateRows?: boolean } = {},
): Promise<ReleaseWriterBenchmark> {
  const dir = await mkdtemp(join(tmpdir(), "release-bench-"));
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50);
  try {
    const started = performance.now();
    const writer = await createReleaseWriter(dir, options);
    const random = createRandom(1);
    for (let index = 0; index < rows; index++) await writer.write(syntheticReleasedBattle(index, random));
    const { files } = await writer.close();
    const seconds = (performance.now() - started) / 1000;
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    return { rows, seconds, peakRssMb: Math.round(peakRss / 2 ** 20), files };
  } finally {
    clearInterval(sampler);
    await rm(dir, { recursive: true, force: true });
  }
}
