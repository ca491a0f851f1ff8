/**
 * `npm test`'s one build of the app (scripts/test-all.sh): made before the integration projects start, so
 * their HTTP suites never build (two vitest processes side by side must not race `ensureBuild` into one
 * dir), and served to the end-to-end tests too. It is made with the test secrets in its environment,
 * which the client-bundle scan looks for.
 *
 * Usage: tsx scripts/build-test-app.ts <dist dir, from the repository root>
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { BUILD_MARKER, ensureBuild } from "./load/app-process";

const distDir = process.argv[2];
if (!distDir) throw new Error("usage: tsx scripts/build-test-app.ts <dist dir>");
// `npm test` tests the tree as it is now; ensureBuild alone would keep a build an earlier run left behind.
rmSync(path.resolve(import.meta.dirname, "..", distDir, BUILD_MARKER), { force: true });
const started = Date.now();
ensureBuild(distDir);
console.log(`built into ${distDir} in ${Math.round((Date.now() - started) / 1000)} s`);
