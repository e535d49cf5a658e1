// The mark-sweep collector behind gc/heap.h. Objects live in a mimalloc heap and
// on one intrusive list; marking drains an explicit gray stack (no recursion).
#include "gc/heap.h"

#include <mimalloc.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace kiln {

Heap::Heap(HeapOptions options)
    : options_(options), space_(mi_heap_new()), nextCollection_(options.initialThreshold) {}

Heap::~Heap() {
  for (Obj* o = objects_; o != nullptr;) {
    Obj* next = o->next;
    destroyObject(o);
    o = next;
  }
  mi_heap_destroy(space_);
}

void* Heap::allocateRaw(size_t size) {
  if (!collecting_ && (options_.stress || bytesAllocated_ + size > nextCollection_)) collect();
  void* memory = mi_heap_malloc(space_, size);
  if (memory == nullptr) {
    std::fputs("kiln: out of memory\n", stderr);
    std::abort();
  }
  size = mi_usable_size(memory);
  bytesAllocated_ += size;
  stats_.bytesAllocatedTotal += size;
  if (bytesAllocated_ > stats_.peakBytes) stats_.peakBytes = bytesAllocated_;
  return memory;
}

void Heap::markRoots(Tracer& tracer) {
  for (Value v : handles_) tracer.markValue(v);
  for (auto& trace : rootTracers_) trace(tracer);
}

void Heap::collect() {
  if (collecting_) return;
  collecting_ = true;
  auto start = std::chrono::steady_clock::now();

  Tracer tracer;
  markRoots(tracer);
  while (!tracer.gray_.empty()) {
    Obj* o = tracer.gray_.back();
    tracer.gray_.pop_back();
    traceObject(o, tracer);
  }
  for (auto& sweepWeak : weakSweepers_) sweepWeak();
  sweep();

  stats_.liveBytes = bytesAllocated_;
  // Grow the next threshold with the live size, so collection cost stays
  // proportional to allocation.
  size_t minimum = options_.initialThreshold;
  nextCollection_ = bytesAllocated_ * 2 > minimum ? bytesAllocated_ * 2 : minimum;

  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  stats_.collections++;
  stats_.totalPauseMs += ms;
  if (ms > stats_.maxPauseMs) stats_.maxPauseMs = ms;
  collecting_ = false;
}

void Heap::sweep() {
  Obj** link = &objects_;
  while (Obj* o = *link) {
    if (o->gcBits & kGcMarked) {
      o->gcBits &= ~kGcMarked;
      link = &o->next;
    } else {
      *link = o->next;
      size_t size = mi_usable_size(o) + destroyObject(o);
      mi_free(o);
      bytesAllocated_ -= size < bytesAllocated_ ? size : bytesAllocated_;
    }
  }
}

}  // namespace kiln
