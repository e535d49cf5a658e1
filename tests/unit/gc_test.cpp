// Unit tests for the collector (gc/heap.h): reachability, handles, weak interned
// strings, deep structures without recursion, external-memory pacing.
#include <gtest/gtest.h>

#include <string>

#include "gc/handles.h"
#include "vm/vm.h"

namespace kiln {
namespace {

// The mark-sweep collector (every object old), kept selectable for comparison.
VMOptions markSweep() {
  VMOptions options;
  options.heap.generational = false;
  return options;
}

TEST(Gc, UnreachableObjectsAreFreed) {
  VM vm(markSweep());
  vm.heap().collect();
  size_t baseline = vm.heap().bytesAllocated();
  for (int i = 0; i < 1000; i++) vm.newList(16);
  EXPECT_GT(vm.heap().bytesAllocated(), baseline);
  vm.heap().collect();
  EXPECT_EQ(vm.heap().bytesAllocated(), baseline);
}

TEST(Gc, SmallListsWithInlineItemsAreFreedWhole) {
  VM vm(markSweep());
  vm.heap().collect();
  size_t baseline = vm.heap().bytesAllocated();
  for (int i = 0; i < 1000; i++) {
    List* list = vm.newList(4);
    EXPECT_TRUE(list->itemsInline());
    for (int j = 0; j < 6; j++) vm.listPush(list, Value::number(j));  // the last two move it out
  }
  vm.heap().collect();
  EXPECT_EQ(vm.heap().bytesAllocated(), baseline);
}

// Old-space accounting adds a block's usable size at allocation and subtracts it
// at the sweep (cached per size class for small blocks): every kind, in every
// size, must come back to the baseline. Run in both collectors (the generational
// one promotes everything at a full collection, then sweeps it).
void allocateOneOfEachSize(VM& vm) {
  HandleScope scope(vm.heap());
  Handle<String> name = scope.make(vm.intern("K"));
  Handle<FunctionProto> proto = scope.make(vm.newProto());
  for (uint32_t slots = 0; slots <= kMaxInlineSlots; slots += 3) {
    Handle<Class> klass = scope.make(vm.newClass(name.get(), slots));
    Instance* instance = vm.newInstance(klass.get());
    vm.newBoundMethod(Value::object(instance), klass.get());
  }
  for (uint32_t n = 0; n <= kMaxInlineListItems; n++) vm.newList(n);
  for (int n = 0; n < 40; n += 7) {
    proto->upvalues.resize(size_t(n));
    vm.newClosure(proto.get());
  }
  Value slot = Value::nil();
  vm.newUpvalue(&slot);
  vm.newMap(4);
  for (int length = 0; length < 200; length += 13) vm.intern(std::string(size_t(length), 'x') + "!");
}

TEST(Gc, AccountingReturnsToTheBaselineForEveryKindAndSize) {
  for (bool generational : {false, true}) {
    VMOptions options;
    options.heap.generational = generational;
    VM vm(options);
    // Live data under the baseline: an undercount at the sweep cannot hide at zero.
    HandleScope scope(vm.heap());
    scope.make(vm.intern(std::string(100000, 'k')));
    vm.heap().collect();
    size_t baseline = vm.heap().bytesAllocated();
    ASSERT_GT(baseline, 100000u);
    allocateOneOfEachSize(vm);
    vm.heap().collect();  // promotes what is young, keeps nothing
    EXPECT_EQ(vm.heap().bytesAllocated(), baseline) << (generational ? "generational" : "mark-sweep");
    EXPECT_EQ(vm.intern(std::string(100000, 'k'))->length, 100000u);  // the live string stayed
  }
}

TEST(Gc, HandlesKeepObjectsAliveAndScopesReleaseThem) {
  VM vm(markSweep());
  vm.heap().collect();
  size_t baseline = vm.heap().bytesAllocated();
  {
    HandleScope scope(vm.heap());
    Handle<List> list = scope.make(vm.newList());
    vm.listPush(list.get(), Value::number(42));
    vm.heap().collect();
    ASSERT_EQ(list->count, 1u);
    EXPECT_EQ(list->items[0].asNumber(), 42);
    EXPECT_GT(vm.heap().bytesAllocated(), baseline);
  }
  vm.heap().collect();
  EXPECT_EQ(vm.heap().bytesAllocated(), baseline);
}

TEST(Gc, InternedStringsAreWeak) {
  VM vm;
  uint32_t before;
  {
    HandleScope scope(vm.heap());
    Handle<String> s = scope.make(vm.intern("only-here"));
    EXPECT_EQ(vm.intern("only-here"), s.get());  // interning finds the same object
    before = s->hash;
  }
  vm.heap().collect();
  vm.heap().collect();
  size_t afterCollect = vm.heap().bytesAllocated();
  String* again = vm.intern("only-here");  // a fresh string: the old one was dropped
  EXPECT_EQ(again->hash, before);          // same content hash
  EXPECT_GT(vm.heap().bytesAllocated(), afterCollect);
}

TEST(Gc, ObjectsReachableThroughGlobalsSurvive) {
  VM vm;
  vm.defineGlobal("g", Value::object(vm.newList()));
  HandleScope scope(vm.heap());
  Handle<String> name = scope.make(vm.intern("g"));
  Value v = vm.global(vm.globalIndex(name.get())).value;
  ASSERT_TRUE(isList(v));
  vm.listPush(as<List>(v), Value::object(vm.intern("kept")));
  vm.heap().collect();
  v = vm.global(vm.globalIndex(name.get())).value;
  ASSERT_EQ(as<List>(v)->count, 1u);
  EXPECT_EQ(as<String>(as<List>(v)->items[0])->view(), "kept");
}

TEST(Gc, DeepChainIsMarkedWithoutRecursion) {
  VM vm;
  HandleScope scope(vm.heap());
  Handle<List> head = scope.make(vm.newList());
  ValueHandle tail = scope.makeValue(Value::object(head.get()));
  // A million nested one-element lists: marking recursively would overflow.
  for (int i = 0; i < 1000000; i++) {
    List* next = vm.newList(1);
    vm.listPush(as<List>(tail.get()), Value::object(next));
    tail.set(Value::object(next));
  }
  vm.heap().collect();
  int depth = 0;
  for (List* l = head.get(); l->count == 1; l = as<List>(l->items[0])) depth++;
  EXPECT_EQ(depth, 1000000);
}

// A wide structure fills the gray stack (every element is gray at once), so it
// grows several times during one collection; past 64K entries the heap releases
// it afterwards, and the next collection grows it again.
// Each element holds another list: an element lost from the gray stack would
// leave its inner list unmarked, and the collection would free it.
TEST(Gc, WideStructureIsMarkedWhole) {
  VM vm(markSweep());
  vm.heap().collect();
  size_t baseline = vm.heap().bytesAllocated();
  {
    HandleScope scope(vm.heap());
    Handle<List> wide = scope.make(vm.newList());
    constexpr int kItems = 100000;  // over the 64K entries the heap keeps: released and regrown
    for (int i = 0; i < kItems; i++) {
      HandleScope iteration(vm.heap());  // only `wide` stays rooted
      Handle<List> inner = iteration.make(vm.newList(1));
      vm.listPush(inner.get(), Value::number(i));
      List* item = vm.newList(1);
      vm.listPush(item, Value::object(inner.get()));
      vm.listPush(wide.get(), Value::object(item));
    }
    for (int round = 0; round < 2; round++) {
      size_t before = vm.heap().bytesAllocated();
      vm.heap().collect();
      EXPECT_EQ(vm.heap().bytesAllocated(), before) << "a live object was freed";
      double sum = 0;
      for (uint32_t i = 0; i < wide->count; i++) {
        sum += as<List>(as<List>(wide->items[i])->items[0])->items[0].asNumber();
      }
      EXPECT_EQ(sum, double(kItems) * (kItems - 1) / 2);
    }
  }
  vm.heap().collect();
  EXPECT_EQ(vm.heap().bytesAllocated(), baseline);
}

TEST(Gc, StressModeCollectsAtEveryAllocation) {
  VMOptions options;
  options.heap.stress = true;
  VM vm(options);
  const HeapStats& stats = vm.heap().stats();
  uint64_t before = stats.minor.count + stats.major.count;
  for (int i = 0; i < 32; i++) vm.newList();
  EXPECT_GE(stats.minor.count + stats.major.count, before + 32);
  EXPECT_GE(stats.major.count, 2u);  // a full collection every 16th allocation
}

TEST(Gc, ExternalMemoryPacesCollections) {
  VM vm(markSweep());
  uint64_t before = vm.heap().stats().major.count;
  // Garbage lists with large item buffers: the buffers must count.
  for (int i = 0; i < 200; i++) vm.newList(100000);
  EXPECT_GT(vm.heap().stats().major.count, before);
}

}  // namespace
}  // namespace kiln

