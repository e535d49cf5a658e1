// The generational collector behind gc/heap.h: a copying scavenge of the young
// semispace (Cheney's algorithm: the to-space is its own work queue; promoted
// objects get a worklist of their own), and mark-sweep of the old space.
#include "gc/heap.h"

#include <mimalloc.h>
#include <sys/mman.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "vm/limits.h"
#include "vm/object_visit.h"

namespace kiln {

namespace {

constexpr size_t align8(size_t n) { return (n + 7) & ~size_t(7); }

// Young objects are small and `size` is a multiple of 8: a word loop is cheaper
// than a call to memcpy.
void copyObject(Obj* to, const Obj* from, size_t size) {
  auto* d = reinterpret_cast<uint64_t*>(to);
  auto* s = reinterpret_cast<const uint64_t*>(from);
  for (size_t i = 0, n = size / 8; i < n; i++) d[i] = s[i];
}

int ageOf(const Obj* o) { return (o->gcBits >> kGcAgeShift) & 3; }
void setAge(Obj* o, int age) {
  o->gcBits = uint8_t((o->gcBits & ~(3 << kGcAgeShift)) | (std::min(age, 3) << kGcAgeShift));
}

double elapsedMs(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

// -- Scavenger --------------------------------------------------------------------

// Copies live young objects out of the from-space, updating every slot it is
// shown. `holder` is the object whose slots are being visited (null for roots):
// an old holder left pointing at a young object is remembered again.
class Scavenger final : public RootVisitor {
 public:
  Scavenger(Heap& heap, char* toStart, char* toEnd, bool promoteAll)
      : heap_(heap), toStart_(toStart), toTop_(toStart), toEnd_(toEnd), promoteAll_(promoteAll) {}

  void value(Value* slot) override {
    if (slot->isObj() && Heap::isYoung(slot->asObj())) *slot = Value::object(forward(slot->asObj()));
  }
  void visitObject(Obj** slot) override {
    if (*slot != nullptr && Heap::isYoung(*slot)) *slot = forward(*slot);
  }
  template <class T>
  void object(T** slot) {
    visitObject(reinterpret_cast<Obj**>(slot));
  }

  // Visits the slots of `holder`, an old object (from the remembered set, or just
  // promoted while some survivors stay young), and remembers it again if it still
  // points into the nursery...
  void scanRemembering(Obj* holder) {
    ObjectVisitor<true> visitor{*this, holder};
    visitReferences(holder, visitor);
  }
  // ...or one that never needs remembering: a copied young object, or any object
  // when every survivor is promoted (nothing stays young).
  void scanWithoutRemembering(Obj* holder) {
    ObjectVisitor<false> visitor{*this, holder};
    visitReferences(holder, visitor);
  }

  // Scans copied and promoted objects until no new ones appear.
  void drain() {
    char* scan = toStart_;
    while (scan < toTop_ || !promoted_.empty()) {
      while (scan < toTop_) {
        Obj* o = reinterpret_cast<Obj*>(scan);
        scan += align8(objectSize(o));
        scanWithoutRemembering(o);
      }
      while (!promoted_.empty()) {
        Obj* o = promoted_.back();
        promoted_.pop_back();
        if (promoteAll_) {
          scanWithoutRemembering(o);
        } else {
          scanRemembering(o);
        }
      }
    }
  }

  char* toTop() const { return toTop_; }
  uint64_t bytesPromoted() const { return bytesPromoted_; }

 private:
  // Slot visitor for one holder: forwards, then re-remembers old holders.
  template <bool kOldHolder>
  struct ObjectVisitor {
    Scavenger& scavenger;
    Obj* holder;
    void value(Value* slot) {
      scavenger.value(slot);
      if constexpr (kOldHolder) scavenger.heap_.writeBarrier(holder, *slot);
    }
    template <class T>
    void object(T** slot) {
      scavenger.visitObject(reinterpret_cast<Obj**>(slot));
      if constexpr (kOldHolder) scavenger.heap_.writeBarrier(holder, *slot);
    }
  };

  bool inToSpace(const Obj* o) const {
    auto* p = reinterpret_cast<const char*>(o);
    return p >= toStart_ && p < toEnd_;
  }

  Obj* forward(Obj* o) {
    if (inToSpace(o)) return o;  // already copied (a slot seen twice)
    if (o->gcBits & kGcForwarded) return o->next;
    size_t size = align8(objectSize(o));
    int age = ageOf(o) + 1;
    Obj* copy;
    if (promoteAll_ || age >= heap_.options_.promotionAge) {
      copy = static_cast<Obj*>(heap_.allocatePromoted(size));
      copyObject(copy, o, size);
      copy->gcBits = kGcOld;
      copy->next = heap_.objects_;
      heap_.objects_ = copy;
      heap_.oldObjects_++;
      promoted_.push_back(copy);
      bytesPromoted_ += size;
    } else {
      copy = reinterpret_cast<Obj*>(toTop_);
      toTop_ += size;
      copyObject(copy, o, size);
      setAge(copy, age);
    }
    relocateInteriorPointers(o, copy);
    o->gcBits |= kGcForwarded;
    o->next = copy;
    return copy;
  }

  Heap& heap_;
  char* toStart_;
  char* toTop_;
  char* toEnd_;
  bool promoteAll_;
  std::vector<Obj*> promoted_;
  uint64_t bytesPromoted_ = 0;
};

// -- Heap ---------------------------------------------------------------------------

static char* mapSemispace(size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) fatalOutOfMemory();
  return static_cast<char*>(p);
}

Heap::Heap(HeapOptions options)
    : options_(options), space_(mi_heap_new()), nextCollection_(options.initialThreshold) {
  if (options_.maxBytes != 0 && nextCollection_ > options_.maxBytes) nextCollection_ = options_.maxBytes;
  if (options_.generational) {
    options_.youngBytes = align8(std::max<size_t>(options_.youngBytes, 64 << 10));
    semispaces_[0] = mapSemispace(options_.youngBytes);
    semispaces_[1] = mapSemispace(options_.youngBytes);
    youngStart_ = youngTop_ = semispaces_[0];
    youngEnd_ = youngStart_ + options_.youngBytes;
    youngCounted_ = youngTop_;
  }
  updateYoungLimit();
}

Heap::~Heap() {
  for (Obj* o : youngOwners_) {
    if (!(o->gcBits & kGcForwarded)) destroyObject(o);
  }
  for (Obj* o = objects_; o != nullptr;) {
    Obj* next = o->next;
    destroyObject(o);
    o = next;
  }
  mi_heap_destroy(space_);
  for (char* s : semispaces_) {
    if (s != nullptr) munmap(s, options_.youngBytes);
  }
}

void Heap::notePeak() {
  size_t inUse = bytesAllocated_ + youngBytesInUse();
  if (inUse > stats_.peakBytes) stats_.peakBytes = inUse;
}

void Heap::checkLimit(size_t upcoming) {
  if (options_.maxBytes != 0 && bytesAllocated_ + upcoming > options_.maxBytes) setOutOfMemory(true);
}

void* Heap::allocateOld(size_t size) {
  if (!collecting_) {
    if (options_.stress && !options_.generational) {
      collect();
    } else if (options_.stress && ++allocationCount_ % 16 == 0) {
      collect();
    } else if (options_.stress) {
      collectMinor();
    }
    if (bytesAllocated_ + size > nextCollection_) {
      collect();
      checkLimit(size);
    }
  }
  void* memory = mi_heap_malloc(space_, size);
  if (memory == nullptr) fatalOutOfMemory();
  size = usableSize(memory, size);
  bytesAllocated_ += size;
  stats_.bytesAllocatedTotal += size;
  notePeak();
  updateYoungLimit();
  return memory;
}

static_assert(kMaxYoungObjectBytes <= MI_SMALL_SIZE_MAX, "promoted objects use mimalloc's small path");

size_t Heap::usableSize(void* memory, size_t requested) {
  if (requested > kMaxYoungObjectBytes) return mi_usable_size(memory);
  // mimalloc serves every small request of the same word count from the same size
  // class, so the first answer for a size holds for all later ones.
  size_t& cached = usableSizes_[(requested + 7) / 8];
  if (cached == 0) cached = mi_usable_size(memory);
  return cached;
}

void* Heap::allocatePromoted(size_t size) {
  void* memory = mi_heap_malloc_small(space_, size);  // young objects are small
  if (memory == nullptr) fatalOutOfMemory();
  size = usableSize(memory, size);  // what the sweep will subtract
  bytesAllocated_ += size;
  stats_.bytesAllocatedTotal += size;
  return memory;
}

void Heap::notePretenured(size_t bytes) {
  pretenureBytes_ -= std::min(bytes, pretenureBytes_);  // at zero, allocateOld restores the bump path
  stats_.bytesPretenured += bytes;
}

void* Heap::allocateYoung(size_t size) {
  size = align8(size);
  if (options_.stress) {
    if (++allocationCount_ % 16 == 0) {
      collect();
    } else {
      collectMinor();
    }
  }
  if (youngTop_ + size > youngEnd_) {
    collectMinor();
    // Survivors fill the nursery: they are long-lived, so move them all to old
    // space. (A full collection here would mark the whole old space once per
    // nursery of live data: quadratic when a script builds a big structure.)
    if (youngTop_ + size > youngEnd_) collectMinor(true);
  } else if (bytesAllocated_ > nextCollection_ && !collecting_) {
    // Old space grew without old allocations (buffers of lists and maps grow
    // by realloc): a full collection is due.
    collect();
    checkLimit(size);
  }
  void* memory = youngTop_;
  youngTop_ += size;
  updateYoungLimit();
  return memory;
}

void Heap::visitRoots(RootVisitor& visitor) {
  for (Value& v : handles_) visitor.value(&v);
  for (auto& trace : rootTracers_) trace(visitor);
}

void Heap::collectMinor(bool promoteAll) {
  if (!options_.generational) return collect();
  if (collecting_) return;
  collecting_ = true;
  auto start = std::chrono::steady_clock::now();
  size_t youngBefore = youngBytesInUse();
  promoteAll = scavenge(promoteAll);
  double ms = elapsedMs(start);
  stats_.minor.record(ms);
  if (options_.trace) {
    std::fprintf(stderr, "[gc] minor #%llu%s: %.3f ms, young %.1f KB -> %.1f KB, old %.1f KB%s\n",
                 static_cast<unsigned long long>(stats_.minor.count), promoteAll ? " (promote all)" : "", ms,
                 youngBefore / 1024.0, youngBytesInUse() / 1024.0, bytesAllocated_ / 1024.0,
                 pretenureBytes_ > 0 ? ", pretenuring" : "");
  }
  if (options_.verify) verify();
  collecting_ = false;
  // Promotion grew the old space: a full collection may be due.
  if (bytesAllocated_ > nextCollection_) {
    collect();
    checkLimit(0);
  }
}

bool Heap::scavenge(bool promoteAll) {
  countYoungAllocations();
  int target = 1 - activeSpace_;
  char* toStart = semispaces_[target];
  // Most of the last nursery survived: the program is building long-lived data,
  // so promote at once instead of copying everything once more first.
  promoteAll = promoteAll || highSurvival_;
  Scavenger scavenger(*this, toStart, toStart + options_.youngBytes, promoteAll);

  visitRoots(scavenger);
  // Old objects that pointed into the nursery: their slots are roots too. They
  // are remembered again (by the visitor) if they still do afterwards.
  std::vector<Obj*> remembered;
  remembered.swap(remembered_);
  for (Obj* o : remembered) o->gcBits &= ~kGcRemembered;
  for (Obj* o : remembered) scavenger.scanRemembering(o);
  scavenger.drain();

  // Young objects that own malloc'd buffers: the dead ones free them now.
  size_t kept = 0;
  for (Obj* o : youngOwners_) {
    if (o->gcBits & kGcForwarded) {
      Obj* moved = o->next;
      if (isYoung(moved)) youngOwners_[kept++] = moved;  // promoted ones are swept as old
    } else {
      size_t external = destroyObject(o);
      bytesAllocated_ -= std::min(external, bytesAllocated_);
    }
  }
  youngOwners_.resize(kept);

  stats_.bytesPromoted += scavenger.bytesPromoted();
  size_t survived = size_t(scavenger.toTop() - toStart) + scavenger.bytesPromoted();
  highSurvival_ = survived * 2 > options_.youngBytes;
  pretenureBytes_ = highSurvival_ ? options_.youngBytes * kPretenureSemispaces : 0;
  activeSpace_ = target;
  youngStart_ = toStart;
  youngTop_ = scavenger.toTop();
  youngEnd_ = toStart + options_.youngBytes;
  youngCounted_ = youngTop_;
  notePeak();
  updateYoungLimit();
  return promoteAll;
}

void Heap::collect() {
  if (collecting_) return;
  collecting_ = true;
  auto start = std::chrono::steady_clock::now();
  size_t before = bytesAllocated_ + youngBytesInUse();

  if (options_.generational) scavenge(true);  // the nursery is now empty
  uint64_t returnsBefore = stats_.memoryReturns;
  markAndSweep();

  double ms = elapsedMs(start);
  stats_.major.record(ms);
  if (options_.trace) {
    std::fprintf(stderr, "[gc] full #%llu: %.3f ms, %.1f KB -> %.1f KB, next at %.1f KB%s\n",
                 static_cast<unsigned long long>(stats_.major.count), ms, before / 1024.0,
                 bytesAllocated_ / 1024.0, nextCollection_ / 1024.0,
                 stats_.memoryReturns != returnsBefore ? ", memory returned" : "");
  }
  if (options_.verify) verify();
  collecting_ = false;
}

void Heap::markAndSweep() {
  Tracer tracer(grayStorage_);
  visitRoots(tracer);
  size_t marked = 0;
  while (!tracer.grayEmpty()) {
    traceObject(tracer.popGray(), tracer);
    marked++;
  }
  // Keep a small stack for the next collection, not one a huge list made big.
  constexpr size_t kKeptGrayEntries = size_t(64) << 10;
  if (grayStorage_.size() > kKeptGrayEntries) std::vector<Obj*>().swap(grayStorage_);
  for (auto& sweepWeak : weakSweepers_) sweepWeak();
  size_t before = bytesAllocated_;
  if (shouldReturnMemory(marked, before)) {
    // mimalloc hands an emptied page back to the OS only after its decommit
    // delay, and only when it allocates again; young allocations never reach
    // it. With the delay at 0 while sweeping, every page the sweep empties is
    // decommitted on the spot; the collects then release emptied pages that
    // mimalloc still kept for reuse (ours and the malloc'd buffers').
    long delay = mi_option_get(mi_option_decommit_delay);
    mi_option_set(mi_option_decommit_delay, 0);
    sweep();
    mi_heap_collect(space_, true);
    mi_collect(true);
    mi_option_set(mi_option_decommit_delay, delay);
    stats_.memoryReturns++;
  } else {
    sweep();
  }

  stats_.liveBytes = bytesAllocated_;
  // Grow the next threshold with the live size, so collection cost stays
  // proportional to allocation.
  size_t minimum = options_.initialThreshold;
  nextCollection_ = bytesAllocated_ * 2 > minimum ? bytesAllocated_ * 2 : minimum;
  if (options_.maxBytes != 0 && nextCollection_ > options_.maxBytes) nextCollection_ = options_.maxBytes;
  updateYoungLimit();
}

// Returning memory costs a system call per emptied page now and a page fault
// per page when the heap grows again, so it is worth it only when the program
// has dropped most of its data: under a quarter of the old objects are alive,
// and the heap is big enough for the memory to matter. A heap in its usual
// cycle (growing to twice its live size, then collected back) keeps its pages
// for the next cycle; mimalloc still returns pages that stay unused.
bool Heap::shouldReturnMemory(size_t markedObjects, size_t heapBytes) const {
  constexpr size_t kMinBytesToReturn = size_t(8) << 20;
  return !options_.stress && heapBytes >= kMinBytesToReturn && markedObjects * 4 < oldObjects_;
}

void Heap::sweep() {
  Obj** link = &objects_;
  while (Obj* o = *link) {
    if (o->gcBits & kGcMarked) {
      o->gcBits &= ~kGcMarked;
      link = &o->next;
    } else {
      *link = o->next;
      // Young kinds' sizes are exact (the scavenger copies by them); others ask mimalloc.
      size_t size = isYoungKind(o->kind) ? usableSize(o, objectSize(o)) : mi_usable_size(o);
      size += destroyObject(o);
      mi_free(o);
      oldObjects_--;
      bytesAllocated_ -= size < bytesAllocated_ ? size : bytesAllocated_;
    }
  }
  // The nursery is empty after a full collection: nothing is remembered.
  for (Obj* o : remembered_) o->gcBits &= ~kGcRemembered;
  remembered_.clear();
}

// -- Statistics -----------------------------------------------------------------------

static double bucketLimitMs(int bucket) {
  return std::exp2(double(bucket) / PauseStats::kBucketsPerDoubling) / 1000.0;
}

void PauseStats::record(double ms) {
  count++;
  totalMs += ms;
  if (ms > maxMs) maxMs = ms;
  int bucket = 0;
  while (bucket < kBuckets - 1 && ms >= bucketLimitMs(bucket)) bucket++;
  buckets[bucket]++;
}

double PauseStats::percentileMs(double p) const {
  if (count == 0) return 0;
  uint64_t wanted = uint64_t(std::ceil(p / 100.0 * double(count)));
  uint64_t seen = 0;
  for (int i = 0; i < kBuckets; i++) {
    seen += buckets[i];
    if (seen >= wanted && seen > 0) return std::min(bucketLimitMs(i), maxMs);
  }
  return maxMs;
}

// -- Verification -----------------------------------------------------------------------

void Tracer::growGray() {
  size_t used = size_t(grayTop_ - storage_.data());
  storage_.resize(std::max<size_t>(storage_.size() * 2, 1024));
  grayTop_ = storage_.data() + used;
  grayEnd_ = storage_.data() + storage_.size();
}

void Tracer::checkReference(Obj* o) {
  if (!std::binary_search(verifying_->begin(), verifying_->end(), o)) {
    verifyFailures_++;
    std::fprintf(stderr,
                 "kiln: gc-verify: object %p (kind %d) refers to %p, which is not a live heap object\n",
                 static_cast<void*>(verifyingObject_), verifyingObject_ ? int(verifyingObject_->kind) : -1,
                 static_cast<void*>(o));
    return;
  }
  if (verifyingObject_ != nullptr && !Heap::isYoung(verifyingObject_) && Heap::isYoung(o) &&
      !(verifyingObject_->gcBits & kGcRemembered)) {
    verifyFailures_++;
    std::fprintf(stderr,
                 "kiln: gc-verify: old object %p (kind %d) points into the nursery but is not remembered\n",
                 static_cast<void*>(verifyingObject_), int(verifyingObject_->kind));
  }
}

// --gc-verify: after a collection, every object must be unmarked, unforwarded and
// of a known kind; every reference from a root or an object must point at a live
// object (never into the from-space); every old object pointing into the nursery
// must be remembered. Aborts the process on a violation: it is a collector bug.
void Heap::verify() {
  std::vector<Obj*> objects;
  auto inNursery = [&](const void* p) {
    auto* c = static_cast<const char*>(p);
    for (char* space : semispaces_) {
      if (space != nullptr && c >= space && c < space + options_.youngBytes) return true;
    }
    return false;
  };
  auto check = [&](Obj* o) {
    if (o->gcBits & (kGcMarked | kGcForwarded) || uint8_t(o->kind) > uint8_t(ObjKind::Shape)) {
      std::fprintf(stderr, "kiln: gc-verify: corrupt header at %p\n", static_cast<void*>(o));
      std::abort();
    }
    // Slot storage is inside the object itself or malloc'd, never elsewhere in
    // the nursery (a moved small list must point at its own inline items).
    bool strayItems = o->kind == ObjKind::List && !static_cast<List*>(o)->itemsInline() &&
                      inNursery(static_cast<List*>(o)->items);
    bool strayOverflow = o->kind == ObjKind::Instance && inNursery(static_cast<Instance*>(o)->overflow);
    if (strayItems || strayOverflow) {
      std::fprintf(stderr, "kiln: gc-verify: slots of %p point into the nursery\n", static_cast<void*>(o));
      std::abort();
    }
    objects.push_back(o);
  };
  for (Obj* o = objects_; o != nullptr; o = o->next) check(o);
  for (char* p = youngStart_; p < youngTop_; p += align8(objectSize(reinterpret_cast<Obj*>(p)))) {
    check(reinterpret_cast<Obj*>(p));
  }
  std::sort(objects.begin(), objects.end());
  std::vector<Obj*> unused;  // verification marks nothing
  Tracer checker(unused);
  checker.verifying_ = &objects;
  visitRoots(checker);
  for (Obj* o : objects) {
    checker.verifyingObject_ = o;
    traceObject(o, checker);
  }
  if (checker.verifyFailures_ > 0) {
    std::fprintf(stderr, "kiln: gc-verify: %zu bad references\n", checker.verifyFailures_);
    std::abort();
  }
}

}  // namespace kiln
