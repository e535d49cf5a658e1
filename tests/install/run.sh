#!/usr/bin/env bash
# Installs a built Kiln into a temporary prefix and builds hosts against that
# prefix only: a CMake project (find_package(Kiln)) and a plain compiler
# command line (pkg-config kiln). Runs each and checks its output.
#   tests/install/run.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(realpath "$1")
source=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$source/tests/install" -B "$work/host" -DCMAKE_PREFIX_PATH="$work/prefix" \
      -DKILN_EXAMPLES="$source/examples" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/host" -j2 >/dev/null
# (Output captured first: grep -q would end the pipe early.)
out=$("$work/host/embed" 2>/dev/null)
grep -q "area(6, 7) = 42" <<<"$out"
out=$("$work/host/sandbox")
grep -q "greedy: step limit at line 1 in script" <<<"$out"
echo "find_package(Kiln): both examples built and ran"
flags=$(PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --cflags --libs kiln)
# shellcheck disable=SC2086
g++ -std=c++20 -O1 "$source/examples/embed.cpp" -o "$work/embed-pkgconfig" $flags
out=$("$work/embed-pkgconfig" 2>/dev/null)
grep -q "area(6, 7) = 42" <<<"$out"
echo "pkg-config kiln: the example built and ran"
