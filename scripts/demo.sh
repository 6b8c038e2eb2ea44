#!/usr/bin/env bash
# The main job in one command: builds and packages the extension, then starts a real VS Code (code-server)
# on 127.0.0.1 with the VSIX installed and the demo workspace open. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${CAPI_DCS_DEMO_PORT:-8080}"
bash scripts/setup-debian.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund; fi
npm run -s package >/dev/null
cs=$(bash scripts/setup-code-server.sh | tail -n 1)
state=$(mktemp -d "${TMPDIR:-/tmp}/capi-dcs-demo-XXXXXX")
mkdir -p "$state/user/User" "$state/extensions"
cp -r demo/workspace "$state/workspace"
cat > "$state/user/User/settings.json" <<JSON
{"security.workspace.trust.enabled": false, "workbench.startupEditor": "none", "workbench.tips.enabled": false}
JSON
entry="$cs/node_modules/code-server/out/node/entry.js"
node "$entry" --user-data-dir "$state/user" --extensions-dir "$state/extensions" --install-extension out/capi-dcs.vsix >/dev/null
setsid node "$entry" --user-data-dir "$state/user" --extensions-dir "$state/extensions" --auth none \
  --bind-addr "127.0.0.1:$port" --disable-telemetry --disable-update-check "$state/workspace" >"$state/code-server.log" 2>&1 &
pid=$!
cleanup() { kill -TERM -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$state"; echo "[demo] stopped"; }
trap cleanup EXIT INT TERM
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
echo "[demo] VS Code with capi-dcs: http://127.0.0.1:$port/?folder=$state/workspace"
echo "[demo] open the Cluster API (DCS) view, open broken-pool.yaml, run 'CAPI DCS: New DCS Cluster Manifest'. Ctrl-C stops."
wait "$pid"
