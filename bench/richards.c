/* richards: the Richards operating-system simulation. A scheduler runs six
   tasks (idle, worker, two handlers, two devices) by priority; tasks exchange
   packets through queues and block, hold and release each other. One run with
   COUNT = 10000 must queue 23246 packets and hold 9297 times.
   The four task kinds are structs behind a run() function pointer. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#define ITERATIONS 30
#define COUNT 10000

enum { ID_IDLE, ID_WORKER, ID_HANDLER_A, ID_HANDLER_B, ID_DEVICE_A, ID_DEVICE_B, NUMBER_OF_IDS };
enum { KIND_DEVICE, KIND_WORK };
#define DATA_SIZE 4

typedef struct Packet {
  struct Packet *link;
  int id;
  int kind;
  int a1;
  int a2[DATA_SIZE];
} Packet;

typedef struct Scheduler Scheduler;
typedef struct TaskControlBlock TaskControlBlock;

typedef struct Task {
  TaskControlBlock *(*run)(struct Task *self, Packet *packet);
  Scheduler *scheduler;
} Task;

struct TaskControlBlock {
  TaskControlBlock *link;
  int id;
  int priority;
  Packet *queue;
  Task *task;
  bool packetPending, taskWaiting, taskHolding;
};

struct Scheduler {
  long queueCount, holdCount;
  TaskControlBlock *blocks[NUMBER_OF_IDS];
  TaskControlBlock *list;
  TaskControlBlock *currentTcb;
  int currentId;
};

/* Everything one run allocates, freed at its end. */
static void *allocated[64];
static int nallocated;

static void *alloc(size_t size) {
  void *p = calloc(1, size);
  allocated[nallocated++] = p;
  return p;
}

static Packet *packet_new(Packet *link, int id, int kind) {
  Packet *p = alloc(sizeof(Packet));
  p->link = link;
  p->id = id;
  p->kind = kind;
  p->a1 = 0;
  return p;
}

/* Appends packet to the end of queue; returns the queue's head. */
static Packet *packet_add_to(Packet *packet, Packet *queue) {
  packet->link = NULL;
  if (queue == NULL) return packet;
  Packet *last = queue;
  Packet *next = last->link;
  while (next != NULL) {
    last = next;
    next = last->link;
  }
  last->link = packet;
  return queue;
}

static bool tcb_is_held_or_suspended(TaskControlBlock *t) {
  return t->taskHolding || (t->taskWaiting && !t->packetPending);
}

static TaskControlBlock *tcb_run(TaskControlBlock *t) {
  Packet *packet = NULL;
  if (t->taskWaiting && t->packetPending) {
    packet = t->queue;
    t->queue = packet->link;
    t->taskWaiting = false;
    t->packetPending = t->queue != NULL;
  }
  return t->task->run(t->task, packet);
}

static TaskControlBlock *tcb_check_priority_add(TaskControlBlock *t, TaskControlBlock *current, Packet *packet) {
  if (t->queue == NULL) {
    t->queue = packet;
    t->packetPending = true;
    if (t->priority > current->priority) return t;
  } else {
    t->queue = packet_add_to(packet, t->queue);
  }
  return current;
}

static void add_task(Scheduler *s, int id, int priority, Packet *queue, Task *task) {
  TaskControlBlock *t = alloc(sizeof(TaskControlBlock));
  t->link = s->list;
  t->id = id;
  t->priority = priority;
  t->queue = queue;
  t->task = task;
  t->packetPending = queue != NULL;
  t->taskWaiting = true;
  t->taskHolding = false;
  s->currentTcb = t;
  s->list = t;
  s->blocks[id] = t;
}

static void add_running_task(Scheduler *s, int id, int priority, Packet *queue, Task *task) {
  add_task(s, id, priority, queue, task);
  s->currentTcb->packetPending = false;
  s->currentTcb->taskWaiting = false;
  s->currentTcb->taskHolding = false;
}

static void schedule(Scheduler *s) {
  s->currentTcb = s->list;
  while (s->currentTcb != NULL) {
    if (tcb_is_held_or_suspended(s->currentTcb)) {
      s->currentTcb = s->currentTcb->link;
    } else {
      s->currentId = s->currentTcb->id;
      s->currentTcb = tcb_run(s->currentTcb);
    }
  }
}

static TaskControlBlock *release(Scheduler *s, int id) {
  TaskControlBlock *t = s->blocks[id];
  t->taskHolding = false;
  if (t->priority > s->currentTcb->priority) return t;
  return s->currentTcb;
}

static TaskControlBlock *hold_current(Scheduler *s) {
  s->holdCount = s->holdCount + 1;
  s->currentTcb->taskHolding = true;
  return s->currentTcb->link;
}

static TaskControlBlock *suspend_current(Scheduler *s) {
  s->currentTcb->taskWaiting = true;
  return s->currentTcb;
}

static TaskControlBlock *queue_packet(Scheduler *s, Packet *packet) {
  TaskControlBlock *t = s->blocks[packet->id];
  s->queueCount = s->queueCount + 1;
  packet->link = NULL;
  packet->id = s->currentId;
  return tcb_check_priority_add(t, s->currentTcb, packet);
}

typedef struct {
  Task base;
  int v1;
  int count;
} IdleTask;

