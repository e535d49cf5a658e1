-- richards: the Richards operating-system simulation. A scheduler runs six
-- tasks (idle, worker, two handlers, two devices) by priority; tasks exchange
-- packets through queues and block, hold and release each other. Object-
-- oriented: a polymorphic run() over four task classes, many field accesses
-- and small method calls. One run with COUNT = 10000 must queue 23246 packets
-- and hold 9297 times.
-- Tables are 1-based: task id i lives at blocks[i + 1], data word i at a2[i + 1].
local ITERATIONS = 30
local COUNT = 10000

local ID_IDLE = 0
local ID_WORKER = 1
local ID_HANDLER_A = 2
local ID_HANDLER_B = 3
local ID_DEVICE_A = 4
local ID_DEVICE_B = 5
local NUMBER_OF_IDS = 6

local KIND_DEVICE = 0
local KIND_WORK = 1

local DATA_SIZE = 4

-- Bitwise operators: Lua 5.4 has them as syntax, LuaJIT as the bit library.
local band, bxor, rshift
if bit then
  band, bxor, rshift = bit.band, bit.bxor, bit.rshift
else
  band, bxor, rshift = load([[
    return function(a, b) return a & b end,
           function(a, b) return a ~ b end,
           function(a, n) return a >> n end]])()
end

local function class()
  local c = {}
  c.__index = c
  return c
end

local Packet = class()

function Packet.new(link, id, kind)
  local p = setmetatable({}, Packet)
  p.link = link
  p.id = id
  p.kind = kind
  p.a1 = 0
  p.a2 = { 0, 0, 0, 0 }
  return p
end

-- Appends this packet to the end of queue; returns the queue's head.
function Packet:addTo(queue)
  self.link = nil
  if queue == nil then return self end
  local last = queue
  local next = last.link
  while next ~= nil do
    last = next
    next = last.link
  end
  last.link = self
  return queue
end

local TaskControlBlock = class()

function TaskControlBlock.new(link, id, priority, queue, task)
  local t = setmetatable({}, TaskControlBlock)
  t.link = link
  t.id = id
  t.priority = priority
  t.queue = queue
  t.task = task
  -- A task starts waiting; it is runnable at once if it has packets.
  t.packetPending = queue ~= nil
  t.taskWaiting = true
  t.taskHolding = false
  return t
end

function TaskControlBlock:setRunning()
  self.packetPending = false
  self.taskWaiting = false
  self.taskHolding = false
end

function TaskControlBlock:markAsNotHeld()
  self.taskHolding = false
end

function TaskControlBlock:markAsHeld()
  self.taskHolding = true
end

function TaskControlBlock:markAsSuspended()
  self.taskWaiting = true
end

function TaskControlBlock:isHeldOrSuspended()
  return self.taskHolding or (self.taskWaiting and not self.packetPending)
end

-- Runs the task, handing it the first queued packet if it was waiting for one.
function TaskControlBlock:run()
  local packet = nil
  if self.taskWaiting and self.packetPending then
    packet = self.queue
    self.queue = packet.link
    self.taskWaiting = false
    self.packetPending = self.queue ~= nil
  end
  return self.task:run(packet)
end

-- Queues packet on this task; returns the task to run next.
function TaskControlBlock:checkPriorityAdd(current, packet)
  if self.queue == nil then
    self.queue = packet
    self.packetPending = true
    if self.priority > current.priority then return self end
  else
    self.queue = packet:addTo(self.queue)
  end
  return current
end

local Scheduler = class()

function Scheduler.new()
  local s = setmetatable({}, Scheduler)
  s.queueCount = 0
  s.holdCount = 0
  s.blocks = {}
  for i = 1, NUMBER_OF_IDS do s.blocks[i] = false end
  s.list = nil
  s.currentTcb = nil
  s.currentId = nil
  return s
end

function Scheduler:addTask(id, priority, queue, task)
  self.currentTcb = TaskControlBlock.new(self.list, id, priority, queue, task)
  self.list = self.currentTcb
  self.blocks[id + 1] = self.currentTcb
end

function Scheduler:addRunningTask(id, priority, queue, task)
  self:addTask(id, priority, queue, task)
  self.currentTcb:setRunning()
end

function Scheduler:schedule()
  self.currentTcb = self.list
  while self.currentTcb ~= nil do
    if self.currentTcb:isHeldOrSuspended() then
      self.currentTcb = self.currentTcb.link
    else
      self.currentId = self.currentTcb.id
      self.currentTcb = self.currentTcb:run()
    end
  end
end

function Scheduler:release(id)
  local tcb = self.blocks[id + 1]
  tcb:markAsNotHeld()
  if tcb.priority > self.currentTcb.priority then return tcb end
  return self.currentTcb
end

function Scheduler:holdCurrent()
  self.holdCount = self.holdCount + 1
  self.currentTcb:markAsHeld()
  return self.currentTcb.link
