// VM construction, allocation of every object kind, interning, globals, roots.
// The interpreter loop itself is in vm/interpreter.cpp.
#include "vm/vm.h"

#include <pthread.h>
#include <sys/mman.h>

#include <cstdlib>
#include <cstring>

#include "gc/handles.h"
#include "vm/limits.h"

namespace kiln {

// Reserves zeroed memory whose pages are only touched (and counted in RSS) when
// used, so a deep VM stack costs nothing until a script recurses deeply.
static void* reserve(size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) fatalOutOfMemory();
  return p;
}

VM::VM(VMOptions options) : options_(options), heap_(options.heap), out_(stdout), err_(stderr) {
  exec.stack = static_cast<Value*>(reserve(options_.stackSlots * sizeof(Value)));
  exec.stackLimit = exec.stack + options_.stackSlots;
  exec.stackTop = exec.stack;
  exec.stackCheck = exec.stack;
  // One more frame than the limit: the first is never used (see ExecutionState).
  exec.frames = static_cast<CallFrame*>(reserve((options_.maxFrames + 1) * sizeof(CallFrame))) + 1;
  exec.frame = exec.frames - 1;
  exec.lastFrame = exec.frames + (options_.maxFrames - 1);
  globals_ = static_cast<GlobalCell*>(reserve(kMaxGlobals * sizeof(GlobalCell)));
  heap_.setSafepointWord(&exec.safepointRequests, ExecutionState::kSafepointHeapLimit);
  heap_.addRootTracer([this](RootVisitor& v) { visitRoots(v); });
  heap_.addWeakSweeper([this] { sweepInternedStrings(); });
}

VM::~VM() {
  munmap(exec.stack, options_.stackSlots * sizeof(Value));
  munmap(exec.frames - 1, (options_.maxFrames + 1) * sizeof(CallFrame));
  munmap(globals_, kMaxGlobals * sizeof(GlobalCell));
}

void VM::visitRoots(RootVisitor& visitor) {
  for (Value* slot = exec.stack; slot < exec.stackTop; slot++) visitor.value(slot);
  // Slots above the innermost frame may hold values of returned frames. Clear
  // them, so every stack slot always holds nil or an object allocated since the
  // last collection (which is still valid when a new frame covers it).
  for (Value* slot = exec.stackTop; slot < exec.stackCheck; slot++) *slot = Value::nil();
  // stackCheck comes down to the highest register of any frame, not to
  // stackTop: a caller's registers above its callee's (dead temporaries, just
  // cleared) are written again once the callee returns, and must stay below
  // stackCheck, or a later growStack would let stale values there become
  // roots (found by tests/difftest: tests/lang/regression/
  // caller_registers_above_a_collecting_callee_stay_valid.kn).
  Value* highest = exec.stackTop;
  for (CallFrame* frame = exec.frames; frame <= exec.frame; frame++) {
    visitor.object(&frame->closure);
    Value* top = frame->base + frame->closure->proto->numRegisters;
    if (top > highest) highest = top;
  }
  exec.stackCheck = highest;
  visitor.object(&exec.openUpvalues);
  for (Upvalue* u = exec.openUpvalues; u != nullptr; u = u->nextOpen) visitor.object(&u->nextOpen);
  for (uint32_t i = 0; i < globalCount_; i++) {
    GlobalCell& cell = globals_[i];
    visitor.object(&cell.name);
    visitor.value(&cell.value);
  }
  // Built-in methods and their names are old objects (never moved).
  for (auto& table : builtinMethods_) {
    for (auto& [name, native] : table) {
      String* key = name;
      visitor.object(&key);
      visitor.object(&native);
    }
  }
  for (FunctionProto*& proto : compilerRoots_) visitor.object(&proto);
  for (String*& s : charStrings_) visitor.object(&s);
}

void VM::sweepInternedStrings() { strings_.removeUnmarked(); }

// -- Allocation -------------------------------------------------------------------

