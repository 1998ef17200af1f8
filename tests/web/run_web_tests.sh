#!/usr/bin/env bash
# The web app's tests (ctest label "web"): installs web/node_modules from the lockfile when missing
# or older than it, builds the app with types generated from this build's `keel openapi`, runs the
# lint (eslint: no text from the API inserted as HTML), the unit tests (vitest) and the end-to-end
# tests (Playwright with Debian's Chromium against a real keel serve). Exits 77 (skipped) with a
# message when node or chromium is missing.
#
#   run_web_tests.sh KEEL SOURCE_DIR [default|slow]
#
# default (ctest web_app, in make test): the build, lint, unit tests and every end-to-end spec not
# tagged @slow. slow (ctest web_app_slow, label slow: make test-all): the build and the specs tagged
# @slow only, the long walks through a whole workload (a spec is @slow when it takes over about
# 12 s on two cores; docs/development.md, "The web app's tests").
set -euo pipefail
keel=$(realpath "$1")
web=$2/web
mode=${3:-default}
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "web tests skipped: node and npm are not installed (scripts/setup)"; exit 77
fi
chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
cd "$web"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 KEEL_BIN=$keel CI=1
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
build_log=$(mktemp)
trap 'rm -f "$build_log"' EXIT
if ! npm run --silent build > "$build_log" 2>&1; then
  cat "$build_log"; echo "web build failed"; exit 1
fi
if [ "$mode" = default ]; then
  npm run --silent lint
  npx vitest run
fi
if [ ! -x "$chromium" ]; then
  echo "web e2e skipped: no Chromium at $chromium (apt-get install chromium, or set CHROMIUM_PATH)"; exit 77
fi
if [ "$mode" = default ]; then
  CHROMIUM_PATH=$chromium npx playwright test --grep-invert @slow
  echo "web figures:"; cat test-results/figures.txt
else
  CHROMIUM_PATH=$chromium npx playwright test --grep @slow
fi
