# richards: the Richards operating-system simulation. A scheduler runs six
# tasks (idle, worker, two handlers, two devices) by priority; tasks exchange
# packets through queues and block, hold and release each other. Object-
# oriented: a polymorphic run() over four task classes, many field accesses
# and small method calls. One run with COUNT = 10000 must queue 23246 packets
# and hold 9297 times.
ITERATIONS = 30
COUNT = 10000

ID_IDLE = 0
ID_WORKER = 1
ID_HANDLER_A = 2
ID_HANDLER_B = 3
ID_DEVICE_A = 4
ID_DEVICE_B = 5
NUMBER_OF_IDS = 6

KIND_DEVICE = 0
KIND_WORK = 1

DATA_SIZE = 4


class Packet:
    def __init__(self, link, id, kind):
        self.link = link
        self.id = id
        self.kind = kind
        self.a1 = 0
        self.a2 = [0, 0, 0, 0]

    # Appends this packet to the end of queue; returns the queue's head.
    def add_to(self, queue):
        self.link = None
        if queue is None:
            return self
        last = queue
        next = last.link
        while next is not None:
            last = next
            next = last.link
        last.link = self
        return queue


class TaskControlBlock:
    def __init__(self, link, id, priority, queue, task):
        self.link = link
        self.id = id
        self.priority = priority
        self.queue = queue
        self.task = task
        # A task starts waiting; it is runnable at once if it has packets.
        self.packet_pending = queue is not None
        self.task_waiting = True
        self.task_holding = False

    def set_running(self):
        self.packet_pending = False
        self.task_waiting = False
        self.task_holding = False

    def mark_as_not_held(self):
        self.task_holding = False

    def mark_as_held(self):
        self.task_holding = True

    def mark_as_suspended(self):
        self.task_waiting = True

    def is_held_or_suspended(self):
        return self.task_holding or (self.task_waiting and not self.packet_pending)

    # Runs the task, handing it the first queued packet if it was waiting for one.
    def run(self):
        packet = None
        if self.task_waiting and self.packet_pending:
            packet = self.queue
            self.queue = packet.link
            self.task_waiting = False
            self.packet_pending = self.queue is not None
        return self.task.run(packet)

    # Queues packet on this task; returns the task to run next.
    def check_priority_add(self, current, packet):
        if self.queue is None:
            self.queue = packet
            self.packet_pending = True
            if self.priority > current.priority:
                return self
        else:
            self.queue = packet.add_to(self.queue)
        return current


class Scheduler:
    def __init__(self):
        self.queue_count = 0
        self.hold_count = 0
        self.blocks = []
        for i in range(NUMBER_OF_IDS):
            self.blocks.append(None)
        self.list = None
        self.current_tcb = None
        self.current_id = None

    def add_task(self, id, priority, queue, task):
        self.current_tcb = TaskControlBlock(self.list, id, priority, queue, task)
        self.list = self.current_tcb
        self.blocks[id] = self.current_tcb

    def add_running_task(self, id, priority, queue, task):
        self.add_task(id, priority, queue, task)
        self.current_tcb.set_running()

    def schedule(self):
        self.current_tcb = self.list
        while self.current_tcb is not None:
            if self.current_tcb.is_held_or_suspended():
                self.current_tcb = self.current_tcb.link
            else:
                self.current_id = self.current_tcb.id
                self.current_tcb = self.current_tcb.run()

    def release(self, id):
        tcb = self.blocks[id]
        tcb.mark_as_not_held()
        if tcb.priority > self.current_tcb.priority:
            return tcb
        return self.current_tcb

    def hold_current(self):
        self.hold_count = self.hold_count + 1
        self.current_tcb.mark_as_held()
        return self.current_tcb.link

    def suspend_current(self):
        self.current_tcb.mark_as_suspended()
        return self.current_tcb

    def queue(self, packet):
        t = self.blocks[packet.id]
        self.queue_count = self.queue_count + 1
        packet.link = None
        packet.id = self.current_id
        return t.check_priority_add(self.current_tcb, packet)


