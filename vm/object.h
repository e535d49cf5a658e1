// Heap object layouts. Every heap object starts with an Obj header; the collector
// (gc/) allocates them and reaches their fields only through traceObject() and
// destroyObject() (vm/object.cpp), so the layouts stay private to vm/ and the
// tiers that compile against them (the interpreter and the JIT).
//
// GC rule: any C++ code that holds a raw Obj* across something that may allocate
// must root it (VM stack, Handle<T>, or a field of a rooted object).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "vm/inline_cache.h"
#include "vm/map_table.h"
#include "vm/value.h"

namespace kiln {

class VM;
struct Shape;
struct Closure;

enum class ObjKind : uint8_t {
  String,
  Proto,
  Closure,
  Upvalue,
  Native,
  Class,
  Instance,
  BoundMethod,
  List,
  Map,
  Shape,
};

// GC header bits (Obj::gcBits).
enum GcBit : uint8_t {
  kGcMarked = 1 << 0,
  kGcOld = 1 << 1,         // in the old space (never moves); clear: in the nursery
  kGcRemembered = 1 << 2,  // in the old->young remembered set
  kGcForwarded = 1 << 3,   // moved by a scavenge; `next` holds the new address
  // Bits 4-5: the number of scavenges a young object has survived.
};
constexpr int kGcAgeShift = 4;

struct Obj {
  Obj* next;  // intrusive list of every object in its space (for sweeping)
  ObjKind kind;
  uint8_t gcBits;
  uint16_t aux;   // kind-specific small data (instances: see Instance)
  uint32_t hash;  // strings: content hash; other objects: identity hash
};
static_assert(sizeof(Obj) == 16);

// The identity hash of a non-string object, assigned on first use from its
// address at that moment and kept in the header when the object moves (0 means
// not assigned yet; string content hashes are never 0).
inline uint32_t identityHash(Obj* o) {
  if (o->hash == 0) {
    uint64_t h = (reinterpret_cast<uintptr_t>(o) >> 3) * 0x9e3779b97f4a7c15ull;
    o->hash = uint32_t(h >> 32) | 1;
  }
  return o->hash;
}

struct String : Obj {
  uint32_t length;
  // `length` bytes of text follow the object, then a NUL.
  const char* chars() const { return reinterpret_cast<const char*>(this + 1); }
  char* mutableChars() { return reinterpret_cast<char*>(this + 1); }
  std::string_view view() const { return {chars(), length}; }
};

struct UpvalueDesc {
  bool fromParentRegister;  // true: capture the enclosing frame's register `index`;
  uint32_t index;           // false: share the enclosing closure's upvalue `index`
};

enum class FunctionKind : uint8_t { Script, Function, Method, Initializer, Lambda };

// Bits recorded in FunctionProto::feedback[pc] by the slow paths of arithmetic and
// comparison instructions. Fast paths record nothing: an instruction with no bits
// has only ever seen numbers (or never run), which is what the JIT speculates on.
//
// The same bits serve the other instructions with feedback:
//   Eq, Ne, JumpIfNotEq, JumpIfNotNe: recorded when not both operands were numbers.
//   GetIndex, SetIndex: kFeedbackOther when the access was not an in-range
//     list element at an integral index (a map, a string, or an error).
//   Call: kFeedbackOther when the site called more than one function
//     (FunctionProto::callTargets holds the function it saw).
enum TypeFeedback : uint8_t {
  kFeedbackNonNumber = 1 << 0,  // at least one operand was not a number
  kFeedbackString = 1 << 1,     // string operands (concatenation / comparison)
  kFeedbackOther = 1 << 2,      // anything else (error or object operands)
};

// Machine code made for a FunctionProto by the JIT (jit/). The VM only owns
// it: the prototype deletes it when the collector frees the prototype, and
// traces `references` (the objects the code embeds or assumes; all old) of it
// and of every older version it retired, which frames may still be running.
struct CompiledCode {
  virtual ~CompiledCode() { delete retired; }
  std::vector<Obj*> references;
  CompiledCode* retired = nullptr;  // the code this one replaced (owned)
};

// Compiled bytecode of one function, produced by frontend/compiler.cpp.
struct FunctionProto : Obj {
  std::vector<uint32_t> code;                 // instructions (see vm/opcodes.def)
  std::vector<int> lines;                     // source line of each code word
  std::vector<Value> constants;               // numbers, strings, nested FunctionProtos
  std::vector<UpvalueDesc> upvalues;          // how CLOSURE captures each upvalue
  std::vector<PropertyCache> propertyCaches;  // GETPROP/SETPROP/INVOKE/super sites
  std::vector<uint8_t> feedback;              // per code word: TypeFeedback bits
  // Per Call site (its C operand): the function it called, null before the
  // first call (a strong reference: protos are old and never move).
  std::vector<FunctionProto*> callTargets;
  // The JIT's code for this function (jit/; null when not compiled). Released
  // with the prototype (destroyObject).
  CompiledCode* compiled = nullptr;
  const void* jitEntry = nullptr;  // the compiled code at the function's start, or null
  String* name = nullptr;          // nullptr for the top-level script and lambdas
  int arity = 0;
  int numRegisters = 1;                                // frame size: register 0 is the callee / `this`
  FunctionKind functionKind = FunctionKind::Function;  // not `kind`: that is Obj::kind
  // Its closures are made once and live as long as the program: global
  // functions and the methods of global classes (frontend/compiler.cpp sets
  // it). They are allocated old, which lets compiled calls embed them
  // (jit/baseline_compiler.cpp, visitCall).
  bool tenureClosures = false;
  Closure* tenuredClosure = nullptr;  // the last closure made of it then (old: never moves)
  // Tier-up: calls plus loop back-edges left before the interpreter hands the
  // function to the JIT (see ExecutionState::countdownStart and vm/tier_up.h).
  uint32_t tierUpCountdown = UINT32_MAX;

