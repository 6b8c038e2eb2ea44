#!/usr/bin/env bash
# Installs the Debian packages the tests and the demo need, only when one is missing.
set -euo pipefail
packages=(chromium ripgrep libkrb5-dev pkg-config openssl)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then echo "[setup] Debian packages present"; exit 0; fi
echo "[setup] installing ${missing[*]}"
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
