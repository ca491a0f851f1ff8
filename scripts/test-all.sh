#!/usr/bin/env bash
# `npm test`: every check CI runs. Stops after the first step that fails. Steps that share no files, ports or
# database run side by side (2-core CI: one of them waits on processes, databases or timers while the other
# computes); their output goes to a log each, printed whole once both ended.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

# The one build of the app: the HTTP integration suites (tests/integration/security/support/built-app.ts)
# and the end-to-end tests (playwright.config.ts) both serve it.
dist_dir=.next-sec
export NEXT_DIST_DIR_SECURITY=$dist_dir

logs=$(mktemp -d "${TMPDIR:-/tmp}/arena-test-logs-XXXXXX")
suite_started=$SECONDS

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# CPU seconds (user + system) this shell's finished children used so far, into $cpu: with the wall time, it shows how busy a
# step kept the cores. `times` runs in this shell (a subshell would count only its own children).
cpu_now() {
  local file="$logs/times.$BASHPID"
  times >"$file"
  cpu=$(awk 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, t, "m"); sub("s", "", t[2]); n += t[1] * 60 + t[2] } printf "%.0f", n }' "$file")
}

# One step in the foreground, its time printed after it.
run() {
  local title=$1 started=$SECONDS cpu_before
  shift
  step "$title"
  cpu_now
  cpu_before=$cpu
  "$@"
  cpu_now
  printf '\033[2m-- %s: %d s, CPU %d s\033[0m\n' "$title" $((SECONDS - started)) $((cpu - cpu_before))
}

# together TITLE COMMAND [TITLE COMMAND ...]: each command (a bash string) in the background, its output in a
# log of its own; once all ended, each log under its title with its exit status and time. Fails when any failed,
# naming which. Each runs in a process group of its own (set -m), so an interrupt ends all of them.
together() {
  local titles=() commands=() pids=() files=() failed=() started=$SECONDS
  while [ $# -gt 0 ]; do titles+=("$1") commands+=("$2"); shift 2; done
  step "$(IFS=,; echo "${titles[*]}" | sed 's/,/, /g') (side by side)"
  set -m
  for i in "${!titles[@]}"; do
    files+=("$logs/$(printf '%s' "${titles[$i]}" | tr -c 'a-zA-Z0-9' '-').log")
    # shellcheck disable=SC2016 # evaluated by the inner shell
    (
      started=$SECONDS
      bash -c "${commands[$i]}" && status=0 || status=$?
      cpu_now
      echo "$status $((SECONDS - started)) $cpu" >"${files[$i]}.status"
    ) >"${files[$i]}" 2>&1 &
    pids+=($!)
  done
  set +m
  trap 'for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done; exit 130' INT TERM
  for pid in "${pids[@]}"; do wait "$pid" || true; done
  trap - INT TERM
  # The logs of steps that passed first, then those that failed: a reader of the output's end (CI shows its tail)
  # sees the failures and the test runner's summary of them.
  local passed=() failing=() statuses=() status seconds cpu
  for i in "${!titles[@]}"; do
    read -r status seconds cpu <"${files[$i]}.status" || { status=1 seconds='?' cpu='?'; }
    statuses+=("$status $seconds $cpu")
    if [ "$status" = 0 ]; then passed+=("$i"); else failing+=("$i") failed+=("${titles[$i]}"); fi
  done
  for i in "${passed[@]}" "${failing[@]}"; do
    read -r status seconds cpu <<<"${statuses[$i]}"
    step "${titles[$i]} (exit $status, $seconds s, CPU $cpu s)"
    cat "${files[$i]}"
  done
  printf '\033[2m-- side by side: %d s\033[0m\n' $((SECONDS - started))
  if [ ${#failed[@]} -gt 0 ]; then
    printf '\n\033[1;31mFAILED: %s\033[0m (logs in %s)\n' "$(IFS=';'; echo "${failed[*]}" | sed 's/;/; /g')" "$logs" >&2
    exit 1
  fi
}

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    step "installing Debian's chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is needed for the end-to-end tests: sudo apt-get install chromium (or set CHROMIUM_PATH)." >&2
    exit 1
  fi
fi

# One core each. The unit tests run alone: some time child processes against a 5 s test timeout.
together "lint" "npm run --silent lint" "typecheck" "npm run --silent typecheck"
run "unit tests" npx vitest run --project unit
run "build (test secrets, into $dist_dir)" npx tsx scripts/build-test-app.ts "$dist_dir"
# The two integration runs share no database, port or file (each its own database and secrets file, apps on free
# ports). The end-to-end tests run after them: beside them (a third lane) the stage took as long as the two stages
# one after the other on a quiet 2-core machine (888 s against 600 + 273 s), the integration runs using ~83 % of
# both cores already, and under load its journeys timed out (BENCHMARKS.md, "Test suite").
# 'integration*': the files that share one process, then those that keep their own module graph (vitest.config.ts).
together "integration tests (SQLite)" "TEST_DATABASE=sqlite npx vitest run --project 'integration*'" \
  "integration tests (PostgreSQL)" "TEST_DATABASE=postgres npx vitest run --project 'integration*'"
run "end-to-end tests (Chromium)" env NEXT_DIST_DIR="$dist_dir" npx playwright test

rm -rf "$logs"
printf '\n\033[1mall tests passed in %d s\033[0m\n' $((SECONDS - suite_started))
