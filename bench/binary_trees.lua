-- binary_trees: allocation-heavy; builds and walks many short-lived complete
-- binary trees while one long-lived tree stays alive.
local MAX_DEPTH = 15
local MIN_DEPTH = 4

local function Node(left, right)
  return { left = left, right = right }
end

local function bottomUp(depth)
  if depth > 0 then return Node(bottomUp(depth - 1), bottomUp(depth - 1)) end
  return Node(nil, nil)
end

local function check(node)
  if node.left == nil then return 1 end
  return 1 + check(node.left) + check(node.right)
end

local function pow2(n)
  local r = 1
  for _ = 0, n - 1 do r = r * 2 end
  return r
end

local function main()
  local maxDepth = MAX_DEPTH
  if MIN_DEPTH + 2 > maxDepth then maxDepth = MIN_DEPTH + 2 end
  local stretch = maxDepth + 1
  print(string.format("stretch tree of depth %d check: %d", stretch, check(bottomUp(stretch))))
  local longLived = bottomUp(maxDepth)
  for d = MIN_DEPTH, maxDepth, 2 do
    local iters = pow2(maxDepth - d + MIN_DEPTH)
    local sum = 0
    for _ = 0, iters - 1 do sum = sum + check(bottomUp(d)) end
    print(string.format("%d trees of depth %d check: %d", iters, d, sum))
  end
  print(string.format("long lived tree of depth %d check: %d", maxDepth, check(longLived)))
end

main()
