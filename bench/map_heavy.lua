-- map_heavy: map inserts, updates, lookups (hits and misses), has() and
-- removals, with string keys built at run time and sparse number keys.
local N = 1000000
local SK = 5003
local NK = 20011

local function main()
  local m = {}
  local nm = {}
  local total = 0
  for i = 0, N - 1 do
    local k = "key" .. tostring(i % SK)
    local v = m[k]
    if v == nil then
      m[k] = 1
    else
      m[k] = v + 1
    end
    nm[(i % NK) * 97] = i
    if i % 3 == 0 then
      local rk = "key" .. tostring((i * 13) % SK)
      if m[rk] ~= nil then
        total = total + m[rk]
        m[rk] = nil
      end
    end
    if i % 5 == 0 then
      local rn = ((i * 11) % NK) * 97
      if nm[rn] ~= nil then
        total = total + nm[rn] % 1000
        nm[rn] = nil
      end
    end
    if nm[((i * 3) % NK) * 97] ~= nil then total = total + 1 end
  end
  local count = 0
  local sum = 0
  for _, v in pairs(m) do
    count = count + 1
    sum = sum + v
  end
  local ncount = 0
  local nsum = 0
  for key, v in pairs(nm) do
    ncount = ncount + 1
    nsum = nsum + v % 1000 + key
  end
  print(string.format("%d", total))
  print(string.format("%d", count))
  print(string.format("%d", sum))
  print(string.format("%d", ncount))
  print(string.format("%d", nsum))
end

main()
