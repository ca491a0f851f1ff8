import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

// js-yaml is installed (a dependency of the toolchain) but ships no types; only `load` is used.
const yaml = createRequire(import.meta.url)("js-yaml") as { load: (text: string) => unknown };

interface ComposeService {
  image?: string;
  build?: string;
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  volumes?: string[];
}
const compose = yaml.load(readFileSync("compose.yaml", "utf8")) as { services: Record<string, ComposeService>; volumes: Record<string, unknown> };
const dockerfile = readFileSync("Dockerfile", "utf8");

describe("compose.yaml", () => {
  it("defines the app and PostgreSQL 15", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["app", "postgres"]);
    expect(compose.services.postgres!.image).toBe("postgres:15");
  });
  it("starts the app only once PostgreSQL is healthy", () => {
    expect(compose.services.postgres!.healthcheck!.test.join(" ")).toContain("pg_isready");
    expect(compose.services.app!.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
  });
  it("points the app's DATABASE_URL at the postgres service", () => {
    expect(compose.services.app!.environment!.DATABASE_URL).toMatch(/^postgresql:\/\/arena:\$\{POSTGRES_PASSWORD\}@postgres:5432\/arena$/);
  });
  it("keeps the database and the app's data in named volumes", () => {
    expect(Object.keys(compose.volumes).sort()).toEqual(["app-data", "postgres-data"]);
    expect(compose.services.app!.volumes).toEqual(["app-data:/app/data"]);
  });
});

describe("Dockerfile", () => {
  it("builds on node:20-bookworm-slim in several stages", () => {
    expect(dockerfile.match(/^FROM node:20-bookworm-slim AS \w+$/gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^FROM deps AS build$/m);
  });
  it("installs with npm ci and builds the app", () => {
    expect(dockerfile).toContain("RUN npm ci");
    expect(dockerfile).toContain("npm run build");
  });
  it("runs as a non-root user", () => {
    expect(dockerfile).toMatch(/^USER arena$/m);
  });
  it("checks /api/health with Node's fetch (the slim image has no curl)", () => {
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*CMD \["node", "-e", "fetch\(.*\/api\/health/);
    expect(dockerfile).not.toMatch(/\bcurl\b.*\/api\/health/);
  });
});
