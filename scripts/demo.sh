#!/usr/bin/env bash
# The main job in one command: a local management plane (kube-apiserver + etcd with the CAPI and DCS CRDs),
# the DCS simulator, the example cluster applied, the DCS controller, and a real VS Code (code-server) with the
# extension installed from its VSIX and a sample workspace, connected to the management plane.
# Ctrl-C stops everything it started. Flags (passed on): --kubeconfig FILE [--context NAME] to use an existing
# management cluster (a kind cluster on your laptop), --no-code-server for your desktop VS Code, --port N.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '[demo] %s\n' "$*"; }
step "Debian packages"
bash scripts/setup-debian.sh
step "npm packages"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund; fi
step "build and package the extension"
npm run -s package >/dev/null
step "code-server (a real VS Code from npm; installed once per machine)"
bash scripts/setup-code-server.sh >/dev/null
exec node out/bin/demo.js "$@"
