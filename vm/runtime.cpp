// The runtime entry points of vm/runtime.h: slow paths shared by the
// interpreter and compiled code.
#include "vm/runtime.h"

#include <cmath>
#include <cstdio>
#include <exception>

#include "gc/handles.h"
#include "vm/arith.h"
#include "vm/print.h"
#include "vm/shape.h"

namespace kiln {

// -- Frames and calls -----------------------------------------------------------------

void arityError(VM& vm, FunctionProto* proto, int argCount) {
  vm.errorf("Expected {} arguments but got {}.", proto->arity, argCount);
}

void stackOverflow(VM& vm) { vm.error("Stack overflow."); }

bool growStack(VM& vm, Value* top) {
  if (top > vm.exec.stackLimit) {
    stackOverflow(vm);
    return false;
  }
  vm.exec.stackCheck = top;
  return true;
}

bool checkNoInitializerArguments(VM& vm, int argCount) {
  if (argCount == 0) return true;
  vm.errorf("Expected 0 arguments but got {}.", argCount);
  return false;
}

CallOutcome constructInstance(VM& vm, Value* base, int argCount) {
  if (Closure* initializer = newInstanceForCall(vm, base)) {
    return pushFrame(vm, initializer, base, argCount) ? CallOutcome::PushedFrame : CallOutcome::Error;
  }
  return checkNoInitializerArguments(vm, argCount) ? CallOutcome::Done : CallOutcome::Error;
}

CallOutcome callValueAt(VM& vm, Value* base, int argCount) {
  Value callee = base[0];
  if (callee.isObj()) {
    Obj* o = callee.asObj();
    switch (o->kind) {
      case ObjKind::Closure:
        return pushFrame(vm, static_cast<Closure*>(o), base, argCount) ? CallOutcome::PushedFrame
                                                                       : CallOutcome::Error;
      case ObjKind::Native:
        return callNative(vm, static_cast<Native*>(o), base, argCount);
      case ObjKind::Class:
        return constructInstance(vm, base, argCount);
      case ObjKind::BoundMethod: {
        auto* bound = static_cast<BoundMethod*>(o);
        base[0] = bound->receiver;
        if (bound->method->kind == ObjKind::Closure) {
          return pushFrame(vm, static_cast<Closure*>(bound->method), base, argCount)
                     ? CallOutcome::PushedFrame
                     : CallOutcome::Error;
        }
        return callNative(vm, static_cast<Native*>(bound->method), base, argCount);
      }
      default:
        break;
    }
  }
  vm.error("Can only call functions and classes.");
  return CallOutcome::Error;
}

CallOutcome callWithList(VM& vm, Value* callBase, List* list) {
  uint32_t argCount = list->count;
  // The arguments may lie above the current frame: make them roots first.
  Value* top = callBase + 1 + argCount;
  if (top > vm.exec.stackCheck && !growStack(vm, top)) return CallOutcome::Error;
  if (top > vm.exec.stackTop) vm.exec.stackTop = top;
  for (uint32_t i = 0; i < argCount; i++)
    callBase[1 + i] = list->items[i];  // may overwrite the list's register
  return callValueAt(vm, callBase, int(argCount));
}

void noteCallTarget(FunctionProto* caller, const uint32_t* callWord, FunctionProto* callee) {
  FunctionProto*& seen = caller->callTargets[argC(*callWord)];
  if (seen != nullptr) caller->feedback[size_t(callWord - caller->code.data())] |= kFeedbackOther;
  seen = callee;  // caller and callee are old: no barrier needed
}

// -- Upvalues -----------------------------------------------------------------------

Upvalue* captureUpvalue(VM& vm, Value* slot) {
  Upvalue* previous = nullptr;
  Upvalue* u = vm.exec.openUpvalues;
  while (u != nullptr && u->location > slot) {
    previous = u;
    u = u->nextOpen;
  }
  if (u != nullptr && u->location == slot) return u;
  Upvalue* created = vm.newUpvalue(slot);
  // The allocation may have collected, but open upvalues are roots: re-walk.
  previous = nullptr;
  u = vm.exec.openUpvalues;
  while (u != nullptr && u->location > slot) {
    previous = u;
    u = u->nextOpen;
  }
  created->nextOpen = u;
  if (previous == nullptr) {
    vm.exec.openUpvalues = created;
  } else {
    previous->nextOpen = created;
  }
  return created;
}

void closeUpvalues(VM& vm, Value* last) { closeUpvaluesInline(vm, last); }

void makeClosure(VM& vm, CallFrame* frame, FunctionProto* target, Value* dest) {
  Closure* created = vm.newClosure(target);
  *dest = Value::object(created);  // rooted before capturing (which allocates)
  for (size_t i = 0; i < target->upvalues.size(); i++) {
    const UpvalueDesc& desc = target->upvalues[i];
    Upvalue* u = desc.fromParentRegister ? captureUpvalue(vm, frame->base + desc.index)
                                         : frame->closure->upvalues()[desc.index];
    as<Closure>(*dest)->upvalues()[i] = u;
    vm.heap().writeBarrier(as<Closure>(*dest), Value::object(u));
  }
}

// -- Globals --------------------------------------------------------------------------

void undefinedVariable(VM& vm, const GlobalCell& cell) {
  vm.errorf("Undefined variable '{}'.", cell.name->view());
}

// -- Property caches ------------------------------------------------------------------

namespace {

void remember(PropertyCache& cache, const PropertyCacheEntry& entry) {
  switch (cache.state) {
    case CacheState::Megamorphic:
      return;
    case CacheState::Empty:
    case CacheState::Monomorphic:
    case CacheState::Polymorphic:
      if (cache.count == kPolymorphicEntries) {
        cache.state = CacheState::Megamorphic;
        cache.count = 0;
        // The fast paths test entries[0] without looking at count: empty
        // entries make them always miss.
        for (PropertyCacheEntry& e : cache.entries) e = PropertyCacheEntry{};
        return;
      }
      cache.entries[cache.count++] = entry;
      cache.state = cache.count == 1 ? CacheState::Monomorphic : CacheState::Polymorphic;
      return;
  }
}

// The entry for field `slot` of instances of `shape`, made from `instance` (of
// that shape); `newShape`: a SETPROP that adds the field moves them there.
//
// Invariant: every instance of a given Shape has the same inline slot count,
// so `access` and `inlineSlots`, taken from this instance, are right for all of
// them. It holds because a shape belongs to one class (transitions start at the
// class's root shape), VM::newInstance gives every instance its class's
// inlineSlots, and only VM::newClass and Inherit set inlineSlots, Inherit right
// after Class, before an instance can exist. Checked by the unit test
// InlineCacheTest.EveryInstanceOfAShapeHasItsClassInlineSlotCount.
PropertyCacheEntry fieldEntry(Instance* instance, Shape* shape, Shape* newShape, uint32_t slot) {
  PropertyCacheEntry entry;
  entry.shape = shape;
  entry.newShape = newShape;
  entry.slot = slot;
  entry.inlineSlots = uint8_t(instance->inlineCount());  // at most kMaxInlineSlots
  bool inside = slot < entry.inlineSlots;
  if (newShape == nullptr) {
    entry.access = inside ? CacheAccess::InlineField : CacheAccess::OverflowField;
  } else {
    entry.access = inside ? CacheAccess::AddInlineField : CacheAccess::AddOverflowField;
  }
  return entry;
}

PropertyCacheEntry methodEntry(Shape* shape, Obj* method) {
  PropertyCacheEntry entry;
  entry.shape = shape;
  entry.method = method;
  entry.access = CacheAccess::Method;
  return entry;
}

PropertyCacheEntry builtinEntry(Native* native, ObjKind kind) {
  PropertyCacheEntry entry;
  entry.method = native;
  entry.slot = uint32_t(kind);
  entry.access = CacheAccess::Builtin;
  return entry;
}

// Finds `name` on an instance: a field or a class method.
bool lookupProperty(Instance* instance, String* name, PropertyCacheEntry* out) {
  Shape* shape = instance->shape;
  uint32_t slot = shape->find(name);
  if (slot != Shape::kNotFound) {
    *out = fieldEntry(instance, shape, nullptr, slot);
    return true;
  }
  Value method;
  if (instance->shape->klass->methods.get(Value::object(name), &method)) {
    *out = methodEntry(shape, method.asObj());
    return true;
  }
  return false;
}

// The entry for `instance` in `cache`: a hit, or a new entry remembered in the
// cache. False (error pending) when the instance has no such property.
bool findEntry(VM& vm, FunctionProto* owner, PropertyCache& cache, Instance* instance,
               PropertyCacheEntry* out) {
  if (PropertyCacheEntry* cached = probe(cache, instance->shape)) {
    *out = *cached;
    return true;
  }
  if (!lookupProperty(instance, cache.name, out)) {
    vm.errorf("Undefined property '{}'.", cache.name->view());
    return false;
  }
  remember(cache, *out);
  vm.heap().writeBarrier(owner, out->method);  // the cache may now hold a young method
  return true;
}

// The built-in method `cache.name` of a list, map or string receiver (cached),
// or null.
Native* findBuiltin(PropertyCache& cache, Obj* receiver, VM& vm) {
  ObjKind kind = receiver->kind;
  if (Native* native = probeBuiltin(cache, kind)) return native;
  Native* native = vm.findBuiltinMethod(kind, cache.name);
  if (native != nullptr) remember(cache, builtinEntry(native, kind));
  return native;
}

}  // namespace

bool getPropertyMiss(VM& vm, FunctionProto* owner, PropertyCache& cache, Value* dest, Value* receiverSlot) {
  Value receiver = *receiverSlot;
  if (isInstance(receiver)) {
    Instance* instance = as<Instance>(receiver);
    PropertyCacheEntry entry;
    if (!findEntry(vm, owner, cache, instance, &entry)) return false;
    if (entry.access != CacheAccess::Method) {
      *dest = cachedField(instance, entry);
    } else {
      // A cached method: binding it allocates, so it is not a fast path.
      *dest = Value::object(vm.newBoundMethod(receiver, entry.method));
    }
    return true;
  }
  if (receiver.isObj()) {
    if (Native* native = findBuiltin(cache, receiver.asObj(), vm)) {
      *dest = Value::object(vm.newBoundMethod(receiver, native));
      return true;
    }
  }
  // Lox's message for strings (and so for every non-instance), even though
  // lists, maps and strings do have built-in methods.
  vm.error("Only instances have properties.");
  return false;
}

bool setPropertyMiss(VM& vm, PropertyCache& cache, Value* instanceSlot, Value* valueSlot) {
  if (!isInstance(*instanceSlot)) {
    vm.error("Only instances have fields.");
    return false;
  }
  Instance* instance = as<Instance>(*instanceSlot);
  Shape* shape = instance->shape;
  if (PropertyCacheEntry* cached = probe(cache, shape)) {
    storeCachedField(vm, instance, *cached, *valueSlot);
    return true;
  }
  uint32_t slot = shape->find(cache.name);
  PropertyCacheEntry entry;
  if (slot != Shape::kNotFound) {
    entry = fieldEntry(instance, shape, nullptr, slot);
  } else {
    Shape* next = shapeTransition(vm, shape, cache.name);
    instance = as<Instance>(*instanceSlot);
    entry = fieldEntry(instance, instance->shape, next, next->fieldCount - 1);
  }
  remember(cache, entry);
  storeCachedField(vm, instance, entry, *valueSlot);
  return true;
}

CallOutcome invokeMiss(VM& vm, FunctionProto* owner, PropertyCache& cache, Value* callBase, int argCount) {
  Value receiver = *callBase;
  if (isInstance(receiver)) {
    Instance* instance = as<Instance>(receiver);
    PropertyCacheEntry entry;
    if (!findEntry(vm, owner, cache, instance, &entry)) return CallOutcome::Error;
    if (entry.access == CacheAccess::Method) {
      // A method: `this` is already in register 0 of the new frame.
      return pushFrame(vm, static_cast<Closure*>(entry.method), callBase, argCount) ? CallOutcome::PushedFrame
                                                                                    : CallOutcome::Error;
    }
    *callBase = cachedField(instance, entry);  // a field holding a callable
    return callValueAt(vm, callBase, argCount);
  }
  if (receiver.isObj()) {
    // Built-in methods of lists, maps and strings are cached too, in entries
    // with no shape whose slot holds the receiver's object kind.
    if (Native* native = findBuiltin(cache, receiver.asObj(), vm))
      return callNative(vm, native, callBase, argCount);
  }
  // clox's message for an invocation on a non-instance.
  vm.error("Only instances have methods.");
  return CallOutcome::Error;
}

namespace {

// Method `cache.name` of `superclass`, cached at the site under the class's
// root shape. False (error pending) when the class has no such method.
bool findSuperMethod(VM& vm, FunctionProto* owner, PropertyCache& cache, Class* superclass, Obj** out) {
  if (PropertyCacheEntry* cached = probe(cache, superclass->rootShape)) {
    *out = cached->method;
    return true;
  }
  Value method;
  if (!superclass->methods.get(Value::object(cache.name), &method)) {
    vm.errorf("Undefined property '{}'.", cache.name->view());
    return false;
  }
  remember(cache, methodEntry(superclass->rootShape, method.asObj()));
  vm.heap().writeBarrier(owner, method);  // the cache may now hold a young method
  *out = method.asObj();
  return true;
}

}  // namespace

bool getSuperMethod(VM& vm, FunctionProto* owner, PropertyCache& cache, Value* dest, Value* receiverSlot,
                    Class* superclass) {
  Obj* method;
  if (!findSuperMethod(vm, owner, cache, superclass, &method)) return false;
  *dest = Value::object(vm.newBoundMethod(*receiverSlot, method));
  return true;
}

CallOutcome superInvoke(VM& vm, FunctionProto* owner, PropertyCache& cache, Value* callBase, int argCount,
                        Class* superclass) {
  Obj* method;
  if (!findSuperMethod(vm, owner, cache, superclass, &method)) return CallOutcome::Error;
  return pushFrame(vm, static_cast<Closure*>(method), callBase, argCount) ? CallOutcome::PushedFrame
                                                                          : CallOutcome::Error;
}

// -- Classes ----------------------------------------------------------------------------

bool inheritFrom(VM& vm, Value* subclassSlot, Value superclassValue, uint32_t ownFields) {
  if (!isClass(superclassValue)) {
    vm.error("Superclass must be a class.");
    return false;
  }
  Class* subclass = as<Class>(*subclassSlot);
  Class* superclass = as<Class>(superclassValue);
  const MapTable& methods = superclass->methods;
  for (uint32_t i = 0; i < methods.entryEnd(); i++) {
    const MapEntry& e = methods.entryAt(i);
    if (!MapTable::isTombstone(e)) subclass->methods.set(e.key, e.value);
  }
  subclass->superclass = superclass;
  // Instances get the superclass's fields and the subclass's own. No instance
  // exists yet: Inherit runs right after Class.
  subclass->inlineSlots = std::min(superclass->inlineSlots + ownFields, kMaxInlineSlots);
  subclass->initializer = superclass->initializer;
  vm.heap().writeBarrier(subclass, superclassValue);
  vm.heap().writeBarrier(subclass, superclass->initializer);
  return true;
}

void defineMethod(VM& vm, Class* klass, Value name, Value method) {
  klass->methods.set(name, method);
  if (as<String>(name)->view() == "init") klass->initializer = method;
  vm.heap().writeBarrier(klass, method);
}

void defineClass(VM& vm, Value* dest, String* name, uint32_t fields) {
  Class* klass = vm.newClass(name, fields == 0 ? kDefaultInlineSlots : fields);
  *dest = Value::object(klass);
}

// -- Indexing ---------------------------------------------------------------------------

bool checkIndex(VM& vm, Value index, uint32_t count, const char* what, uint32_t* out) {
  if (!index.isNumber() || index.asNumber() != std::floor(index.asNumber())) {
    vm.errorf("{} index must be an integer.", what);
    return false;
  }
  double d = index.asNumber();
  if (!(d >= 0 && d < double(count))) {
    vm.errorf("{} index out of range.", what);
    return false;
  }
  *out = uint32_t(d);
  return true;
}

bool getIndex(VM& vm, Value* dest, Value object, Value index) {
  if (object.isObj()) {
    switch (object.asObj()->kind) {
      case ObjKind::List: {
        List* list = as<List>(object);
        uint32_t i;
        if (!checkIndex(vm, index, list->count, "List", &i)) return false;
        *dest = list->items[i];
        return true;
      }
      case ObjKind::Map: {
        Value v;
        *dest = as<Map>(object)->table.get(index, &v) ? v : Value::nil();
        return true;
      }
      case ObjKind::String: {
        String* s = as<String>(object);
        uint32_t i;
        if (!checkIndex(vm, index, s->length, "String", &i)) return false;
        *dest = Value::object(vm.charString(static_cast<unsigned char>(s->chars()[i])));
        return true;
      }
      default:
        break;
    }
  }
  vm.error("Only lists, maps and strings can be indexed.");
  return false;
}

bool setIndex(VM& vm, Value object, Value index, Value value) {
  if (isList(object)) {
    List* list = as<List>(object);
    uint32_t i;
    if (!checkIndex(vm, index, list->count, "List", &i)) return false;
    list->items[i] = value;
    vm.heap().writeBarrier(list, value);
    return true;
  }
  if (isMap(object)) return vm.mapSet(as<Map>(object), index, value);
  vm.error("Only lists and maps support index assignment.");
  return false;
}

void listPushLiteral(VM& vm, Value* listSlot, Value* valueSlot) {
  vm.listPush(as<List>(*listSlot), *valueSlot);
}

// -- Arithmetic slow paths -------------------------------------------------------------

namespace {
bool toInteger(Value v, int64_t* out) { return v.isNumber() && numberToInt64(v.asNumber(), out); }
}  // namespace

uint8_t feedbackFor(Value a, Value b) {
  uint8_t bits = 0;
  if (!a.isNumber() || !b.isNumber()) bits |= kFeedbackNonNumber;
  if (isString(a) && isString(b))
    bits |= kFeedbackString;
  else if (!(a.isNumber() && b.isNumber()))
    bits |= kFeedbackOther;
  return bits;
}

bool arithmeticSlow(VM& vm, Opcode op, Value* dest, Value b, Value c) {
  switch (op) {
    case Opcode::Add:
      return addSlow(vm, dest, b, c);
    case Opcode::AddK:
      vm.error("Operands must be two numbers or two strings.");
      return false;
    case Opcode::Neg:
      vm.error("Operand must be a number.");
      return false;
    default:
      vm.error("Operands must be numbers.");
      return false;
  }
}

bool bitwise(VM& vm, Opcode op, Value a, Value b, Value* dest) {
  int64_t x, y;
  if (!toInteger(a, &x) || !toInteger(b, &y)) {
    vm.error("Operands must be integers.");
    return false;
  }
  int64_t r = 0;
  switch (op) {
    case Opcode::BitAnd:
      r = x & y;
      break;
    case Opcode::BitOr:
      r = x | y;
      break;
    case Opcode::BitXor:
      r = x ^ y;
      break;
    case Opcode::Shl:
    case Opcode::Shr:
      if (y < 0 || y > 63) {
        vm.error("Shift count must be in 0..63.");
        return false;
      }
      r = op == Opcode::Shl ? int64_t(uint64_t(x) << y) : (x >> y);
      break;
    default:
      break;
  }
  *dest = Value::number(double(r));
  return true;
}

bool bitNot(VM& vm, Value a, Value* dest) {
  int64_t x;
  if (!toInteger(a, &x)) {
    vm.error("Operand must be an integer.");
    return false;
  }
  *dest = Value::number(double(~x));
  return true;
}

// -- Iteration and output ------------------------------------------------------------------

ForInStep forInStep(VM& vm, Value* r) {
  Value collection = r[0];
  uint32_t cursor = uint32_t(r[1].asNumber());
  if (isList(collection)) {
    List* list = as<List>(collection);
    if (cursor >= list->count) return ForInStep::Done;
    r[2] = list->items[cursor];
    r[1] = Value::number(cursor + 1);
    return ForInStep::Next;
  }
  if (isMap(collection)) {
    const MapTable& table = as<Map>(collection)->table;
    while (cursor < table.entryEnd() && MapTable::isTombstone(table.entryAt(cursor))) cursor++;
    if (cursor >= table.entryEnd()) return ForInStep::Done;
    r[2] = table.entryAt(cursor).key;
    r[1] = Value::number(cursor + 1);
    return ForInStep::Next;
  }
  if (isString(collection)) {
    String* s = as<String>(collection);
    if (cursor >= s->length) return ForInStep::Done;
    String* c = vm.charString(static_cast<unsigned char>(s->chars()[cursor]));
    r[2] = Value::object(c);  // r is a frame slot: still valid after the allocation
    r[1] = Value::number(cursor + 1);
    return ForInStep::Next;
  }
  vm.error("Can only iterate over lists, maps and strings.");
  return ForInStep::Error;
}

// Out of line: a std::string in the dispatch loop would not be destroyed when
// a computed goto leaves its scope (GCC compiles it and leaks; Clang refuses).
bool printValue(VM& vm, Value v) {
  std::string text;
  appendValue(text, v);
  text += '\n';
  if (!vm.outputHandler()) {
    std::fwrite(text.data(), 1, text.size(), vm.output());
    return true;
  }
  try {
    vm.outputHandler()(text);  // a host's code: it must not unwind through the tiers
  } catch (const std::exception& e) {
    vm.errorf("Output handler threw an exception: {}", e.what());
    return false;
  } catch (...) {
    vm.error("Output handler threw an exception.");
    return false;
  }
  return true;
}

// -- Limits and errors ---------------------------------------------------------------------

bool stopRequested(VM& vm) {
  constexpr uint32_t kStop = ExecutionState::kSafepointInterrupt | ExecutionState::kSafepointTimeout;
  uint32_t requests = vm.exec.safepointRequests.load(std::memory_order_relaxed);
  if ((requests & kStop) == 0) return false;
  vm.exec.safepointRequests.fetch_and(~kStop, std::memory_order_relaxed);
  if (requests & ExecutionState::kSafepointTimeout) {
    vm.limitError(ErrorCause::TimedOut, "Timed out.");
  } else {
    vm.limitError(ErrorCause::Interrupted, "Interrupted.");
  }
  return true;
}

bool handleSafepoint(VM& vm) {
  if (stopRequested(vm)) return false;
  uint32_t requests = vm.exec.safepointRequests.load(std::memory_order_relaxed);
  if ((requests & ExecutionState::kSafepointHeapLimit) && vm.heap().confirmOutOfMemory()) {
    vm.limitError(ErrorCause::OutOfMemory, "Out of memory.");
    return false;
  }
  return true;
}

void stepLimitExceeded(VM& vm) { vm.limitError(ErrorCause::StepLimit, "Step limit exceeded."); }

const uint32_t* frameIp(VM& vm, CallFrame* frame, bool innermost) {
  // A compiled caller's ip is where its callee returns to (see TierUp::callSiteIp).
  if (!innermost && frame[1].nativeReturn != nullptr && vm.tierUp() != nullptr) {
    if (const uint32_t* ip = vm.tierUp()->callSiteIp(frame->closure->proto, frame[1].nativeReturn)) return ip;
  }
  return frame->ip;
}

void reportRuntimeError(VM& vm, CallFrame* stopAt) {
  std::string report = vm.pendingError();
  report += '\n';
  // Very deep traces (stack overflow) keep the innermost and outermost frames.
  constexpr size_t kInnermost = 50, kOutermost = 10;
  CallFrame* innermost = vm.exec.frame;
  size_t depth = size_t(innermost - stopAt);
  bool shortened = depth > kInnermost + kOutermost + 1;
  std::vector<VM::TraceFrame> trace;
  for (size_t fromTop = 0; fromTop < depth; fromTop++) {
    if (shortened && fromTop == kInnermost) {
      report += fmt::format("[... {} frames omitted ...]\n", depth - kInnermost - kOutermost);
    }
    if (shortened && fromTop >= kInnermost && fromTop < depth - kOutermost) continue;
    CallFrame& frame = innermost[-std::ptrdiff_t(fromTop)];
    FunctionProto* proto = frame.closure->proto;
    size_t offset = size_t(frameIp(vm, &frame, fromTop == 0) - proto->code.data());
    int line = proto->lines.empty() ? 0 : proto->lines[offset > 0 ? offset - 1 : 0];
    std::string function = proto->functionKind == FunctionKind::Script ? "script"
                           : proto->name == nullptr                    ? "<fn>"
                                                                       : std::string(proto->name->view());
    report += proto->functionKind == FunctionKind::Script
                  ? fmt::format("[line {}] in script\n", line)
                  : fmt::format("[line {}] in {}()\n", line, function);
    trace.push_back({std::move(function), line});
  }
  vm.writeError(report);
  vm.setLastError(std::move(report), std::move(trace), shortened ? depth - kInnermost - kOutermost : 0);
  Value* entryBase = stopAt[1].base;
  closeUpvalues(vm, entryBase);
  vm.exec.frame = stopAt;
  // The entry point (VM::run / VM::callValue) restores stackTop.
}

}  // namespace kiln
