// Built-in map methods: has remove keys values. The receiver is args[0].
// Lookups of a nan key simply find nothing (a nan key can never be stored:
// VM::mapSet raises "Map key cannot be nan.").
#include "gc/handles.h"
#include "stdlib/stdlib.h"
#include "vm/object.h"
#include "vm/vm.h"

namespace kiln {

namespace {

Value mapHas(VM&, Value* args, int) { return Value::boolean(as<Map>(args[0])->table.contains(args[1])); }

// Returns the removed value, or nil when the key was absent.
Value mapRemove(VM&, Value* args, int) {
  Value old = Value::nil();
  as<Map>(args[0])->table.remove(args[1], &old);
  return old;
}

// A new list of the keys (or the values) in insertion order.
Value mapEntries(VM& vm, Value* args, bool keys) {
  HandleScope scope(vm.heap());
  Handle<List> result = scope.make(vm.newList(as<Map>(args[0])->table.size()));
  // Read the map only after the allocation: a moving collector updates args.
  const MapTable& table = as<Map>(args[0])->table;
  for (uint32_t i = 0; i < table.entryEnd(); i++) {
    const MapEntry& entry = table.entryAt(i);
    if (MapTable::isTombstone(entry)) continue;
    vm.listPush(result.get(), keys ? entry.key : entry.value);
  }
  return result.value();
}

Value mapKeys(VM& vm, Value* args, int) { return mapEntries(vm, args, true); }
Value mapValues(VM& vm, Value* args, int) { return mapEntries(vm, args, false); }

}  // namespace

void installMapMethods(VM& vm) {
  vm.defineBuiltinMethod(ObjKind::Map, "has", mapHas, 1);
  vm.defineBuiltinMethod(ObjKind::Map, "remove", mapRemove, 1);
  vm.defineBuiltinMethod(ObjKind::Map, "keys", mapKeys, 0);
  vm.defineBuiltinMethod(ObjKind::Map, "values", mapValues, 0);
}

}  // namespace kiln
