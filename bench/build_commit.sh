#!/usr/bin/env bash
# Builds Kiln as it was at an older commit, for side-by-side comparisons with
# bench/run.py --other-kiln (e.g. the foundation's mark-sweep build, which the
# issue-3 bar refers to):
#
#   bench/build_commit.sh bef419d /tmp/kiln-bef419d
#   bench/run.py --only binary_trees --impls kiln-int,foundation \
#       --other-kiln "foundation=/tmp/kiln-bef419d/build/kiln -Xint" --baseline foundation
#
# The commit is checked out as a detached git worktree in DIR (left in place
# for later runs; `git worktree remove DIR` deletes it) and built in DIR/build
# with the Release settings of scripts/test.sh.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: bench/build_commit.sh COMMIT DIR" >&2
  exit 64
fi
commit=$1
dir=$2
cd "$(dirname "$0")/.."
if [ ! -d "$dir" ]; then
  git worktree add --detach "$dir" "$commit" >/dev/null
fi
cmake -S "$dir" -B "$dir/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$dir/build" -j"$(nproc)" --target kiln_cli
echo "built $dir/build/kiln ($(git -C "$dir" log -1 --format='%h %s'))"
