#!/usr/bin/env bash
# Builds Kiln and runs every test: GoogleTest units and the script tests
# (tests/lang) in every execution mode, including --gc-stress.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)"