  uint32_t addConstant(Value v);  // deduplicates numbers and strings
  uint32_t addPropertyCache(String* name);
  uint32_t addCallSite();  // a callTargets slot for a new Call
  static constexpr size_t kMaxCallSites = 256;
};

struct Upvalue : Obj {
  Value* location;  // points into the VM stack while open, at `closed` after
  Value closed;
  Upvalue* nextOpen;  // open upvalues, sorted by stack address, highest first
};

struct Closure : Obj {
  FunctionProto* proto;
  uint32_t upvalueCount;
  Upvalue** upvalues() { return reinterpret_cast<Upvalue**>(this + 1); }
};

// A native function. args[0] is the callee slot (the receiver for a built-in
// method), args[1..argc] the arguments; all of them are rooted on the VM stack.
// A native returns its result, or vm.error(...) (Value::error()) to raise.
using NativeFn = Value (*)(VM& vm, Value* args, int argc);

// Built-in natives that compiled code may do inline instead of calling (the
// call stays as the slow path): it recognizes them by this tag, not by name.
enum class NativeIntrinsic : uint8_t { None, ListPush };

struct Native : Obj {
  NativeFn fn;
  String* name;
  int arity;  // -1: the native checks its own argument count
  NativeIntrinsic intrinsic;
  void* userData;  // for natives defined by an embedder (include/kiln/kiln.h)
};

struct Class : Obj {
  String* name;
  Class* superclass;
  MapTable methods;   // String -> Closure; filled only while the class body runs
  Shape* rootShape;   // the shape of a fresh instance; every shape knows its class
  Value initializer;  // cached `init` method, or nil
  // Fields stored inside each instance (the rest go to its overflow array): the
  // number of distinct `this.name = ...` fields the class body assigns, plus the
  // superclass's; kDefaultInlineSlots for a class that assigns none.
  uint32_t inlineSlots;
};

constexpr uint32_t kDefaultInlineSlots = 4;
constexpr uint32_t kMaxInlineSlots = 32;

// Fields live in slots: the first inlineCount() inside the object, right after
// this header (sized per class: a two-field instance is 48 bytes), the others in
// a malloc'd overflow array whose capacity is a power of two. Both counts are
// kept in the object header's `aux` (low byte: inline slots; high byte: log2 of
// the overflow capacity plus one, 0 for none), so the class is reached through
// the shape.
struct Instance : Obj {
  Shape* shape;
  Value* overflow;

  uint32_t inlineCount() const { return aux & 0xff; }
  uint32_t overflowCapacity() const { return (aux >> 8) == 0 ? 0 : 1u << ((aux >> 8) - 1); }
  void setOverflowCapacityLog2(uint32_t log2) { aux = uint16_t((aux & 0xff) | ((log2 + 1) << 8)); }
  Value* inlineSlots() { return reinterpret_cast<Value*>(this + 1); }
  Value& slot(uint32_t i) {
    uint32_t inline_ = inlineCount();
    return i < inline_ ? inlineSlots()[i] : overflow[i - inline_];
  }
};
static_assert(sizeof(Instance) % sizeof(Value) == 0);

struct BoundMethod : Obj {
  Value receiver;
  Obj* method;  // a Closure or a Native
};

// A list created with a small known size (a literal, a native's result) keeps
// its first items right after the object (`aux` of them), so it costs one
// allocation; growing past them moves the items to a malloc'd buffer for good.
// The inline room stays part of the object (its size never changes).
constexpr uint32_t kMaxInlineListItems = 8;

struct List : Obj {
  Value* items;  // inlineItems() or a malloc'd buffer (or null when empty)
  uint32_t count;
  uint32_t capacity;

  uint32_t inlineCapacity() const { return aux; }
  Value* inlineItems() { return reinterpret_cast<Value*>(this + 1); }
  bool itemsInline() const { return aux != 0 && items == reinterpret_cast<const Value*>(this + 1); }
};
static_assert(sizeof(List) % sizeof(Value) == 0);

struct Map : Obj {
  MapTable table;
};

// Per-kind hooks used by the collector.
void traceObject(Obj* object, class Tracer& tracer);
// Runs destructors and frees owned buffers; returns the bytes of those buffers.
size_t destroyObject(Obj* object);
// objectSize() (bytes of an object) is in vm/object_visit.h.

template <class T>
inline T* as(Value v) {
  return static_cast<T*>(v.asObj());
}
inline bool isKind(Value v, ObjKind kind) { return v.isObj() && v.asObj()->kind == kind; }
inline bool isString(Value v) { return isKind(v, ObjKind::String); }
inline bool isInstance(Value v) { return isKind(v, ObjKind::Instance); }
inline bool isList(Value v) { return isKind(v, ObjKind::List); }
inline bool isMap(Value v) { return isKind(v, ObjKind::Map); }
inline bool isClass(Value v) { return isKind(v, ObjKind::Class); }
inline bool isClosure(Value v) { return isKind(v, ObjKind::Closure); }

}  // namespace kiln
