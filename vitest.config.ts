import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

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
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          exclude: [...otherDatabaseOnly, ...otherRunsOwnDatabases],
          environment: "node",
          globalSetup: ["tests/integration/global-setup.ts"],
          setupFiles: ["tests/integration/setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
