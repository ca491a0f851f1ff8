# syntax=docker/dockerfile:1
# Persona Arena: build with `docker build -t persona-arena .`; run with compose.yaml (PostgreSQL) or alone
# (embedded SQLite in the /app/data volume). docs/operations.md explains both.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
# `npm ci` runs postinstall (db:generate), which needs the schema and its derivation script.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/db ./scripts/db
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npm run db:generate && npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000
RUN groupadd --system --gid 1001 arena && useradd --system --uid 1001 --gid arena --home-dir /app arena \
  && mkdir -p /app/data && chown arena:arena /app/data
COPY --from=build --chown=arena:arena /app ./
USER arena
EXPOSE 3000
VOLUME ["/app/data"]
# node:20-bookworm-slim has no curl; Node's own fetch does the check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# scripts/start.ts applies migrations, seeds, then runs scripts/serve.js (Next + the fast lane) and forwards SIGTERM to it.
CMD ["./node_modules/.bin/tsx", "scripts/start.ts"]
