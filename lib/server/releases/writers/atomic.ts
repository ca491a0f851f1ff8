import "server-only";
import { randomBytes } from "node:crypto";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { AppError } from "@/lib/server/errors";

const PARTIAL_MARKER = ".partial-";

/**
 * Builds a release directory so that readers see either nothing or the complete release.
 *
 * `fn` writes into a fresh sibling `finalDir + ".partial-<random>"`; only when it resolves is that
 * directory renamed to `finalDir` (rename within one directory is atomic on POSIX file systems). If `fn`
 * throws, the partial directory is removed and the error rethrown; if the process dies, the partial
 * directory stays invisible under its own name and is removed by the next call for the same `finalDir`.
 * Refuses to overwrite an existing `finalDir` (CONFLICT): a published release is immutable. One publish
 * per `finalDir` at a time: the caller serializes publishes (a concurrent one's partial would be removed).
 */
export async function writeReleaseAtomically<T>(finalDir: string, fn: (partialDir: string) => Promise<T>): Promise<T> {
  const parent = dirname(finalDir);
  const name = basename(finalDir);
  await mkdir(parent, { recursive: true });
  await removeLeftoverPartials(parent, name);
  if (await exists(finalDir)) throw new AppError("CONFLICT", `Release ${name} has already been published.`);

  const partialDir = join(parent, `${name}${PARTIAL_MARKER}${randomBytes(6).toString("hex")}`);
  await mkdir(partialDir);
  try {
    const result = await fn(partialDir);
    await rename(partialDir, finalDir);
    return result;
  } catch (error) {
    await rm(partialDir, { recursive: true, force: true });
    throw error;
  }
}

async function removeLeftoverPartials(parent: string, name: string): Promise<void> {
  const prefix = name + PARTIAL_MARKER;
  const entries = await readdir(parent);
  await Promise.all(
    entries.filter((entry) => entry.startsWith(prefix)).map((entry) => rm(join(parent, entry), { recursive: true, force: true })),
  );
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