end

function Scheduler:suspendCurrent()
  self.currentTcb:markAsSuspended()
  return self.currentTcb
end

function Scheduler:queue(packet)
  local t = self.blocks[packet.id + 1]
  self.queueCount = self.queueCount + 1
  packet.link = nil
  packet.id = self.currentId
  return t:checkPriorityAdd(self.currentTcb, packet)
end

local IdleTask = class()

function IdleTask.new(scheduler, v1, count)
  local t = setmetatable({}, IdleTask)
  t.scheduler = scheduler
  t.v1 = v1
  t.count = count
  return t
end

function IdleTask:run(packet)
  self.count = self.count - 1
  if self.count == 0 then return self.scheduler:holdCurrent() end
  if band(self.v1, 1) == 0 then
    self.v1 = rshift(self.v1, 1)
    return self.scheduler:release(ID_DEVICE_A)
  end
  self.v1 = bxor(rshift(self.v1, 1), 53256)
  return self.scheduler:release(ID_DEVICE_B)
end

local DeviceTask = class()

function DeviceTask.new(scheduler)
  local t = setmetatable({}, DeviceTask)
  t.scheduler = scheduler
  t.pending = nil
  return t
end

function DeviceTask:run(packet)
  if packet == nil then
    if self.pending == nil then return self.scheduler:suspendCurrent() end
    local p = self.pending
    self.pending = nil
    return self.scheduler:queue(p)
  end
  self.pending = packet
  return self.scheduler:holdCurrent()
end

local WorkerTask = class()

function WorkerTask.new(scheduler, destination, count)
  local t = setmetatable({}, WorkerTask)
  t.scheduler = scheduler
  t.destination = destination
  t.count = count
  return t
end

function WorkerTask:run(packet)
  if packet == nil then return self.scheduler:suspendCurrent() end
  if self.destination == ID_HANDLER_A then
    self.destination = ID_HANDLER_B
  else
    self.destination = ID_HANDLER_A
  end
  packet.id = self.destination
  packet.a1 = 0
  for i = 1, DATA_SIZE do
    self.count = self.count + 1
    if self.count > 26 then self.count = 1 end
    packet.a2[i] = self.count
  end
  return self.scheduler:queue(packet)
end

local HandlerTask = class()

function HandlerTask.new(scheduler)
  local t = setmetatable({}, HandlerTask)
  t.scheduler = scheduler
  t.workQueue = nil
  t.deviceQueue = nil
  return t
end

function HandlerTask:run(packet)
  if packet ~= nil then
    if packet.kind == KIND_WORK then
      self.workQueue = packet:addTo(self.workQueue)
    else
      self.deviceQueue = packet:addTo(self.deviceQueue)
    end
  end
  if self.workQueue ~= nil then
    local work = self.workQueue
    local count = work.a1
    if count < DATA_SIZE then
      if self.deviceQueue ~= nil then
        local device = self.deviceQueue
        self.deviceQueue = device.link
        device.a1 = work.a2[count + 1]
        work.a1 = count + 1
        return self.scheduler:queue(device)
      end
    else
      self.workQueue = work.link
      return self.scheduler:queue(work)
    end
  end
  return self.scheduler:suspendCurrent()
end

local function runRichards()
  local s = Scheduler.new()
  s:addRunningTask(ID_IDLE, 0, nil, IdleTask.new(s, 1, COUNT))

  local q = Packet.new(nil, ID_WORKER, KIND_WORK)
  q = Packet.new(q, ID_WORKER, KIND_WORK)
  s:addTask(ID_WORKER, 1000, q, WorkerTask.new(s, ID_HANDLER_A, 0))

  q = Packet.new(nil, ID_DEVICE_A, KIND_DEVICE)
  q = Packet.new(q, ID_DEVICE_A, KIND_DEVICE)
  q = Packet.new(q, ID_DEVICE_A, KIND_DEVICE)
  s:addTask(ID_HANDLER_A, 2000, q, HandlerTask.new(s))

  q = Packet.new(nil, ID_DEVICE_B, KIND_DEVICE)
  q = Packet.new(q, ID_DEVICE_B, KIND_DEVICE)
  q = Packet.new(q, ID_DEVICE_B, KIND_DEVICE)
  s:addTask(ID_HANDLER_B, 3000, q, HandlerTask.new(s))

  s:addTask(ID_DEVICE_A, 4000, nil, DeviceTask.new(s))
  s:addTask(ID_DEVICE_B, 5000, nil, DeviceTask.new(s))

  s:schedule()
  return s
end

local function main()
  local queued = 0
  local held = 0
  for _ = 1, ITERATIONS do
    local s = runRichards()
    queued = queued + s.queueCount
    held = held + s.holdCount
  end
  print(string.format("queue count %d, hold count %d", queued, held))
end

main()
