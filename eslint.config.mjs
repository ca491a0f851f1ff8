import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

export default tseslint.config(
  { ignores: [".next/**", ".next-*/**", "**/*.partial-*/**", "node_modules/**", "lib/generated/**", "data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read the environment through lib/env.js only." }],
    },
  },
  {
    // Only lib/env.js reads the environment; launchers, tests and configs set it up for the app.
    files: ["lib/env.js", "scripts/**", "tests/**", "*.config.*", "prisma.config.ts"],
    languageOptions: { globals: globals.node },
    rules: { "no-restricted-properties": "off" },
  },
  {
    // Plain JavaScript modules that run in Node (worker threads, config files).
    files: ["**/*.mjs", "**/*.js"],
    languageOptions: { globals: globals.node },
  },
  {
    // One way to start a thread.
    ignores: ["lib/server/workers/start-worker.ts"],
    rules: { "no-restricted-syntax": ["error", { selector: "NewExpression[callee.name='Worker']", message: "Start worker threads through startWorker (lib/server/workers/start-worker.ts)." }] },
  },
  {
    files: ["lib/domain/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: ["next", "next/*", "react", "react-dom", "@prisma/*", "@/lib/generated/*", "@/lib/server/*", "@/components/*", "@/app/*", "node:http", "node:https", "node:fs", "node:net"], message: "lib/domain is pure: no framework, database or network imports." },
      ] }],
    },
  },
);
