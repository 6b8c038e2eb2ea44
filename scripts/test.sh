#!/usr/bin/env bash
# The one test command (README, .ci/run): sets up what is missing on a fresh machine, builds, packages,
# then runs every layer (lint, unit, integration, extension host in a real VS Code) and ends with
# "N passed, N failed". Slow steps (Debian packages, code-server, Go binaries) are cached per machine.
set -euo pipefail
cd "$(dirname "$0")/.."
current="start"
step() { current="$*"; printf '\n[test] %s\n' "$*"; }
# A setup step that fails still ends the output with the summary line CI reads.
trap 'printf "\n[test] failed during: %s\n0 passed, 1 failed\n" "$current"' ERR
export CAPI_DCS_TEST_STARTED=$(date +%s)

step "Debian packages (chromium, ripgrep, kerberos headers for code-server)"
bash scripts/setup-debian.sh

step "npm packages"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund; fi

step "code-server (a real VS Code from npm)"
bash scripts/setup-code-server.sh >/dev/null

step "generated sources and bundles"
npm run -s build

step "type check and lint"
npm run -s typecheck
npm run -s lint

step "package the VSIX"
npm run -s package >/dev/null
ls -l out/capi-dcs.vsix

step "tests"
trap - ERR
exec node scripts/run-tests.mjs unit integration extension