class IdleTask:
    def __init__(self, scheduler, v1, count):
        self.scheduler = scheduler
        self.v1 = v1
        self.count = count

    def run(self, packet):
        self.count = self.count - 1
        if self.count == 0:
            return self.scheduler.hold_current()
        if (self.v1 & 1) == 0:
            self.v1 = self.v1 >> 1
            return self.scheduler.release(ID_DEVICE_A)
        self.v1 = (self.v1 >> 1) ^ 53256
        return self.scheduler.release(ID_DEVICE_B)


class DeviceTask:
    def __init__(self, scheduler):
        self.scheduler = scheduler
        self.pending = None

    def run(self, packet):
        if packet is None:
            if self.pending is None:
                return self.scheduler.suspend_current()
            p = self.pending
            self.pending = None
            return self.scheduler.queue(p)
        self.pending = packet
        return self.scheduler.hold_current()


class WorkerTask:
    def __init__(self, scheduler, destination, count):
        self.scheduler = scheduler
        self.destination = destination
        self.count = count

    def run(self, packet):
        if packet is None:
            return self.scheduler.suspend_current()
        if self.destination == ID_HANDLER_A:
            self.destination = ID_HANDLER_B
        else:
            self.destination = ID_HANDLER_A
        packet.id = self.destination
        packet.a1 = 0
        for i in range(DATA_SIZE):
            self.count = self.count + 1
            if self.count > 26:
                self.count = 1
            packet.a2[i] = self.count
        return self.scheduler.queue(packet)


class HandlerTask:
    def __init__(self, scheduler):
        self.scheduler = scheduler
        self.work_queue = None
        self.device_queue = None

    def run(self, packet):
        if packet is not None:
            if packet.kind == KIND_WORK:
                self.work_queue = packet.add_to(self.work_queue)
            else:
                self.device_queue = packet.add_to(self.device_queue)
        if self.work_queue is not None:
            work = self.work_queue
            count = work.a1
            if count < DATA_SIZE:
                if self.device_queue is not None:
                    device = self.device_queue
                    self.device_queue = device.link
                    device.a1 = work.a2[count]
                    work.a1 = count + 1
                    return self.scheduler.queue(device)
            else:
                self.work_queue = work.link
                return self.scheduler.queue(work)
        return self.scheduler.suspend_current()


def run_richards():
    s = Scheduler()
    s.add_running_task(ID_IDLE, 0, None, IdleTask(s, 1, COUNT))

    q = Packet(None, ID_WORKER, KIND_WORK)
    q = Packet(q, ID_WORKER, KIND_WORK)
    s.add_task(ID_WORKER, 1000, q, WorkerTask(s, ID_HANDLER_A, 0))

    q = Packet(None, ID_DEVICE_A, KIND_DEVICE)
    q = Packet(q, ID_DEVICE_A, KIND_DEVICE)
    q = Packet(q, ID_DEVICE_A, KIND_DEVICE)
    s.add_task(ID_HANDLER_A, 2000, q, HandlerTask(s))

    q = Packet(None, ID_DEVICE_B, KIND_DEVICE)
    q = Packet(q, ID_DEVICE_B, KIND_DEVICE)
    q = Packet(q, ID_DEVICE_B, KIND_DEVICE)
    s.add_task(ID_HANDLER_B, 3000, q, HandlerTask(s))

    s.add_task(ID_DEVICE_A, 4000, None, DeviceTask(s))
    s.add_task(ID_DEVICE_B, 5000, None, DeviceTask(s))

    s.schedule()
    return s


def main():
    queued = 0
    held = 0
    for i in range(ITERATIONS):
        s = run_richards()
        queued = queued + s.queue_count
        held = held + s.hold_count
    print("queue count " + str(queued) + ", hold count " + str(held))


main()
