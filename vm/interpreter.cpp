// The interpreter: one dispatch loop over register bytecode (vm/opcodes.def),
// with computed goto. Fast paths are inline in the loop; everything else calls
// the runtime entry points of vm/runtime.h, which compiled code calls too.
// Script calls push a CallFrame and continue in the same loop: the C++ stack
// never grows with script recursion.
//
// Tier-up (vm/tier_up.h): calls and loop back-edges count down
// FunctionProto::tierUpCountdown; a function with compiled code is entered at
// its start, a hot loop by on-stack replacement, and compiled code hands frames
// back with a JitExit. Without a JIT (-Xint) the loop is instantiated without
// any of this.
//
// The loop is instantiated with and without statistics counting and with and
// without step counting, so `--stats` and the step budget cost nothing when
// they are off.
#include <cmath>
#include <cstdio>

#include "gc/handles.h"
#include "vm/arith.h"
#include "vm/opcodes.h"
#include "vm/runtime.h"
#include "vm/shape.h"
#include "vm/vm.h"

namespace kiln {

bool noteHotFunction(VM& vm, FunctionProto* proto) {
  TierUp* tierUp = vm.tierUp();
  if (tierUp == nullptr) {
    proto->tierUpCountdown = UINT32_MAX;
    return false;
  }
  if (proto->jitEntry == nullptr) tierUp->compile(vm, proto);
  proto->tierUpCountdown = proto->jitEntry != nullptr ? 1 : vm.exec.countdownStart();
  return proto->jitEntry != nullptr;
}

namespace {

// A back-edge to `loopHeader` brought the countdown to zero: the compiled
// code's entry at that loop header (on-stack replacement), or null.
[[gnu::noinline]] const void* noteHotLoop(VM& vm, FunctionProto* proto, const uint32_t* loopHeader) {
  TierUp* tierUp = vm.tierUp();
  if (tierUp == nullptr) {
    proto->tierUpCountdown = UINT32_MAX;
    return nullptr;
  }
  const void* entry = tierUp->compileForLoop(vm, proto, loopHeader);
  proto->tierUpCountdown = proto->jitEntry != nullptr ? 1 : vm.exec.countdownStart();
  return entry;
}

// kTiered: a JIT is installed (tier-up counting, call-target feedback, entries
// into compiled code). Without one (-Xint) none of it is compiled in.
// kCountSteps: the step budget is counted (VMOptions::countSteps).
template <bool kStats, bool kTiered, bool kCountSteps>
InterpretResult execute(VM& vm, CallFrame* stopAt) {
  static void* const kDispatch[] = {
#define OPCODE(name, format, a, b, c, ext) &&op_##name,
#include "vm/opcodes.def"
#undef OPCODE
  };

  ExecutionState& exec = vm.exec;
  CallFrame* frame;  // always exec.frame (stored there at every push and pop)
  // No local copy of the running closure: the collector may move it, so it is
  // always read from the frame, which is a root.
  FunctionProto* proto;
  const uint32_t* ip;
  Value* base;
  const Value* k;
  uint32_t insn;
  Value returnValue;
  const void* jitAddress;  // where enter_compiled_code goes
  VMStats& stats = vm.stats();

#define LOAD_FRAME()               \
  do {                             \
    frame = exec.frame;            \
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
// Feedback is recorded at the instruction's own code word.
#define FEEDBACK(a, b) (proto->feedback[size_t(ip - proto->code.data()) - 1] |= feedbackFor(a, b))
#define FEEDBACK_EXT(a, b) (proto->feedback[size_t(ip - proto->code.data()) - 2] |= feedbackFor(a, b))
// (Only with a JIT: for indexing it is on the path maps take every time.)
#define FEEDBACK_BITS(bits) (kTiered ? (proto->feedback[size_t(ip - proto->code.data()) - 1] |= (bits)) : 0)
// The safepoint poll at calls and loop back-edges (the heap limit, an
// interrupt): every unbounded loop or allocation pattern passes one, so the
// heap's overshoot is bounded by one iteration's work.
// With a step budget, each poll is a step.
#define CHECK_SAFEPOINT()                                                           \
  do {                                                                              \
    if constexpr (kCountSteps) {                                                    \
      if (--exec.stepsLeft < 0) [[unlikely]] {                                      \
        SAVE_IP();                                                                  \
        stepLimitExceeded(vm);                                                      \
        goto runtime_error;                                                         \
      }                                                                             \
    }                                                                               \
    if (exec.safepointRequests.load(std::memory_order_relaxed) != 0) [[unlikely]] { \
      SAVE_IP();                                                                    \
      if (!handleSafepoint(vm)) goto runtime_error;                                 \
    }                                                                               \
  } while (0)
// Continues after a call made by a runtime entry point.
#define CONTINUE_CALL(outcome)       \
  do {                               \
    switch (outcome) {               \
      case CallOutcome::PushedFrame: \
        goto entered_frame;          \
      case CallOutcome::Done:        \
        break;                       \
      case CallOutcome::Error:       \
        goto runtime_error;          \
    }                                \
    DISPATCH();                      \
  } while (0)

// Calls the closure `callee` with register 0 at callBase[0] and argCount
// arguments above it (pushFrame), and continues in the new frame, keeping its
// state in locals instead of re-reading it.
#define PUSH_FRAME(callee, callBase, argCount)                                 \
  do {                                                                         \
    Closure* pushClosure = (callee);                                           \
    CallFrame* pushed = pushFrame(vm, pushClosure, (callBase), int(argCount)); \
    if (pushed == nullptr) goto runtime_error;                                 \
    frame = pushed;                                                            \
    proto = pushClosure->proto;                                                \
    if constexpr (kTiered) {                                                   \
      if (countCall(vm, proto)) [[unlikely]]                                   \
        goto enter_function_code;                                              \
    }                                                                          \
    ip = proto->code.data();                                                   \
    base = pushed->base;                                                       \
    k = proto->constants.data();                                               \
    DISPATCH();                                                                \
  } while (0)

  // The entry point pushed the first frame (its callee may be compiled).
  goto entered_frame;

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
  vm.heap().writeBarrier(u, RA);
  DISPATCH();
}
op_CloseUpvals:
  closeUpvalues(vm, &RA);
  DISPATCH();
op_GetGlobal : {
  GlobalCell& cell = vm.global(EXT);
  if constexpr (kStats) stats.global.hits++;
  if (cell.value.isUndefined()) [[unlikely]] {
    undefinedVariable(vm, cell);
    THROW();
  }
  RA = cell.value;
  DISPATCH();
}
op_SetGlobal : {
  GlobalCell& cell = vm.global(EXT);
  if constexpr (kStats) stats.global.hits++;
  if (cell.value.isUndefined()) [[unlikely]] {
    undefinedVariable(vm, cell);
    THROW();
  }
  cell.value = RA;
  DISPATCH();
}
op_DefGlobal:
  vm.global(EXT).value = RA;
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
    arithmeticSlow(vm, opOf(insn), &RA, b, c);   \
    THROW();                                     \
  }                                              \
  op_##name##K : {                               \
    Value b = RB, c = KC;                        \
    if (b.isNumber()) {                          \
      double x = b.asNumber(), y = c.asNumber(); \
      RA = Value::number(expr);                  \
      DISPATCH();                                \
    }                                            \
    FEEDBACK(b, c);                              \
    arithmeticSlow(vm, opOf(insn), &RA, b, c);   \
    THROW();                                     \
  }

op_Add : {
  Value b = RB, c = RC;
  if (b.isNumber() && c.isNumber()) {
    RA = Value::number(b.asNumber() + c.asNumber());
    DISPATCH();
  }
  FEEDBACK(b, c);
  SAVE_IP();
  if (!addSlow(vm, &RA, b, c)) goto runtime_error;
  DISPATCH();
}
op_AddK : {
  Value b = RB, c = KC;
  if (b.isNumber()) {
    RA = Value::number(b.asNumber() + c.asNumber());
    DISPATCH();
  }
  FEEDBACK(b, c);
  arithmeticSlow(vm, Opcode::AddK, &RA, b, c);
  THROW();
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
  arithmeticSlow(vm, Opcode::Neg, &RA, b, b);
  THROW();
}
op_BitNot:
  if (!bitNot(vm, RB, &RA)) THROW();
  DISPATCH();
op_Not:
  RA = Value::boolean(RB.isFalsey());
  DISPATCH();

// Eq and Ne record feedback when not both operands are numbers (only with a
// JIT: it is their fast path, and only the JIT reads feedback).
#define EQUALITY(name, negate)                                      \
  op_##name : {                                                     \
    Value b = RB, c = RC;                                           \
    if (kTiered && !(b.isNumber() && c.isNumber())) FEEDBACK(b, c); \
    RA = Value::boolean(valuesEqual(b, c) != (negate));             \
    DISPATCH();                                                     \
  }
  EQUALITY(Eq, false)
  EQUALITY(Ne, true)
