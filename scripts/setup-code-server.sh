#!/usr/bin/env bash
# Installs code-server (a real VS Code, from npm) into a per-machine cache, offline-friendly:
# its postinstall would download ripgrep from the internet, so we run the steps it needs by hand.
# Prints the install folder on the last line. Safe to run again: a finished install is reused.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=$(node -p "require('$root/tools/versions.json').codeServer")
cache="${CAPI_DCS_CACHE:-$HOME/.cache/capi-dcs}"
dir="$cache/code-server-$version"
if [ -f "$dir/.complete" ]; then echo "$dir"; exit 0; fi

start=$(date +%s)
echo "[code-server] installing code-server $version into $dir (once per machine, a few minutes)" >&2
rm -rf "$dir" && mkdir -p "$dir"
cd "$dir"
echo '{"name":"capi-dcs-code-server","private":true}' > package.json
npm install --no-audit --no-fund --ignore-scripts "code-server@$version" node-gyp >&2
vs="$dir/node_modules/code-server/lib/vscode"
(cd "$vs" && npm install --no-audit --no-fund --omit=dev --ignore-scripts >&2)
(cd "$vs" && PATH="$dir/node_modules/.bin:$PATH" npm rebuild @parcel/watcher @vscode/spdlog @vscode/deviceid kerberos native-watchdog node-pty >&2)
# VS Code looks for rg here; use Debian's.
mkdir -p "$vs/node_modules/@vscode/ripgrep/bin"
ln -sf "$(command -v rg)" "$vs/node_modules/@vscode/ripgrep/bin/rg"
# The links code-server's postinstall would make.
ln -sfn node_modules "$vs/node_modules.asar"
if [ -f "$vs/bin/remote-cli/code-linux.sh" ]; then ln -sf code-linux.sh "$vs/bin/remote-cli/code-server"; fi
(cd "$dir" && PATH="$dir/node_modules/.bin:$PATH" npm rebuild argon2 >&2)
test -f "$dir/node_modules/argon2/lib/binding/napi-v3/argon2.node" || { echo "[code-server] argon2 did not build" >&2; exit 1; }
touch "$dir/.complete"
echo "[code-server] installed in $(( $(date +%s) - start )) s" >&2
echo "$dir"
