-- strings: building strings with .. and tostring, split, join, indexOf, substr,
-- replace, upper/lower, trim, startsWith/endsWith, indexing, equality.
-- Lua has no split/trim/startsWith: they are small helpers over the string library.
local N = 300000

local find, sub, gsub, upper, lower = string.find, string.sub, string.gsub, string.upper, string.lower

local function split(s, sep)
  local parts = {}
  local start = 1
  while true do
    local i = find(s, sep, start, true)
    if i == nil then break end
    parts[#parts + 1] = sub(s, start, i - 1)
    start = i + #sep
  end
  parts[#parts + 1] = sub(s, start)
  return parts
end

local function indexOf(s, needle)
  local i = find(s, needle, 1, true)
  if i == nil then return -1 end
  return i - 1
end

local function trim(s)
  return (string.match(s, "^%s*(.-)%s*$"))
end

local function main()
  local words = { "alpha", "beta", "gamma", "delta", "epsilon" }
  local total = 0
  local buf = ""
  for i = 0, N - 1 do
    local w = words[i % 5 + 1]
    local num = tostring(i % 1000)
    local s = w .. "-" .. num .. "," .. words[(i + 2) % 5 + 1] .. ",end"
    local parts = split(s, ",")
    total = total + #parts + #parts[2]
    local joined = table.concat(parts, "/")
    total = total + #joined
    local idx = indexOf(s, "-")
    total = total + idx + indexOf(s, "zz")
    local head = sub(s, 1, idx)
    if head == w then total = total + 1 end
    local r = gsub(s, "end", "stop")
    total = total + #r
    if sub(r, -4) == "stop" then total = total + 1 end
    if sub(s, 1, #w) == w then total = total + 1 end
    local u = upper(head)
    if lower(u) == w then total = total + 1 end
    local padded = "  " .. u .. " "
    total = total + #trim(padded)
    buf = buf .. sub(num, #num, #num)
    if #buf >= 64 then
      total = total + #buf + indexOf(buf, "9")
      buf = ""
    end
  end
  print(string.format("%d", total))
  print(buf)
end

main()