#undef EQUALITY
op_Lt : {
  Value b = RB, c = RC;
  if (b.isNumber() && c.isNumber()) {
    RA = Value::boolean(b.asNumber() < c.asNumber());
    DISPATCH();
  }
  FEEDBACK(b, c);
  arithmeticSlow(vm, opOf(insn), &RA, b, c);
  THROW();
}
op_Le : {
  Value b = RB, c = RC;
  if (b.isNumber() && c.isNumber()) {
    RA = Value::boolean(b.asNumber() <= c.asNumber());
    DISPATCH();
  }
  FEEDBACK(b, c);
  arithmeticSlow(vm, opOf(insn), &RA, b, c);
  THROW();
}

op_Jump:
  ip += argSJ(insn);
  DISPATCH();
op_Loop:
  ip += argSJ(insn);
  CHECK_SAFEPOINT();
  if constexpr (kTiered) {
    if (--proto->tierUpCountdown == 0) [[unlikely]] {
      SAVE_IP();
      jitAddress = noteHotLoop(vm, proto, ip);
      if (jitAddress != nullptr) goto enter_compiled_code;  // on-stack replacement at the loop header
    }
  }
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
    arithmeticSlow(vm, opOf(insn), &RA, l, r);             \
    THROW();                                               \
  }
  COMPARE_JUMP(JumpIfNotLt, RA, RB, false, <)
  COMPARE_JUMP(JumpIfNotLe, RA, RB, false, <=)
  COMPARE_JUMP(JumpIfNotLtK, RA, KB, true, <)
  COMPARE_JUMP(JumpIfNotLeK, RA, KB, true, <=)
  COMPARE_JUMP(JumpIfNotGtK, RA, KB, true, >)
  COMPARE_JUMP(JumpIfNotGeK, RA, KB, true, >=)
