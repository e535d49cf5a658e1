-- live_growth: builds a long-lived linked list far larger than any nursery,
-- then walks it: nearly everything allocated survives.
local N = 2000000

local function main()
  local head = nil
  for i = 0, N - 1 do
    head = { value = i, next = head }
  end
  local count = 0
  local sum = 0
  local node = head
  while node ~= nil do
    sum = sum + node.value % 7
    count = count + 1
    node = node.next
  end
  print(count)
  print(sum)
end

main()
