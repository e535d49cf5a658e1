// The virtual machine: heap, interned strings, globals, the value stack and the
// interpreter entry points. One VM per embedding runtime; not thread-safe.
#pragma once

#include <fmt/format.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gc/heap.h"
#include "vm/object.h"
#include "vm/shape.h"
#include "vm/stats.h"
#include "vm/string_table.h"
#include "vm/tier_up.h"
#include "vm/value.h"

namespace kiln {

// A global variable's cell. The bytecode refers to globals by cell index, so a
// global is never looked up by name at run time. Cells never move (see
// VM::globals_): compiled code embeds their addresses.
struct GlobalCell {
  Value value = Value::undefined();  // undefined until the global is defined
  String* name = nullptr;
};

// One activation record. Frames live in their own array, innermost last;
// registers live on the value stack at `base` (register 0 = the callee or
// `this`). A frame's registers are base[0 .. proto->numRegisters); a callee's
// base is a register of its caller (the call's register A), so frames overlap by
// the arguments. `ip` is exact only at safe points: every tier saves it before
// anything that may allocate, raise or call out (the interpreter's SAVE_IP).
//
// `nativeReturn`: where this frame's caller continues in compiled code when
// this frame returns (set by a compiled caller; compiled and interpreted Returns
// both go there), or null when the caller continues in the interpreter.
// Compiled calls never use the C++ stack (docs/architecture.md, "Calls between
// compiled functions").
struct CallFrame {
  Closure* closure;
  const uint32_t* ip;  // next instruction (saved across calls)
  Value* base;
  const void* nativeReturn;
};

// The state every tier reads and writes: the value stack and the frames.
// Compiled code reaches these fields at fixed offsets (offsetof(VM, exec) plus
// the field's offset), so they are plain public data.
//
// The frames' registers are [stack, stackTop): the collector traces them.
// [stackTop, stackCheck) may hold stale values of returned frames: the collector
// clears them (and lowers stackCheck to stackTop), so every slot below
// stackCheck holds nil, zero bits or a valid value. stackCheck <= stackLimit is
// the one bound a call's fast path compares with; past it growStack() checks
// the real limit and raises stackCheck.
//
// frames[0] is the outermost frame, frame the innermost (frames - 1 when there
// is none: the mapping starts with one unused frame, so that pointer is valid).
// Calls compare frame with lastFrame (maxFrames deep).
struct ExecutionState {
  Value* stack = nullptr;  // reserved with mmap; pages touched on demand
  Value* stackLimit = nullptr;
  Value* stackTop = nullptr;    // end of the innermost frame's registers
  Value* stackCheck = nullptr;  // see above
  CallFrame* frames = nullptr;
  CallFrame* frame = nullptr;
  CallFrame* lastFrame = nullptr;
  Upvalue* openUpvalues = nullptr;  // sorted by stack address, highest first
  // The one word both tiers poll at calls and loop back-edges: nonzero when
  // something must be handled there (handleSafepoint in vm/runtime.h). Other
  // threads may set bits (VM::requestInterrupt).
  std::atomic<uint32_t> safepointRequests{0};
  static constexpr uint32_t kSafepointHeapLimit = 1;  // the heap is over --max-heap
  static constexpr uint32_t kSafepointInterrupt = 2;  // requestInterrupt() was called
  static constexpr uint32_t kSafepointTimeout = 4;    // requestTimeout(): the host's time limit passed
  // The step budget (VM::setStepLimit): when VMOptions::countSteps is on, both
  // tiers count every call and loop back-edge (the safepoint polls) down here
  // and raise "Step limit exceeded." when it goes below zero. Without counting
  // no code for it exists: the interpreter loop is instantiated without it
  // and compiled code has no decrement.
  int64_t stepsLeft = INT64_MAX;
  // Tier-up: a function is handed to the JIT once its calls plus loop
  // back-edges pass this (UINT32_MAX with -Xint: never; nothing is counted).
  uint32_t jitThreshold = UINT32_MAX;
  // Where FunctionProto::tierUpCountdown starts: the first call after
  // jitThreshold events compiles (threshold 0: the first call).
  uint32_t countdownStart() const { return jitThreshold == UINT32_MAX ? UINT32_MAX : jitThreshold + 1; }
};

struct VMOptions {
  HeapOptions heap;  // the collector: kind, sizes, limit, testing aids
  bool stats = false;
  size_t stackSlots = size_t(1) << 22;  // value stack size (reserved lazily)
  size_t maxFrames = size_t(1) << 18;   // call depth limit ("Stack overflow.")
  bool countSteps = false;              // count steps for a step limit (ExecutionState::stepsLeft)
};

// What raised an error, for hosts that must tell the limits apart: the script
// itself (raised by the VM, a native or a host function), or
// one of the limits the host set. Limits are meant to be uncatchable.
enum class ErrorCause : uint8_t { Script, OutOfMemory, Interrupted, TimedOut, StepLimit };

enum class InterpretResult { Ok, CompileError, RuntimeError };

class VM {
 public:
  explicit VM(VMOptions options = {});
  ~VM();
  VM(const VM&) = delete;
  VM& operator=(const VM&) = delete;