namespace kiln {
namespace {

// In the generational heap the same pacing must reach young allocation, whose
// fast path only compares against a limit: buffers growing past the threshold
// (with no old allocation at all) have to send it to the slow path, which runs
// the due full collection long before the nursery fills.
TEST(Generational, ExternalMemoryPacesCollectionsOfYoungOwners) {
  VMOptions options;
  options.heap.generational = true;
  VM vm(options);
  HandleScope scope(vm.heap());
  Handle<List> keep = scope.make(vm.newList());
  vm.listReserve(keep.get(), 200000);  // 1.6 MB of buffer owned by a young list
  uint64_t before = vm.heap().stats().major.count;
  for (int i = 0; i < 100; i++) vm.newList();  // 3 KB of young objects: nursery far from full
  EXPECT_GT(vm.heap().stats().major.count, before);
  EXPECT_EQ(vm.heap().stats().minor.count, 0u);  // the nursery never filled
}

TEST(GcStats, PausePercentilesComeFromTheHistogram) {
  PauseStats stats;
  for (int i = 0; i < 99; i++) stats.record(0.010);
  stats.record(50.0);
  EXPECT_EQ(stats.count, 100u);
  EXPECT_EQ(stats.maxMs, 50.0);
  EXPECT_LT(stats.percentileMs(99), 0.02);  // 99 of 100 pauses are 10 us
  EXPECT_GE(stats.percentileMs(99), 0.010);
  EXPECT_EQ(stats.percentileMs(100), 50.0);
}

TEST(GcStats, PercentilesOverstateByAtMostNinePercent) {
  for (double ms : {0.05, 0.3, 0.9, 0.99, 4.0}) {
    PauseStats stats;
    for (int i = 0; i < 200; i++) stats.record(ms);
    stats.record(100.0);  // one outlier beyond p99
    EXPECT_GE(stats.percentileMs(99), ms) << ms;
    EXPECT_LE(stats.percentileMs(99), ms * 1.0906) << ms;
  }
}

TEST(GcVerify, AHealthyHeapPassesVerificationAfterEveryCollection) {
  VMOptions options;
  options.heap.stress = true;
  options.heap.verify = true;  // aborts the test process on a violation
  VM vm(options);
  HandleScope scope(vm.heap());
  Handle<List> list = scope.make(vm.newList());
  for (int i = 0; i < 100; i++) {
    Map* map = vm.newMap();  // allocate first: it may move the list
    vm.listPush(list.get(), Value::object(map));
  }
  EXPECT_EQ(list->count, 100u);
  EXPECT_GE(vm.heap().stats().minor.count + vm.heap().stats().major.count, 100u);
}

// What a missed fix-up of a moved small list would leave behind: items pointing at
// stale nursery memory. Verification must catch it (it runs after the scavenge).
TEST(GcVerifyDeathTest, ListItemsLeftPointingIntoTheNurseryAbort) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        VMOptions options;
        options.heap.verify = true;
        VM vm(options);
        HandleScope scope(vm.heap());
        Handle<List> list = scope.make(vm.newList(2));
        Handle<List> other = scope.make(vm.newList(2));
        list->items = other->inlineItems();  // not its own inline room
        vm.heap().collectMinor();
      },
      "point into the nursery");
}

}  // namespace
}  // namespace kiln