#undef COMPARE_JUMP
#define EQUALITY_JUMP(name, right, jumpWhenEqual)                       \
  op_##name : {                                                         \
    Value l = RA, r = right;                                            \
    int32_t offset = int32_t(EXT);                                      \
    if (kTiered && !(l.isNumber() && r.isNumber())) FEEDBACK_EXT(l, r); \
    if (valuesEqual(l, r) == (jumpWhenEqual)) ip += offset;             \
    DISPATCH();                                                         \
  }
  EQUALITY_JUMP(JumpIfNotEq, RB, false)
  EQUALITY_JUMP(JumpIfNotNe, RB, true)
  EQUALITY_JUMP(JumpIfNotEqK, KB, false)
  EQUALITY_JUMP(JumpIfNotNeK, KB, true)
#undef EQUALITY_JUMP

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
  if (!isInstance(receiver)) FEEDBACK_BITS(kFeedbackOther);  // compiled code guards on an instance
  SAVE_IP();
  Value result;
  if (!getPropertyMiss(vm, proto, cache, &result, &RB)) goto runtime_error;
  RA = result;
  DISPATCH();
}
op_SetProp : {
  PropertyCache& cache = proto->propertyCaches[EXT];
  Value target = RA;
  if (isInstance(target)) {
    Instance* instance = as<Instance>(target);
    const PropertyCacheEntry* e = &cache.entries[0];
    if (e->shape == instance->shape) [[likely]] {
      // Constructors add inline fields; other setters overwrite them.
      if (e->access == CacheAccess::AddInlineField) {
        if constexpr (kStats) stats.setProperty.hits++;
        instance->shape = e->newShape;
        vm.heap().writeBarrier(instance, Value::object(e->newShape));
        instance->inlineSlots()[e->slot] = RB;
        vm.heap().writeBarrier(instance, RB);
        DISPATCH();
      }
      if (e->access == CacheAccess::InlineField) {
        if constexpr (kStats) stats.setProperty.hits++;
        instance->inlineSlots()[e->slot] = RB;
        vm.heap().writeBarrier(instance, RB);
        DISPATCH();
      }
    }
    e = probe(cache, instance->shape);  // a polymorphic site
    if (e != nullptr) {
      if constexpr (kStats) stats.setProperty.hits++;
      storeCachedField(vm, instance, *e, RB);
      DISPATCH();
    }
  }
  if constexpr (kStats) stats.setProperty.misses++;
  SAVE_IP();
  if (!setPropertyMiss(vm, cache, &RA, &RB)) goto runtime_error;
  DISPATCH();
}
op_GetSuper : {
  PropertyCache& cache = proto->propertyCaches[EXT];
  SAVE_IP();
  Value result;
  if (!getSuperMethod(vm, proto, cache, &result, &RB, as<Class>(RC))) goto runtime_error;
  RA = result;
  DISPATCH();
}
op_GetIndex : {
  Value object = RB;
  uint32_t i;
  if (isList(object) && isListIndex(RC, as<List>(object)->count, &i)) [[likely]] {
    RA = as<List>(object)->items[i];
    DISPATCH();
  }
  FEEDBACK_BITS(kFeedbackOther);
  SAVE_IP();
  Value result;
  if (!getIndex(vm, &result, RB, RC)) goto runtime_error;
  RA = result;
  DISPATCH();
}
op_SetIndex : {
  Value object = RA;
  uint32_t i;
  if (isList(object) && isListIndex(RB, as<List>(object)->count, &i)) [[likely]] {
    List* list = as<List>(object);
    list->items[i] = RC;
    vm.heap().writeBarrier(list, RC);
    DISPATCH();
  }
  FEEDBACK_BITS(kFeedbackOther);
  SAVE_IP();
  if (!setIndex(vm, RA, RB, RC)) goto runtime_error;
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
    vm.heap().writeBarrier(list, RB);
    DISPATCH();
  }
  SAVE_IP();
  listPushLiteral(vm, &RA, &RB);
  DISPATCH();
}
op_NewMap : {
  SAVE_IP();
  Map* map = vm.newMap(argBx(insn));
  RA = Value::object(map);
  DISPATCH();
}
op_Class:
  SAVE_IP();
  defineClass(vm, &RA, as<String>(k[EXT]), argB(insn));
  DISPATCH();
