// Unit tests for giving memory back to the OS (Heap::shouldReturnMemory): a full
// collection that finds most of a big heap dead returns the freed pages at once,
// visible in the process's resident set; one that keeps most of it does not.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>

#include "gc/handles.h"
#include "vm/vm.h"

namespace kiln {
namespace {

// Resident set size of this process, from /proc/self/statm (in pages).
size_t residentBytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long size = 0, resident = 0;
  int read = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  return read == 2 ? size_t(resident) * size_t(sysconf(_SC_PAGESIZE)) : 0;
}

VMOptions withCollector(bool generational) {
  VMOptions options;
  options.heap.generational = generational;
  return options;
}

// About 64 MB of small lists, all old after the collection, held by one list.
constexpr int kLists = 1 << 20;

List* buildBigHeap(VM& vm, HandleScope& scope) {
  Handle<List> holder = scope.make(vm.newList(0));
  for (int i = 0; i < kLists; i++) {
    List* small = vm.newList(4);
    vm.listPush(small, Value::number(i));
    vm.listPush(holder.get(), Value::object(small));
  }
  vm.heap().collect();  // promotes every young list; keeps everything (all reachable)
  return holder.get();
}

class MemoryReturn : public testing::TestWithParam<bool> {};

TEST_P(MemoryReturn, DroppingMostOfABigHeapReturnsItsPagesToTheOs) {
  ASSERT_GT(residentBytes(), 0u) << "/proc/self/statm is needed";
  VM vm(withCollector(GetParam()));
  size_t heapBefore, residentBefore;
  {
    HandleScope scope(vm.heap());
    buildBigHeap(vm, scope);
    EXPECT_EQ(vm.heap().stats().memoryReturns, 0u) << "a collection that keeps everything keeps its pages";
    heapBefore = vm.heap().bytesAllocated();
    residentBefore = residentBytes();
  }  // the holder's handle is gone: everything is garbage
  vm.heap().collect();
  size_t freed = heapBefore - vm.heap().bytesAllocated();
  size_t residentAfter = residentBytes();
  EXPECT_GT(freed, size_t(48) << 20);
  EXPECT_EQ(vm.heap().stats().memoryReturns, 1u);
  // Not every freed byte leaves (pages mimalloc keeps for its own metadata),
  // but most of them must.
  EXPECT_LT(residentAfter + freed / 2, residentBefore)
      << "resident " << (residentBefore >> 20) << " MB -> " << (residentAfter >> 20) << " MB after freeing "
      << (freed >> 20) << " MB";
}

TEST_P(MemoryReturn, ACollectionThatKeepsMostDataKeepsItsPagesForReuse) {
  VM vm(withCollector(GetParam()));
  HandleScope scope(vm.heap());
  List* holder = buildBigHeap(vm, scope);
  holder->count /= 2;  // half of the small lists become garbage: the usual cycle
  vm.heap().collect();
  EXPECT_EQ(vm.heap().stats().memoryReturns, 0u);
}

INSTANTIATE_TEST_SUITE_P(BothCollectors, MemoryReturn, testing::Bool(),
                         [](const testing::TestParamInfo<bool>& info) {
                           return info.param ? "Generational" : "MarkSweep";
                         });

}  // namespace
}  // namespace kiln
