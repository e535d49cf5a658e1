-- fields: objects with many fields (more than fit inline); every step reads
-- and writes most of them.
local STEPS = 30000
local COUNT = 100

local Particle = {}
Particle.__index = Particle

function Particle.new(i)
  local p = setmetatable({}, Particle)
  p.x = i * 7 % 1000
  p.y = i * 13 % 1000
  p.z = i * 29 % 1000
  p.vx = i % 7 + 1
  p.vy = i % 5 + 2
  p.vz = i % 3 + 3
  p.hits = 0
  p.age = 0
  p.energy = 0
  return p
end

local function step(p)
  p.x = p.x + p.vx
  if p.x >= 1000 then
    p.x = p.x - 1000
    p.hits = p.hits + 1
  end
  p.y = p.y + p.vy
  if p.y >= 1000 then
    p.y = p.y - 1000
    p.hits = p.hits + 1
  end
  p.z = p.z + p.vz
  if p.z >= 1000 then
    p.z = p.z - 1000
    p.hits = p.hits + 1
  end
  p.age = p.age + 1
  p.energy = p.energy + p.vx + p.vy - p.vz
  local t = p.vx
  p.vx = p.vy
  p.vy = p.vz
  p.vz = t
end

local function main()
  local ps = {}
  for i = 0, COUNT - 1 do ps[#ps + 1] = Particle.new(i) end
  for _ = 0, STEPS - 1 do
    for i = 1, COUNT do step(ps[i]) end
  end
  local sum = 0
  for i = 1, COUNT do
    local p = ps[i]
    sum = sum + p.x + p.y + p.z + p.hits + p.age + p.energy
  end
  print(string.format("%d", sum))
end

main()
