-- closures: creating closures (named and lambdas), calling them, upvalues
-- that outlive their frame and upvalues shared by two closures.
local N = 1500000

local function makeCounter()
  local count = 0
  local function inc()
    count = count + 1
    return count
  end
  return inc
end

local function makeAdder(n)
  return function(x) return x + n end
end

local function makeAccount(start)
  local balance = start
  local deposit = function(v)
    balance = balance + v
    return balance
  end
  local withdraw = function(v)
    balance = balance - v
    return balance
  end
  return { deposit, withdraw }
end

local function apply(f, x)
  return f(x)
end

local function main()
  local adders = {}
  for i = 0, 9 do adders[#adders + 1] = makeAdder(i) end
  local total = 0
  for i = 0, N - 1 do
    local c = makeCounter()
    c()
    c()
    total = total + c()
    local add = makeAdder(i % 10)
    total = total + add(i % 7)
    total = total + apply(adders[i % 10 + 1], 1)
    local acct = makeAccount(i % 100)
    local deposit = acct[1]
    local withdraw = acct[2]
    deposit(5)
    total = total + withdraw(3)
  end
  print(string.format("%d", total))
end

main()
