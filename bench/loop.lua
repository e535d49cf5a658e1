-- loop: a tight numeric loop (arithmetic, floored modulo, comparison).
local N = 20000000

local function main()
  local sum = 0
  local x = 0
  for i = 0, N - 1 do
    x = (x * 31 + i) % 1000003
    if x > 500000 then
      sum = sum + x % 1000
    else
      sum = sum - x % 100
    end
  end
  print(string.format("%d", sum))
  print(string.format("%d", x))
end

main()