  Heap& heap() { return heap_; }
  VMStats& stats() { return stats_; }
  const VMOptions& options() const { return options_; }

  // -- Allocation (every function here may collect) ------------------------------
  String* intern(std::string_view text);
  String* concat(String* a, String* b);
  FunctionProto* newProto();
  // Inline, like newInstance and newUpvalue: closure creation is hot.
  Closure* newClosure(FunctionProto* proto) {  // protos are old: `proto` survives
    uint32_t n = uint32_t(proto->upvalues.size());
    size_t extra = n * sizeof(Upvalue*);
    Closure* closure;
    if (proto->tenureClosures) {
      closure = heap_.makeOld<Closure>(ObjKind::Closure, extra);
      proto->tenuredClosure = closure;  // both old: no barrier
    } else {
      closure = heap_.make<Closure>(ObjKind::Closure, extra);
    }
    closure->proto = proto;
    closure->upvalueCount = n;
    // Null until captured (capturing allocates, so the collector may look). The
    // empty asm keeps GCC from turning this short loop into a call to memset.
    Upvalue** upvalues = closure->upvalues();
    for (uint32_t i = 0; i < n; i++) {
      upvalues[i] = nullptr;
      asm("" : : "r"(upvalues) : "memory");
    }
    return closure;
  }
  Native* newNative(std::string_view name, NativeFn fn, int arity);
  Class* newClass(String* name, uint32_t inlineSlots = kDefaultInlineSlots);
  Instance* newInstance(Class* klass) {  // inline: instance creation is hot
    uint32_t inlineSlots = klass->inlineSlots;
    Instance* instance = heap_.make<Instance>(ObjKind::Instance, inlineSlots * sizeof(Value));
    instance->aux = uint16_t(inlineSlots);
    instance->shape = klass->rootShape;  // classes are old objects: `klass` survived the allocation
    instance->overflow = nullptr;
    return instance;  // slots past the shape's field count are never read
  }
  BoundMethod* newBoundMethod(Value receiver, Obj* method);
  List* newList(uint32_t capacity = 0);
  Map* newMap(uint32_t capacity = 0);
  Upvalue* newUpvalue(Value* slot) {
    Upvalue* upvalue = heap_.make<Upvalue>(ObjKind::Upvalue, 0);
    upvalue->location = slot;
    upvalue->closed = Value::nil();
    upvalue->nextOpen = nullptr;
    return upvalue;
  }
  String* charString(unsigned char c);  // cached one-character strings
  // Makes room for field `slot` in an instance's overflow array.
  void growOverflow(Instance* instance, uint32_t slot);