op_Inherit:
  if (!inheritFrom(vm, &RA, RB, argC(insn))) THROW();
  DISPATCH();
op_Method:
  defineMethod(vm, as<Class>(RA), k[EXT], RB);
  DISPATCH();

op_Call : {
  SAVE_IP();
  CHECK_SAFEPOINT();
  if (isClosure(RA)) {  // the common case: script calls script
    Closure* callee = as<Closure>(RA);
    if constexpr (kTiered) recordCallTarget(proto, ip - 1, callee->proto);
    PUSH_FRAME(callee, &RA, argB(insn));
  }
  if (isClass(RA)) {  // constructing an instance
    if (Closure* initializer = newInstanceForCall(vm, &RA)) PUSH_FRAME(initializer, &RA, argB(insn));
    if (!checkNoInitializerArguments(vm, int(argB(insn)))) goto runtime_error;
    DISPATCH();
  }
  CONTINUE_CALL(callValueAt(vm, &RA, int(argB(insn))));
}
op_CallList:
  SAVE_IP();
  CHECK_SAFEPOINT();
  CONTINUE_CALL(callWithList(vm, &RA, as<List>(RB)));
op_Invoke : {
  PropertyCache& cache = proto->propertyCaches[EXT];
  SAVE_IP();
  CHECK_SAFEPOINT();
  Value receiver = RA;
  if (isInstance(receiver)) {
    const PropertyCacheEntry* e = &cache.entries[0];
    Shape* shape = as<Instance>(receiver)->shape;
    if (e->shape == shape && e->access == CacheAccess::Method) [[likely]] {
      if constexpr (kStats) stats.invoke.hits++;
      // A method: `this` is already in register 0 of the new frame.
      PUSH_FRAME(static_cast<Closure*>(e->method), &RA, argB(insn));
    }
    e = probe(cache, shape);  // a polymorphic site, or a field
    if (e != nullptr && e->access == CacheAccess::Method) {
      if constexpr (kStats) stats.invoke.hits++;
      PUSH_FRAME(static_cast<Closure*>(e->method), &RA, argB(insn));
    }
    if (e != nullptr && isFieldRead(*e)) {  // a field holding a callable (Math.sqrt)
      if constexpr (kStats) stats.invoke.hits++;
      RA = cachedField(as<Instance>(receiver), *e);
      CONTINUE_CALL(callValueAt(vm, &RA, int(argB(insn))));
    }
  } else if (receiver.isObj()) {
    // A cached built-in method of a list, map or string.
    if (Native* native = probeBuiltin(cache, receiver.asObj()->kind)) {
      if constexpr (kStats) stats.invoke.hits++;
      if (callNative(vm, native, &RA, int(argB(insn))) == CallOutcome::Error) goto runtime_error;
      DISPATCH();
    }
  }
  if constexpr (kStats) stats.invoke.misses++;
  CONTINUE_CALL(invokeMiss(vm, proto, cache, &RA, int(argB(insn))));
}
op_SuperInvoke : {
  PropertyCache& cache = proto->propertyCaches[EXT];
  SAVE_IP();
  CONTINUE_CALL(superInvoke(vm, proto, cache, &RA, int(argB(insn)), as<Class>(RC)));
}
op_Closure:
  SAVE_IP();
  makeClosure(vm, frame, as<FunctionProto>(k[argBx(insn)]), &RA);
  DISPATCH();
