// richards: the Richards operating-system simulation. A scheduler runs six
// tasks (idle, worker, two handlers, two devices) by priority; tasks exchange
// packets through queues and block, hold and release each other. Object-
// oriented: a polymorphic run() over four task classes, many field accesses
// and small method calls. One run with COUNT = 10000 must queue 23246 packets
// and hold 9297 times.
const ITERATIONS = 30;
const COUNT = 10000;

const ID_IDLE = 0;
const ID_WORKER = 1;
const ID_HANDLER_A = 2;
const ID_HANDLER_B = 3;
const ID_DEVICE_A = 4;
const ID_DEVICE_B = 5;
const NUMBER_OF_IDS = 6;

const KIND_DEVICE = 0;
const KIND_WORK = 1;

const DATA_SIZE = 4;

class Packet {
  constructor(link, id, kind) {
    this.link = link;
    this.id = id;
    this.kind = kind;
    this.a1 = 0;
    this.a2 = [0, 0, 0, 0];
  }

  // Appends this packet to the end of queue; returns the queue's head.
  addTo(queue) {
    this.link = null;
    if (queue === null) return this;
    let last = queue;
    let next = last.link;
    while (next !== null) {
      last = next;
      next = last.link;
    }
    last.link = this;
    return queue;
  }
}

class TaskControlBlock {
  constructor(link, id, priority, queue, task) {
    this.link = link;
    this.id = id;
    this.priority = priority;
    this.queue = queue;
    this.task = task;
    // A task starts waiting; it is runnable at once if it has packets.
    this.packetPending = queue !== null;
    this.taskWaiting = true;
    this.taskHolding = false;
  }

  setRunning() {
    this.packetPending = false;
    this.taskWaiting = false;
    this.taskHolding = false;
  }

  markAsNotHeld() {
    this.taskHolding = false;
  }

  markAsHeld() {
    this.taskHolding = true;
  }

  markAsSuspended() {
    this.taskWaiting = true;
  }

  isHeldOrSuspended() {
    return this.taskHolding || (this.taskWaiting && !this.packetPending);
  }

  // Runs the task, handing it the first queued packet if it was waiting for one.
  run() {
    let packet = null;
    if (this.taskWaiting && this.packetPending) {
      packet = this.queue;
      this.queue = packet.link;
      this.taskWaiting = false;
      this.packetPending = this.queue !== null;
    }
    return this.task.run(packet);
  }

  // Queues packet on this task; returns the task to run next.
  checkPriorityAdd(current, packet) {
    if (this.queue === null) {
      this.queue = packet;
      this.packetPending = true;
      if (this.priority > current.priority) return this;
    } else {
      this.queue = packet.addTo(this.queue);
    }
    return current;
  }
}

class Scheduler {
  constructor() {
    this.queueCount = 0;
    this.holdCount = 0;
    this.blocks = [];
    for (let i = 0; i < NUMBER_OF_IDS; i = i + 1) this.blocks.push(null);
    this.list = null;
    this.currentTcb = null;
    this.currentId = null;
  }

  addTask(id, priority, queue, task) {
    this.currentTcb = new TaskControlBlock(this.list, id, priority, queue, task);
    this.list = this.currentTcb;
    this.blocks[id] = this.currentTcb;
  }

  addRunningTask(id, priority, queue, task) {
    this.addTask(id, priority, queue, task);
    this.currentTcb.setRunning();
  }

  schedule() {
    this.currentTcb = this.list;
    while (this.currentTcb !== null) {
      if (this.currentTcb.isHeldOrSuspended()) {
        this.currentTcb = this.currentTcb.link;
      } else {
        this.currentId = this.currentTcb.id;
        this.currentTcb = this.currentTcb.run();
      }
    }
  }

  release(id) {
    const tcb = this.blocks[id];
    tcb.markAsNotHeld();
    if (tcb.priority > this.currentTcb.priority) return tcb;
    return this.currentTcb;
  }

  holdCurrent() {
    this.holdCount = this.holdCount + 1;
    this.currentTcb.markAsHeld();
    return this.currentTcb.link;
  }

  suspendCurrent() {
    this.currentTcb.markAsSuspended();
    return this.currentTcb;
  }

  queue(packet) {
    const t = this.blocks[packet.id];
    this.queueCount = this.queueCount + 1;
    packet.link = null;
    packet.id = this.currentId;
    return t.checkPriorityAdd(this.currentTcb, packet);
  }
}

