-- method_call: method calls on polymorphic receivers (4 classes at one call
-- site), inherited methods, and a super call.
local N = 2000000

local Shape = {}
Shape.__index = Shape

function Shape.new(cls, a, b)
  local o = setmetatable({}, cls)
  o.a = a
  o.b = b
  return o
end

function Shape:weight()
  return self.a + self.b
end

local function subclass(base)
  local cls = setmetatable({}, { __index = base })
  cls.__index = cls
  return cls
end

local Square = subclass(Shape)
function Square:value(k)
  return self.a * k + 1
end

local Rect = subclass(Shape)
function Rect:value(k)
  return self.a * self.b - k
end

local Tri = subclass(Shape)
function Tri:value(k)
  return self:weight() + k
end

local BigSquare = subclass(Square)
function BigSquare:value(k)
  return Square.value(self, k) + 2
end

local function main()
  local shapes = { Shape.new(Square, 3, 0), Shape.new(Rect, 2, 5), Shape.new(Tri, 4, 6), Shape.new(BigSquare, 7, 0),
                   Shape.new(Square, 5, 1), Shape.new(Rect, 1, 1), Shape.new(Tri, 3, 3), Shape.new(BigSquare, 1, 2) }
  local n = #shapes
  local total = 0
  for i = 0, N - 1 do
    local k = i % 10
    for j = 1, n do
      total = total + shapes[j]:value(k)
    end
  end
  print(string.format("%d", total))
end

main()