// Lengths and capacities are 32-bit. Reaching the limits needs more than 16 GB;
// stop with a clear message rather than wrap around.
void fatalLimit(const char* what) {
  std::fprintf(stderr, "kiln: %s\n", what);
  // Flush what the script printed, then end without running destructors or
  // exit handlers: the heap may be mid-operation, and LeakSanitizer would
  // report it and replace the exit code (PrintObjectsDeathTest under ASan).
  std::fflush(nullptr);
  std::_Exit(70);
}

void fatalOutOfMemory() { fatalLimit("out of memory"); }

String* VM::intern(std::string_view text) {
  if (text.size() >= UINT32_MAX) fatalLimit("string too long (the limit is 4 GiB)");
  uint32_t hash = hashString(text);
  if (String* existing = strings_.find(text, hash)) return existing;
  String* s = heap_.make<String>(ObjKind::String, text.size() + 1);
  s->length = uint32_t(text.size());
  std::memcpy(s->mutableChars(), text.data(), text.size());
  s->mutableChars()[text.size()] = '\0';
  s->hash = hash;
  strings_.insert(s);
  return s;
}

String* VM::concat(String* a, String* b) {
  size_t length = size_t(a->length) + b->length;
  // Most results are short: join them on the stack, not in a heap buffer.
  char small[256];
  std::string large;
  char* out = small;
  if (length > sizeof small) {
    large.resize(length);
    out = large.data();
  }
  std::memcpy(out, a->chars(), a->length);
  std::memcpy(out + a->length, b->chars(), b->length);
  return intern(std::string_view(out, length));
}

String* VM::charString(unsigned char c) {
  if (charStrings_[c] == nullptr) {
    char text = char(c);
    charStrings_[c] = intern(std::string_view(&text, 1));
  }
  return charStrings_[c];
}

FunctionProto* VM::newProto() {
  FunctionProto* proto = heap_.make<FunctionProto>(ObjKind::Proto, 0);
  proto->tierUpCountdown = exec.countdownStart();
  return proto;
}

Native* VM::newNative(std::string_view name, NativeFn fn, int arity) {
  HandleScope scope(heap_);
  Handle<String> nameHandle = scope.make(intern(name));
  Native* native = heap_.make<Native>(ObjKind::Native, 0);
  native->fn = fn;
  native->name = nameHandle.get();
  native->arity = arity;
  native->intrinsic = NativeIntrinsic::None;
  native->userData = nullptr;
  return native;
}

Class* VM::newClass(String* name, uint32_t inlineSlots) {
  HandleScope scope(heap_);
  Handle<String> nameHandle = scope.make(name);
  Class* klass = heap_.make<Class>(ObjKind::Class, 0);
  klass->name = nameHandle.get();
  klass->superclass = nullptr;
  klass->rootShape = nullptr;
  klass->initializer = Value::nil();
  klass->inlineSlots = std::min(inlineSlots, kMaxInlineSlots);
  Handle<Class> classHandle = scope.make(klass);
  Shape* root = heap_.make<Shape>(ObjKind::Shape, 0);
  root->parent = nullptr;
  root->key = nullptr;
  root->klass = classHandle.get();
  root->fieldCount = 0;
  classHandle->rootShape = root;
  heap_.writeBarrier(classHandle.get(), Value::object(root));
  return classHandle.get();
}

BoundMethod* VM::newBoundMethod(Value receiver, Obj* method) {
  // Callers pass values read from registers; root them across the allocation
  // so they stay right even if the collector moves objects.
  HandleScope scope(heap_);
  ValueHandle receiverHandle = scope.makeValue(receiver);
  Handle<Obj> methodHandle = scope.make(method);
  BoundMethod* bound = heap_.make<BoundMethod>(ObjKind::BoundMethod, 0);
  bound->receiver = receiverHandle.get();
  bound->method = methodHandle.get();
  return bound;
}

List* VM::newList(uint32_t capacity) {
  if (capacity > 0 && capacity <= kMaxInlineListItems) {
    List* list = heap_.make<List>(ObjKind::List, capacity * sizeof(Value));
    list->aux = uint16_t(capacity);
    list->items = list->inlineItems();
    list->count = 0;
    list->capacity = capacity;
    return list;
  }
  List* list = heap_.make<List>(ObjKind::List, 0);
  list->items = nullptr;
  list->count = 0;
  list->capacity = 0;
  if (capacity > 0) listReserve(list, capacity);
  return list;
}

