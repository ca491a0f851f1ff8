/**
 * Runs a TypeScript command line from one bundled module, kept under node_modules/.cache and rebuilt
 * whenever one of its source files changed:
 *
 *   node scripts/run-bundled.mjs scripts/ratings.ts [args…]      (npm run ratings -- [args…])
 *   node --conditions=react-server scripts/run-bundled.mjs scripts/db/prepare.ts   (npm start, and every built-app test)
 *
 * Why: under `node --import tsx` a command pays ≈ 0.45 CPU s before its first line runs (tsx's loader
 * thread resolving and transforming every module of ours, one by one); the same command bundled by
 * esbuild (tsx's own compiler, a dependency of the app) starts in ≈ 0.1 s. For `npm run ratings`,
 * whose whole job takes about 3 s, that is the difference that counts (BENCHMARKS.md, ratings CLI).
 *
 * The cache is not a second artefact to keep fresh by hand: next to the bundle lies the list of the
 * source files esbuild read (its metafile), with their sizes and modification times; when any differs
 * — or the bundle, its list or esbuild is missing — the command is bundled again (≈ 0.2 s, once) before
 * it runs. Packages stay outside the bundle and are loaded from node_modules as under tsx; paths in the
 * command (workers, fixtures) are from the app's root, the working directory npm gives it.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write("usage: node scripts/run-bundled.mjs <command.ts> [args…]\n");
  process.exit(2);
}

const root = process.cwd();
const cacheDirectory = path.join(root, "node_modules", ".cache", "run-bundled");
const key = createHash("sha256").update(path.resolve(root, entry)).digest("hex").slice(0, 16);
const bundleFile = path.join(cacheDirectory, `${path.basename(entry, ".ts")}-${key}.mjs`);
const inputsFile = `${bundleFile}.inputs.json`;

/** "size:mtimeMs" of a file, or null when it is gone. */
function stamp(file) {
  try {
    const stats = statSync(path.resolve(root, file));
    return `${stats.size}:${stats.mtimeMs}`;
  } catch {
    return null;
  }
}

function isFresh() {
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(inputsFile, "utf8"));
  } catch {
    return false;
  }
  if (stamp(bundleFile) === null) return false;
  return Object.entries(inputs).every(([file, recorded]) => stamp(file) === recorded);
}

/**
 * Node imports a JSON file only with an import attribute (`with { type: "json" }`), which our sources leave out
 * (Next and tsx need none): a package's JSON data goes into the bundle, the package's code stays outside.
 */
const packageJsonData = {
  name: "package-json-data",
  setup(build) {
    const require = createRequire(path.join(root, "package.json"));
    build.onResolve({ filter: /\.json$/ }, (args) =>
      args.path.startsWith(".") || path.isAbsolute(args.path) ? undefined : { path: require.resolve(args.path, { paths: [args.resolveDir] }) },
    );
  },
};

async function bundle() {
  const esbuild = createRequire(path.join(root, "package.json"))("esbuild");
  const result = await esbuild.build({
    entryPoints: [path.resolve(root, entry)],
    absWorkingDir: root,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    alias: { "server-only": "./node_modules/server-only/empty.js" },
    // Plugins need esbuild's asynchronous API.
    plugins: [packageJsonData],
    metafile: true,
    write: false,
    logLevel: "silent",
  });
  const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map((file) => [file, stamp(file)]));
  mkdirSync(cacheDirectory, { recursive: true });
  // Written aside and renamed: two first runs at once each leave a whole bundle, never half of one.
  const suffix = `.${process.pid}.tmp`;
  writeFileSync(bundleFile + suffix, result.outputFiles[0].contents);
  writeFileSync(inputsFile + suffix, JSON.stringify(inputs));
  renameSync(bundleFile + suffix, bundleFile);
  renameSync(inputsFile + suffix, inputsFile);
}

if (!isFresh()) await bundle();
process.argv = [process.argv[0], path.resolve(root, entry), ...args];
await import(pathToFileURL(bundleFile).href);
