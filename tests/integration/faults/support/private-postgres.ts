/**
 * A private PostgreSQL server in a temp folder on a free port (initdb + pg_ctl from the installed
 * PostgreSQL), so fault tests can restart or crash it without touching the shared server on 5432.
 * As root, the cluster runs as the `postgres` system user (PostgreSQL refuses to run as root).
 */
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "@/scripts/load/app-process";

export interface TPrivatePostgres {
  /** Server URL without a database name, e.g. postgresql://postgres@127.0.0.1:54321/ */
  serverUrl: string;
  port: number;
  /** `pg_ctl restart -m immediate`: a crash (no checkpoint, WAL replay on start), then up again. */
  crashAndRestart: () => Promise<void>;
  stop: () => void;
}

function postgresBin(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((name) => existsSync(path.join(root, name, "bin/pg_ctl"))) : [];
  if (versions.length === 0) throw new Error("No PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)");
  return path.join(root, versions.sort((a, b) => Number(b) - Number(a))[0]!, "bin");
}

export async function startPrivatePostgres(): Promise<TPrivatePostgres> {
  const bin = postgresBin();
  const folder = mkdtempSync(path.join(os.tmpdir(), "arena-pg-"));
  const dataDir = path.join(folder, "data");
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const commandFor = (tool: string, args: string[]): [string, string[]] =>
    asRoot ? ["runuser", ["-u", "postgres", "--", path.join(bin, tool), ...args]] : [path.join(bin, tool), args];
  const run = (tool: string, args: string[]) => {
    const [command, commandArgs] = commandFor(tool, args);
    execFileSync(command, commandArgs, { stdio: "pipe", cwd: folder });
  };
  // Asynchronous, so a load generator in this process keeps running while the server restarts.
  const runAsync = async (tool: string, args: string[]) => {
    const [command, commandArgs] = commandFor(tool, args);
    await promisify(execFile)(command, commandArgs, { cwd: folder });
  };
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(folder, uid, gid);
  }
  run("initdb", ["-D", dataDir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c max_connections=200`;
  const pgCtlArgs = (action: string, extra: string[] = []) => ["-D", dataDir, "-o", options, "-l", path.join(folder, "server.log"), "-w", "-t", "60", ...extra, action];
  const pgCtl = (action: string, extra: string[] = []) => run("pg_ctl", pgCtlArgs(action, extra));
  pgCtl("start");
  return {
    serverUrl: `postgresql://postgres@127.0.0.1:${port}/`,
    port,
    crashAndRestart: () => runAsync("pg_ctl", pgCtlArgs("restart", ["-m", "immediate"])),
    stop: () => {
      try {
        pgCtl("stop", ["-m", "immediate"]);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}
