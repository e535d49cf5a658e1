-- mandelbrot: floating-point inner loop; counts the points of a SIZE x SIZE
-- grid that stay bounded for ITER iterations and sums the escape counts.
local SIZE = 1000
local ITER = 100

local function main()
  local inside = 0
  local total = 0
  for y = 0, SIZE - 1 do
    local ci = 2.0 * y / SIZE - 1.0
    for x = 0, SIZE - 1 do
      local cr = 2.0 * x / SIZE - 1.5
      local zr = 0.0
      local zi = 0.0
      local zr2 = 0.0
      local zi2 = 0.0
      local i = 0
      while i < ITER and zr2 + zi2 <= 4.0 do
        zi = 2.0 * zr * zi + ci
        zr = zr2 - zi2 + cr
        zr2 = zr * zr
        zi2 = zi * zi
        i = i + 1
      end
      if zr2 + zi2 <= 4.0 then inside = inside + 1 end
      total = total + i
    end
  end
  print(string.format("%d", inside))
  print(string.format("%d", total))
end

main()
