import { defineConfig } from "prisma/config";

// The Prisma CLI reads this file; the app itself never does (lib/env.js is the app's only env reader).
const url = process.env.DATABASE_URL ?? "file:./data/arena.db";
const postgres = /^postgres(ql)?:\/\//.test(url);

export default defineConfig({
  schema: postgres ? "prisma/postgres/schema.prisma" : "prisma/schema.prisma",
  migrations: { path: postgres ? "prisma/postgres/migrations" : "prisma/migrations" },
  datasource: { url },
});
