#!/usr/bin/env bash
# Flake hunt: runs the given vitest files K times in a row while N busy-loop processes keep N cores saturated, and
# prints "K runs, X passed, Y failed". A test that only passes on an idle machine fails here. Each run's output is kept
# in the log directory; the failing runs are named at the end with their failed tests.
#
#   scripts/loop-tests.sh [-k RUNS] [-n BUSY_CORES] [-l LOG_DIR] [--] <vitest paths or filters>...
#   scripts/loop-tests.sh -k 20 -n 2 packages/ovsdb
#
# Defaults: 20 runs, 2 busy cores, a fresh directory under /tmp. Environment (DIALECTS=sqlite, TEST_SEED) is passed on.
# The busy loops are this script's own children and are killed by their pids when it exits (also on Ctrl-C).
set -uo pipefail
cd "$(dirname "$0")/.."

runs=20
busy=2
logs=""
while getopts "k:n:l:h" opt; do
  case "$opt" in
    k) runs=$OPTARG ;;
    n) busy=$OPTARG ;;
    l) logs=$OPTARG ;;
    h)
      sed -n '2,10p' "$0"
      exit 0
      ;;
    *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ "$#" -eq 0 ]; then
  echo "usage: scripts/loop-tests.sh [-k RUNS] [-n BUSY_CORES] [-l LOG_DIR] [--] <vitest paths>..." >&2
  exit 2
fi
[ -n "$logs" ] || logs=$(mktemp -d /tmp/loop-tests.XXXXXX)
mkdir -p "$logs"

pids=()
stop_busy() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  pids=()
}
trap stop_busy EXIT
trap 'stop_busy; exit 130' INT TERM
for _ in $(seq 1 "$busy"); do
  node -e 'for (;;) {}' &
  pids+=("$!")
done

echo "looping $runs runs of: $* (busy cores: $busy, logs: $logs)"
passed=0
failed=0
failures=()
for i in $(seq 1 "$runs"); do
  log="$logs/run-$i.log"
  start=$(date +%s)
  if npx vitest run "$@" >"$log" 2>&1; then
    passed=$((passed + 1))
    verdict=passed
  else
    failed=$((failed + 1))
    verdict=FAILED
    failures+=("$i")
  fi
  tests=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ +Tests ' | tail -n 1 | sed 's/^ *//')
  echo "run $i/$runs: $verdict in $(($(date +%s) - start)) s (${tests:-no summary})"
done

stop_busy
for i in "${failures[@]}"; do
  echo "--- run $i failed ($logs/run-$i.log):"
  sed 's/\x1b\[[0-9;]*m//g' "$logs/run-$i.log" | grep -E '^ FAIL |Error:' | head -n 20
done
echo "$runs runs, $passed passed, $failed failed"
[ "$failed" -eq 0 ]
