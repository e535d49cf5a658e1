// The garbage-collected heap: allocation, roots, and collection.
//
// Generational (the default): small objects of the short-lived kinds (instances,
// lists, maps, closures, upvalues, bound methods) are bump-allocated in a young
// semispace and moved by a copying scavenge; survivors are promoted to the old
// space after `promotionAge` scavenges. Everything else (strings, functions,
// classes, shapes, natives: long-lived, and keys of address-keyed tables) is
// allocated old. The old space never moves: mimalloc memory on one intrusive list,
// collected by mark-sweep with an explicit gray stack (no C++ recursion). A full
// collection first evacuates the whole nursery into old space, then marks and
// sweeps. `HeapOptions::generational = false` selects the plain mark-sweep
// collector of the foundation (every object old), kept for comparison.
//
// Rules for users:
//   - allocate only through Heap::make<T>() (it may collect first, and a
//     collection may MOVE young objects);
//   - root every object you hold across an allocation (VM stack, Handle<T>) and
//     re-read it from the root afterwards;
//   - call writeBarrier(holder, value) after storing a reference into a heap
//     object: it records old objects that point into the nursery.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <new>
#include <type_traits>
#include <vector>

#include "vm/object.h"
#include "vm/value.h"

typedef struct mi_heap_s mi_heap_t;

namespace kiln {

// Visits root slots; collectors update them in place (young objects move).
class RootVisitor {
 public:
  virtual void value(Value* slot) = 0;
  virtual void visitObject(Obj** slot) = 0;
  template <class T>
  void object(T** slot) {
    visitObject(reinterpret_cast<Obj**>(slot));
  }

 protected:
  ~RootVisitor() = default;
};

// Marks objects during a full collection. traceObject() (vm/object.cpp) calls it
// for every reference an object holds; root tracers call it for every root.
class Tracer : public RootVisitor {
 public:
  void markValue(Value v) {
    if (v.isObj()) markObject(v.asObj());
  }
  // Inline, with the gray-stack growth out of line: this runs for every
  // reference of every live object in a full collection.
  void markObject(Obj* o) {
    // Verification runs on an unmarked heap, so it always gets past the first test.
    if (o == nullptr || (o->gcBits & kGcMarked)) return;
    if (verifying_ != nullptr) [[unlikely]]
      return checkReference(o);
    o->gcBits |= kGcMarked;
    if (grayTop_ == grayEnd_) [[unlikely]]
      growGray();
    *grayTop_++ = o;
  }
  void value(Value* slot) final { markValue(*slot); }
  void visitObject(Obj** slot) final { markObject(*slot); }

 private:
  friend class Heap;
  // The gray stack lives in `storage` (the heap's, kept between collections so
  // its capacity is reused).
  explicit Tracer(std::vector<Obj*>& storage)
      : storage_(storage), grayTop_(storage.data()), grayEnd_(storage.data() + storage.size()) {}
  bool grayEmpty() const { return grayTop_ == storage_.data(); }
  Obj* popGray() { return *--grayTop_; }
  [[gnu::noinline]] void growGray();
  void checkReference(Obj* o);