op_ReturnNil:
  returnValue = Value::nil();
  goto return_value;
op_Return:
  returnValue = RA;
return_value : {
  closeUpvaluesInline(vm, base);
  base[0] = returnValue;
  const void* nativeReturn = frame->nativeReturn;
  frame--;  // frames are contiguous: the caller's
  exec.frame = frame;
  if (frame == stopAt) return InterpretResult::Ok;  // the entry point restores stackTop
  proto = frame->closure->proto;
  base = frame->base;
  exec.stackTop = base + proto->numRegisters;
  if constexpr (kTiered) {
    if (nativeReturn != nullptr) [[unlikely]] {  // a compiled caller
      jitAddress = nativeReturn;
      goto enter_compiled_code;
    }
  }
  ip = frame->ip;
  k = proto->constants.data();
  DISPATCH();
}

op_ForIn : {
  int32_t offset = int32_t(EXT);
  SAVE_IP();
  switch (forInStep(vm, &RA)) {
    case ForInStep::Next:
      break;
    case ForInStep::Done:
      ip += offset;
      break;
    case ForInStep::Error:
      goto runtime_error;
  }
  DISPATCH();
}
op_Print:
  if (!printValue(vm, RA)) THROW();  // the host's output handler failed
  DISPATCH();

// A runtime entry point pushed a frame (a closure callee): run it, in its
// compiled code if it has some.
entered_frame:
  LOAD_FRAME();
  if constexpr (!kTiered) {
    DISPATCH();
  } else {
    if (!countCall(vm, proto)) DISPATCH();
  }
