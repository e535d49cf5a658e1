#!/usr/bin/env bash
# Installs the Debian 12 packages Kiln builds and tests with, if any is missing.
# Idempotent and quick when everything is present.
set -euo pipefail
packages=(cmake g++ make pkg-config python3 libasmjit-dev libmimalloc-dev libfmt-dev libgtest-dev libedit-dev libcli11-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
