#!/usr/bin/env bash
# `npm test`: every check of the project, in order: system packages, services, build, typecheck, lint, the unit and
# integration tests (vitest, on SQLite and MariaDB, adapters against a real ovsdb-server), then the Playwright suite in
# Debian Chromium. Later stages run even when an earlier test stage fails, so one run shows everything; the last line
# is the total over every runner: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export NODE_OPTIONS="${NODE_OPTIONS:-} --max-old-space-size=4096"
mkdir -p test-results
rm -f test-results/vitest.json test-results/playwright.json
status=0
stage() { echo; echo "=== $1"; }

stage "system packages"
bash scripts/system-deps.sh || exit 1
stage "services"
bash scripts/ensure-services.sh || exit 1

stage "build and typecheck (turbo)"
npx turbo run build typecheck --output-logs=errors-only || { echo "build/typecheck failed"; status=1; }
stage "lint (biome, zero warnings)"
npx biome check --error-on-warnings . || { echo "lint failed"; status=1; }
node scripts/check-docs-refs.mjs || { echo "docs reference a path that does not exist"; status=1; }

stage "unit and integration tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json || status=1

if [ -f e2e/playwright.config.ts ]; then
  stage "end-to-end tests (Playwright, Debian Chromium)"
  (cd e2e && npx playwright test) || status=1
fi

stage "summary"
node scripts/test-summary.mjs || status=1
exit $status
