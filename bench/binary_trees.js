// binary_trees: allocation-heavy; builds and walks many short-lived complete
// binary trees while one long-lived tree stays alive.
const MAX_DEPTH = 15;
const MIN_DEPTH = 4;

class Node {
  constructor(left, right) {
    this.left = left;
    this.right = right;
  }
}

function bottomUp(depth) {
  if (depth > 0) return new Node(bottomUp(depth - 1), bottomUp(depth - 1));
  return new Node(null, null);
}

function check(node) {
  if (node.left === null) return 1;
  return 1 + check(node.left) + check(node.right);
}

function pow2(n) {
  let r = 1;
  for (let i = 0; i < n; i = i + 1) r = r * 2;
  return r;
}

function main() {
  let maxDepth = MAX_DEPTH;
  if (MIN_DEPTH + 2 > maxDepth) maxDepth = MIN_DEPTH + 2;
  const stretch = maxDepth + 1;
  console.log("stretch tree of depth " + stretch + " check: " + check(bottomUp(stretch)));
  const longLived = bottomUp(maxDepth);
  for (let d = MIN_DEPTH; d <= maxDepth; d = d + 2) {
    const iters = pow2(maxDepth - d + MIN_DEPTH);
    let sum = 0;
    for (let i = 0; i < iters; i = i + 1) sum = sum + check(bottomUp(d));
    console.log(iters + " trees of depth " + d + " check: " + sum);
  }
  console.log("long lived tree of depth " + maxDepth + " check: " + check(longLived));
}

main();
