// The virtual machine: heap, interned strings, globals, the value stack and the
// interpreter entry points. One VM per embedding runtime; not thread-safe.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gc/heap.h"
#include "vm/object.h"
#include "vm/shape.h"
#include "vm/stats.h"
#include "vm/string_table.h"
#include "vm/value.h"

namespace kiln {

// A global variable's cell. Compiled code refers to globals by cell index, so a
// global is never looked up by name at run time.
struct GlobalCell {
  Value value = Value::undefined();  // undefined until the global is defined
  String* name = nullptr;
};

// One activation record. Frames live in their own array, innermost last;
// registers live on the value stack at `base` (register 0 = the callee or
// `this`). A frame's registers are base[0 .. proto->numRegisters); a callee's
// base is a register of its caller (the call's register A), so frames overlap by
// the arguments. `ip` is exact only at safe points: the interpreter saves it
// before anything that may allocate, raise or call out (SAVE_IP).
struct CallFrame {
  Closure* closure;
  const uint32_t* ip;  // next instruction (saved across calls)
  Value* base;
};

struct VMOptions {
  HeapOptions heap;  // the collector: kind, sizes, limit, testing aids
  bool stats = false;
  size_t stackSlots = size_t(1) << 22;  // value stack size (reserved lazily)
  size_t maxFrames = size_t(1) << 18;   // call depth limit ("Stack overflow.")
};

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
    Closure* closure = heap_.make<Closure>(ObjKind::Closure, n * sizeof(Upvalue*));
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
  void defineGlobal(std::string_view name, Value value);
  void defineNative(std::string_view name, NativeFn fn, int arity);

  // Built-in methods of lists, maps and strings (name -> Native), used by INVOKE
  // and GETPROP on those receivers.
  void defineBuiltinMethod(ObjKind receiverKind, std::string_view name, NativeFn fn, int arity);
  Native* findBuiltinMethod(ObjKind receiverKind, String* name);

  // -- Errors ------------------------------------------------------------------------
  // For natives: `return vm.error("Index out of range.");` raises a runtime error.
  Value error(std::string message);
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
  std::FILE* errorOutput() const { return err_; }
  // The last runtime error (message plus stack trace lines), for embedders.
  const std::string& lastError() const { return lastError_; }

  // Protos being built by the compiler are rooted here until they are reachable.
  std::vector<FunctionProto*>& compilerRoots() { return compilerRoots_; }

 private:
  friend class Interpreter;
  void visitRoots(RootVisitor& visitor);
  void sweepInternedStrings();

  VMOptions options_;
  Heap heap_;
  VMStats stats_;
  std::FILE* out_;
  std::FILE* err_;

  StringTable strings_;  // interned strings (weak)

  // Indexed by the operand of GetGlobal/SetGlobal/DefGlobal. Cells move when the
  // vector grows: hold an index, never a cell reference across globalIndex().
  std::vector<GlobalCell> globals_;
  std::unordered_map<String*, uint32_t> globalIndex_;
  std::unordered_map<String*, Native*> builtinMethods_[3];  // list, map, string
  String* charStrings_[256] = {};

  // The value stack (reserved with mmap; pages touched on demand). The frames'
  // registers are [stack_, stackTop_): the collector traces them.
  // [stackTop_, stackCheck_) may hold stale values of returned frames: the
  // collector clears them (and lowers stackCheck_ to stackTop_), so every slot
  // below stackCheck_ holds nil, zero bits or a valid value. stackCheck_ <=
  // stackLimit_ is the one bound a call's fast path compares with; past it
  // growStack() checks the real limit and raises stackCheck_.
  Value* stack_ = nullptr;
  Value* stackLimit_ = nullptr;
  Value* stackTop_ = nullptr;    // end of the innermost frame's registers
  Value* stackCheck_ = nullptr;  // see above
  // The frames: frames_[0] is the outermost, frame_ the innermost (frames_ - 1
  // when there is none: the mapping starts with one unused frame, so that
  // pointer is valid). Calls compare frame_ with lastFrame_ (maxFrames deep).
  CallFrame* frames_ = nullptr;
  CallFrame* frame_ = nullptr;
  CallFrame* lastFrame_ = nullptr;
  Upvalue* openUpvalues_ = nullptr;

  std::string pendingError_;  // set by error(), consumed by the interpreter
  std::string lastError_;
  std::vector<FunctionProto*> compilerRoots_;
};

}  // namespace kiln