static TaskControlBlock *idle_run(Task *self, Packet *packet) {
  (void)packet;
  IdleTask *t = (IdleTask *)self;
  t->count = t->count - 1;
  if (t->count == 0) return hold_current(self->scheduler);
  if ((t->v1 & 1) == 0) {
    t->v1 = t->v1 >> 1;
    return release(self->scheduler, ID_DEVICE_A);
  }
  t->v1 = (t->v1 >> 1) ^ 53256;
  return release(self->scheduler, ID_DEVICE_B);
}

typedef struct {
  Task base;
  Packet *pending;
} DeviceTask;

static TaskControlBlock *device_run(Task *self, Packet *packet) {
  DeviceTask *t = (DeviceTask *)self;
  if (packet == NULL) {
    if (t->pending == NULL) return suspend_current(self->scheduler);
    Packet *p = t->pending;
    t->pending = NULL;
    return queue_packet(self->scheduler, p);
  }
  t->pending = packet;
  return hold_current(self->scheduler);
}

typedef struct {
  Task base;
  int destination;
  int count;
} WorkerTask;

static TaskControlBlock *worker_run(Task *self, Packet *packet) {
  WorkerTask *t = (WorkerTask *)self;
  if (packet == NULL) return suspend_current(self->scheduler);
  if (t->destination == ID_HANDLER_A) {
    t->destination = ID_HANDLER_B;
  } else {
    t->destination = ID_HANDLER_A;
  }
  packet->id = t->destination;
  packet->a1 = 0;
  for (int i = 0; i < DATA_SIZE; i = i + 1) {
    t->count = t->count + 1;
    if (t->count > 26) t->count = 1;
    packet->a2[i] = t->count;
  }
  return queue_packet(self->scheduler, packet);
}

typedef struct {
  Task base;
  Packet *workQueue;
  Packet *deviceQueue;
} HandlerTask;

static TaskControlBlock *handler_run(Task *self, Packet *packet) {
  HandlerTask *t = (HandlerTask *)self;
  if (packet != NULL) {
    if (packet->kind == KIND_WORK) {
      t->workQueue = packet_add_to(packet, t->workQueue);
    } else {
      t->deviceQueue = packet_add_to(packet, t->deviceQueue);
    }
  }
  if (t->workQueue != NULL) {
    Packet *work = t->workQueue;
    int count = work->a1;
    if (count < DATA_SIZE) {
      if (t->deviceQueue != NULL) {
        Packet *device = t->deviceQueue;
        t->deviceQueue = device->link;
        device->a1 = work->a2[count];
        work->a1 = count + 1;
        return queue_packet(self->scheduler, device);
      }
    } else {
      t->workQueue = work->link;
      return queue_packet(self->scheduler, work);
    }
  }
  return suspend_current(self->scheduler);
}

static Task *new_idle(Scheduler *s, int v1, int count) {
  IdleTask *t = alloc(sizeof(IdleTask));
  t->base.run = idle_run;
  t->base.scheduler = s;
  t->v1 = v1;
  t->count = count;
  return &t->base;
}

static Task *new_device(Scheduler *s) {
  DeviceTask *t = alloc(sizeof(DeviceTask));
  t->base.run = device_run;
  t->base.scheduler = s;
  t->pending = NULL;
  return &t->base;
}

static Task *new_worker(Scheduler *s, int destination, int count) {
  WorkerTask *t = alloc(sizeof(WorkerTask));
  t->base.run = worker_run;
  t->base.scheduler = s;
  t->destination = destination;
  t->count = count;
  return &t->base;
}

static Task *new_handler(Scheduler *s) {
  HandlerTask *t = alloc(sizeof(HandlerTask));
  t->base.run = handler_run;
  t->base.scheduler = s;
  t->workQueue = NULL;
  t->deviceQueue = NULL;
  return &t->base;
}

static void run_richards(long *queued, long *held) {
  nallocated = 0;
  Scheduler *s = alloc(sizeof(Scheduler));
  add_running_task(s, ID_IDLE, 0, NULL, new_idle(s, 1, COUNT));

  Packet *q = packet_new(NULL, ID_WORKER, KIND_WORK);
  q = packet_new(q, ID_WORKER, KIND_WORK);
  add_task(s, ID_WORKER, 1000, q, new_worker(s, ID_HANDLER_A, 0));

  q = packet_new(NULL, ID_DEVICE_A, KIND_DEVICE);
  q = packet_new(q, ID_DEVICE_A, KIND_DEVICE);
  q = packet_new(q, ID_DEVICE_A, KIND_DEVICE);
  add_task(s, ID_HANDLER_A, 2000, q, new_handler(s));

  q = packet_new(NULL, ID_DEVICE_B, KIND_DEVICE);
  q = packet_new(q, ID_DEVICE_B, KIND_DEVICE);
  q = packet_new(q, ID_DEVICE_B, KIND_DEVICE);
  add_task(s, ID_HANDLER_B, 3000, q, new_handler(s));

  add_task(s, ID_DEVICE_A, 4000, NULL, new_device(s));
  add_task(s, ID_DEVICE_B, 5000, NULL, new_device(s));

  schedule(s);
  *queued = *queued + s->queueCount;
  *held = *held + s->holdCount;
  for (int i = 0; i < nallocated; i++) free(allocated[i]);
}

int main(void) {
  long queued = 0;
  long held = 0;
  for (int i = 0; i < ITERATIONS; i = i + 1) run_richards(&queued, &held);
  printf("queue count %ld, hold count %ld\n", queued, held);
  return 0;
}
