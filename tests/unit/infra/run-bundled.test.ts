import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const repositoryRoot = path.resolve(import.meta.dirname, "../../..");
const launcher = path.join(repositoryRoot, "scripts/run-bundled.mjs");
const made: string[] = [];
afterEach(() => made.splice(0).forEach((directory) => rmSync(directory, { recursive: true, force: true })));

/** A throwaway app root with a two-module TypeScript command and esbuild (linked from ours). */
function appRoot(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "run-bundled-"));
  made.push(root);
  writeFileSync(path.join(root, "package.json"), JSON.stringify({ type: "module" }));
  mkdirSync(path.join(root, "node_modules"));
  symlinkSync(path.join(repositoryRoot, "node_modules/esbuild"), path.join(root, "node_modules/esbuild"));
  writeFileSync(path.join(root, "word.ts"), 'export const word: string = "first";\n');
  writeFileSync(path.join(root, "command.ts"), 'import { word } from "./word";\nconsole.log(`${word} ${process.argv.slice(2).join(",")}`);\n');
  return root;
}

function run(root: string, ...args: string[]): string {
  const result = spawnSync(process.execPath, [launcher, "command.ts", ...args], { cwd: root, encoding: "utf8" });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.trim();
}

describe("scripts/run-bundled.mjs", () => {
  it("runs a TypeScript command with its arguments, and again from its cached bundle", () => {
    const root = appRoot();
    expect(run(root, "a", "b")).toBe("first a,b");
    expect(run(root, "c")).toBe("first c");
  });

  it("bundles again when a source file the command imports changed, even at the same size", () => {
    const root = appRoot();
    expect(run(root)).toBe("first");
    writeFileSync(path.join(root, "word.ts"), 'export const word: string = "other";\n');
    // Same size as before: the modification time alone must tell.
    const later = new Date(Date.now() + 5_000);
    utimesSync(path.join(root, "word.ts"), later, later);
    expect(run(root)).toBe("other");
  });

  it("runs a command that imports a package's JSON data without an import attribute (as the name detectors do)", () => {
    const root = appRoot();
    mkdirSync(path.join(root, "node_modules/word-data"));
    writeFileSync(path.join(root, "node_modules/word-data/package.json"), JSON.stringify({ name: "word-data" }));
    writeFileSync(path.join(root, "node_modules/word-data/words.json"), JSON.stringify(["from", "json"]));
    writeFileSync(path.join(root, "command.ts"), 'import words from "word-data/words.json";\nconsole.log(words.join(" "));\n');
    expect(run(root)).toBe("from json");
  });

  it("bundles again when the cached bundle is gone", () => {
    const root = appRoot();
    expect(run(root)).toBe("first");
    rmSync(path.join(root, "node_modules/.cache"), { recursive: true });
    writeFileSync(path.join(root, "word.ts"), 'export const word: string = "third, longer";\n');
    expect(run(root)).toBe("third, longer");
  });
});
