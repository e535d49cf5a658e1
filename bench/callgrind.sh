#!/usr/bin/env bash
# Callgrind instruction counts of Kiln on the benchmarks: stable numbers on a
# noisy machine (docs/performance.md uses them for the interpreter).
#
#   bench/callgrind.sh KILN "FLAGS" [benchmark...]   (default: every benchmark)
#   bench/callgrind.sh build/kiln -Xint fib loop
#
# Prints one line per benchmark: name and instructions executed (whole process).
set -euo pipefail
kiln=$(realpath "$1")
flags=$2
shift 2
cd "$(dirname "$0")"
benchmarks=("$@")
if [ ${#benchmarks[@]} -eq 0 ]; then
  benchmarks=(fib loop method_call fields binary_trees nbody mandelbrot closures strings sieve map_heavy richards live_growth)
fi
for b in "${benchmarks[@]}"; do
  # shellcheck disable=SC2086
  count=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$kiln" $flags "$b.kn" 2>&1 >/dev/null |
          sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
  echo "$b $count"
done