Map* VM::newMap(uint32_t capacity) {
  Map* map = heap_.make<Map>(ObjKind::Map, 0);
  if (capacity > 0) {
    size_t before = map->table.externalBytes();
    map->table.reserve(capacity);
    heap_.addExternalBytes(ptrdiff_t(map->table.externalBytes() - before));
  }
  return map;
}

void VM::listReserve(List* list, uint32_t capacity) {
  if (capacity <= list->capacity) return;
  if (capacity > (UINT32_MAX >> 1)) fatalLimit("list too long (the limit is 2^31 elements)");
  bool wasInline = list->itemsInline();
  Value* items;
  if (wasInline) {  // leave the inline room for good
    items = static_cast<Value*>(std::malloc(size_t(capacity) * sizeof(Value)));
    if (items != nullptr) std::memcpy(items, list->items, size_t(list->count) * sizeof(Value));
  } else {
    items = static_cast<Value*>(std::realloc(list->items, size_t(capacity) * sizeof(Value)));
  }
  if (items == nullptr) fatalOutOfMemory();
  uint32_t external = wasInline ? 0 : list->capacity;  // inline room is not external memory
  heap_.addExternalBytes(ptrdiff_t(capacity - external) * ptrdiff_t(sizeof(Value)));
  if (list->items == nullptr || wasInline) heap_.noteYoungBuffer(list);
  list->items = items;
  list->capacity = capacity;
}

void VM::listPush(List* list, Value v) {
  if (list->count == list->capacity) {
    uint64_t grown = list->capacity < 8 ? 8 : uint64_t(list->capacity) * 2;
    listReserve(list, uint32_t(grown > (UINT32_MAX >> 1) ? (UINT32_MAX >> 1) : grown));
    if (list->count == list->capacity) fatalLimit("list too long (the limit is 2^31 elements)");
  }
  list->items[list->count++] = v;
  heap_.writeBarrier(list, v);
}

bool VM::mapSet(Map* map, Value key, Value value) {
  if (key.isNumber() && key.asNumber() != key.asNumber()) {
    error("Map key cannot be nan.");
    return false;
  }
  size_t before = map->table.externalBytes();
  map->table.set(key, value);
  size_t after = map->table.externalBytes();
  if (after != before) heap_.addExternalBytes(ptrdiff_t(after) - ptrdiff_t(before));
  heap_.writeBarrier(map, key);
  heap_.writeBarrier(map, value);
  return true;
}

void VM::growOverflow(Instance* instance, uint32_t slot) {
  uint32_t needed = slot - instance->inlineCount() + 1;
  uint32_t oldCapacity = instance->overflowCapacity();
  if (needed <= oldCapacity) return;
  uint32_t log2 = 2;  // at least 4 slots, then doubling
  while ((1u << log2) < needed) log2++;
  uint32_t capacity = 1u << log2;
  auto* overflow = static_cast<Value*>(std::realloc(instance->overflow, size_t(capacity) * sizeof(Value)));
  if (overflow == nullptr) fatalOutOfMemory();
  heap_.addExternalBytes(ptrdiff_t(capacity - oldCapacity) * ptrdiff_t(sizeof(Value)));
  if (instance->overflow == nullptr) heap_.noteYoungBuffer(instance);
  instance->overflow = overflow;
  instance->setOverflowCapacityLog2(log2);
}

void VM::setField(Instance* instance, String* name, Value value) {
  uint32_t slot = instance->shape->find(name);
  if (slot == Shape::kNotFound) {
    HandleScope scope(heap_);
    Handle<Instance> h = scope.make(instance);
    Handle<String> key = scope.make(name);  // the new shape will hold it
    ValueHandle v = scope.makeValue(value);
    Shape* next = shapeTransition(*this, h->shape, key.get());
    instance = h.get();
    value = v.get();
    slot = next->fieldCount - 1;
    if (slot >= instance->inlineCount()) growOverflow(instance, slot);
    instance->shape = next;
    heap_.writeBarrier(instance, Value::object(next));
  }
  instance->slot(slot) = value;
  heap_.writeBarrier(instance, value);
}

