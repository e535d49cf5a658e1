// The System object: runtime services for scripts. System.gc() requests a full
// collection (useful in tests and to measure live memory).
#include "gc/heap.h"
#include "stdlib/stdlib.h"
#include "vm/vm.h"

namespace kiln {

namespace {

Value systemGc(VM& vm, Value*, int) {
  vm.heap().collect();
  return Value::nil();
}

constexpr NamespaceFunction kSystemFunctions[] = {
    {"gc", systemGc, 0},
};

}  // namespace

void installSystem(VM& vm) { defineNamespace(vm, "System", kSystemFunctions); }

}  // namespace kiln