  std::vector<Obj*>& storage_;
  Obj** grayTop_;
  Obj** grayEnd_;
  // --gc-verify: every reference must point at an object of the heap, and an old
  // object that points into the nursery must be in the remembered set.
  const std::vector<Obj*>* verifying_ = nullptr;  // sorted heap objects
  Obj* verifyingObject_ = nullptr;                // whose fields are checked
  size_t verifyFailures_ = 0;
};

// Pause statistics of one kind of collection.
struct PauseStats {
  uint64_t count = 0;
  double totalMs = 0;
  double maxMs = 0;
  // Histogram for percentiles: bucket i counts pauses below 2^(i/8) us, so memory
  // stays fixed however many collections run (p99 is an upper bound, within 9%).
  static constexpr int kBucketsPerDoubling = 8;
  static constexpr int kBuckets = 30 * kBucketsPerDoubling;  // up to 2^30 us
  uint64_t buckets[kBuckets] = {};
  void record(double ms);
  double percentileMs(double p) const;  // upper bound of the bucket
};

struct HeapStats {
  PauseStats minor;                  // scavenges
  PauseStats major;                  // full collections
  uint64_t bytesAllocatedTotal = 0;  // every allocation ever made (young and old)
  uint64_t bytesPromoted = 0;        // copied from the nursery into old space
  uint64_t bytesPretenured = 0;      // young kinds allocated old while survival was high
  uint64_t memoryReturns = 0;        // full collections that gave freed memory back to the OS at once
  size_t liveBytes = 0;              // old space after the last full collection
  size_t peakBytes = 0;              // old space + nursery in use, at most
};

struct HeapOptions {
  bool stress = false;                // collect at every allocation (minor; major every 16th)
  bool trace = false;                 // --gc-trace: one line per collection on stderr
  bool verify = false;                // --gc-verify: check heap invariants after each collection
  bool generational = true;           // false: the foundation's mark-sweep only
  size_t youngBytes = 512 << 10;      // --young-size: each of the two semispaces
  int promotionAge = 2;               // scavenges survived before promotion
  size_t initialThreshold = 1 << 20;  // first full collection after this much old space
  size_t maxBytes = 0;                // --max-heap: 0 = no limit
};

// Object kinds that start in the nursery (small and usually short-lived).
constexpr bool isYoungKind(ObjKind kind) {
  return kind == ObjKind::Instance || kind == ObjKind::List || kind == ObjKind::Map ||
         kind == ObjKind::Closure || kind == ObjKind::Upvalue || kind == ObjKind::BoundMethod;
}
constexpr size_t kMaxYoungObjectBytes = 1024;  // bigger objects go to old space directly

class Heap {
 public:
  explicit Heap(HeapOptions options = {});
  ~Heap();
  Heap(const Heap&) = delete;
  Heap& operator=(const Heap&) = delete;

  // Allocates a T (with `extraBytes` of trailing storage) and constructs it from
  // `args`. May collect before allocating: unrooted objects held by the caller
  // are not safe across this call (young ones may move).
  //
  // Objects of trivially constructible kinds (instances, closures, upvalues,
  // lists, strings, ...) are not zeroed: their creators set every field. The
  // identity hash is assigned on first use (identityHash in vm/object.h).
  template <class T, class... Args>
  T* make(ObjKind kind, size_t extraBytes, Args&&... args) {
    size_t size = sizeof(T) + extraBytes;
    bool young = isYoungKind(kind) && size <= kMaxYoungObjectBytes;
    void* memory;
    size_t aligned = (size + 7) & ~size_t(7);
    // Compared as integers: both are null in the mark-sweep collector.
    if (young && uintptr_t(youngTop_) + aligned <= uintptr_t(youngLimit_)) {
      memory = youngTop_;  // the fast path: bump the pointer
      youngTop_ += aligned;
    } else {
      young = young && options_.generational;
      if (young && pretenureBytes_ > 0) {
        notePretenured(aligned);
        young = false;
      }
      memory = young ? allocateYoung(size) : allocateOld(size);
    }
    return construct<T>(memory, young, kind, std::forward<Args>(args)...);
  }
  // make() in the old space whatever the kind: for objects known to live
  // long (closures of global functions, see FunctionProto::tenureClosures),
  // which the young generation would only copy and promote.
  template <class T>
  T* makeOld(ObjKind kind, size_t extraBytes) {
    return construct<T>(allocateOld(sizeof(T) + extraBytes), false, kind);
  }

  static bool isYoung(const Obj* o) { return !(o->gcBits & kGcOld); }

  // After a scavenge that kept over half a semispace, this many semispaces' worth
  // of young kinds is allocated old directly (see pretenureBytes_). On
  // binary_trees, 4 instead of 1 cut the bytes promoted from 26 to 10 MB and the
  // scavenge time by half (docs/performance.md).
  static constexpr size_t kPretenureSemispaces = 4;

  // The write barrier: call after every store of `stored` into `holder`. Records
  // an old holder of a young object in the remembered set, which the scavenge
  // scans as roots. The holder is tested first: most stores go into young
  // objects (constructors fill fresh instances), and that test ends them.
  [[gnu::always_inline]] void writeBarrier(Obj* holder, Value stored) {
    if ((holder->gcBits & (kGcOld | kGcRemembered)) == kGcOld && stored.isObj())
      writeBarrier(holder, stored.asObj());
  }
  [[gnu::always_inline]] void writeBarrier(Obj* holder, Obj* stored) {
    if ((holder->gcBits & (kGcOld | kGcRemembered)) == kGcOld && stored != nullptr && isYoung(stored)) {
      holder->gcBits |= kGcRemembered;
      remembered_.push_back(holder);
    }
  }

