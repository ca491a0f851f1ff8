/**
 * The libsql driver for worker threads. Workers load it by the path the starting thread resolved,
 * at run time, so the bundler never tries to pack its native part into a worker chunk. Imports
 * nothing of ours: a worker pays for every module it loads when it starts.
 */
import { createRequire } from "node:module";
import path from "node:path";

/**
 * Where the `libsql` driver resolves from the app. Workers load it by this path at run time rather
 * than importing it, so the bundler never tries to pack its native part into a worker chunk.
 */
export function libsqlModulePath(): string {
  return createRequire(path.join(/* turbopackIgnore: true */ process.cwd(), "package.json")).resolve("libsql");
}

/** The libsql driver, loaded by the path the starting thread resolved (see libsqlModulePath). */
export function requireLibsql(modulePath: string): typeof import("libsql") {
  return createRequire(modulePath)(modulePath) as typeof import("libsql");
}
