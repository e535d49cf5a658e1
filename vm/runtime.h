// Runtime entry points: the one definition of every operation that is more than
// a fast path. The interpreter's slow paths are these functions, and compiled
// code (jit/) calls the same ones, so every tier has exactly the semantics of
// the others. Signatures are flat (the VM, frame slots, a cache) so that
// machine code can call them with the C calling convention.
//
// Conventions:
//   - A function that can raise returns false (or CallOutcome::Error) with the
//     error pending in the VM (VM::error); the caller unwinds with
//     reportRuntimeError. The frame's `ip` must be saved before the call.
//   - Anything may allocate unless it says otherwise: values are passed as
//     pointers to frame slots (rooted), and re-read after the call.
#pragma once

#include <cstdint>

#include "vm/inline_cache.h"
#include "vm/object.h"
#include "vm/opcodes.h"
#include "vm/vm.h"

namespace kiln {

// -- Frames and calls -----------------------------------------------------------------

[[gnu::noinline, gnu::cold]] void arityError(VM& vm, FunctionProto* proto, int argCount);
[[gnu::noinline, gnu::cold]] void stackOverflow(VM& vm);
// The registers up to `top` are past exec.stackCheck: checks the real limit and
// raises stackCheck (the collector lowers it again). False: stack overflow.
[[gnu::noinline]] bool growStack(VM& vm, Value* top);

// Tier-up (vm/tier_up.h): `proto`'s countdown reached zero at a call. Compiles
// it unless it has code already; true when it has code to enter. A compiled
// function's countdown is kept at 1, so that an activation that runs in the
// interpreter (after a deopt, or started before the compilation) checks again
// at its next call or back-edge: those activations are short-lived.
[[gnu::noinline]] bool noteHotFunction(VM& vm, FunctionProto* proto);
// Counts a call of `proto` (the tiered interpreter and runtime calls made for
// compiled code); true when it has compiled code to enter.
[[gnu::always_inline]] inline bool countCall(VM& vm, FunctionProto* proto) {
  return --proto->tierUpCountdown == 0 && noteHotFunction(vm, proto);
}

// Pushes an interpreter frame for `closure`, whose register 0 is base[0], with
// argCount arguments in base[1..]. Returns the new frame, or null (error
// pending) on arity mismatch or stack overflow. The one frame-entry path:
// inline, the interpreter's calls use it directly. (Counting the call toward
// tier-up is the caller's: countCall.)
[[gnu::always_inline]] inline CallFrame* pushFrame(VM& vm, Closure* closure, Value* base, int argCount) {
  ExecutionState& exec = vm.exec;
  FunctionProto* proto = closure->proto;
  if (argCount != proto->arity) [[unlikely]] {
    arityError(vm, proto, argCount);
    return nullptr;
  }
  Value* top = base + proto->numRegisters;
  if (top > exec.stackCheck && !growStack(vm, top)) return nullptr;
  CallFrame* frame = exec.frame;
  if (frame == exec.lastFrame) [[unlikely]] {
    stackOverflow(vm);
    return nullptr;
  }
  frame++;
  frame->closure = closure;
  frame->base = base;
  frame->nativeReturn = nullptr;
  // Keeps GCC from pairing the stores in an SSE register (more work).
  asm("" ::: "memory");
  frame->ip = proto->code.data();
  exec.frame = frame;
  exec.stackTop = top;
  return frame;
}

enum class CallOutcome { PushedFrame, Done, Error };

// Calls the value in base[0] with argCount arguments in base[1..]: closures get
// a new frame (PushedFrame); natives, and classes without `init`, finish here
// with the result in base[0] (Done).
CallOutcome callValueAt(VM& vm, Value* base, int argCount);
// Inline: the interpreter's built-in method calls (list.push, ...) use it.
inline CallOutcome callNative(VM& vm, Native* native, Value* base, int argCount) {
  if (native->arity >= 0 && argCount != native->arity) [[unlikely]] {
    vm.errorf("Expected {} arguments but got {}.", native->arity, argCount);
    return CallOutcome::Error;
  }
  Value result = native->fn(vm, base, argCount);
  if (result.isError()) return CallOutcome::Error;
  base[0] = result;
  return CallOutcome::Done;
}
// Calling a class: a new instance in base[0], then its initializer (a frame)
// or, without one, a check that there are no arguments.
CallOutcome constructInstance(VM& vm, Value* base, int argCount);
// Its first half, inline for the interpreter's calls: replaces the class in
// base[0] by a new instance of it, and returns the class's initializer (whose
// frame the caller pushes), or null if it has none.
[[gnu::always_inline]] inline Closure* newInstanceForCall(VM& vm, Value* base) {
  Instance* instance = vm.newInstance(as<Class>(base[0]));  // base[0] keeps the class alive
  Class* klass = as<Class>(base[0]);                        // classes are old: never moved
  base[0] = Value::object(instance);
  // Read the initializer after the allocation: a collection may have moved it.
  return klass->initializer.isObj() ? as<Closure>(klass->initializer) : nullptr;
}
// A class without `init` takes no arguments: false (error pending) otherwise.
bool checkNoInitializerArguments(VM& vm, int argCount);
// The list of a CallList spread into callBase[1..]: the arguments, then the call.
CallOutcome callWithList(VM& vm, Value* callBase, List* list);

// Records the callee of the Call at `callWord` (feedback for the JIT):
// FunctionProto::callTargets[site] keeps the first function seen there; a
// second one marks the site polymorphic (kFeedbackOther at the call word).
[[gnu::noinline]] void noteCallTarget(FunctionProto* caller, const uint32_t* callWord, FunctionProto* callee);
// The tiered interpreter's test before noteCallTarget (compiled code's calls
// through the runtime do not record: a recompile uses what the interpreter saw).
[[gnu::always_inline]] inline void recordCallTarget(FunctionProto* caller, const uint32_t* callWord,
                                                    FunctionProto* callee) {
  uint32_t site = argC(*callWord);
  if (caller->callTargets[site] != callee) [[unlikely]]
    noteCallTarget(caller, callWord, callee);
}

// -- Upvalues -----------------------------------------------------------------------

Upvalue* captureUpvalue(VM& vm, Value* slot);
// Closes the open upvalues at or above `last`. Return runs this for every frame,
// so it is inline there; the other callers use the out-of-line closeUpvalues.
[[gnu::always_inline]] inline void closeUpvaluesInline(VM& vm, Value* last) {
  ExecutionState& exec = vm.exec;
  // Tested once before the loop: most frames have nothing to close, and then
  // GCC does not set up the loop (its constants) at all.
  if (exec.openUpvalues == nullptr || exec.openUpvalues->location < last) [[likely]]
    return;
  do {
    Upvalue* u = exec.openUpvalues;
    u->closed = *u->location;
    u->location = &u->closed;
    vm.heap().writeBarrier(u, u->closed);
    exec.openUpvalues = u->nextOpen;
  } while (exec.openUpvalues != nullptr && exec.openUpvalues->location >= last);
}
[[gnu::noinline]] void closeUpvalues(VM& vm, Value* last);
// The Closure instruction: a closure of `target` in *dest, capturing registers
// of `frame` and upvalues of its closure (re-read from the frame after each
// allocation). Out of line: inlined into the interpreter loop it measured
// slower (bench/closures.kn: 4.297 G against 4.184 G instructions).
void makeClosure(VM& vm, CallFrame* frame, FunctionProto* target, Value* dest);

// -- Globals --------------------------------------------------------------------------

// "Undefined variable 'x'." for an unset cell.
[[gnu::noinline, gnu::cold]] void undefinedVariable(VM& vm, const GlobalCell& cell);

// -- Property caches: one miss handler per cache kind -----------------------------------

// The fast paths test entries[0] alone; probe looks at every entry.
inline PropertyCacheEntry* probe(PropertyCache& cache, Shape* shape) {
  for (int i = 0; i < cache.count; i++) {
    if (cache.entries[i].shape == shape) return &cache.entries[i];
  }
  return nullptr;
}
// The cached built-in method for receivers of `kind` (see PropertyCacheEntry).
inline Native* probeBuiltin(PropertyCache& cache, ObjKind kind) {
  for (int i = 0; i < cache.count; i++) {
    if (cache.entries[i].shape == nullptr && cache.entries[i].slot == uint32_t(kind)) {
      return static_cast<Native*>(cache.entries[i].method);
    }
  }
  return nullptr;
}
inline bool isFieldRead(const PropertyCacheEntry& e) {
  return e.access == CacheAccess::InlineField || e.access == CacheAccess::OverflowField;
}
// The field of `instance` that a field entry (not Method or Builtin) refers to.
inline Value& cachedField(Instance* instance, const PropertyCacheEntry& e) {
  bool inside = e.access == CacheAccess::InlineField || e.access == CacheAccess::AddInlineField;
  return inside ? instance->inlineSlots()[e.slot] : instance->overflow[e.slot - e.inlineSlots];
}
// A SETPROP hit on a field entry: adds the field first if the entry says so.
inline void storeCachedField(VM& vm, Instance* instance, const PropertyCacheEntry& e, Value value) {
  if (e.access == CacheAccess::AddInlineField || e.access == CacheAccess::AddOverflowField) {
    if (e.access == CacheAccess::AddOverflowField) vm.growOverflow(instance, e.slot);
    instance->shape = e.newShape;
    vm.heap().writeBarrier(instance, Value::object(e.newShape));
  }
  cachedField(instance, e) = value;
  vm.heap().writeBarrier(instance, value);
}

// GETPROP that the fast path did not finish: a polymorphic hit, a miss, a method
// (bound here), a built-in method, or an error. Result in *dest. `owner` is the
// function whose cache this is (it must remember a young method).
bool getPropertyMiss(VM& vm, FunctionProto* owner, PropertyCache& cache, Value* dest, Value* receiverSlot);
// SETPROP that the fast path did not finish. `instanceSlot` and `valueSlot` are
// registers (rooted across the shape allocation).
bool setPropertyMiss(VM& vm, PropertyCache& cache, Value* instanceSlot, Value* valueSlot);
// INVOKE that the fast path did not finish: calls method `cache.name` of
// callBase[0] with argCount arguments (a frame for a closure method).
CallOutcome invokeMiss(VM& vm, FunctionProto* owner, PropertyCache& cache, Value* callBase, int argCount);
// GETSUPER: method `cache.name` of `superclass`, bound to *receiverSlot.
// Both find the method through the site's cache, keyed by the superclass's
// root shape (a class's methods never change once its body has run).
bool getSuperMethod(VM& vm, FunctionProto* owner, PropertyCache& cache, Value* dest, Value* receiverSlot,
                    Class* superclass);
// SUPERINVOKE: calls method `cache.name` of `superclass` on callBase[0].
CallOutcome superInvoke(VM& vm, FunctionProto* owner, PropertyCache& cache, Value* callBase, int argCount,
                        Class* superclass);

// -- Classes ----------------------------------------------------------------------------

bool inheritFrom(VM& vm, Value* subclassSlot, Value superclass, uint32_t ownFields);
void defineMethod(VM& vm, Class* klass, Value name, Value method);
void defineClass(VM& vm, Value* dest, String* name, uint32_t fields);

// -- Indexing ---------------------------------------------------------------------------

// The one list and string index check: an integral number in [0, count).
// `what` names the indexed kind in the message ("List index out of range.").
bool checkIndex(VM& vm, Value index, uint32_t count, const char* what, uint32_t* out);
// The fast test of that check, for a list in the interpreter's and compiled
// code's fast paths (false: take getIndex/setIndex, which raises if needed).
inline bool isListIndex(Value index, uint32_t count, uint32_t* out) {
  if (!index.isNumber()) return false;
  double d = index.asNumber();
  if (!(d >= 0 && d < double(count) && d == double(uint32_t(d)))) return false;
  *out = uint32_t(d);
  return true;
}
bool getIndex(VM& vm, Value* dest, Value object, Value index);
bool setIndex(VM& vm, Value object, Value index, Value value);
void listPushLiteral(VM& vm, Value* listSlot, Value* valueSlot);

// -- Arithmetic and comparison slow paths --------------------------------------------------

uint8_t feedbackFor(Value a, Value b);
// An arithmetic or comparison instruction `op` whose operands were not both
// numbers: Add concatenates two strings; everything else raises the
// operator's message ("Operands must be numbers.", ...). Result in *dest.
bool arithmeticSlow(VM& vm, Opcode op, Value* dest, Value b, Value c);
// Add of anything but two numbers: string concatenation or the error.
inline bool addSlow(VM& vm, Value* dest, Value b, Value c) {
  if (isString(b) && isString(c)) [[likely]] {
    String* s = vm.concat(as<String>(b), as<String>(c));
    *dest = Value::object(s);
    return true;
  }
  vm.error("Operands must be two numbers or two strings.");
  return false;
}
// Bitwise binary operators; `op` is the opcode (BitAnd .. Shr).
bool bitwise(VM& vm, Opcode op, Value a, Value b, Value* dest);
bool bitNot(VM& vm, Value a, Value* dest);

// -- Iteration and output ------------------------------------------------------------------

enum class ForInStep { Next, Done, Error };
// One step of `for (x in R[A])` with r = &R[A] (collection, cursor, variable).
ForInStep forInStep(VM& vm, Value* r);
// The Print instruction: the value's text and a newline to the output handler
// (VM::setOutputHandler) or the output stream. False: the handler failed (an
// error is pending).
bool printValue(VM& vm, Value v);

// -- Limits and errors ---------------------------------------------------------------------

// At a call or loop back-edge when exec.safepointRequests is nonzero: an
// interrupt raises "Interrupted.", a timeout "Timed out."; the heap limit
// collects, and raises "Out of memory." if the heap is still over it. False:
// an error is pending (of a limit's ErrorCause).
bool handleSafepoint(VM& vm);
// An interrupt or a timeout is pending: raises it ("Interrupted.", "Timed
// out.") and returns true. Never allocates or collects, so natives may call
// it while they hold raw pointers: through pollStop.
bool stopRequested(VM& vm);
// For natives whose loops can run long on big inputs (join, replace): every
// 4096th iteration, whether the host asked the script to stop. True: the
// error is pending; return Value::error().
[[gnu::always_inline]] inline bool pollStop(VM& vm, uint64_t iteration) {
  if ((iteration & 4095) != 4095) return false;
  return vm.exec.safepointRequests.load(std::memory_order_relaxed) != 0 && stopRequested(vm);
}
// The step budget ran out (ExecutionState::stepsLeft): raises "Step limit exceeded.".
void stepLimitExceeded(VM& vm);
// Formats the pending error with a stack trace of the frames above `stopAt`,
// reports it, and unwinds to `stopAt`.
void reportRuntimeError(VM& vm, CallFrame* stopAt);
// Where `frame` is in its function (the interpreter's ip: the word after the
// instruction it is executing). `innermost`: no frame above it; below the
// innermost, a compiled frame's ip comes from its callee's return address.
const uint32_t* frameIp(VM& vm, CallFrame* frame, bool innermost);

}  // namespace kiln
