#!/usr/bin/env bash
# The main job in one command: a local management plane (kube-apiserver + etcd with the CAPI and DCS CRDs),
# the DCS simulator, the example cluster applied, the DCS controller, and a real VS Code (code-server) with the
# extension installed from its VSIX and a sample workspace, connected to the management plane.
# Ctrl-C stops everything it started. Flags (passed on): --kubeconfig FILE [--context NAME] to use an existing
# management cluster (a kind cluster on your laptop), --no-code-server for your desktop VS Code, --port N.
set -euo pipefail
# The demo prints its start time from here, and "cold" with what this run built or installed.
CAPI_DCS_DEMO_STARTED=$(date +%s%3N)
export CAPI_DCS_DEMO_STARTED
cd "$(dirname "$0")/.."
step() { printf '[demo] %s\n' "$*"; }
built=()
step "Debian packages"
setup_log=$(mktemp)
bash scripts/setup-debian.sh | tee "$setup_log"
if grep -q '^\[setup\] installing' "$setup_log"; then built+=("Debian packages"); fi
rm -f "$setup_log"
step "npm packages"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund; built+=("npm packages"); fi
step "build and package the extension"
# Packaging takes a while: skip it when the VSIX is newer than every file it and out/bin/demo.js come from.
vsix=out/capi-dcs.vsix
inputs=(dist src server webview schemas config snippets media tools/versions.json package.json package-lock.json scripts/build.mjs .vscodeignore README.md CHANGELOG.md LICENSE)
if [ ! -f "$vsix" ] || [ ! -f out/bin/demo.js ] || [ -n "$(find "${inputs[@]}" -type f -newer "$vsix" -print -quit 2>/dev/null)" ]; then
  npm run -s package >/dev/null
  built+=("the extension and its VSIX")
else
  step "the VSIX is newer than its sources: not packaged again"
fi
step "code-server (a real VS Code from npm; installed once per machine)"
code_server=$(bash scripts/setup-code-server.sh | tail -n 1)
if [ "$(stat -c %Y "$code_server/.complete")" -ge "$(( CAPI_DCS_DEMO_STARTED / 1000 ))" ]; then built+=("code-server"); fi
CAPI_DCS_DEMO_BUILT=$(IFS=,; printf '%s' "${built[*]}")
export CAPI_DCS_DEMO_BUILT
exec node out/bin/demo.js "$@"
