#!/usr/bin/env bash
# `npm test`: installs what the tests need on a fresh Debian machine, then runs every test.
# Never downloads a browser: the tests drive Debian's /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

step() { printf '\n== %s (at %d s)\n' "$*" "$SECONDS"; }

# 1. System packages: Chromium for the browser tests; Kamailio (with its WebSocket module) for the SIP tests.
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=()
[ -x "$chromium" ] || missing+=(chromium)
command -v kamailio >/dev/null 2>&1 || missing+=(kamailio)
ls /usr/lib/*/kamailio/modules/websocket.so >/dev/null 2>&1 || missing+=(kamailio-websocket-modules)
if [ ${#missing[@]} -gt 0 ]; then
  step "apt-get install ${missing[*]}"
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "Missing Debian packages: ${missing[*]}. Run as root: apt-get install -y --no-install-recommends ${missing[*]}" >&2
      exit 1
    fi
    as_root=(sudo)
  fi
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# 2. npm packages, at the lockfile's versions. `npm ci` can fail when the registry lacks another platform's
#    optional binaries; `npm install` then keeps the lockfile's versions.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci"
  npm ci --no-audit --no-fund || { echo "npm ci failed; falling back to npm install"; npm install --no-audit --no-fund; }
fi

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

step "typecheck (library, tests and demo; the reference server)"
npx tsc -p tsconfig.json --noEmit
npx tsc -p demo/server/tsconfig.json --noEmit

step "custom-elements.json is up to date"
# The analyzer resolves --outdir against the working directory, so the fresh copy goes under .cache/.
rm -rf .cache/cem-check
npx custom-elements-manifest analyze --config custom-elements-manifest.config.mjs --outdir .cache/cem-check >/dev/null
if ! diff -q custom-elements.json .cache/cem-check/custom-elements.json >/dev/null; then
  diff -u custom-elements.json .cache/cem-check/custom-elements.json | head -40 || true
  echo "custom-elements.json is stale: run 'npm run analyze' and commit it." >&2
  exit 1
fi

step "unit and component tests (web-test-runner, Chromium)"
unit_status=0
WTR_COUNTS_FILE="$results/unit.json" npx web-test-runner || unit_status=$?

step "SIP tests (web-test-runner, Chromium, a real Kamailio on loopback)"
sip_status=0
WTR_COUNTS_FILE="$results/sip.json" bash test/sip-server/run-isolated.sh npx web-test-runner --config web-test-runner.sip.config.mjs || sip_status=$?

step "build (library, declarations, demo)"
npm run build --silent

step "package tests (node:test, the built dist/)"
package_status=0
node --test --test-reporter=tap test/package/package.test.mjs > "$results/package.tap" || package_status=$?
grep -E '^(not ok|# (pass|fail))' "$results/package.tap" || true

step "reference server tests (node:test, real server processes on loopback)"
server_status=0
node --test --test-reporter=tap test/server/*.test.mjs > "$results/server.tap" || server_status=$?
grep -E '^(not ok|# (pass|fail))' "$results/server.tap" || true

step "fault run (the desk on the real server: socket kills, reloads, a server restart)"
faults_status=0
node scripts/faults.mjs > "$results/faults.log" 2>&1 || faults_status=$?
tail -n 1 "$results/faults.log"
[ "$faults_status" -eq 0 ] || tail -n 30 "$results/faults.log"

step "end-to-end tests (Playwright, Chromium, the demo)"
e2e_status=0
PW_JSON_FILE="$results/e2e.json" npx playwright test || e2e_status=$?

step "summary"
node scripts/test-summary.mjs --wtr "$results/unit.json" --wtr "$results/sip.json" --tap "$results/package.tap" --tap "$results/server.tap" --exit-status "$faults_status" --playwright "$results/e2e.json"
[ "$unit_status" -eq 0 ] && [ "$sip_status" -eq 0 ] && [ "$package_status" -eq 0 ] && [ "$server_status" -eq 0 ] && [ "$faults_status" -eq 0 ] && [ "$e2e_status" -eq 0 ]
