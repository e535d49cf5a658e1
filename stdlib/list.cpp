// Built-in list methods: push pop insert remove contains indexOf slice join.
// The receiver is args[0]. Index arguments must be integral numbers ("List
// index must be an integer.") within range ("List index out of range.").
#include <cstring>
#include <string>

#include "gc/handles.h"
#include "stdlib/stdlib.h"
#include "vm/object.h"
#include "vm/print.h"
#include "vm/runtime.h"
#include "vm/vm.h"

namespace kiln {

namespace {

// Reads `v` as an index in [0, limit]; on failure raises and returns false.
bool listIndex(VM& vm, Value v, int64_t limit, int64_t* out) {
  switch (readIndex(v, limit, out)) {
    case IndexCheck::Ok:
      return true;
    case IndexCheck::NotInteger:
      vm.error("List index must be an integer.");
      return false;
    case IndexCheck::OutOfRange:
      vm.error("List index out of range.");
      return false;
  }
  return false;
}

Value listPush(VM& vm, Value* args, int) {
  vm.listPush(as<List>(args[0]), args[1]);
  return Value::nil();
}

Value listPop(VM& vm, Value* args, int) {
  List* list = as<List>(args[0]);
  if (list->count == 0) return vm.error("Can't pop from an empty list.");
  return list->items[--list->count];
}

Value listInsert(VM& vm, Value* args, int) {
  int64_t index;
  if (!listIndex(vm, args[1], as<List>(args[0])->count, &index)) return Value::error();
  // Grow through the VM (capacity accounting), then open the gap.
  vm.listPush(as<List>(args[0]), args[2]);
  List* list = as<List>(args[0]);
  Value value = args[2];
  Value* items = list->items;
  std::memmove(items + index + 1, items + index, (list->count - 1 - index) * sizeof(Value));
  items[index] = value;
  vm.heap().writeBarrier(list, value);
  return Value::nil();
}

Value listRemove(VM& vm, Value* args, int) {
  List* list = as<List>(args[0]);
  int64_t index;
  if (!listIndex(vm, args[1], int64_t(list->count) - 1, &index)) return Value::error();
  Value removed = list->items[index];
  std::memmove(list->items + index, list->items + index + 1, (list->count - 1 - index) * sizeof(Value));
  list->count--;
  return removed;
}

int64_t findInList(const List* list, Value v) {
  for (uint32_t i = 0; i < list->count; i++) {
    if (valuesEqual(list->items[i], v)) return i;
  }
  return -1;
}

Value listContains(VM&, Value* args, int) {
  return Value::boolean(findInList(as<List>(args[0]), args[1]) >= 0);
}

Value listIndexOf(VM&, Value* args, int) {
  return Value::number(double(findInList(as<List>(args[0]), args[1])));
}

Value listSlice(VM& vm, Value* args, int) {
  int64_t count = as<List>(args[0])->count;
  int64_t start = 0, end = 0;
  IndexCheck startCheck = readIndex(args[1], count, &start);
  IndexCheck endCheck = readIndex(args[2], count, &end);
  if (startCheck == IndexCheck::NotInteger || endCheck == IndexCheck::NotInteger) {
    return vm.error("List index must be an integer.");
  }
  if (startCheck != IndexCheck::Ok || endCheck != IndexCheck::Ok || start > end) {
    return vm.error("Slice indices out of range.");
  }
  HandleScope scope(vm.heap());
  Handle<List> result = scope.make(vm.newList(uint32_t(end - start)));
  // The source is re-read after the allocation: a moving collector updates args.
  List* source = as<List>(args[0]);
  for (int64_t i = start; i < end; i++) vm.listPush(result.get(), source->items[i]);
  return result.value();
}

Value listJoin(VM& vm, Value* args, int) {
  if (!isString(args[1])) return vm.error("join() expects a string argument.");
  const List* list = as<List>(args[0]);
  std::string_view separator = as<String>(args[1])->view();
  std::string text;
  for (uint32_t i = 0; i < list->count; i++) {
    if (pollStop(vm, i)) return Value::error();
    if (i > 0) text += separator;
    appendValue(text, list->items[i]);
  }
  return Value::object(vm.intern(text));
}

}  // namespace

void installListMethods(VM& vm) {
  // Compiled code appends inline while the list has room (jit/: listPushInline).
  vm.defineBuiltinMethod(ObjKind::List, "push", listPush, 1, NativeIntrinsic::ListPush);
  vm.defineBuiltinMethod(ObjKind::List, "pop", listPop, 0);
  vm.defineBuiltinMethod(ObjKind::List, "insert", listInsert, 2);
  vm.defineBuiltinMethod(ObjKind::List, "remove", listRemove, 1);
  vm.defineBuiltinMethod(ObjKind::List, "contains", listContains, 1);
  vm.defineBuiltinMethod(ObjKind::List, "indexOf", listIndexOf, 1);
  vm.defineBuiltinMethod(ObjKind::List, "slice", listSlice, 2);
  vm.defineBuiltinMethod(ObjKind::List, "join", listJoin, 1);
}

}  // namespace kiln