namespace kiln {
namespace {

// -- The generational collector ------------------------------------------------------

VMOptions generational(int youngKb = 256) {
  VMOptions options;
  options.heap.generational = true;
  options.heap.youngBytes = size_t(youngKb) << 10;
  options.heap.verify = true;  // every collection checks the heap's invariants
  return options;
}

TEST(Generational, NewObjectsOfShortLivedKindsAreYoungOthersOld) {
  VM vm(generational());
  HandleScope scope(vm.heap());
  Handle<List> list = scope.make(vm.newList());
  Handle<String> s = scope.make(vm.intern("a string"));
  Handle<Class> klass = scope.make(vm.newClass(s.get()));
  EXPECT_TRUE(Heap::isYoung(list.get()));
  EXPECT_FALSE(Heap::isYoung(s.get()));
  EXPECT_FALSE(Heap::isYoung(klass.get()));
  EXPECT_FALSE(Heap::isYoung(klass->rootShape));
}

TEST(Generational, ScavengeMovesSurvivorsAndUpdatesRoots) {
  VM vm(generational());
  HandleScope scope(vm.heap());
  Handle<List> list = scope.make(vm.newList());
  vm.listPush(list.get(), Value::number(7));
  List* before = list.get();
  vm.heap().collectMinor();
  EXPECT_NE(list.get(), before);  // copied to the other semispace
  EXPECT_TRUE(Heap::isYoung(list.get()));
  ASSERT_EQ(list->count, 1u);
  EXPECT_EQ(list->items[0].asNumber(), 7);
}

// The identity hash is assigned on first use and moves with the object, so a
// young object used as a map key is still found after scavenges and promotion.
TEST(Generational, MovedObjectsKeepTheirIdentityHashAsMapKeys) {
  VM vm(generational());
  HandleScope scope(vm.heap());
  Handle<Map> map = scope.make(vm.newMap());
  Handle<List> key = scope.make(vm.newList());
  EXPECT_EQ(key->hash, 0u);  // not assigned until needed
  ASSERT_TRUE(vm.mapSet(map.get(), Value::object(key.get()), Value::number(42)));
  uint32_t hash = key->hash;
  EXPECT_NE(hash, 0u);
  for (int i = 0; i < 2; i++) {  // copied, then promoted (age 2)
    List* before = key.get();
    vm.heap().collectMinor();
    EXPECT_NE(key.get(), before);
    EXPECT_EQ(key->hash, hash);
    Value found;
    ASSERT_TRUE(map->table.get(Value::object(key.get()), &found)) << i;
    EXPECT_EQ(found.asNumber(), 42);
  }
  EXPECT_FALSE(Heap::isYoung(key.get()));
}

TEST(Generational, YoungAllocationsAreCountedInTheStatistics) {
  VM vm(generational());
  uint64_t before = vm.heap().stats().bytesAllocatedTotal;
  for (int i = 0; i < 100; i++) vm.newList();
  EXPECT_EQ(vm.heap().stats().bytesAllocatedTotal - before, 100 * sizeof(List));
  vm.heap().collectMinor();  // counting across a scavenge neither loses nor repeats
  for (int i = 0; i < 10; i++) vm.newList();
  EXPECT_EQ(vm.heap().stats().bytesAllocatedTotal - before, 110 * sizeof(List));
}

// Small lists keep their items inside the object: a copy or a promotion must
// re-point `items` at the new object, and growing moves them to a buffer.
TEST(Generational, SmallListsKeepItemsInlineAcrossMovesAndGrowth) {
  VM vm(generational());
  HandleScope scope(vm.heap());
  Handle<List> list = scope.make(vm.newList(3));
  EXPECT_TRUE(list->itemsInline());
  size_t external = vm.heap().bytesAllocated();
  for (int i = 0; i < 3; i++) vm.listPush(list.get(), Value::number(i));
  EXPECT_EQ(vm.heap().bytesAllocated(), external);  // no buffer: nothing external
  for (int round = 0; round < 2; round++) {         // copied, then promoted
    vm.heap().collectMinor();
    ASSERT_TRUE(list->itemsInline()) << round;
    EXPECT_EQ(list->items, list->inlineItems());
    for (int i = 0; i < 3; i++) EXPECT_EQ(list->items[i].asNumber(), i);
  }
  EXPECT_FALSE(Heap::isYoung(list.get()));
  vm.listPush(list.get(), Value::object(vm.newList()));  // grows: a young item in an old list
  EXPECT_FALSE(list->itemsInline());
  EXPECT_EQ(list->count, 4u);
  EXPECT_EQ(list->items[2].asNumber(), 2);
  vm.heap().collectMinor();  // the barrier remembered the list
  EXPECT_TRUE(isKind(list->items[3], ObjKind::List));
  vm.heap().collect();
  EXPECT_EQ(list->items[0].asNumber(), 0);
}

TEST(Generational, DeadSmallListsFreeOnlyTheirGrownBuffers) {
  VM vm(generational());
  vm.heap().collect();
  size_t baseline = vm.heap().bytesAllocated();
  {
    HandleScope scope(vm.heap());
    Handle<List> grown = scope.make(vm.newList(2));
    for (int i = 0; i < 20; i++) vm.listPush(grown.get(), Value::number(i));
    vm.newList(2);  // stays inline, dies
    EXPECT_GT(vm.heap().bytesAllocated(), baseline);
  }
  vm.heap().collectMinor();
  EXPECT_EQ(vm.heap().bytesAllocated(), baseline);
}

TEST(Generational, SurvivorsArePromotedAfterThePromotionAge) {
  VM vm(generational());
  HandleScope scope(vm.heap());
  Handle<List> list = scope.make(vm.newList());
  vm.heap().collectMinor();
  EXPECT_TRUE(Heap::isYoung(list.get()));  // survived one scavenge
  uint64_t promotedBefore = vm.heap().stats().bytesPromoted;
  vm.heap().collectMinor();
  EXPECT_FALSE(Heap::isYoung(list.get()));  // age 2: promoted
  EXPECT_GT(vm.heap().stats().bytesPromoted, promotedBefore);
}

// When over half a semispace's worth survives a scavenge, the next one promotes
// every survivor at once (no second copy of data that is evidently long-lived);
// after a scavenge that keeps little, the normal promotion age applies again.
TEST(Generational, HighSurvivalPromotesTheNextSurvivorsAtOnce) {
  VM vm(generational(64));
  HandleScope scope(vm.heap());
  Handle<List> keep = scope.make(vm.newList());
  for (int i = 0; i < 1500; i++) {  // over 32 KB live
    List* item = vm.newList();      // before keep.get(): an allocation may move `keep`
    vm.listPush(keep.get(), Value::object(item));
  }
  vm.heap().collectMinor();  // keeps most of the nursery
  Handle<List> fresh = scope.make(vm.newList());
  vm.heap().collectMinor();
  EXPECT_FALSE(Heap::isYoung(fresh.get()));  // pretenured, or promoted after one scavenge
  vm.heap().collectMinor();                  // promotes whatever is there; keeps little
  Handle<List> next = scope.make(vm.newList());
  vm.heap().collectMinor();
  EXPECT_TRUE(Heap::isYoung(next.get()));  // copied, not promoted
}

// High survival also starts pretenuring: the next semispace's worth of young
// kinds is allocated old directly (not copied once more first). Stores into
// those objects still go through the barrier, so young data they point to
// survives the next scavenge.
TEST(Generational, HighSurvivalPretenuresTheNextSemispaceOfAllocations) {
  VMOptions options = generational(64);
  options.heap.promotionAge = 1;  // the survivors leave the nursery: it starts empty
  VM vm(options);
  HandleScope scope(vm.heap());
  Handle<List> keep = scope.make(vm.newList());
  Handle<List> young = scope.make(vm.newList());
  vm.listPush(young.get(), Value::number(5));
  for (int i = 0; i < 1500; i++) {  // over 32 KB live
    List* item = vm.newList();      // before keep.get(): an allocation may move `keep`
    vm.listPush(keep.get(), Value::object(item));
  }
  EXPECT_EQ(vm.heap().stats().bytesPretenured, 0u);
  vm.heap().collectMinor();  // keeps most of the nursery
  Handle<List> pretenured = scope.make(vm.newList());
  EXPECT_FALSE(Heap::isYoung(pretenured.get()));
  EXPECT_GT(vm.heap().stats().bytesPretenured, 0u);
  // Pretenuring lasts kPretenureSemispaces semispaces (of 64 KB) of allocation,
  // then the bump path is back.
  size_t budget = Heap::kPretenureSemispaces * (64 << 10);
  for (size_t bytes = 0; bytes <= budget; bytes += sizeof(List)) vm.newList();  // garbage
  Handle<List> after = scope.make(vm.newList());
  EXPECT_TRUE(Heap::isYoung(after.get()));
  vm.listPush(pretenured.get(), Value::object(after.get()));  // an old holder of a young object
  EXPECT_TRUE(pretenured->gcBits & kGcRemembered);
  vm.heap().collectMinor();  // verify mode: no reference into from-space
  ASSERT_EQ(pretenured->count, 1u);
  EXPECT_EQ(as<List>(pretenured->items[0]), after.get());
}

TEST(Generational, AScavengeThatKeepsLittleEndsPretenuring) {
  VM vm(generational(64));
  {
    HandleScope scope(vm.heap());
    Handle<List> keep = scope.make(vm.newList());
    for (int i = 0; i < 1500; i++) {  // over 32 KB live
      List* item = vm.newList();      // before keep.get(): an allocation may move `keep`
      vm.listPush(keep.get(), Value::object(item));
    }
    vm.heap().collectMinor();  // high survival: pretenuring starts
    EXPECT_FALSE(Heap::isYoung(vm.newList()));
  }                          // the live data is dropped
  vm.heap().collectMinor();  // keeps little
  EXPECT_TRUE(Heap::isYoung(vm.newList()));
}

TEST(Generational, ThePromotionAgeIsConfigurable) {
  VMOptions options = generational();
  options.heap.promotionAge = 1;
  VM vm(options);
  HandleScope scope(vm.heap());
  Handle<List> list = scope.make(vm.newList());
  vm.heap().collectMinor();
  EXPECT_FALSE(Heap::isYoung(list.get()));  // promoted by its first scavenge
}

TEST(Generational, YoungObjectReachableOnlyFromAnOldObjectSurvivesThroughTheBarrier) {
  VM vm(generational());
  HandleScope scope(vm.heap());
  Handle<List> holder = scope.make(vm.newList());
  vm.heap().collectMinor();
  vm.heap().collectMinor();
  ASSERT_FALSE(Heap::isYoung(holder.get()));  // now old
  // A young list stored only in the old one: the write barrier remembers the holder.
  List* young = vm.newList();
  vm.listPush(young, Value::number(42));
  vm.listPush(holder.get(), Value::object(young));
  EXPECT_TRUE(holder->gcBits & kGcRemembered);
  vm.heap().collectMinor();  // verify mode checks no reference points into from-space
  Value moved = holder->items[0];
  ASSERT_TRUE(isList(moved));
  EXPECT_NE(as<List>(moved), young);
  ASSERT_EQ(as<List>(moved)->count, 1u);
  EXPECT_EQ(as<List>(moved)->items[0].asNumber(), 42);
}

TEST(Generational, DeadYoungObjectsFreeTheirBuffers) {
  VM vm(generational());
  vm.heap().collect();
  size_t before = vm.heap().bytesAllocated();
  for (int i = 0; i < 100; i++) vm.newList(1000);  // 8 KB of items each, garbage
  EXPECT_GE(vm.heap().bytesAllocated(), before + 100 * 8000);
  vm.heap().collectMinor();
  EXPECT_EQ(vm.heap().bytesAllocated(), before);
}

TEST(Generational, LargeObjectsAreAllocatedOld) {
  VM vm(generational());
  HandleScope scope(vm.heap());
  Handle<FunctionProto> proto = scope.make(vm.newProto());
  proto->upvalues.resize(200);  // a closure of 200 upvalues: 1.6 KB
  Handle<Closure> big = scope.make(vm.newClosure(proto.get()));
  EXPECT_FALSE(Heap::isYoung(big.get()));
  proto->upvalues.resize(2);
  Handle<Closure> small = scope.make(vm.newClosure(proto.get()));
  EXPECT_TRUE(Heap::isYoung(small.get()));
}

TEST(Generational, FullCollectionEmptiesTheNursery) {
  VM vm(generational());
  HandleScope scope(vm.heap());
  Handle<List> list = scope.make(vm.newList());
  for (int i = 0; i < 100; i++) vm.newMap();
  vm.heap().collect();
  EXPECT_EQ(vm.heap().youngBytesInUse(), 0u);
  EXPECT_FALSE(Heap::isYoung(list.get()));
}

// Survivors that fill the nursery are promoted by another scavenge, not by a full
// collection: building a big live structure must not mark the old space once per
// nursery of data (that was quadratic).
TEST(Generational, LiveDataLargerThanTheNurseryIsPromotedWithoutFullCollections) {
  VMOptions options = generational(64);
  options.heap.verify = false;  // verification walks the heap: keep the test linear
  options.heap.initialThreshold = size_t(64) << 20;
  VM vm(options);
  HandleScope scope(vm.heap());
  Handle<List> head = scope.make(vm.newList());
  ValueHandle tail = scope.makeValue(Value::object(head.get()));
  constexpr int kNodes = 40000;  // ~2.4 MB of lists: 37 nurseries
  for (int i = 0; i < kNodes; i++) {
    List* next = vm.newList(1);
    vm.listPush(as<List>(tail.get()), Value::object(next));
    tail.set(Value::object(next));
  }
  const HeapStats& stats = vm.heap().stats();
  EXPECT_GT(stats.minor.count, 5u);
  EXPECT_EQ(stats.major.count, 0u);
  // Promoted by scavenges or, once survival is seen to be high, pretenured.
  EXPECT_GT(stats.bytesPromoted, uint64_t(kNodes / 10) * sizeof(List));
  EXPECT_GT(stats.bytesPromoted + stats.bytesPretenured, uint64_t(kNodes * 9 / 10) * sizeof(List));
  int length = 0;
  for (List* l = head.get(); l->count == 1; l = as<List>(l->items[0])) length++;
  EXPECT_EQ(length, kNodes);
}

TEST(Generational, StressAndVerifyOnADeepStructure) {
  VMOptions options = generational(64);
  options.heap.stress = true;
  VM vm(options);
  HandleScope scope(vm.heap());
  Handle<List> head = scope.make(vm.newList());
  ValueHandle tail = scope.makeValue(Value::object(head.get()));
  for (int i = 0; i < 300; i++) {
    List* next = vm.newList(1);
    vm.listPush(as<List>(tail.get()), Value::object(next));
    tail.set(Value::object(next));
  }
  int depth = 0;
  for (List* l = head.get(); l->count == 1; l = as<List>(l->items[0])) depth++;
  EXPECT_EQ(depth, 300);
}

}  // namespace
}  // namespace kiln