  // List storage helpers (keep external-byte accounting and the barrier right).
  void listPush(List* list, Value v);
  void listReserve(List* list, uint32_t capacity);
  // Map store with the write barrier. Raises (returns false and sets the error)
  // for a nan key.
  bool mapSet(Map* map, Value key, Value value);

  // Instance fields by name (through the shape; may allocate a transition).
  void setField(Instance* instance, String* name, Value value);
  bool getField(Instance* instance, String* name, Value* out);

  // -- Globals ---------------------------------------------------------------------
  uint32_t globalIndex(String* name);  // the cell for `name`, created undefined
  GlobalCell& global(uint32_t index) { return globals_[index]; }
  static constexpr size_t kMaxGlobals = size_t(1) << 22;
  void defineGlobal(std::string_view name, Value value);
  void defineNative(std::string_view name, NativeFn fn, int arity);

  // Built-in methods of lists, maps and strings (name -> Native), used by INVOKE
  // and GETPROP on those receivers.
  // `intrinsic`: compiled code may do what `fn` does inline (vm/object.h).
  void defineBuiltinMethod(ObjKind receiverKind, std::string_view name, NativeFn fn, int arity,
                           NativeIntrinsic intrinsic = NativeIntrinsic::None);
  Native* findBuiltinMethod(ObjKind receiverKind, String* name);

  // -- Errors ------------------------------------------------------------------------
  // For natives: `return vm.error("Index out of range.");` raises a runtime error.
  Value error(std::string message);
  // Raises the error of a limit (not ErrorCause::Script); the cause is kept
  // for the host (kiln::Runtime::lastErrorKind).
  Value limitError(ErrorCause cause, std::string message);
  // The cause of the error being raised, and of the last one reported.
  ErrorCause pendingErrorCause() const { return pendingErrorCause_; }
  template <class... Args>
  Value errorf(fmt::format_string<Args...> format, Args&&... args) {
    return error(fmt::format(format, std::forward<Args>(args)...));
  }

  // -- Running code ----------------------------------------------------------------------
  // Runs a compiled top-level script. Runtime errors are reported to errorOutput()
  // as "message\n[line N] in fn()\n...[line N] in script".
  InterpretResult run(FunctionProto* script);
  // Calls a callable value from C++ (the embedding API). Runtime errors are
  // reported as by run(); the VM stays usable afterwards.
  InterpretResult callValue(Value callee, const std::vector<Value>& args, Value* result);
  // Where print and runtime errors go (defaults: stdout / stderr).
  void setOutput(std::FILE* out) { out_ = out; }
  void setErrorOutput(std::FILE* err) { err_ = err; }
  std::FILE* output() const { return out_; }
  // Where `print` writes instead of output(), when set: each call gets one
  // value's text with its newline. An exception it throws becomes a runtime
  // error of the script.
  using OutputHandler = std::function<void(std::string_view text)>;
  void setOutputHandler(OutputHandler handler) { outputHandler_ = std::move(handler); }
  const OutputHandler& outputHandler() const { return outputHandler_; }
  std::FILE* errorOutput() const { return err_; }
  // An error report to errorOutput() (none when it is null: the host reads
  // errors from lastError()), after flushing what `print` wrote.
  void writeError(std::string_view text);
  // The last runtime error (message plus stack trace lines), for embedders.
  const std::string& lastError() const { return lastError_; }
  // The stack trace of the last runtime error as data, innermost frame first:
  // the frames its text shows (a very deep trace keeps its 50 innermost and
  // 10 outermost), and how many were left out between them.
  struct TraceFrame {
    std::string function;  // "script", "<fn>" for a lambda, or the function's name
    int line;
  };
  const std::vector<TraceFrame>& lastTrace() const { return lastTrace_; }
  size_t lastTraceOmitted() const { return lastTraceOmitted_; }
  void setLastError(std::string report, std::vector<TraceFrame> trace = {}, size_t omitted = 0) {
    lastError_ = std::move(report);
    lastTrace_ = std::move(trace);
    lastTraceOmitted_ = omitted;
  }
  // The message of the error being raised (set by error()).
  const std::string& pendingError() const { return pendingError_; }

