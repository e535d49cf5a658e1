// The interpreter: one dispatch loop over register bytecode (vm/opcodes.def),
// with computed goto. Fast paths are inline in the loop; slow paths are the
// out-of-line functions above it, named after what they do. Script calls push a
// CallFrame and continue in the same loop: the C++ stack never grows with
// script recursion.
//
// The loop is instantiated twice: with and without statistics counting, so
// `--stats` costs nothing when it is off.
#include <cmath>
#include <cstdio>

#include "gc/handles.h"
#include "vm/arith.h"
#include "vm/opcodes.h"
#include "vm/print.h"
#include "vm/shape.h"
#include "vm/vm.h"

namespace kiln {

class Interpreter {
 public:
  // Runs until the frame stack is back down to `stopAt` (the innermost frame when
  // the entry point pushed the frame this activation starts with).
  template <bool kStats>
  static InterpretResult execute(VM& vm, CallFrame* stopAt);

  // -- Frames ------------------------------------------------------------------------
  // The slow paths of a call, out of line: the fast path (PUSH_FRAME in the loop,
  // pushFrame here) is a few compares.
  [[gnu::noinline, gnu::cold]] static void arityError(VM& vm, FunctionProto* proto, int argCount) {
    vm.errorf("Expected {} arguments but got {}.", proto->arity, argCount);
  }
  [[gnu::noinline, gnu::cold]] static void stackOverflow(VM& vm) { vm.error("Stack overflow."); }
  // The registers up to `top` are past stackCheck_: checks the real limit and
  // raises stackCheck_ (the collector lowers it again). False: stack overflow
  // (pending).
  [[gnu::noinline]] static bool growStack(VM& vm, Value* top) {
    if (top > vm.stackLimit_) {
      stackOverflow(vm);
      return false;
    }
    vm.stackCheck_ = top;
    return true;
  }

  // Pushes a frame for `closure` whose register 0 is base[0]. Returns false (with
  // the error pending) on arity mismatch or stack overflow. The dispatch loop
  // has its own copy (PUSH_FRAME) that keeps the new frame in registers.
  static bool pushFrame(VM& vm, Closure* closure, Value* base, int argCount) {
    FunctionProto* proto = closure->proto;
    if (argCount != proto->arity) {
      arityError(vm, proto, argCount);
      return false;
    }
    Value* top = base + proto->numRegisters;
    if (top > vm.stackCheck_ && !growStack(vm, top)) return false;
    if (vm.frame_ == vm.lastFrame_) {
      stackOverflow(vm);
      return false;
    }
    CallFrame* frame = ++vm.frame_;
    frame->closure = closure;
    frame->ip = proto->code.data();
    frame->base = base;
    vm.stackTop_ = top;
    return true;
  }

  enum class CallOutcome { PushedFrame, Done, Error };

