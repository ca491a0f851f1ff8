// @ts-check
/**
 * How the app's server process starts: Node's flags for scripts/serve.js, in one place for `npm start`
 * (scripts/start.ts, which the Docker image runs) and the built-app benchmarks and tests
 * (scripts/load/app-process.ts).
 *
 * --max-semi-space-size=32 (MB; V8's default tops out at 16 on 64-bit): every request allocates
 * short-lived objects (parsed input, superjson, rows, answers), and with 64 annotators in flight a 16 MB
 * young generation fills several times a second while many of those objects are still live, so each
 * scavenge copies them (and promotes some to the old generation). Twice the room: fewer scavenges,
 * fewer survivors per vote. Measured with `--trace-gc` under the load bench (BENCHMARKS.md, "sqlvote"):
 * about a third fewer scavenges per vote, scavenge time per vote −20 to −50 %, server CPU per vote
 * −15 to −20 % (on a machine at load 11-13).
 */
import path from "node:path";

/** Also the flags of a bench that times the server's own work in its process (scripts/bench-leaderboard.ts: the recomputation). */
export const SERVE_NODE_FLAGS = ["--max-semi-space-size=32"];

/**
 * The arguments after `node` that run the server: its flags, `extraFlags` (a profiler's), the script, its options.
 * @param {string[]} serverArgs
 * @param {string[]} [extraFlags]
 */
export function serveCommand(serverArgs, extraFlags = []) {
  return [...SERVE_NODE_FLAGS, ...extraFlags, path.join(import.meta.dirname, "serve.js"), ...serverArgs];
}