  // The execution state (see ExecutionState); the tiers and vm/runtime.h use it.
  ExecutionState exec;

  // The JIT (vm/tier_up.h), or null for the interpreter only. Installing one
  // with a threshold turns tier-up on.
  void setTierUp(std::unique_ptr<TierUp> tierUp, uint32_t threshold) {
    tierUp_ = std::move(tierUp);
    exec.jitThreshold = tierUp_ ? threshold : UINT32_MAX;
  }
  TierUp* tierUp() const { return tierUp_.get(); }

  // Asks the running script to stop with the runtime error "Interrupted." at
  // its next call or loop back-edge, in either tier. Safe to call from any
  // thread (a watchdog); the embedding API builds its limits on it.
  void requestInterrupt() {
    exec.safepointRequests.fetch_or(ExecutionState::kSafepointInterrupt, std::memory_order_relaxed);
  }
  // The same with "Timed out." (a host's watchdog for its time limit). The
  // watchdog's owner clears it before each run it times (clearTimeout): a
  // deadline that passed as the previous run ended must not stop the next.
  void requestTimeout() {
    exec.safepointRequests.fetch_or(ExecutionState::kSafepointTimeout, std::memory_order_relaxed);
  }
  void clearTimeout() {
    exec.safepointRequests.fetch_and(~ExecutionState::kSafepointTimeout, std::memory_order_relaxed);
  }
  // No frame is running: the next run() or callValue() comes from outside.
  bool idle() const { return exec.frame == exec.frames - 1; }
  // At most `steps` calls and loop iterations in each outermost run() or
  // callValue() (0: no limit). Needs VMOptions::countSteps.
  void setStepLimit(uint64_t steps) { stepLimit_ = steps; }
  uint64_t stepLimit() const { return stepLimit_; }

  // Protos being built by the compiler are rooted here until they are reachable.
  std::vector<FunctionProto*>& compilerRoots() { return compilerRoots_; }

 private:
  void visitRoots(RootVisitor& visitor);
  void sweepInternedStrings();

  VMOptions options_;
  // Before heap_: destroyed after it, since the collector frees prototypes,
  // which release their compiled code into the JIT.
  std::unique_ptr<TierUp> tierUp_;
  Heap heap_;
  VMStats stats_;
  std::FILE* out_;
  OutputHandler outputHandler_;
  std::FILE* err_;

  StringTable strings_;  // interned strings (weak)

  // Indexed by the operand of GetGlobal/SetGlobal/DefGlobal: kMaxGlobals cells
  // reserved with mmap (pages touched on demand), so a cell never moves.
  GlobalCell* globals_ = nullptr;
  uint32_t globalCount_ = 0;
  std::unordered_map<String*, uint32_t> globalIndex_;
  std::unordered_map<String*, Native*> builtinMethods_[3];  // list, map, string
  String* charStrings_[256] = {};

  std::string pendingError_;  // set by error(), consumed by the interpreter
  ErrorCause pendingErrorCause_ = ErrorCause::Script;
  uint64_t stepLimit_ = 0;
  // At run() and callValue(). From outside (idle): a fresh step budget, and
  // no interrupt left over from an earlier run. From a host function calling
  // back into the VM: false (with "Stack overflow." pending) when the native
  // stack has less than kNativeStackReserve left, so that a host's recursion
  // through the VM ends in an error, not a crash, on any thread's stack.
  bool enter();
  static constexpr size_t kNativeStackReserve = 128 << 10;
  std::string lastError_;
  std::vector<TraceFrame> lastTrace_;
  size_t lastTraceOmitted_ = 0;
  std::vector<FunctionProto*> compilerRoots_;
};

}  // namespace kiln
