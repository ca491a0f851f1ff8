#!/usr/bin/env bash
# `npm test`: every check, in the order CI runs them. Stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    step "installing Debian's chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is needed for the end-to-end tests: sudo apt-get install chromium (or set CHROMIUM_PATH)." >&2
    exit 1
  fi
fi

step "lint";                          npm run --silent lint
step "typecheck";                     npm run --silent typecheck
step "unit tests";                    npx vitest run --project unit
step "integration tests (SQLite)";    TEST_DATABASE=sqlite npx vitest run --project integration
step "integration tests (PostgreSQL)"; TEST_DATABASE=postgres npx vitest run --project integration
step "build";                         npx next build
step "end-to-end tests (Chromium)";   npx playwright test
