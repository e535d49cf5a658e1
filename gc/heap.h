// The garbage-collected heap: allocation, roots, and collection.
//
// This is the interface the rest of Kiln uses and the generational collector will
// keep. Today it is a precise, non-moving mark-sweep collector over mimalloc.
// Marking uses an explicit gray stack, never C++ recursion.
//
// Rules for users:
//   - allocate only through Heap::make<T>() (it may collect first);
//   - root every object you hold across an allocation (VM stack, Handle<T>);
//   - call writeBarrier(holder, value) after storing a reference into a heap object.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <new>
#include <vector>

#include "vm/object.h"
#include "vm/value.h"

typedef struct mi_heap_s mi_heap_t;

namespace kiln {

// Marks objects during a collection. traceObject() (vm/object.cpp) calls it for
// every reference an object holds; root tracers call it for every root.
class Tracer {
 public:
  void markValue(Value v) {
    if (v.isObj()) markObject(v.asObj());
  }
  void markObject(Obj* o) {
    if (o == nullptr) return;
    if (verifying_ != nullptr) return checkReference(o);
    if (o->gcBits & kGcMarked) return;
    o->gcBits |= kGcMarked;
    gray_.push_back(o);
  }

 private:
  friend class Heap;
  void checkReference(Obj* o);

  std::vector<Obj*> gray_;
  // --gc-verify: every reference must point at an object of the heap.
  const std::vector<Obj*>* verifying_ = nullptr;  // sorted heap objects
  Obj* verifyingObject_ = nullptr;                // whose fields are checked
  size_t verifyFailures_ = 0;
};

struct HeapStats {
  uint64_t collections = 0;
  double totalPauseMs = 0;
  double maxPauseMs = 0;
  // Pause histogram for percentiles: bucket i counts pauses below 2^(i/4) us, so
  // memory stays fixed however many collections run (p99 is exact to ~19%).
  static constexpr int kPauseBuckets = 120;
  uint64_t pauseBuckets[kPauseBuckets] = {};
  void recordPause(double ms);
  double pausePercentileMs(double p) const;  // upper bound of the bucket
  uint64_t bytesAllocatedTotal = 0;          // every allocation ever made
  size_t liveBytes = 0;                      // after the last collection
  size_t peakBytes = 0;
};

struct HeapOptions {
  bool stress = false;                // collect before every allocation
  bool trace = false;                 // --gc-trace: one line per collection on stderr
  bool verify = false;                // --gc-verify: check heap invariants after each collection
  size_t initialThreshold = 1 << 20;  // first collection after this many bytes
  size_t maxBytes = 0;                // --max-heap: 0 = no limit
};

class Heap {
 public:
  explicit Heap(HeapOptions options = {});
  ~Heap();
  Heap(const Heap&) = delete;
  Heap& operator=(const Heap&) = delete;

  // Allocates a T (with `extraBytes` of trailing storage) and constructs it from
  // `args`. May collect before allocating: unrooted objects held by the caller
  // are not safe across this call.
  template <class T, class... Args>
  T* make(ObjKind kind, size_t extraBytes, Args&&... args) {
    void* memory = allocateRaw(sizeof(T) + extraBytes);
    T* object = new (memory) T(std::forward<Args>(args)...);
    object->kind = kind;
    object->gcBits = 0;
    object->spare = 0;
    object->hash = nextIdentityHash();
    object->next = objects_;
    objects_ = object;
    return object;
  }

  // The write barrier: call after every store of `stored` into `holder`. The
  // mark-sweep collector needs nothing here; the generational one records
  // old->young references. Keep every call site.
  void writeBarrier(Obj* holder, Value stored) {
    (void)holder;
    (void)stored;
  }

  // Accounts for memory owned by objects outside the heap (list items, map
  // tables, instance overflow slots) so that it paces collections too.
  void addExternalBytes(ptrdiff_t delta) { bytesAllocated_ += delta; }

  void collect();

  // The heap limit (HeapOptions::maxBytes). When a collection cannot bring the
  // heap under it, allocation still succeeds (so no C++ code sees a failure) but
  // outOfMemory() turns true; the interpreter checks it at calls and loop
  // back-edges and raises "Out of memory.", which unwinds the script.
  bool outOfMemory() const { return outOfMemory_; }
  void clearOutOfMemory() { outOfMemory_ = false; }
  // At a safe point after outOfMemory(): collects again (the script may have
  // dropped references since) and says whether the heap is still over the limit.
  bool confirmOutOfMemory() {
    outOfMemory_ = false;
    collect();
    return options_.maxBytes != 0 && bytesAllocated_ > options_.maxBytes;
  }

  // Root tracers are called at every collection to mark the roots they own.
  using RootTracer = std::function<void(Tracer&)>;
  void addRootTracer(RootTracer tracer) { rootTracers_.push_back(std::move(tracer)); }
  // Called after marking, before sweeping: drop weak references to unmarked objects.
  using WeakSweeper = std::function<void()>;
  void addWeakSweeper(WeakSweeper sweeper) { weakSweepers_.push_back(std::move(sweeper)); }

  // The handle stack (see gc/handles.h).
  std::vector<Value>& handles() { return handles_; }

  // For allocation-free sections (e.g. while the heap is being walked).
  bool isCollecting() const { return collecting_; }
  const HeapStats& stats() const { return stats_; }
  size_t bytesAllocated() const { return bytesAllocated_; }
  bool stressMode() const { return options_.stress; }

 private:
  void* allocateRaw(size_t size);
  uint32_t nextIdentityHash() {
    identitySeed_ = identitySeed_ * 1664525u + 1013904223u;
    return identitySeed_;
  }
  void markRoots(Tracer& tracer);
  void sweep();
  void verify();

  HeapOptions options_;
  mi_heap_t* space_ = nullptr;
  Obj* objects_ = nullptr;
  size_t bytesAllocated_ = 0;
  size_t nextCollection_;
  bool collecting_ = false;
  bool outOfMemory_ = false;
  uint32_t identitySeed_ = 0x9e3779b9u;
  std::vector<RootTracer> rootTracers_;
  std::vector<WeakSweeper> weakSweepers_;
  std::vector<Value> handles_;
  HeapStats stats_;
};

}  // namespace kiln
