// Unit tests for the collector (gc/heap.h): reachability, handles, weak interned
// strings, deep structures without recursion, external-memory pacing.
#include <gtest/gtest.h>

#include <string>

#include "gc/handles.h"
#include "vm/vm.h"

namespace kiln {
namespace {

TEST(Gc, UnreachableObjectsAreFreed) {
  VM vm;
  vm.heap().collect();
  size_t baseline = vm.heap().bytesAllocated();
  for (int i = 0; i < 1000; i++) vm.newList(16);
  EXPECT_GT(vm.heap().bytesAllocated(), baseline);
  vm.heap().collect();
  EXPECT_EQ(vm.heap().bytesAllocated(), baseline);
}

TEST(Gc, HandlesKeepObjectsAliveAndScopesReleaseThem) {
  VM vm;
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

TEST(Gc, StressModeCollectsAtEveryAllocation) {
  VMOptions options;
  options.gcStress = true;
  VM vm(options);
  uint64_t before = vm.heap().stats().collections;
  for (int i = 0; i < 10; i++) vm.newList();
  EXPECT_GE(vm.heap().stats().collections, before + 10);
}

TEST(Gc, ExternalMemoryPacesCollections) {
  VM vm;
  uint64_t before = vm.heap().stats().collections;
  // Garbage lists with large item buffers: the buffers must count.
  for (int i = 0; i < 200; i++) vm.newList(100000);
  EXPECT_GT(vm.heap().stats().collections, before);
}

}  // namespace
}  // namespace kiln

namespace kiln {
namespace {

TEST(GcStats, PausePercentilesComeFromTheHistogram) {
  HeapStats stats;
  for (int i = 0; i < 99; i++) {
    stats.collections++;
    stats.recordPause(0.010);
  }
  stats.collections++;
  stats.recordPause(50.0);
  stats.maxPauseMs = 50.0;
  EXPECT_LT(stats.pausePercentileMs(99), 0.02);  // 99 of 100 pauses are 10 us
  EXPECT_GE(stats.pausePercentileMs(99), 0.010);
  EXPECT_EQ(stats.pausePercentileMs(100), 50.0);
}

TEST(GcVerify, AHealthyHeapPassesVerificationAfterEveryCollection) {
  VMOptions options;
  options.gcStress = true;
  options.gcVerify = true;  // aborts the test process on a violation
  VM vm(options);
  HandleScope scope(vm.heap());
  Handle<List> list = scope.make(vm.newList());
  for (int i = 0; i < 100; i++) vm.listPush(list.get(), Value::object(vm.newMap()));
  EXPECT_EQ(list->count, 100u);
  EXPECT_GE(vm.heap().stats().collections, 100u);
}

}  // namespace
}  // namespace kiln