// (Unused in the -Xint instantiation, which never jumps here.)
enter_function_code:
  __attribute__((unused));
  jitAddress = proto->jitEntry;
enter_compiled_code:
  __attribute__((unused));
  if constexpr (!kTiered) goto runtime_error;  // not reached: nothing is compiled
  switch (vm.tierUp()->enter(vm, jitAddress)) {
    case JitExit::Continue:
      if (exec.frame == stopAt) return InterpretResult::Ok;
      LOAD_FRAME();
      exec.stackTop = base + proto->numRegisters;  // compiled code may have left a callee's
      DISPATCH();
    case JitExit::Error:
      goto runtime_error;
  }
  goto runtime_error;  // not reached

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
#undef FEEDBACK
#undef FEEDBACK_EXT
#undef FEEDBACK_BITS
#undef CONTINUE_CALL
#undef CHECK_SAFEPOINT
}

template <bool kCountSteps>
InterpretResult interpretCounting(VM& vm, CallFrame* stopAt) {
  if (vm.tierUp() != nullptr) {
    return vm.options().stats ? execute<true, true, kCountSteps>(vm, stopAt)
                              : execute<false, true, kCountSteps>(vm, stopAt);
  }
  return vm.options().stats ? execute<true, false, kCountSteps>(vm, stopAt)
                            : execute<false, false, kCountSteps>(vm, stopAt);
}

InterpretResult interpret(VM& vm, CallFrame* stopAt) {
  return vm.options().countSteps ? interpretCounting<true>(vm, stopAt) : interpretCounting<false>(vm, stopAt);
}

// Reports an error raised before the interpreter started (it has no frame to
// unwind): the message alone.
InterpretResult reportEntryError(VM& vm) {
  vm.setLastError(vm.pendingError() + "\n");
  vm.writeError(vm.lastError());
  return InterpretResult::RuntimeError;
}

}  // namespace

// -- Entry points ---------------------------------------------------------------------

InterpretResult VM::run(FunctionProto* script) {
  heap_.clearOutOfMemory();  // a new run starts afresh; the next collection decides again
  if (!enter()) return reportEntryError(*this);
  HandleScope scope(heap_);
  Handle<FunctionProto> protoHandle = scope.make(script);
  Closure* closure = newClosure(protoHandle.get());
  CallFrame* entry = exec.frame;
  Value* base = exec.stackTop;
  base[0] = Value::object(closure);
  exec.stackTop = base + 1;
  InterpretResult result =
      pushFrame(*this, closure, base, 0) == nullptr ? reportEntryError(*this) : interpret(*this, entry);
  exec.stackTop = base;
  std::fflush(out_);
  return result;
}

InterpretResult VM::callValue(Value callee, const std::vector<Value>& args, Value* result) {
  if (!enter()) return reportEntryError(*this);
  CallFrame* entry = exec.frame;
  Value* base = exec.stackTop;
  if (size_t(exec.stackLimit - base) < args.size() + 1) {
    error("Stack overflow.");
    return reportEntryError(*this);
  }
  base[0] = callee;
  for (size_t i = 0; i < args.size(); i++) base[i + 1] = args[i];
  exec.stackTop = base + args.size() + 1;
  if (exec.stackTop > exec.stackCheck) exec.stackCheck = exec.stackTop;
  InterpretResult status = InterpretResult::Ok;
  switch (callValueAt(*this, base, int(args.size()))) {
    case CallOutcome::PushedFrame:
      status = interpret(*this, entry);  // enters compiled code if the callee has some
      break;
    case CallOutcome::Done:
      break;
    case CallOutcome::Error:
      status = reportEntryError(*this);
      break;
  }
  if (status == InterpretResult::Ok && result != nullptr) *result = base[0];
  exec.stackTop = base;
  std::fflush(out_);
  return status;
}

}  // namespace kiln
