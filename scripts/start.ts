/**
 * `npm start`: prepares the embedded (or configured) database and serves the built app.
 * 1. creates data/ and, when AUTH_SECRET / PSEUDONYM_SECRET / METRICS_TOKEN are unset, persistent random secrets in data/secrets.json
 *    (scripts/ensure-secrets.ts, shared with every other command);
 * 2. applies migrations (offline, Prisma's WASM schema engine);
 * 3. seeds the demo models (and, with DEMO_HISTORY, the simulated demo history) into an empty database, and the first admin from ADMIN_EMAIL / ADMIN_PASSWORD;
 * 4. builds the app if there is no build or the sources changed since;
 * 5. runs the app's server (scripts/serve.js: Next, plus the fast lane for the hot API requests) on PORT (default 3000).
 */
import "./ensure-secrets";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync, readdirSync } from "node:fs";
import path from "node:path";
import { serveCommand } from "./serve-command.js";

const root = process.cwd();
const dataDir = path.join(root, "data");
mkdirSync(dataDir, { recursive: true });

Object.assign(process.env, { NODE_ENV: "production" });
process.env.NEXT_TELEMETRY_DISABLED = "1";
const port = process.env.PORT ?? "3000";

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { stdio: "inherit", env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// Database preparation runs server code, which is only importable under the react-server condition. It runs as a
// cached bundle (scripts/run-bundled.mjs): under tsx every start paid ≈ 2 CPU s compiling its modules one by one.
run(process.execPath, ["--conditions=react-server", "scripts/run-bundled.mjs", "scripts/db/prepare.ts"]);

function newestSourceChange(): number {
  let newest = 0;
  const visit = (entry: string) => {
    const stats = statSync(entry);
    if (stats.isDirectory()) {
      for (const child of readdirSync(entry)) if (child !== "generated") visit(path.join(entry, child));
    } else newest = Math.max(newest, stats.mtimeMs);
  };
  for (const entry of ["app", "components", "lib", "next.config.js", "package-lock.json", "postcss.config.mjs"]) {
    if (existsSync(entry)) visit(entry);
  }
  return newest;
}

const buildId = path.join(root, process.env.NEXT_DIST_DIR ?? ".next", "BUILD_ID");
if (!existsSync(buildId) || statSync(buildId).mtimeMs < newestSourceChange()) {
  console.log("[start] building the app (first start or sources changed)…");
  run(process.execPath, ["node_modules/next/dist/bin/next", "build"]);
}

console.log(`[start] serving on http://localhost:${port}`);
const server = spawn(process.execPath, serveCommand(["--port", port]), { stdio: "inherit", env: process.env });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
