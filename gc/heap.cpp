// The mark-sweep collector behind gc/heap.h. Objects live in a mimalloc heap and
// on one intrusive list; marking drains an explicit gray stack (no recursion).
#include "gc/heap.h"

#include <mimalloc.h>

#include <algorithm>
#include <chrono>
#include <cmath>
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
  if (!collecting_ && (options_.stress || bytesAllocated_ + size > nextCollection_)) {
    collect();
    if (options_.maxBytes != 0 && bytesAllocated_ + size > options_.maxBytes) outOfMemory_ = true;
  }
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
  size_t before = bytesAllocated_;
  sweep();
  if (bytesAllocated_ * 2 < before && !options_.stress) mi_heap_collect(space_, false);  // return memory

  stats_.liveBytes = bytesAllocated_;
  // Grow the next threshold with the live size, so collection cost stays
  // proportional to allocation.
  size_t minimum = options_.initialThreshold;
  nextCollection_ = bytesAllocated_ * 2 > minimum ? bytesAllocated_ * 2 : minimum;
  if (options_.maxBytes != 0 && nextCollection_ > options_.maxBytes) nextCollection_ = options_.maxBytes;

  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  stats_.collections++;
  stats_.totalPauseMs += ms;
  if (ms > stats_.maxPauseMs) stats_.maxPauseMs = ms;
  stats_.recordPause(ms);
  if (options_.trace) {
    std::fprintf(stderr, "[gc] full #%llu: %.3f ms, %.1f KB -> %.1f KB, next at %.1f KB\n",
                 static_cast<unsigned long long>(stats_.collections), ms, before / 1024.0,
                 bytesAllocated_ / 1024.0, nextCollection_ / 1024.0);
  }
  if (options_.verify) verify();
  collecting_ = false;
}

static double bucketLimitMs(int bucket) { return std::exp2(bucket / 4.0) / 1000.0; }

void HeapStats::recordPause(double ms) {
  int bucket = 0;
  while (bucket < kPauseBuckets - 1 && ms >= bucketLimitMs(bucket)) bucket++;
  pauseBuckets[bucket]++;
}

double HeapStats::pausePercentileMs(double p) const {
  if (collections == 0) return 0;
  uint64_t wanted = uint64_t(std::ceil(p / 100.0 * double(collections)));
  uint64_t seen = 0;
  for (int i = 0; i < kPauseBuckets; i++) {
    seen += pauseBuckets[i];
    if (seen >= wanted && seen > 0) return std::min(bucketLimitMs(i), maxPauseMs);
  }
  return maxPauseMs;
}

void Tracer::checkReference(Obj* o) {
  if (std::binary_search(verifying_->begin(), verifying_->end(), o)) return;
  verifyFailures_++;
  std::fprintf(stderr, "kiln: gc-verify: object %p (kind %d) refers to %p, which is not a heap object\n",
               static_cast<void*>(verifyingObject_), verifyingObject_ ? int(verifyingObject_->kind) : -1,
               static_cast<void*>(o));
}

// --gc-verify: after a collection, every object must be unmarked and of a known
// kind, and every reference from a root or an object must point at a live heap
// object. Aborts the process on a violation: it means a collector bug.
void Heap::verify() {
  std::vector<Obj*> objects;
  for (Obj* o = objects_; o != nullptr; o = o->next) {
    if (o->gcBits & kGcMarked || uint8_t(o->kind) > uint8_t(ObjKind::Shape)) {
      std::fprintf(stderr, "kiln: gc-verify: corrupt header at %p\n", static_cast<void*>(o));
      std::abort();
    }
    objects.push_back(o);
  }
  std::sort(objects.begin(), objects.end());
  Tracer checker;
  checker.verifying_ = &objects;
  markRoots(checker);
  for (Obj* o : objects) {
    checker.verifyingObject_ = o;
    traceObject(o, checker);
  }
  if (checker.verifyFailures_ > 0) {
    std::fprintf(stderr, "kiln: gc-verify: %zu bad references\n", checker.verifyFailures_);
    std::abort();
  }
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