bool VM::getField(Instance* instance, String* name, Value* out) {
  uint32_t slot = instance->shape->find(name);
  if (slot == Shape::kNotFound) return false;
  *out = instance->slot(slot);
  return true;
}

// -- Globals and built-ins ----------------------------------------------------------

uint32_t VM::globalIndex(String* name) {
  auto it = globalIndex_.find(name);
  if (it != globalIndex_.end()) return it->second;
  if (globalCount_ == kMaxGlobals) fatalLimit("too many global variables (the limit is 4M)");
  uint32_t index = globalCount_++;
  globals_[index] = GlobalCell{Value::undefined(), name};
  globalIndex_.emplace(name, index);
  return index;
}

void VM::defineGlobal(std::string_view name, Value value) {
  HandleScope scope(heap_);
  ValueHandle v = scope.makeValue(value);
  uint32_t index = globalIndex(intern(name));
  globals_[index].value = v.get();
}

void VM::defineNative(std::string_view name, NativeFn fn, int arity) {
  defineGlobal(name, Value::object(newNative(name, fn, arity)));
}

static int builtinTableIndex(ObjKind kind) {
  switch (kind) {
    case ObjKind::List:
      return 0;
    case ObjKind::Map:
      return 1;
    case ObjKind::String:
      return 2;
    default:
      return -1;
  }
}

void VM::defineBuiltinMethod(ObjKind receiverKind, std::string_view name, NativeFn fn, int arity,
                             NativeIntrinsic intrinsic) {
  int table = builtinTableIndex(receiverKind);
  if (table < 0) return;
  HandleScope scope(heap_);
  Handle<Native> native = scope.make(newNative(name, fn, arity));
  native->intrinsic = intrinsic;
  String* key = intern(name);
  builtinMethods_[table][key] = native.get();
}

Native* VM::findBuiltinMethod(ObjKind receiverKind, String* name) {
  int table = builtinTableIndex(receiverKind);
  if (table < 0) return nullptr;
  auto it = builtinMethods_[table].find(name);
  return it == builtinMethods_[table].end() ? nullptr : it->second;
}

Value VM::error(std::string message) {
  pendingError_ = std::move(message);
  pendingErrorCause_ = ErrorCause::Script;
  return Value::error();
}

void VM::writeError(std::string_view text) {
  std::fflush(out_);  // keep earlier `print` output before the error
  if (err_ == nullptr) return;
  std::fwrite(text.data(), 1, text.size(), err_);
  std::fflush(err_);
}

Value VM::limitError(ErrorCause cause, std::string message) {
  error(std::move(message));
  pendingErrorCause_ = cause;
  return Value::error();
}

namespace {

// The lowest address of the calling thread's stack (null if unknown), found
// once per thread.
const char* threadStackLow() {
  thread_local const char* low = [] {
    const char* address = nullptr;
    pthread_attr_t attributes;
    if (pthread_getattr_np(pthread_self(), &attributes) == 0) {
      void* stack = nullptr;
      size_t size = 0;
      if (pthread_attr_getstack(&attributes, &stack, &size) == 0) address = static_cast<const char*>(stack);
      pthread_attr_destroy(&attributes);
    }
    return address;
  }();
  return low;
}

}  // namespace

bool VM::enter() {
  if (!idle()) {  // a host function's callback: the outer run's budget, on the same native stack
    const char* low = threadStackLow();
    const char* here = static_cast<const char*>(__builtin_frame_address(0));
    if (low != nullptr && here < low + kNativeStackReserve) {
      error("Stack overflow.");
      return false;
    }
    return true;
  }
  exec.stepsLeft = stepLimit_ == 0 || stepLimit_ > uint64_t(INT64_MAX) ? INT64_MAX : int64_t(stepLimit_);
  exec.safepointRequests.fetch_and(~ExecutionState::kSafepointInterrupt, std::memory_order_relaxed);
  return true;
}

}  // namespace kiln
