#!/usr/bin/env bash
# Builds the real kubeconform from the Go module proxy, once per machine, for bench/lint.ts.
# Prints the path of the binary. Needs Go (1.22 or newer) on PATH the first time only.
# Usage: tools/kubeconform/build.sh
set -euo pipefail

# Pinned here on purpose (the bench compares against one known release; tools/versions.json pins the product's).
VERSION=v0.8.0
MODULE=github.com/yannh/kubeconform

dir="${CAPI_DCS_CACHE:-$HOME/.cache/capi-dcs}/bin/kubeconform-${VERSION}"
bin="$dir/kubeconform"
if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi
command -v go >/dev/null || { echo "kubeconform $VERSION is not built and Go is not on PATH" >&2; exit 1; }
mkdir -p "$dir"
tmp="$(mktemp -d "$dir/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
# Build into a scratch folder and move the binary in whole, so an interrupted build never leaves a broken one.
GOBIN="$tmp" GOFLAGS=-buildvcs=false CGO_ENABLED=0 go install -trimpath "$MODULE/cmd/kubeconform@$VERSION" >&2
mv "$tmp/kubeconform" "$bin"
echo "$bin"
