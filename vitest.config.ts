import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
/**
 * Tests of one database's machinery run only against it: `*.sqlite.test.ts` (e.g. the vote-ledger
 * triggers) and `*.postgres.test.ts` (e.g. the named prepared reads).
 */
const otherDatabaseOnly = process.env.TEST_DATABASE === "postgres" ? ["tests/integration/**/*.sqlite.test.ts"] : ["tests/integration/**/*.postgres.test.ts"];
/**
 * Suites that never use the run's database: they serve the built app on databases they make themselves (a SQLite
 * file each, a PostgreSQL database or server of their own), so running them in both runs would repeat exactly the
 * same work. Each runs once: in the SQLite run or in the PostgreSQL run, split so that the two runs, which `npm test`
 * runs side by side, take about the same CPU time (all of them run when TEST_DATABASE is unset).
 */
const ownDatabases = {
  sqlite: ["tests/integration/security/{abuse,hostile-input,client-bundle-secrets}.test.ts", "tests/integration/faults/vote-path-faults.test.ts"],
  postgres: ["tests/integration/security/{blind,fast-lane}.test.ts", "tests/integration/instances/two-instances.test.ts"],
};
const otherRunsOwnDatabases = process.env.TEST_DATABASE === "postgres" ? ownDatabases.sqlite : process.env.TEST_DATABASE === "sqlite" ? ownDatabases.postgres : [];

/**
 * The integration files share one process and module graph (`isolate: false`): a fresh module graph per file cost
 * ~3 CPU s of imports and thread starts each (BENCHMARKS.md, "Test suite", stop 34). Between files,
 * tests/integration/shared-process-setup.ts puts the process back as a new one would be (caches, timers, mocks).
 * A file that changes what a shared module reads when it is first imported cannot share: one that mocks a module
 * (`vi.mock`, `vi.doMock`), stubs a global or the environment, or assigns or deletes `process.env` (lib/env reads it
 * once, at import). Those files are found here by that rule, not listed by hand, and keep a module graph of their
 * own in the `integration-isolated` project, which runs after the shared one.
 */
const changesWhatModulesRead = /\bvi\.(mock|doMock|stubEnv|stubGlobal)\(|process\.env(\.\w+|\[[^\]]+\])\s*(=(?!=)|\?\?=|\|\|=)|delete process\.env/;
const isolatedFiles = readdirSync(`${root}tests/integration`, { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".test.ts") && changesWhatModulesRead.test(readFileSync(`${root}tests/integration/${file}`, "utf8")))
  .map((file) => `tests/integration/${file}`);

/**
 * A test's time limit is a guard against a hang, not a speed check (the benches measure speed): integration tests
 * start processes (the CLIs under tsx, the built app), threads and databases, which on a 2-core machine running both
 * databases' runs side by side take several times their quiet time (the CLI test of one-secret.test.ts: 9.5 s quiet,
 * over 30 s at load 15). A test that waits for a condition polls it with a limit of its own.
 */
const integration = {
  environment: "node",
  globalSetup: ["tests/integration/global-setup.ts"],
  testTimeout: 120_000,
  hookTimeout: 60_000,
  fileParallelism: false,
} satisfies TestProjectInlineConfiguration["test"];

export default defineConfig({
  resolve: { alias: { "@": root, "server-only": `${root}tests/fixtures/server-only.ts` } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node" },
      },
      {
        extends: true,
        test: {
          ...integration,
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          exclude: [...otherDatabaseOnly, ...otherRunsOwnDatabases, ...isolatedFiles],
          setupFiles: ["tests/integration/setup.ts", "tests/integration/shared-process-setup.ts"],
          isolate: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          ...integration,
          name: "integration-isolated",
          include: isolatedFiles,
          exclude: [...otherDatabaseOnly, ...otherRunsOwnDatabases],
          setupFiles: ["tests/integration/setup.ts"],
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