class IdleTask {
  constructor(scheduler, v1, count) {
    this.scheduler = scheduler;
    this.v1 = v1;
    this.count = count;
  }

  run(packet) {
    this.count = this.count - 1;
    if (this.count === 0) return this.scheduler.holdCurrent();
    if ((this.v1 & 1) === 0) {
      this.v1 = this.v1 >> 1;
      return this.scheduler.release(ID_DEVICE_A);
    }
    this.v1 = (this.v1 >> 1) ^ 53256;
    return this.scheduler.release(ID_DEVICE_B);
  }
}

class DeviceTask {
  constructor(scheduler) {
    this.scheduler = scheduler;
    this.pending = null;
  }

  run(packet) {
    if (packet === null) {
      if (this.pending === null) return this.scheduler.suspendCurrent();
      const p = this.pending;
      this.pending = null;
      return this.scheduler.queue(p);
    }
    this.pending = packet;
    return this.scheduler.holdCurrent();
  }
}

class WorkerTask {
  constructor(scheduler, destination, count) {
    this.scheduler = scheduler;
    this.destination = destination;
    this.count = count;
  }

  run(packet) {
    if (packet === null) return this.scheduler.suspendCurrent();
    if (this.destination === ID_HANDLER_A) {
      this.destination = ID_HANDLER_B;
    } else {
      this.destination = ID_HANDLER_A;
    }
    packet.id = this.destination;
    packet.a1 = 0;
    for (let i = 0; i < DATA_SIZE; i = i + 1) {
      this.count = this.count + 1;
      if (this.count > 26) this.count = 1;
      packet.a2[i] = this.count;
    }
    return this.scheduler.queue(packet);
  }
}

class HandlerTask {
  constructor(scheduler) {
    this.scheduler = scheduler;
    this.workQueue = null;
    this.deviceQueue = null;
  }

  run(packet) {
    if (packet !== null) {
      if (packet.kind === KIND_WORK) {
        this.workQueue = packet.addTo(this.workQueue);
      } else {
        this.deviceQueue = packet.addTo(this.deviceQueue);
      }
    }
    if (this.workQueue !== null) {
      const work = this.workQueue;
      const count = work.a1;
      if (count < DATA_SIZE) {
        if (this.deviceQueue !== null) {
          const device = this.deviceQueue;
          this.deviceQueue = device.link;
          device.a1 = work.a2[count];
          work.a1 = count + 1;
          return this.scheduler.queue(device);
        }
      } else {
        this.workQueue = work.link;
        return this.scheduler.queue(work);
      }
    }
    return this.scheduler.suspendCurrent();
  }
}

function runRichards() {
  const s = new Scheduler();
  s.addRunningTask(ID_IDLE, 0, null, new IdleTask(s, 1, COUNT));

  let q = new Packet(null, ID_WORKER, KIND_WORK);
  q = new Packet(q, ID_WORKER, KIND_WORK);
  s.addTask(ID_WORKER, 1000, q, new WorkerTask(s, ID_HANDLER_A, 0));

  q = new Packet(null, ID_DEVICE_A, KIND_DEVICE);
  q = new Packet(q, ID_DEVICE_A, KIND_DEVICE);
  q = new Packet(q, ID_DEVICE_A, KIND_DEVICE);
  s.addTask(ID_HANDLER_A, 2000, q, new HandlerTask(s));

  q = new Packet(null, ID_DEVICE_B, KIND_DEVICE);
  q = new Packet(q, ID_DEVICE_B, KIND_DEVICE);
  q = new Packet(q, ID_DEVICE_B, KIND_DEVICE);
  s.addTask(ID_HANDLER_B, 3000, q, new HandlerTask(s));

  s.addTask(ID_DEVICE_A, 4000, null, new DeviceTask(s));
  s.addTask(ID_DEVICE_B, 5000, null, new DeviceTask(s));

  s.schedule();
  return s;
}

function main() {
  let queued = 0;
  let held = 0;
  for (let i = 0; i < ITERATIONS; i = i + 1) {
    const s = runRichards();
    queued = queued + s.queueCount;
    held = held + s.holdCount;
  }
  console.log("queue count " + String(queued) + ", hold count " + String(held));
}

main();