  // The barrier's out-of-line half, for compiled code: its inline part tests
  // that `holder` is old and not yet remembered, then calls this.
  static void writeBarrierSlow(Heap* heap, Obj* holder, uint64_t storedBits) {
    heap->writeBarrier(holder, Value::fromBits(storedBits));
  }

  // The nursery's bump pointer and its limit, for allocation fast paths in
  // compiled code: an object of `n` bytes (a multiple of 8, at most
  // kMaxYoungObjectBytes) fits when top + n <= limit; it is then at top, and
  // top moves up by n. The header must be set as make() sets it.
  char** youngTopAddress() { return &youngTop_; }
  char** youngLimitAddress() { return &youngLimit_; }

  // Accounts for memory owned by objects outside the heap (list items, map
  // tables, instance overflow slots) so that it paces collections too.
  void addExternalBytes(ptrdiff_t delta) {
    bytesAllocated_ += delta;
    if (bytesAllocated_ > nextCollection_) youngLimit_ = nullptr;  // a full collection is due
  }
  // A young list or instance got its first malloc'd buffer: if it dies young,
  // the scavenge must free it.
  void noteYoungBuffer(Obj* owner) {
    if (isYoung(owner)) youngOwners_.push_back(owner);
  }

  void collect();  // a full collection
  // A scavenge of the nursery (a full collection without one); `promoteAll`
  // moves every survivor to old space, whatever its age.
  void collectMinor(bool promoteAll = false);

  // The heap limit (HeapOptions::maxBytes). When a collection cannot bring the
  // heap under it, allocation still succeeds (so no C++ code sees a failure) but
  // outOfMemory() turns true (and so does its bit in the safepoint word, see
  // setSafepointWord); both tiers poll that word at calls and loop back-edges
  // and raise "Out of memory.", which unwinds the script.
  bool outOfMemory() const { return outOfMemory_; }
  void clearOutOfMemory() { setOutOfMemory(false); }
  // The word the tiers poll at calls and back-edges (ExecutionState::
  // safepointRequests): the heap sets `bit` in it while outOfMemory() holds.
  void setSafepointWord(std::atomic<uint32_t>* word, uint32_t bit) {
    safepointWord_ = word;
    safepointBit_ = bit;
  }
  // At a safe point after outOfMemory(): collects again (the script may have
  // dropped references since) and says whether the heap is still over the limit.
  bool confirmOutOfMemory() {
    setOutOfMemory(false);
    collect();
    return options_.maxBytes != 0 && bytesAllocated_ > options_.maxBytes;
  }

  // Root tracers are called at every collection to visit the roots they own.
  using RootTracer = std::function<void(RootVisitor&)>;
  void addRootTracer(RootTracer tracer) { rootTracers_.push_back(std::move(tracer)); }
  // Called after marking, before sweeping: drop weak references to unmarked objects.
  using WeakSweeper = std::function<void()>;
  void addWeakSweeper(WeakSweeper sweeper) { weakSweepers_.push_back(std::move(sweeper)); }

  // The handle stack (see gc/handles.h).
  std::vector<Value>& handles() { return handles_; }

  const HeapStats& stats() {
    countYoungAllocations();
    return stats_;
  }
  // Old space plus external memory (what the heap limit and full collections see).
  size_t bytesAllocated() const { return bytesAllocated_; }
  size_t youngBytesInUse() const { return size_t(youngTop_ - youngStart_); }
  const HeapOptions& options() const { return options_; }

 private:
  friend class Scavenger;
  // Constructs the object in `memory` and sets its header, young or old.
  // Always inline: left to GCC, the interpreter's allocation paths got slower
  // (callgrind, -Xint: binary_trees +2.8%, fib +0.7%).
  template <class T, class... Args>
  [[gnu::always_inline]] T* construct(void* memory, bool young, ObjKind kind, Args&&... args) {
    T* object;
    if constexpr (std::is_trivially_default_constructible_v<T> && sizeof...(Args) == 0) {
      object = static_cast<T*>(memory);
    } else {
      object = new (memory) T(std::forward<Args>(args)...);
    }
    object->kind = kind;
    object->aux = 0;
    object->hash = 0;
    if (young) {
      object->gcBits = 0;
      object->next = nullptr;
      if (kind == ObjKind::Map) youngOwners_.push_back(object);  // lists, instances: noteYoungBuffer
    } else {
      object->gcBits = kGcOld;
      object->next = objects_;
      objects_ = object;
      oldObjects_++;
    }
    return object;
  }

