-- sieve: list-heavy; the sieve of Eratosthenes over a list of booleans built
-- with appends, indexed reads and writes, repeated REPS times.
-- Lua tables are 1-based: number i lives at flags[i + 1].
local SIZE = 1000000
local REPS = 10

local function sieve(n)
  local flags = {}
  for i = 0, n do flags[#flags + 1] = true end
  flags[1] = false
  flags[2] = false
  local i = 2
  while i * i <= n do
    if flags[i + 1] then
      for j = i * i, n, i do flags[j + 1] = false end
    end
    i = i + 1
  end
  local count = 0
  for k = 0, n do
    if flags[k + 1] then count = count + 1 end
  end
  return count
end

local function main()
  local total = 0
  local count = 0
  for r = 0, REPS - 1 do
    count = sieve(SIZE - r * 10007)
    total = total + count
  end
  print(string.format("%d", count))
  print(string.format("%d", total))
end

main()
