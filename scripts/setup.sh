#!/usr/bin/env bash
# One-command set-up on a fresh Debian 12 machine: installs what is missing,
# builds Kiln (Release) into build/, and runs an example script.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
echo "--- build/kiln examples/hello.kn"
build/kiln examples/hello.kn