  void* allocateOld(size_t size);
  // Old-space memory for an object the scavenger promotes: no collection
  // checks (one is running); the caller notes the peak once at the end.
  void* allocatePromoted(size_t size);
  void* allocateYoung(size_t size);
  // A young kind allocated old while pretenuring: counts down the budget.
  void notePretenured(size_t bytes);
  // Young allocations are counted in bulk (the fast path does not count):
  // what was bumped since the last call.
  void countYoungAllocations() {
    stats_.bytesAllocatedTotal += uint64_t(youngTop_ - youngCounted_);
    youngCounted_ = youngTop_;
  }
  // mi_usable_size(memory) for a block allocated with `requested` bytes, cached
  // per size for small blocks (it costs ~30 instructions; every old allocation
  // and every sweep of a dead object needs it).
  size_t usableSize(void* memory, size_t requested);
  void visitRoots(RootVisitor& visitor);
  bool scavenge(bool promoteAll);  // returns whether it promoted every survivor
  void markAndSweep();
  void sweep();
  // Whether the sweep about to run should hand freed memory back to the OS at
  // once (see markAndSweep), from how many old objects marking found alive.
  bool shouldReturnMemory(size_t markedObjects, size_t heapBytes) const;
  void verify();
  void notePeak();
  void checkLimit(size_t upcoming);

  HeapOptions options_;
  mi_heap_t* space_ = nullptr;
  Obj* objects_ = nullptr;  // every old object
  size_t oldObjects_ = 0;   // how many
  size_t bytesAllocated_ = 0;
  size_t nextCollection_;
  bool collecting_ = false;
  bool outOfMemory_ = false;
  std::atomic<uint32_t>* safepointWord_ = nullptr;
  uint32_t safepointBit_ = 0;
  void setOutOfMemory(bool value) {
    outOfMemory_ = value;
    if (safepointWord_ == nullptr) return;
    if (value) {
      safepointWord_->fetch_or(safepointBit_, std::memory_order_relaxed);
    } else {
      safepointWord_->fetch_and(~safepointBit_, std::memory_order_relaxed);
    }
  }
  uint64_t allocationCount_ = 0;

  // The nursery: two semispaces; allocation bumps youngTop_ in [youngStart_, youngEnd_).
  char* semispaces_[2] = {nullptr, nullptr};
  int activeSpace_ = 0;
  char* youngStart_ = nullptr;
  char* youngTop_ = nullptr;
  char* youngEnd_ = nullptr;
  // The fast path allocates below this: youngEnd_, or null when every young
  // allocation must take the slow path (stress mode, the mark-sweep collector,
  // or a full collection due). Kept right by updateYoungLimit().
  char* youngLimit_ = nullptr;
  char* youngCounted_ = nullptr;  // youngTop_ when young allocations were last counted
  bool highSurvival_ = false;     // the last scavenge kept over half a semispace's worth
  // Pretenuring: after a scavenge that kept most of the nursery, the program is
  // building long-lived data, and copying it once more is pure cost. The next
  // `pretenureBytes_` of young kinds are allocated old (as the mark-sweep
  // collector would); a scavenge that keeps little ends it early.
  size_t pretenureBytes_ = 0;
  void updateYoungLimit() {
    bool fast = options_.generational && !options_.stress && bytesAllocated_ <= nextCollection_ &&
                pretenureBytes_ == 0;
    youngLimit_ = fast ? youngEnd_ : nullptr;
  }
  std::vector<Obj*> grayStorage_;  // the marking stack (see Tracer)
  std::vector<Obj*> remembered_;   // old objects that may point into the nursery
  std::vector<Obj*> youngOwners_;  // young objects owning malloc'd buffers

  std::vector<RootTracer> rootTracers_;
  std::vector<WeakSweeper> weakSweepers_;
  std::vector<Value> handles_;
  HeapStats stats_;
  size_t usableSizes_[kMaxYoungObjectBytes / 8 + 1] = {};  // for usableSize(), by word count
};

}  // namespace kiln