  // Calls the value in base[0] with argCount arguments in base[1..]. Closures get
  // a new frame (PushedFrame); natives and class constructors without `init`
  // finish here with the result in base[0] (Done).
  static CallOutcome callValue(VM& vm, Value* base, int argCount) {
    Value callee = base[0];
    if (callee.isObj()) {
      Obj* o = callee.asObj();
      switch (o->kind) {
        case ObjKind::Closure:
          return pushFrame(vm, static_cast<Closure*>(o), base, argCount) ? CallOutcome::PushedFrame
                                                                         : CallOutcome::Error;
        case ObjKind::Native:
          return callNative(vm, static_cast<Native*>(o), base, argCount);
        case ObjKind::Class: {
          auto* klass = static_cast<Class*>(o);
          Instance* instance = vm.newInstance(klass);  // base[0] keeps the class alive
          klass = static_cast<Class*>(base[0].asObj());
          base[0] = Value::object(instance);
          if (klass->initializer.isObj()) {
            return pushFrame(vm, as<Closure>(klass->initializer), base, argCount) ? CallOutcome::PushedFrame
                                                                                  : CallOutcome::Error;
          }
          if (argCount != 0) {
            vm.errorf("Expected 0 arguments but got {}.", argCount);
            return CallOutcome::Error;
          }
          return CallOutcome::Done;
        }
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

  static CallOutcome callNative(VM& vm, Native* native, Value* base, int argCount) {
    if (native->arity >= 0 && argCount != native->arity) {
      vm.errorf("Expected {} arguments but got {}.", native->arity, argCount);
      return CallOutcome::Error;
    }
    Value result = native->fn(vm, base, argCount);
    if (result.isError()) return CallOutcome::Error;
    base[0] = result;
    return CallOutcome::Done;
  }

  // -- Upvalues ------------------------------------------------------------------------
  static Upvalue* captureUpvalue(VM& vm, Value* slot) {
    Upvalue* previous = nullptr;
    Upvalue* u = vm.openUpvalues_;
    while (u != nullptr && u->location > slot) {
      previous = u;
      u = u->nextOpen;
    }
    if (u != nullptr && u->location == slot) return u;
    Upvalue* created = vm.newUpvalue(slot);
    // The allocation may have collected, but open upvalues are roots: re-walk.
    previous = nullptr;
    u = vm.openUpvalues_;
    while (u != nullptr && u->location > slot) {
      previous = u;
      u = u->nextOpen;
    }
    created->nextOpen = u;
    if (previous == nullptr) {
      vm.openUpvalues_ = created;
    } else {
      previous->nextOpen = created;
    }
    return created;
  }

  // Closes the open upvalues at or above `last`. Return runs this for every frame
  // (a closure factory closes its captured locals there), so it is inlined
  // there; the other callers use the out-of-line closeUpvalues.
  [[gnu::always_inline]] static void closeUpvaluesInline(VM& vm, Value* last) {
    // Tested once before the loop: most frames have nothing to close, and then
    // GCC does not set up the loop (its constants) at all.
    if (vm.openUpvalues_ == nullptr || vm.openUpvalues_->location < last) [[likely]]
      return;
    do {
      Upvalue* u = vm.openUpvalues_;
      u->closed = *u->location;
      u->location = &u->closed;
      vm.heap_.writeBarrier(u, u->closed);
      vm.openUpvalues_ = u->nextOpen;
    } while (vm.openUpvalues_ != nullptr && vm.openUpvalues_->location >= last);
  }
  [[gnu::noinline]] static void closeUpvalues(VM& vm, Value* last) { closeUpvaluesInline(vm, last); }

  // -- Properties ----------------------------------------------------------------------
  // The fast paths in the loop test entries[0] alone; these look at every entry.
  static PropertyCacheEntry* probe(PropertyCache& cache, Shape* shape) {
    for (int i = 0; i < cache.count; i++) {
      if (cache.entries[i].shape == shape) return &cache.entries[i];
    }
    return nullptr;
  }

  // The cached built-in method for receivers of `kind` (see PropertyCacheEntry).
  static Native* probeBuiltin(PropertyCache& cache, ObjKind kind) {
    for (int i = 0; i < cache.count; i++) {
      if (cache.entries[i].shape == nullptr && cache.entries[i].slot == uint32_t(kind)) {
        return static_cast<Native*>(cache.entries[i].method);
      }
    }
    return nullptr;
  }

  static void remember(PropertyCache& cache, const PropertyCacheEntry& entry) {
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
  static PropertyCacheEntry fieldEntry(Instance* instance, Shape* shape, Shape* newShape, uint32_t slot) {
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

  static PropertyCacheEntry methodEntry(Shape* shape, Obj* method) {
    PropertyCacheEntry entry;
    entry.shape = shape;
    entry.method = method;
    entry.access = CacheAccess::Method;
    return entry;
  }

  static PropertyCacheEntry builtinEntry(Native* native, ObjKind kind) {
    PropertyCacheEntry entry;
    entry.method = native;
    entry.slot = uint32_t(kind);
    entry.access = CacheAccess::Builtin;
    return entry;
  }

  static bool isFieldRead(const PropertyCacheEntry& e) {
    return e.access == CacheAccess::InlineField || e.access == CacheAccess::OverflowField;
  }

  // The field of `instance` that a field entry (not Method or Builtin) refers to.
  static Value& cachedField(Instance* instance, const PropertyCacheEntry& e) {
    bool inside = e.access == CacheAccess::InlineField || e.access == CacheAccess::AddInlineField;
    return inside ? instance->inlineSlots()[e.slot] : instance->overflow[e.slot - e.inlineSlots];
  }

  // A SETPROP hit on a field entry: adds the field first if the entry says so.
  static void storeCachedField(VM& vm, Instance* instance, const PropertyCacheEntry& e, Value value) {
    if (e.access == CacheAccess::AddInlineField || e.access == CacheAccess::AddOverflowField) {
      if (e.access == CacheAccess::AddOverflowField) vm.growOverflow(instance, e.slot);
      instance->shape = e.newShape;
      vm.heap_.writeBarrier(instance, Value::object(e.newShape));
    }
    cachedField(instance, e) = value;
    vm.heap_.writeBarrier(instance, value);
  }

  // Finds `name` on an instance: a field or a class method.
  static bool lookupProperty(Instance* instance, String* name, PropertyCacheEntry* out) {
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

  // GETPROP on a cache miss or a non-instance. Result in *dest.
  // `owner` is the function whose cache this is (it must remember a young method).
  static bool slowGetProperty(VM& vm, FunctionProto* owner, PropertyCache& cache, Value* dest,
                              Value* receiverSlot) {
    Value receiver = *receiverSlot;
    String* name = cache.name;
    if (isInstance(receiver)) {
      Instance* instance = as<Instance>(receiver);
      PropertyCacheEntry entry;
      if (PropertyCacheEntry* cached = probe(cache, instance->shape)) {
        entry = *cached;  // a cached method: binding it allocates, so it is not a fast path
      } else if (lookupProperty(instance, name, &entry)) {
        remember(cache, entry);
        vm.heap_.writeBarrier(owner, entry.method);
      } else {
        vm.errorf("Undefined property '{}'.", name->view());
        return false;
      }
      if (entry.access != CacheAccess::Method) {
        *dest = cachedField(instance, entry);
      } else {
        *dest = Value::object(vm.newBoundMethod(receiver, entry.method));
      }
      return true;
    }
    if (receiver.isObj()) {
      if (Native* native = vm.findBuiltinMethod(receiver.asObj()->kind, name)) {
        *dest = Value::object(vm.newBoundMethod(receiver, native));
        return true;
      }
    }
    // Lox's message for strings (and so for every non-instance), even though
    // lists, maps and strings do have built-in methods.
    vm.error("Only instances have properties.");
    return false;
  }

  // SETPROP on a cache miss or a non-instance. `instanceSlot` and `valueSlot` are
  // registers (rooted across the shape allocation).
  static bool slowSetProperty(VM& vm, PropertyCache& cache, Value* instanceSlot, Value* valueSlot) {
    if (!isInstance(*instanceSlot)) {
      vm.error("Only instances have fields.");
      return false;
    }
    Instance* instance = as<Instance>(*instanceSlot);
    Shape* shape = instance->shape;
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

  // -- Indexing ----------------------------------------------------------------------
  static bool checkIndex(VM& vm, Value index, uint32_t count, const char* what, uint32_t* out) {
    if (!index.isNumber()) {
      vm.errorf("{} index must be an integer.", what);
      return false;
    }
    double d = index.asNumber();
    if (d != std::floor(d)) {
      vm.errorf("{} index must be an integer.", what);
      return false;
    }
    if (!(d >= 0 && d < double(count))) {
      vm.errorf("{} index out of range.", what);
      return false;
    }
    *out = uint32_t(d);
    return true;
  }

  static bool getIndex(VM& vm, Value* dest, Value object, Value index) {
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

  static bool setIndex(VM& vm, Value object, Value index, Value value) {
    if (isList(object)) {
      List* list = as<List>(object);
      uint32_t i;
      if (!checkIndex(vm, index, list->count, "List", &i)) return false;
      list->items[i] = value;
      vm.heap_.writeBarrier(list, value);
      return true;
    }
    if (isMap(object)) return vm.mapSet(as<Map>(object), index, value);
    vm.error("Only lists and maps support index assignment.");
    return false;
  }

  // -- Arithmetic slow paths -------------------------------------------------------------
  static bool toInteger(Value v, int64_t* out) { return v.isNumber() && numberToInt64(v.asNumber(), out); }

  // Bitwise binary operators; op is the opcode.
  static bool bitwise(VM& vm, Opcode op, Value a, Value b, Value* dest) {
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

  static uint8_t feedbackFor(Value a, Value b) {
    uint8_t bits = 0;
    if (!a.isNumber() || !b.isNumber()) bits |= kFeedbackNonNumber;
    if (isString(a) && isString(b))
      bits |= kFeedbackString;
    else if (!(a.isNumber() && b.isNumber()))
      bits |= kFeedbackOther;
    return bits;
  }

  // Out of line: a std::string in the dispatch loop would not be destroyed when
  // a computed goto leaves its scope (GCC compiles it and leaks; Clang refuses).
  static void printValue(VM& vm, Value v) {
    std::string text;
    appendValue(text, v);
    text += '\n';
    std::fwrite(text.data(), 1, text.size(), vm.out_);
  }

  // -- Errors --------------------------------------------------------------------------
  // Formats the pending error with a stack trace, unwinds to `stopAt`.
  static void reportRuntimeError(VM& vm, CallFrame* stopAt) {
    std::string report = vm.pendingError_;
    report += '\n';
    // Very deep traces (stack overflow) keep the innermost and outermost frames.
    constexpr size_t kInnermost = 50, kOutermost = 10;
    size_t depth = size_t(vm.frame_ - stopAt);
    for (size_t fromTop = 0; fromTop < depth; fromTop++) {
      if (depth > kInnermost + kOutermost + 1 && fromTop == kInnermost) {
        report += fmt::format("[... {} frames omitted ...]\n", depth - kInnermost - kOutermost);
      }
      if (depth > kInnermost + kOutermost + 1 && fromTop >= kInnermost && fromTop < depth - kOutermost)
        continue;
      CallFrame& frame = vm.frame_[-std::ptrdiff_t(fromTop)];
      FunctionProto* proto = frame.closure->proto;
      size_t offset = size_t(frame.ip - proto->code.data());
      int line = proto->lines.empty() ? 0 : proto->lines[offset > 0 ? offset - 1 : 0];
      if (proto->functionKind == FunctionKind::Script) {
        report += fmt::format("[line {}] in script\n", line);
      } else if (proto->name == nullptr) {
        report += fmt::format("[line {}] in <fn>()\n", line);
      } else {
        report += fmt::format("[line {}] in {}()\n", line, proto->name->view());
      }
    }
    vm.lastError_ = report;
    std::fflush(vm.out_);  // keep earlier `print` output before the error
    std::fputs(report.c_str(), vm.err_);
    std::fflush(vm.err_);
    Value* entryBase = stopAt[1].base;
    closeUpvalues(vm, entryBase);
    vm.frame_ = stopAt;
    // The entry point (VM::run / VM::callValue) restores stackTop_.
  }
};

template <bool kStats>
InterpretResult Interpreter::execute(VM& vm, CallFrame* stopAt) {
  static void* const kDispatch[] = {
#define OPCODE(name, format, ext) &&op_##name,
#include "vm/opcodes.def"
#undef OPCODE
  };

  CallFrame* frame;  // always vm.frame_ (stored there at every push and pop)
  // No local copy of the running closure: the collector may move it (once the
  // nursery exists), so it is always read from the frame, which is a root.
  FunctionProto* proto;
  const uint32_t* ip;
  Value* base;
  const Value* k;
  uint32_t insn;
  Value returnValue;
  VMStats& stats = vm.stats_;

#define LOAD_FRAME()               \
  do {                             \
    frame = vm.frame_;             \
    proto = frame->closure->proto; \
    ip = frame->ip;                \
    base = frame->base;            \
    k = proto->constants.data();   \
  } while (0)
#define SAVE_IP() (frame->ip = ip)
#define DISPATCH()                              \
  do {                                          \
    if constexpr (kStats) stats.instructions++; \
    insn = *ip++;                               \
    goto* kDispatch[insn & 0xff];               \
  } while (0)
#define RA (base[argA(insn)])
#define RB (base[argB(insn)])
#define RC (base[argC(insn)])
#define KB (k[argB(insn)])
#define KC (k[argC(insn)])
#define EXT (*ip++)
#define THROW()         \
  do {                  \
    SAVE_IP();          \
    goto runtime_error; \
  } while (0)
#define ERROR(message) \
  do {                 \
    vm.error(message); \
    THROW();           \
  } while (0)
// Feedback is recorded at the instruction's own code word.
#define FEEDBACK(a, b) (proto->feedback[size_t(ip - proto->code.data()) - 1] |= feedbackFor(a, b))
#define FEEDBACK_EXT(a, b) (proto->feedback[size_t(ip - proto->code.data()) - 2] |= feedbackFor(a, b))
// The heap limit is checked at calls and loop back-edges: every unbounded
// allocation pattern passes one, so overshoot is bounded by one iteration's work.
#define CHECK_HEAP_LIMIT()                 \
  do {                                     \
    if (vm.heap_.outOfMemory()) {          \
      SAVE_IP();                           \
      if (vm.heap_.confirmOutOfMemory()) { \
        ERROR("Out of memory.");           \
      }                                    \
    }                                      \
  } while (0)
// Calls any callable in callBase[0] and continues in the new frame, if any.
#define CALL_VALUE(callBase, argCount)           \
  do {                                           \
    switch (callValue(vm, callBase, argCount)) { \
      case CallOutcome::PushedFrame:             \
        LOAD_FRAME();                            \
        break;                                   \
      case CallOutcome::Done:                    \
        break;                                   \
      case CallOutcome::Error:                   \
        goto runtime_error;                      \
    }                                            \
    DISPATCH();                                  \
  } while (0)

// Calls the closure `callee` with register 0 at callBase[0] and argCount
// arguments above it, and continues in the new frame. pushFrame, with the new
// frame's state kept in locals instead of re-read by LOAD_FRAME.
#define PUSH_FRAME(callee, callBase, argCount)                                   \
  do {                                                                           \
    Closure* pushClosure = (callee);                                             \
    Value* pushBase = (callBase);                                                \
    FunctionProto* pushProto = pushClosure->proto;                               \
    if (int(argCount) != pushProto->arity) {                                     \
      arityError(vm, pushProto, int(argCount));                                  \
      goto runtime_error;                                                        \
    }                                                                            \
    Value* pushTop = pushBase + pushProto->numRegisters;                         \
    if (pushTop > vm.stackCheck_ && !growStack(vm, pushTop)) goto runtime_error; \
    if (frame == vm.lastFrame_) {                                                \
      stackOverflow(vm);                                                         \
      goto runtime_error;                                                        \
    }                                                                            \
    frame++;                                                                     \
    ip = pushProto->code.data();                                                 \
    frame->closure = pushClosure;                                                \
    frame->base = pushBase;                                                      \
    /* Keeps GCC from pairing the stores in an SSE register (more work). */      \
    asm("" ::: "memory");                                                        \
    frame->ip = ip;                                                              \
    vm.frame_ = frame;                                                           \
    vm.stackTop_ = pushTop;                                                      \
    proto = pushProto;                                                           \
    base = pushBase;                                                             \
    k = proto->constants.data();                                                 \
    DISPATCH();                                                                  \
  } while (0)

  LOAD_FRAME();
  DISPATCH();

op_Move:
  RA = RB;
  DISPATCH();
op_LoadK:
  RA = k[argBx(insn)];
  DISPATCH();
op_LoadKX:
  RA = k[EXT];
  DISPATCH();
op_LoadI:
  RA = Value::number(double(argSBx(insn)));
  DISPATCH();
op_LoadNil : {
  Value* r = &RA;
  for (uint32_t i = 0; i <= argB(insn); i++) r[i] = Value::nil();
  DISPATCH();
}
op_LoadTrue:
  RA = Value::boolean(true);
  DISPATCH();
op_LoadFalse:
  RA = Value::boolean(false);
  DISPATCH();

op_GetUpval:
  RA = *frame->closure->upvalues()[argBx(insn)]->location;
  DISPATCH();
op_SetUpval : {
  Upvalue* u = frame->closure->upvalues()[argBx(insn)];
  *u->location = RA;
  vm.heap_.writeBarrier(u, RA);
  DISPATCH();
}
op_CloseUpvals:
  closeUpvalues(vm, &RA);
  DISPATCH();
op_GetGlobal : {
  GlobalCell& cell = vm.globals_[EXT];
  if constexpr (kStats) stats.global.hits++;
  if (cell.value.isUndefined()) {
    vm.errorf("Undefined variable '{}'.", cell.name->view());
    THROW();
  }
  RA = cell.value;
  DISPATCH();
}
op_SetGlobal : {
  GlobalCell& cell = vm.globals_[EXT];
  if constexpr (kStats) stats.global.hits++;
  if (cell.value.isUndefined()) {
    vm.errorf("Undefined variable '{}'.", cell.name->view());
    THROW();
  }
  cell.value = RA;
  DISPATCH();
}
op_DefGlobal:
  vm.globals_[EXT].value = RA;
  DISPATCH();

#define ARITH(name, expr)                        \
  op_##name : {                                  \
    Value b = RB, c = RC;                        \
    if (b.isNumber() && c.isNumber()) {          \
      double x = b.asNumber(), y = c.asNumber(); \
      RA = Value::number(expr);                  \
      DISPATCH();                                \
    }                                            \
    FEEDBACK(b, c);                              \
    ERROR("Operands must be numbers.");          \
  }                                              \
  op_##name##K : {                               \
    Value b = RB, c = KC;                        \
    if (b.isNumber()) {                          \
      double x = b.asNumber(), y = c.asNumber(); \
      RA = Value::number(expr);                  \
      DISPATCH();                                \
    }                                            \
    FEEDBACK(b, c);                              \
    ERROR("Operands must be numbers.");          \
  }

op_Add : {
  Value b = RB, c = RC;
  if (b.isNumber() && c.isNumber()) {
    RA = Value::number(b.asNumber() + c.asNumber());
    DISPATCH();
  }
  FEEDBACK(b, c);
  if (isString(b) && isString(c)) {
    SAVE_IP();
    String* s = vm.concat(as<String>(b), as<String>(c));
    RA = Value::object(s);
    DISPATCH();
  }
  ERROR("Operands must be two numbers or two strings.");
}
op_AddK : {
  Value b = RB, c = KC;
  if (b.isNumber()) {
    RA = Value::number(b.asNumber() + c.asNumber());
    DISPATCH();
  }
  FEEDBACK(b, c);
  ERROR("Operands must be two numbers or two strings.");
}
  ARITH(Sub, x - y)
  ARITH(Mul, x * y)
  ARITH(Div, x / y)
  ARITH(Mod, floorMod(x, y))
#undef ARITH

op_BitAnd:
op_BitOr:
op_BitXor:
op_Shl:
op_Shr : {
  Value b = RB, c = RC;
  if (!b.isNumber() || !c.isNumber()) FEEDBACK(b, c);
  if (!bitwise(vm, opOf(insn), b, c, &RA)) THROW();
  DISPATCH();
}
op_Neg : {
  Value b = RB;
  if (b.isNumber()) {
    RA = Value::number(-b.asNumber());
    DISPATCH();
  }
  FEEDBACK(b, b);
  ERROR("Operand must be a number.");
}
op_BitNot : {
  int64_t x;
  if (!toInteger(RB, &x)) ERROR("Operand must be an integer.");
  RA = Value::number(double(~x));
  DISPATCH();
}
op_Not:
  RA = Value::boolean(RB.isFalsey());
  DISPATCH();

op_Eq:
  RA = Value::boolean(valuesEqual(RB, RC));
  DISPATCH();
op_Ne:
  RA = Value::boolean(!valuesEqual(RB, RC));
  DISPATCH();
op_Lt : {
  Value b = RB, c = RC;
  if (b.isNumber() && c.isNumber()) {
    RA = Value::boolean(b.asNumber() < c.asNumber());
    DISPATCH();
  }
  FEEDBACK(b, c);
  ERROR("Operands must be numbers.");
}
op_Le : {
  Value b = RB, c = RC;
  if (b.isNumber() && c.isNumber()) {
    RA = Value::boolean(b.asNumber() <= c.asNumber());
    DISPATCH();
  }
  FEEDBACK(b, c);
  ERROR("Operands must be numbers.");
}

op_Jump:
  ip += argSJ(insn);
  DISPATCH();
op_Loop:
  ip += argSJ(insn);
  CHECK_HEAP_LIMIT();
  DISPATCH();
op_JumpIf : {
  int32_t offset = int32_t(EXT);
  if (!RA.isFalsey()) ip += offset;
  DISPATCH();
}
op_JumpIfNot : {
  int32_t offset = int32_t(EXT);
  if (RA.isFalsey()) ip += offset;
  DISPATCH();
}

// `rightIsNumber`: the K forms compare with a number constant (the compiler
// emits them for number literals only), so only the register needs a check.
#define COMPARE_JUMP(name, left, right, rightIsNumber, op) \
  op_##name : {                                            \
    Value l = left, r = right;                             \
    int32_t offset = int32_t(EXT);                         \
    if (l.isNumber() && (rightIsNumber || r.isNumber())) { \
      if (!(l.asNumber() op r.asNumber())) ip += offset;   \
      DISPATCH();                                          \
    }                                                      \
    FEEDBACK_EXT(l, r);                                    \
    ERROR("Operands must be numbers.");                    \
  }
  COMPARE_JUMP(JumpIfNotLt, RA, RB, false, <)
  COMPARE_JUMP(JumpIfNotLe, RA, RB, false, <=)
  COMPARE_JUMP(JumpIfNotLtK, RA, KB, true, <)
  COMPARE_JUMP(JumpIfNotLeK, RA, KB, true, <=)
  COMPARE_JUMP(JumpIfNotGtK, RA, KB, true, >)
  COMPARE_JUMP(JumpIfNotGeK, RA, KB, true, >=)
#undef COMPARE_JUMP
op_JumpIfNotEq : {
  int32_t offset = int32_t(EXT);
  if (!valuesEqual(RA, RB)) ip += offset;
  DISPATCH();
}
op_JumpIfNotNe : {
  int32_t offset = int32_t(EXT);
  if (valuesEqual(RA, RB)) ip += offset;
  DISPATCH();
}
op_JumpIfNotEqK : {
  int32_t offset = int32_t(EXT);
  if (!valuesEqual(RA, KB)) ip += offset;
  DISPATCH();
}
op_JumpIfNotNeK : {
  int32_t offset = int32_t(EXT);
  if (valuesEqual(RA, KB)) ip += offset;
  DISPATCH();
}

// Property sites test entries[0] first: a monomorphic site (the common case) hits
// there with one shape compare and one test of `access`. Empty and megamorphic
// caches have no shape there, so they fall through to the loop over the entries.
op_GetProp : {
  PropertyCache& cache = proto->propertyCaches[EXT];
  Value receiver = RB;
  if (isInstance(receiver)) {
    Instance* instance = as<Instance>(receiver);
    Shape* shape = instance->shape;
    const PropertyCacheEntry* e = &cache.entries[0];
    if (e->shape == shape && e->access == CacheAccess::InlineField) [[likely]] {
      if constexpr (kStats) stats.getProperty.hits++;
      RA = instance->inlineSlots()[e->slot];
      DISPATCH();
    }
    e = probe(cache, shape);
    if (e != nullptr && isFieldRead(*e)) {
      if constexpr (kStats) stats.getProperty.hits++;
      RA = cachedField(instance, *e);
      DISPATCH();
    }
  }
  if constexpr (kStats) stats.getProperty.misses++;
  SAVE_IP();
  Value result;
  if (!slowGetProperty(vm, proto, cache, &result, &RB)) goto runtime_error;
  RA = result;
  DISPATCH();
}
op_SetProp : {
  PropertyCache& cache = proto->propertyCaches[EXT];
  Value target = RA;
  if (isInstance(target)) {
    Instance* instance = as<Instance>(target);
    Shape* shape = instance->shape;
    const PropertyCacheEntry* e = &cache.entries[0];
    if (e->shape == shape) [[likely]] {
      // Constructors add inline fields; other setters overwrite them.
      if (e->access == CacheAccess::AddInlineField) {
        if constexpr (kStats) stats.setProperty.hits++;
        instance->shape = e->newShape;
        vm.heap_.writeBarrier(instance, Value::object(e->newShape));
        instance->inlineSlots()[e->slot] = RB;
        vm.heap_.writeBarrier(instance, RB);
        DISPATCH();
      }
      if (e->access == CacheAccess::InlineField) {
        if constexpr (kStats) stats.setProperty.hits++;
        instance->inlineSlots()[e->slot] = RB;
        vm.heap_.writeBarrier(instance, RB);
        DISPATCH();
      }
    }
    e = probe(cache, shape);
    if (e != nullptr) {
      if constexpr (kStats) stats.setProperty.hits++;
      storeCachedField(vm, instance, *e, RB);
      DISPATCH();
    }
  }
  if constexpr (kStats) stats.setProperty.misses++;
  SAVE_IP();
  if (!slowSetProperty(vm, cache, &RA, &RB)) goto runtime_error;
  DISPATCH();
}
op_GetSuper : {
  PropertyCache& cache = proto->propertyCaches[EXT];
  Class* superclass = as<Class>(RC);
  Value method;
  if (!superclass->methods.get(Value::object(cache.name), &method)) {
    vm.errorf("Undefined property '{}'.", cache.name->view());
    THROW();
  }
  SAVE_IP();
  BoundMethod* bound = vm.newBoundMethod(RB, method.asObj());
  RA = Value::object(bound);
  DISPATCH();
}
op_GetIndex : {
  Value object = RB, index = RC;
  if (isList(object) && index.isNumber()) {
    List* list = as<List>(object);
    double d = index.asNumber();
    if (d >= 0 && d < double(list->count) && d == double(uint32_t(d))) {
      RA = list->items[uint32_t(d)];
      DISPATCH();
    }
  }
  SAVE_IP();
  Value result;
  if (!getIndex(vm, &result, RB, RC)) goto runtime_error;
  RA = result;
  DISPATCH();
}
op_SetIndex : {
  Value object = RA, index = RB;
  if (isList(object) && index.isNumber()) {
    List* list = as<List>(object);
    double d = index.asNumber();
    if (d >= 0 && d < double(list->count) && d == double(uint32_t(d))) {
      list->items[uint32_t(d)] = RC;
      vm.heap_.writeBarrier(list, RC);
      DISPATCH();
    }
  }
  SAVE_IP();
  if (!setIndex(vm, object, index, RC)) goto runtime_error;
  DISPATCH();
}
op_NewList : {
  SAVE_IP();
  List* list = vm.newList(argBx(insn));
  RA = Value::object(list);
  DISPATCH();
}
op_ListPush : {  // list literals: NewList reserved the room, so this rarely grows
  List* list = as<List>(RA);
  if (list->count < list->capacity) {
    list->items[list->count++] = RB;
    vm.heap_.writeBarrier(list, RB);
    DISPATCH();
  }
  SAVE_IP();
  vm.listPush(list, RB);
  DISPATCH();
}
op_NewMap : {
  SAVE_IP();
  Map* map = vm.newMap(argBx(insn));
  RA = Value::object(map);
  DISPATCH();
}
op_Class : {
  SAVE_IP();
  uint32_t fields = argB(insn);
  Class* klass = vm.newClass(as<String>(k[EXT]), fields == 0 ? kDefaultInlineSlots : fields);
  RA = Value::object(klass);
  DISPATCH();
}
op_Inherit : {
  if (!isClass(RB)) ERROR("Superclass must be a class.");
  Class* subclass = as<Class>(RA);
  Class* superclass = as<Class>(RB);
  const MapTable& methods = superclass->methods;
  for (uint32_t i = 0; i < methods.entryEnd(); i++) {
    const MapEntry& e = methods.entryAt(i);
    if (!MapTable::isTombstone(e)) subclass->methods.set(e.key, e.value);
  }
  subclass->superclass = superclass;
  // Instances get the superclass's fields and the subclass's own (C). No instance
  // exists yet: Inherit runs right after Class.
  subclass->inlineSlots = std::min(superclass->inlineSlots + argC(insn), kMaxInlineSlots);
  subclass->initializer = superclass->initializer;
  vm.heap_.writeBarrier(subclass, RB);
  vm.heap_.writeBarrier(subclass, superclass->initializer);
  DISPATCH();
}
op_Method : {
  Class* klass = as<Class>(RA);
  Value name = k[EXT];
  klass->methods.set(name, RB);
  if (as<String>(name)->view() == "init") klass->initializer = RB;
  vm.heap_.writeBarrier(klass, RB);
  DISPATCH();
}

op_Call : {
  SAVE_IP();
  CHECK_HEAP_LIMIT();
  if (isClosure(RA)) PUSH_FRAME(as<Closure>(RA), &RA, argB(insn));  // the common case: script calls script
  if (isClass(RA) && as<Class>(RA)->initializer.isObj()) {          // constructing an instance
    Class* klass = as<Class>(RA);                                   // old: never moves
    Instance* instance = vm.newInstance(klass);
    RA = Value::object(instance);
    // Read the initializer after the allocation: a collection may have moved it.
    PUSH_FRAME(as<Closure>(klass->initializer), &RA, argB(insn));
  }
  CALL_VALUE(&RA, int(argB(insn)));
}
op_CallList : {
  SAVE_IP();
  CHECK_HEAP_LIMIT();
  List* list = as<List>(RB);
  Value* callBase = &RA;
  uint32_t argCount = list->count;
  // The arguments may lie above the current frame: make them roots first.
  Value* top = callBase + 1 + argCount;
  if (top > vm.stackCheck_ && !growStack(vm, top)) goto runtime_error;
  if (top > vm.stackTop_) vm.stackTop_ = top;
  for (uint32_t i = 0; i < argCount; i++) callBase[1 + i] = list->items[i];  // may overwrite R[B]
  CALL_VALUE(callBase, int(argCount));
}
op_Invoke : {
  PropertyCache& cache = proto->propertyCaches[EXT];
  Value* callBase = &RA;
  int argCount = int(argB(insn));
  SAVE_IP();
  CHECK_HEAP_LIMIT();
  Value receiver = *callBase;
  if (isInstance(receiver)) {
    Instance* instance = as<Instance>(receiver);
    Shape* shape = instance->shape;
    const PropertyCacheEntry* e = &cache.entries[0];
    if (e->shape == shape && e->access == CacheAccess::Method) [[likely]] {
      if constexpr (kStats) stats.invoke.hits++;
      // A method: `this` is already in register 0 of the new frame.
      PUSH_FRAME(static_cast<Closure*>(e->method), callBase, argCount);
    }
    e = probe(cache, shape);
    PropertyCacheEntry found;
    if (e != nullptr) {
      if constexpr (kStats) stats.invoke.hits++;
    } else {
      if constexpr (kStats) stats.invoke.misses++;
      if (!lookupProperty(instance, cache.name, &found)) {
        vm.errorf("Undefined property '{}'.", cache.name->view());
        goto runtime_error;
      }
      remember(cache, found);
      vm.heap_.writeBarrier(proto, found.method);  // the cache may now hold a young method
      e = &found;
    }
    if (e->access == CacheAccess::Method) PUSH_FRAME(static_cast<Closure*>(e->method), callBase, argCount);
    *callBase = cachedField(instance, *e);  // a field holding a callable
  } else if (receiver.isObj()) {
    // Built-in methods of lists, maps and strings are cached too, in entries
    // with no shape whose slot holds the receiver's object kind.
    ObjKind kind = receiver.asObj()->kind;
    Native* native = probeBuiltin(cache, kind);
    if (native != nullptr) {
      if constexpr (kStats) stats.invoke.hits++;
    } else {
      if constexpr (kStats) stats.invoke.misses++;
      native = vm.findBuiltinMethod(kind, cache.name);
      if (native != nullptr) remember(cache, builtinEntry(native, kind));
    }
    if (native == nullptr) {
      vm.error("Only instances have properties.");
      goto runtime_error;
    }
    if (callNative(vm, native, callBase, argCount) == CallOutcome::Error) goto runtime_error;
    DISPATCH();
  } else {
    ERROR("Only instances have properties.");
  }
  CALL_VALUE(callBase, argCount);
}
op_SuperInvoke : {
  PropertyCache& cache = proto->propertyCaches[EXT];
  Class* superclass = as<Class>(RC);
  Value method;
  SAVE_IP();
  if (!superclass->methods.get(Value::object(cache.name), &method)) {
    vm.errorf("Undefined property '{}'.", cache.name->view());
    goto runtime_error;
  }
  PUSH_FRAME(as<Closure>(method), &RA, argB(insn));
}
op_Closure : {
  SAVE_IP();
  auto* target = as<FunctionProto>(k[argBx(insn)]);
  Closure* created = vm.newClosure(target);
  RA = Value::object(created);  // rooted before capturing (which allocates)
  for (size_t i = 0; i < target->upvalues.size(); i++) {
    const UpvalueDesc& desc = target->upvalues[i];
    Upvalue* u = desc.fromParentRegister ? captureUpvalue(vm, base + desc.index)
                                         : frame->closure->upvalues()[desc.index];
    as<Closure>(RA)->upvalues()[i] = u;
    vm.heap_.writeBarrier(as<Closure>(RA), Value::object(u));
  }
  DISPATCH();
}
op_ReturnNil:
  returnValue = Value::nil();
  goto return_value;
op_Return:
  returnValue = RA;
return_value : {
  closeUpvaluesInline(vm, base);
  base[0] = returnValue;
  frame--;  // frames are contiguous: the caller's
  vm.frame_ = frame;
  if (frame == stopAt) return InterpretResult::Ok;  // the entry point restores stackTop_
  proto = frame->closure->proto;
  ip = frame->ip;
  base = frame->base;
  k = proto->constants.data();
  vm.stackTop_ = base + proto->numRegisters;
  DISPATCH();
}

op_ForIn : {
  Value* r = &RA;
  int32_t offset = int32_t(EXT);
  Value collection = r[0];
  uint32_t cursor = uint32_t(r[1].asNumber());
  if (isList(collection)) {
    List* list = as<List>(collection);
    if (cursor < list->count) {
      r[2] = list->items[cursor];
      r[1] = Value::number(cursor + 1);
    } else {
      ip += offset;
    }
    DISPATCH();
  }
  if (isMap(collection)) {
    const MapTable& table = as<Map>(collection)->table;
    while (cursor < table.entryEnd() && MapTable::isTombstone(table.entryAt(cursor))) cursor++;
    if (cursor < table.entryEnd()) {
      r[2] = table.entryAt(cursor).key;
      r[1] = Value::number(cursor + 1);
    } else {
      ip += offset;
    }
    DISPATCH();
  }
  if (isString(collection)) {
    String* s = as<String>(collection);
    if (cursor < s->length) {
      SAVE_IP();
      String* c = vm.charString(static_cast<unsigned char>(s->chars()[cursor]));
      r = &RA;
      r[2] = Value::object(c);
      r[1] = Value::number(cursor + 1);
    } else {
      ip += offset;
    }
    DISPATCH();
  }
  ERROR("Can only iterate over lists, maps and strings.");
}
op_Print:
  printValue(vm, RA);
  DISPATCH();

runtime_error:
  reportRuntimeError(vm, stopAt);
  return InterpretResult::RuntimeError;

#undef LOAD_FRAME
#undef PUSH_FRAME
#undef SAVE_IP
#undef DISPATCH
#undef RA
#undef RB
#undef RC
#undef KB
#undef KC
#undef EXT
#undef THROW
#undef ERROR
#undef FEEDBACK
#undef FEEDBACK_EXT
#undef CALL_VALUE
#undef CHECK_HEAP_LIMIT
}

// -- Entry points ---------------------------------------------------------------------

InterpretResult VM::run(FunctionProto* script) {
  heap_.clearOutOfMemory();  // a new run starts afresh; the next collection decides again
  HandleScope scope(heap_);
  Handle<FunctionProto> protoHandle = scope.make(script);
  Closure* closure = newClosure(protoHandle.get());
  CallFrame* entry = frame_;
  Value* base = stackTop_;
  base[0] = Value::object(closure);
  stackTop_ = base + 1;
  if (!Interpreter::pushFrame(*this, closure, base, 0)) {
    lastError_ = pendingError_ + "\n";
    std::fputs(lastError_.c_str(), err_);
    stackTop_ = base;
    return InterpretResult::RuntimeError;
  }
  InterpretResult result =
      options_.stats ? Interpreter::execute<true>(*this, entry) : Interpreter::execute<false>(*this, entry);
  stackTop_ = base;
  std::fflush(out_);
  return result;
}

InterpretResult VM::callValue(Value callee, const std::vector<Value>& args, Value* result) {
  CallFrame* entry = frame_;
  Value* base = stackTop_;
  if (size_t(stackLimit_ - base) < args.size() + 1) {
    lastError_ = "Stack overflow.\n";
    std::fputs(lastError_.c_str(), err_);
    return InterpretResult::RuntimeError;
  }
  base[0] = callee;
  for (size_t i = 0; i < args.size(); i++) base[i + 1] = args[i];
  stackTop_ = base + args.size() + 1;
  if (stackTop_ > stackCheck_) stackCheck_ = stackTop_;
  InterpretResult status = InterpretResult::Ok;
  switch (Interpreter::callValue(*this, base, int(args.size()))) {
    case Interpreter::CallOutcome::PushedFrame:
      status = options_.stats ? Interpreter::execute<true>(*this, entry)
                              : Interpreter::execute<false>(*this, entry);
      break;
    case Interpreter::CallOutcome::Done:
      break;
    case Interpreter::CallOutcome::Error:
      lastError_ = pendingError_ + "\n";
      std::fputs(lastError_.c_str(), err_);
      status = InterpretResult::RuntimeError;
      break;
  }
  if (status == InterpretResult::Ok && result != nullptr) *result = base[0];
  stackTop_ = base;
  std::fflush(out_);
  return status;
}

}  // namespace kiln
