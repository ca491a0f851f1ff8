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
 * file each, a PostgreSQL database or server of their own), so a PostgreSQL run would repeat exactly what the SQLite
 * run did. They run once, in the SQLite run (and whenever TEST_DATABASE is unset).
 */
const ownDatabases = [
  "tests/integration/security/{abuse,blind,fast-lane,hostile-input,client-bundle-secrets}.test.ts",
  "tests/integration/faults/vote-path-faults.test.ts",
  "tests/integration/instances/two-instances.test.ts",
];

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
          exclude: process.env.TEST_DATABASE === "postgres" ? [...otherDatabaseOnly, ...ownDatabases] : otherDatabaseOnly,
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
