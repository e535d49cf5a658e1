// Tier 1 (see baseline_compiler.h). Register conventions of compiled code:
//
//   rbx  &vm.exec (ExecutionState)        r12  base: register 0 of the frame
//   r13  the frame (CallFrame*)           r14  Value::kObjectMask
//   r15  Value::kQuietNan
//
// All of them are callee-saved in the System V ABI, so they survive calls to
// the runtime. Every other register is scratch within one instruction: values
// live in their frame slots between instructions, so at every call, allocation,
// raise or deopt the collector and the interpreter see exactly the
// interpreter's state. No object pointer is held in a machine register across
// a call that may allocate.
//
// Before anything that may raise, allocate or call out, the code stores the
// frame's ip (the word after the instruction, as the interpreter's SAVE_IP
// does). A guard that fails stores the instruction's own pc instead and leaves
// through a deopt stub: the interpreter runs that instruction again, generically.
#include "jit/baseline_compiler.h"

#include <asmjit/x86.h>

#include <cmath>
#include <functional>
#include <initializer_list>
#include <unordered_map>
#include <vector>

#include "jit/jit.h"
#include "jit/layout.h"
#include "jit/number_cache.h"
#include "vm/arith.h"
#include "vm/disassembler.h"
#include "vm/opcodes.h"
#include "vm/runtime.h"

namespace kiln::jit {

namespace x86 = asmjit::x86;
using asmjit::imm;
using asmjit::Label;

namespace {

// -- Entry points compiled code calls (thin adapters onto vm/runtime.h) ---------------

// The result of a call made through the runtime, in one register: 0 = done
// (result in callBase[0]), 1 = error pending, otherwise the frame it pushed.
uint64_t callResult(VM& vm, CallOutcome outcome) {
  switch (outcome) {
    case CallOutcome::Done:
      return 0;
    case CallOutcome::Error:
      return 1;
    case CallOutcome::PushedFrame:
      break;
  }
  FunctionProto* callee = vm.exec.frame->closure->proto;
  if (callee->jitEntry == nullptr) countCall(vm, callee);  // the callee may tier up now
  return reinterpret_cast<uint64_t>(vm.exec.frame);
}
uint64_t callGeneric(VM* vm, Value* callBase, uint32_t argCount) {
  return callResult(*vm, callValueAt(*vm, callBase, int(argCount)));
}
uint64_t callListGeneric(VM* vm, Value* callBase, Value* listSlot) {
  return callResult(*vm, callWithList(*vm, callBase, as<List>(*listSlot)));
}
uint64_t invokeGeneric(VM* vm, FunctionProto* owner, PropertyCache* cache, Value* callBase,
                       uint32_t argCount) {
  return callResult(*vm, invokeMiss(*vm, owner, *cache, callBase, int(argCount)));
}
uint64_t superInvokeGeneric(VM* vm, FunctionProto* owner, Value* callBase, uint32_t argCount,
                            Value* superclass, PropertyCache* cache) {
  return callResult(*vm, superInvoke(*vm, owner, *cache, callBase, int(argCount), as<Class>(*superclass)));
}
bool getSuperGeneric(VM* vm, PropertyCache* cache, Value* dest, Value* receiver, Value* superclass,
                     FunctionProto* owner) {
  Value result;
  if (!getSuperMethod(*vm, owner, *cache, &result, receiver, as<Class>(*superclass))) return false;
  *dest = result;
  return true;
}
bool getPropertyGeneric(VM* vm, FunctionProto* owner, PropertyCache* cache, Value* dest, Value* receiver) {
  Value result;
  if (!getPropertyMiss(*vm, owner, *cache, &result, receiver)) return false;
  *dest = result;
  return true;
}
bool getIndexGeneric(VM* vm, Value* dest, Value* object, Value* index) {
  Value result;
  if (!getIndex(*vm, &result, *object, *index)) return false;
  *dest = result;
  return true;
}
bool setIndexGeneric(VM* vm, Value* object, Value* index, Value* value) {
  return setIndex(*vm, *object, *index, *value);
}
bool arithmeticGeneric(VM* vm, uint32_t op, Value* dest, uint64_t b, uint64_t c) {
  Value result;
  if (!arithmeticSlow(*vm, Opcode(op), &result, Value::fromBits(b), Value::fromBits(c))) return false;
  *dest = result;
  return true;
}
bool bitwiseGeneric(VM* vm, uint32_t op, Value* dest, Value* b, Value* c) {
  Value result;
  if (!bitwise(*vm, Opcode(op), *b, *c, &result)) return false;
  *dest = result;
  return true;
}
bool bitNotGeneric(VM* vm, Value* dest, Value* b) {
  Value result;
  if (!bitNot(*vm, *b, &result)) return false;
  *dest = result;
  return true;
}
void newListAt(VM* vm, Value* dest, uint32_t capacity) {
  List* list = vm->newList(capacity);
  *dest = Value::object(list);
}
void newMapAt(VM* vm, Value* dest, uint32_t capacity) {
  Map* map = vm->newMap(capacity);
  *dest = Value::object(map);
}
void defineClassAt(VM* vm, Value* dest, uint64_t nameBits, uint32_t fields) {
  defineClass(*vm, dest, as<String>(Value::fromBits(nameBits)), fields);
}
bool inheritAt(VM* vm, Value* subclass, Value* superclass, uint32_t ownFields) {
  return inheritFrom(*vm, subclass, *superclass, ownFields);
}
void defineMethodAt(VM* vm, Value* klass, uint64_t nameBits, Value* method) {
  defineMethod(*vm, as<Class>(*klass), Value::fromBits(nameBits), *method);
}
void makeClosureAt(VM* vm, CallFrame* frame, FunctionProto* target, Value* dest) {
  makeClosure(*vm, frame, target, dest);
}
bool printAt(VM* vm, Value* value) { return printValue(*vm, *value); }
uint32_t forInAt(VM* vm, Value* r) { return uint32_t(forInStep(*vm, r)); }
Upvalue* captureUpvalueAt(VM* vm, Value* slot) { return captureUpvalue(*vm, slot); }
Closure* newInstanceForCallAt(VM* vm, Value* base) { return newInstanceForCall(*vm, base); }
void listPushAt(VM* vm, Value* list, Value* value) { listPushLiteral(*vm, list, value); }
bool handleSafepointAt(VM* vm) { return handleSafepoint(*vm); }
void stepLimitExceededAt(VM* vm) { stepLimitExceeded(*vm); }
void undefinedVariableAt(VM* vm, GlobalCell* cell) { undefinedVariable(*vm, *cell); }
double floorModAt(double a, double b) { return floorMod(a, b); }
void writeBarrierAt(Heap* heap, Obj* holder, uint64_t stored) {
  Heap::writeBarrierSlow(heap, holder, stored);
}

template <class F>
uint64_t address(F* function) {
  return reinterpret_cast<uint64_t>(function);
}

// -- The compiler --------------------------------------------------------------------

const x86::Gp kExec = x86::rbx;
const x86::Gp kBase = x86::r12;
const x86::Gp kFrame = x86::r13;
const x86::Gp kObjectMask = x86::r14;
const x86::Gp kQuietNan = x86::r15;

constexpr uint64_t kNilBits = Value::nil().bits();
constexpr uint64_t kFalseBits = Value::boolean(false).bits();
constexpr uint64_t kTrueBits = Value::boolean(true).bits();
constexpr uint64_t kUndefinedBits = Value::undefined().bits();

class BaselineCompiler {
 public:
  // `loopFacts`: the facts to assume at each loop header (with the header's
  // entry facts), from the previous attempt; null: assume none.
  BaselineCompiler(const CompileInput& input, x86::Assembler& a, const LoopFacts* loopFacts)
      : vm_(input.vm),
        proto_(input.proto),
        stubs_(input.stubs),
        generic_(input.generic),
        annotate_(input.listing != nullptr),
        a_(a),
        code_(input.proto->code.data()),
        codeSize_(uint32_t(input.proto->code.size())),
        loopFacts_(loopFacts) {}

  void compile(std::vector<std::pair<uint32_t, Label>>& loopHeaders);
  // Whether the facts assumed at every loop header held on its back edges
  // (then this attempt's code is right); if not, what to assume next time.
  bool loopFactsHold() const;
  LoopFacts nextLoopFacts() const;
  std::vector<uint32_t>& deoptSitePcs() { return deoptSitePcs_; }
  const std::vector<Obj*>& embedded() const { return embedded_; }
  const std::vector<std::pair<Label, uint32_t>>& continuations() const { return continuations_; }
  const std::vector<Label>& labels() const { return labels_; }
  Label entry() const { return entry_; }

 private:
  // One visitor per opcode; each emits the compiled form of the instruction at
  // pc_ (insn_ is its first word). A missing definition is a link error.
#define OPCODE(name, format, a, b, c, ext) void visit##name();
#include "vm/opcodes.def"
#undef OPCODE

  // -- Operands --
  x86::Mem reg(uint32_t r) const { return x86::qword_ptr(kBase, int32_t(r * sizeof(Value))); }
  uint32_t ext() const { return code_[pc_ + 1]; }
  uint32_t nextPc() const { return pc_ + uint32_t(kOpcodeInfo[insn_ & 0xff].words()); }
  uint64_t constantBits(uint32_t index) const { return proto_->constants[index].bits(); }
  const uint32_t* wordAt(uint32_t pc) const { return code_ + pc; }
  Label labelAt(uint32_t pc) { return labels_[pc]; }
  uint8_t feedback() const { return proto_->feedback[pc_]; }
  bool speculateNumbers() const { return !generic_ && feedback() == 0; }

  // -- Emission helpers --
  void loadImm(const x86::Gp& r, uint64_t value) { a_.mov(r, imm(value)); }
  // A number constant in the function's pool, addressed relative to rip: an
  // operand for SSE instructions without a general-register round trip.
  x86::Mem poolConstant(uint64_t bits) {
    for (auto& [pooled, label] : constantPool_)
      if (pooled == bits) return x86::qword_ptr(label);
    Label label = a_.newLabel();
    constantPool_.emplace_back(bits, label);
    return x86::qword_ptr(label);
  }
  // frame->ip = the given word (as SAVE_IP).
  void saveIp(uint32_t pc) {
    loadImm(x86::rax, reinterpret_cast<uint64_t>(wordAt(pc)));
    a_.mov(x86::qword_ptr(kFrame, layout::kFrameIp), x86::rax);
  }
  void saveIpAfter() { saveIp(nextPc()); }
  void callFunction(uint64_t function) {
    a_.mov(x86::rax, imm(function));
    a_.call(x86::rax);
  }
  void loadVm(const x86::Gp& r) { loadImm(r, reinterpret_cast<uint64_t>(&vm_)); }
  // Calls function(vm, &R[r0], &R[r1], ...): the shape of most runtime calls.
  void callWithSlots(uint64_t function, std::initializer_list<uint32_t> registers) {
    static const x86::Gp kArgs[] = {x86::rsi, x86::rdx, x86::rcx, x86::r8};
    loadVm(x86::rdi);
    size_t i = 0;
    for (uint32_t r : registers) argSlot(kArgs[i++], r);
    callFunction(function);
  }
  void argSlot(const x86::Gp& r, uint32_t reg) { a_.lea(r, reg_ptr(reg)); }
  x86::Mem reg_ptr(uint32_t r) const { return x86::ptr(kBase, int32_t(r * sizeof(Value))); }
  // Leaves with the pending error when al (a bool result) is false.
  void exitIfFalse() {
    a_.test(x86::al, x86::al);
    a_.jz(errorLabel_);
  }
  // Jumps to `notNumber` unless the bits in `value` are a number (clobbers tmp).
  // Not a number: every quiet-NaN bit set, i.e. ~value & kQuietNan == 0.
  void jumpIfNotNumber(const x86::Gp& value, const x86::Gp& tmp, const Label& notNumber) {
    if (hasBmi_) {
      a_.andn(tmp, value, kQuietNan);
      a_.jz(notNumber);
      return;
    }
    a_.mov(tmp, value);
    a_.and_(tmp, kQuietNan);
    a_.cmp(tmp, kQuietNan);
    a_.je(notNumber);
  }
  // Jumps to `notObject` unless `value` is an object of `kind`; leaves the
  // pointer in `object`.
  void jumpIfNotKind(const x86::Gp& value, const x86::Gp& object, ObjKind kind, const Label& notObject) {
    a_.mov(object, value);
    a_.xor_(object, kObjectMask);  // an object pointer now, if below 2^50
    a_.cmp(object, poolConstant(uint64_t(1) << 50));
    a_.jae(notObject);
    a_.cmp(x86::byte_ptr(object, layout::kObjKind), uint8_t(kind));
    a_.jne(notObject);
  }
  // The write barrier's inline part, as Heap::writeBarrier: `holder` (an
  // object pointer) received the value bits in `stored`. Calls the
  // out-of-line half (which does not allocate) only for an old,
  // not-yet-remembered holder of a young object.
  //
  // With `storedReg`, the frame register the value came from: no code at all
  // when that register is known to hold no object. The call is out of line and
  // reloads the cached numbers after it, so the block keeps its cache.
  void writeBarrier(const x86::Gp& holder, const x86::Gp& stored, int storedReg = -1) {
    if (storedReg >= 0 && numbers_.knownNonObject(uint32_t(storedReg))) return;
    Label done = a_.newLabel();
    a_.movzx(x86::r11d, x86::byte_ptr(holder, layout::kObjGcBits));
    a_.and_(x86::r11d, kGcOld | kGcRemembered);
    a_.cmp(x86::r11d, kGcOld);
    a_.jne(done);
    a_.mov(x86::r11, stored);  // only a young object needs remembering
    a_.xor_(x86::r11, kObjectMask);
    a_.mov(x86::r10, x86::r11);
    a_.shr(x86::r10, 50);
    a_.jnz(done);
    a_.test(x86::byte_ptr(x86::r11, layout::kObjGcBits), kGcOld);
    Label remember = coldPath([this, holder, stored, done, cached = numbers_.bindings()] {
      a_.mov(x86::rdx, stored);
      a_.mov(x86::rsi, holder);
      loadImm(x86::rdi, reinterpret_cast<uint64_t>(&vm_.heap()));
      callFunction(address(writeBarrierAt));
      reloadNumbers(cached);
      a_.jmp(done);
    });
    a_.jz(remember);
    a_.bind(done);
  }
  // After a call on a cold path: the cached numbers back from their slots
  // (the cache is write-through, so the slots hold them).
  void reloadNumbers(const std::vector<std::pair<x86::Xmm, uint32_t>>& cached) {
    for (auto& [xmm, r] : cached) a_.movq(xmm, reg(r));
  }
  // Heap::make's fast path inline: the nursery's next bytes, up to `end`
  // (an address relative to `object`, a multiple of 8 past it and at most
  // kMaxYoungObjectBytes), become the object at `object`, its `next` null.
  // Jumps to `full` when they do not fit, or when the heap wants every young
  // allocation to take its slow path (stress, mark-sweep, a collection due:
  // the limit is null then); the runtime allocates there. The caller stores
  // the other header word (layout::youngHeader) and every field before
  // anything can collect. Clobbers r11 and `scratch`.
  void bumpAllocate(const x86::Gp& object, const x86::Mem& end, const x86::Gp& scratch, const Label& full) {
    char** top = vm_.heap().youngTopAddress();
    auto limitOffset =
        int32_t(reinterpret_cast<char*>(vm_.heap().youngLimitAddress()) - reinterpret_cast<char*>(top));
    loadImm(x86::r11, reinterpret_cast<uint64_t>(top));
    a_.mov(object, x86::qword_ptr(x86::r11));
    a_.lea(scratch, end);
    a_.cmp(scratch, x86::qword_ptr(x86::r11, limitOffset));  // unsigned: a null limit always fails
    a_.ja(full);
    a_.mov(x86::qword_ptr(x86::r11), scratch);
    a_.mov(x86::qword_ptr(object, layout::kObjNext), 0);
  }
  // A guard: jumps to a deopt stub (made at the end) that hands the frame to
  // the interpreter at this instruction.
  Label deoptLabel(DeoptReason reason) {
    Label stub = a_.newLabel();
    deoptSitePcs_.push_back(pc_);
    uint32_t pc = pc_;
    cold_.push_back([this, stub, pc, reason] {
      a_.bind(stub);
      saveIp(pc);
      loadImm(x86::rdi, reinterpret_cast<uint64_t>(stubs_.jit));
      loadImm(x86::rsi, reinterpret_cast<uint64_t>(proto_));
      a_.mov(x86::edx, imm(pc));
      a_.mov(x86::ecx, imm(uint32_t(reason)));
      callFunction(reinterpret_cast<uint64_t>(stubs_.deopt));
      a_.jmp(imm(reinterpret_cast<uint64_t>(stubs_.exitContinue)));
    });
    return stub;
  }
  // A cold path: emitted after the function's main code.
  Label coldPath(std::function<void()> body) {
    Label start = a_.newLabel();
    cold_.push_back([this, start, body] {
      a_.bind(start);
      body();
    });
    return start;
  }
  // The safepoint poll at calls and loop back-edges (the interpreter's
  // CHECK_SAFEPOINT): one compare of exec.safepointRequests with zero. The
  // slow path saves `ipPc` (the interpreter's ip at that point) first.
  // With a step budget (VMOptions::countSteps) each poll counts a step
  // first, as the interpreter's does: one decrement and a branch.
  void pollSafepoint(uint32_t ipPc) {
    if (vm_.options().countSteps) {
      a_.sub(x86::qword_ptr(kExec, layout::kStepsLeft), 1);
      a_.jl(coldPath([this, ipPc] {
        saveIp(ipPc);
        loadVm(x86::rdi);
        callFunction(address(stepLimitExceededAt));
        a_.jmp(errorLabel_);
      }));
    }
    a_.cmp(x86::dword_ptr(kExec, layout::kSafepointRequests), 0);
    Label slow = a_.newLabel(), resume = a_.newLabel();
    a_.jne(slow);
    a_.bind(resume);
    cold_.push_back([this, slow, resume, ipPc] {
      a_.bind(slow);
      saveIp(ipPc);
      loadVm(x86::rdi);
      callFunction(address(handleSafepointAt));
      exitIfFalse();
      a_.jmp(resume);
    });
  }

  // The closure of `target` that calls can expect, if the code may embed it:
  // the tenured closure of a global function (FunctionProto::tenureClosures).
  // It is old and never moves, and the code keeps it alive (`embedded_`, into
  // CompiledCode::references), so no other object can ever have its address.
  Closure* embeddableClosure(FunctionProto* target) {
    Closure* known = target->tenureClosures ? target->tenuredClosure : nullptr;
    if (known == nullptr || Heap::isYoung(known)) return nullptr;
    embedded_.push_back(known);
    return known;
  }

  // -- Shared pieces of visitors --
  void arithmetic(Opcode op, bool rightIsConstant);
  void genericArithmetic(Opcode op, bool rightIsConstant);
  void modulo(const x86::Xmm& left, const x86::Xmm& right, Value constantRight);
  void reciprocalModulo(const x86::Xmm& x, const x86::Xmm& result, double d, const Label& done);
  // The number in register r, in an xmm register: the cached copy, or loaded
  // and guarded (jumping to `notNumber`). With `cache` false the value goes to
  // a scratch register and nothing is remembered.
  x86::Xmm numberOperand(uint32_t r, const Label& notNumber, bool cache = true) {
    if (cache && numbers_.lookup(r) >= 0) {
      x86::Xmm cached = x86::xmm(uint32_t(numbers_.lookup(r)));
      numbers_.pin(cached);
      return cached;
    }
    // Two loads, the guard's and the value's: the dependency chain through
    // the value then skips the slow general-to-xmm register move.
    x86::Xmm x = cache ? numbers_.allocate() : (scratchToggle_ ^= 1) ? x86::xmm0 : x86::xmm1;
    a_.movq(x, reg(r));
    if (!numbers_.knownNumber(r)) {
      a_.mov(x86::rax, reg(r));
      jumpIfNotNumber(x86::rax, x86::rcx, notNumber);
    }
    if (cache) {
      numbers_.bind(r, x);
      numbers_.pin(x);
    }
    return x;
  }
  Value k(uint32_t index) const { return proto_->constants[index]; }
  void loadImmediate(uint32_t r, Value value);
  void compareJump(bool rightIsConstant, bool swap, asmjit::x86::CondCode jumpWhen);
  void compareValue(asmjit::x86::CondCode setWhen);
  void equality(bool rightIsConstant);  // sets ecx = 1 when R[A or B] == right
  void bitwiseOp();
  // A call that the runtime made (rax = callResult): continue, raise, or run
  // the pushed frame with this instruction's continuation as its return.
  void finishRuntimeCall(const Label& continuation);
  void bindContinuation(const Label& continuation);
  void callNativeDirect(const x86::Mem& fn, uint32_t a, uint32_t argCount);
  void pushFrameAndEnter(const Label& continuation, const Label& slow);
  void callCachedMethod(PropertyCache& cache, uint32_t a, uint32_t argCount, const Label& continuation,
                        const Label& generic);
  void checkNativeArity(uint32_t argCount, const Label& wrong);
  void listPushInline(uint32_t a, const Label& continuation);
  void constructInline(uint32_t a, uint32_t argCount, const Label& continuation, const Label& slow);
  void newInstanceInline(const x86::Gp& klass, const Label& full);
  void captureInline(uint32_t closureReg, uint32_t slot, uint32_t index);
  void closeUpvaluesInline(uint32_t from);
  void checkFrameRoom(const Label& slow);
  void compiledEntry(const x86::Gp& proto, const x86::Gp& entry, uint32_t argCount, const Label& slow);
  void calleeFrameBounds(const x86::Gp& proto, uint32_t a);
  void enterFrame(const Label& continuation);
  void liveEntryProbe(uint32_t receiver, PropertyCache& cache, const Label& miss);
  void loadObject(uint32_t r, ObjKind kind, const Label& notKind);
  Label runtimeMissPath(const Label& done, std::function<void()> call);
  Label liveEntryPath(PropertyCache& cache, uint32_t receiver, const Label& done, const Label& miss,
                      std::function<void()> hit);
  void checkFacts(const RegisterFacts& facts, const void* fail);
  void shapeChain(const PropertyCache& cache, bool (*accepts)(const PropertyCacheEntry&),
                  const std::function<void(const PropertyCacheEntry&)>& access, const Label& done,
                  const Label& fallback);
  void listElement(uint32_t list, uint32_t index, const Label& fail);
  template <class Source>
  void sseOp(Opcode op, const x86::Xmm& dst, const Source& src);
  void returnValue(bool nil);

  VM& vm_;
  FunctionProto* proto_;
  const SharedStubs& stubs_;
  bool generic_;
  bool annotate_;
  x86::Assembler& a_;
  const uint32_t* code_;
  uint32_t codeSize_;
  uint32_t pc_ = 0;
  uint32_t insn_ = 0;
  Label entry_;
  Label errorLabel_;
  std::vector<Label> labels_;
  std::vector<std::function<void()>> cold_;
  std::vector<uint32_t> deoptSitePcs_;
  NumberCache numbers_;
  std::vector<bool> jumpTargets_;
  bool scratchToggle_ = false;
  bool keepCache_ = false;  // set by a visitor whose main path called nothing
  bool hasSse41_ = asmjit::CpuInfo::host().features().x86().hasSSE4_1();
  bool hasBmi_ = asmjit::CpuInfo::host().features().x86().hasBMI();
  // Number constants read by address (8 bytes each, after the cold paths).
  std::vector<std::pair<uint64_t, Label>> constantPool_;
  std::bitset<256> captured_;   // registers some Closure of this function captures
  std::vector<Obj*> embedded_;  // old objects the code embeds (kept alive by it)
  // Each call's continuation and the pc after the call (CompiledFunction::continuations).
  std::vector<std::pair<Label, uint32_t>> continuations_;
  const LoopFacts* loopFacts_;
  LoopFacts assumedAtHeader_;  // what this attempt assumed at each loop header
  LoopFacts backEdgeFacts_;    // what held on the back edges into each
};

// Instructions that maintain the number cache themselves (they call nothing
// on their main path and forget the registers they write); after any other
// instruction it is cleared.
bool isCall(Opcode op) {
  return op == Opcode::Call || op == Opcode::Invoke || op == Opcode::SuperInvoke || op == Opcode::CallList;
}

bool keepsNumberCache(Opcode op) {
  switch (op) {
    case Opcode::Move:
    case Opcode::LoadK:
    case Opcode::LoadKX:
    case Opcode::LoadI:
    case Opcode::LoadNil:
    case Opcode::LoadTrue:
    case Opcode::LoadFalse:
    case Opcode::GetGlobal:
    case Opcode::DefGlobal:
    case Opcode::SetGlobal:
    case Opcode::Add:
    case Opcode::Sub:
    case Opcode::Mul:
    case Opcode::Div:
    case Opcode::Mod:
    case Opcode::AddK:
    case Opcode::SubK:
    case Opcode::MulK:
    case Opcode::DivK:
    case Opcode::ModK:
    case Opcode::Neg:
    case Opcode::Not:
    case Opcode::Eq:
    case Opcode::Ne:
    case Opcode::Lt:
    case Opcode::Le:
    case Opcode::Jump:
    case Opcode::JumpIf:
    case Opcode::JumpIfNot:
    case Opcode::JumpIfNotLt:
    case Opcode::JumpIfNotLe:
    case Opcode::JumpIfNotEq:
    case Opcode::JumpIfNotNe:
    case Opcode::JumpIfNotLtK:
    case Opcode::JumpIfNotLeK:
    case Opcode::JumpIfNotGtK:
    case Opcode::JumpIfNotGeK:
    case Opcode::JumpIfNotEqK:
    case Opcode::JumpIfNotNeK:
      return true;
    default:
      return false;
  }
}

void BaselineCompiler::compile(std::vector<std::pair<uint32_t, Label>>& loopHeaders) {
  labels_.resize(codeSize_ + 1);
  for (uint32_t pc = 0; pc <= codeSize_; pc++) labels_[pc] = a_.newLabel();
  entry_ = a_.newLabel();
  errorLabel_ = a_.newLabel();
  // Jump targets, and those reached by a backward jump (loop headers, whose
  // register facts come from loopFacts_: see compileFunction).
  jumpTargets_.assign(codeSize_ + 1, false);
  std::vector<bool> backwardTarget(codeSize_ + 1, false);
  for (uint32_t pc = 0; pc < codeSize_; pc += kOpcodeInfo[code_[pc] & 0xff].words()) {
    if (kOpcodeInfo[code_[pc] & 0xff].jumps()) {
      uint32_t target = uint32_t(jumpTarget(code_, pc));
      jumpTargets_[target] = true;
      if (target <= pc) backwardTarget[target] = true;
    }
    if (opOf(code_[pc]) == Opcode::Closure) {
      auto* child = static_cast<FunctionProto*>(proto_->constants[argBx(code_[pc])].asObj());
      for (const UpvalueDesc& up : child->upvalues)
        if (up.fromParentRegister) captured_.set(up.index);
    }
  }
  // The facts common to every forward jump seen so far into a target.
  std::unordered_map<uint32_t, RegisterFacts> incoming;
  bool fallsThrough = true;  // the previous instruction can continue into this one
  a_.bind(entry_);
  // A method's register 0 is `this`, an instance (methods run only bound to
  // one), and no instruction writes it before Return.
  if (proto_->functionKind == FunctionKind::Method || proto_->functionKind == FunctionKind::Initializer)
    numbers_.markKind(0, ObjKind::Instance);
  for (pc_ = 0; pc_ < codeSize_; pc_ = nextPc()) {
    insn_ = code_[pc_];
    scratchToggle_ = false;
    numbers_.unpinAll();
    a_.bind(labels_[pc_]);
    if (jumpTargets_[pc_]) {  // another block may jump here
      RegisterFacts facts;
      auto in = incoming.find(pc_);
      if (fallsThrough || in != incoming.end()) {
        facts = fallsThrough ? numbers_.facts() : in->second;
        if (fallsThrough && in != incoming.end()) facts &= in->second;
      }
      if (backwardTarget[pc_]) {  // a loop header: also what the back edges keep
        if (loopFacts_ == nullptr) {
          facts = RegisterFacts();
        } else {
          auto assumed = loopFacts_->find(pc_);
          if (assumed != loopFacts_->end()) facts &= assumed->second;
          assumedAtHeader_[pc_] = facts;
        }
      }
      numbers_.startBlock(facts);
    }
    if (annotate_) {  // --dump-asm: the bytecode above its code
      std::string line;
      disassembleInstruction(proto_, pc_, line);
      if (!line.empty() && line.back() == '\n') line.pop_back();
      a_.comment(line.c_str());
    }
    switch (opOf(insn_)) {
#define OPCODE(name, format, a, b, c, ext) \
  case Opcode::name:                       \
    visit##name();                         \
    break;
#include "vm/opcodes.def"
#undef OPCODE
    }
    Opcode op = opOf(insn_);
    if (isCall(op)) {
      // The callee (or the runtime) writes R[A] and above, and whatever a
      // closure captured; the registers below keep their facts.
      std::bitset<256> kept;
      for (uint32_t r = 0; r < argA(insn_); r++) kept.set(r);
      numbers_.keepFactsOf(kept & ~captured_);
    } else if (op == Opcode::Loop) {
      numbers_.dropCopies();  // the safepoint poll's handler writes no register
    } else if (!keepsNumberCache(op) && !keepCache_) {
      numbers_.clear();
    }
    keepCache_ = false;
    if (kOpcodeInfo[insn_ & 0xff].jumps()) {
      uint32_t target = uint32_t(jumpTarget(code_, pc_));
      auto& edges = target > pc_ ? incoming : backEdgeFacts_;
      auto [in, first] = edges.try_emplace(target, numbers_.facts());
      if (!first) in->second &= numbers_.facts();
    }
    fallsThrough =
        op != Opcode::Jump && op != Opcode::Loop && op != Opcode::Return && op != Opcode::ReturnNil;
  }
  a_.bind(labels_[codeSize_]);
  a_.ud2();  // the compiler ends every function with a Return
  a_.bind(errorLabel_);
  a_.jmp(imm(reinterpret_cast<uint64_t>(stubs_.exitError)));
  // Loop headers (targets of Loop) get OSR entries: the interpreter's state
  // there must satisfy the facts the code assumes at the header, or the
  // interpreter goes on (its ip is already the header).
  for (uint32_t pc = 0; pc < codeSize_; pc += kOpcodeInfo[code_[pc] & 0xff].words()) {
    if (opOf(code_[pc]) != Opcode::Loop) continue;
    uint32_t target = uint32_t(jumpTarget(code_, pc));
    bool known = false;
    for (auto& [headerPc, label] : loopHeaders) known = known || headerPc == target;
    if (known) continue;
    auto assumed = assumedAtHeader_.find(target);
    if (assumed == assumedAtHeader_.end()) {
      loopHeaders.emplace_back(target, labels_[target]);
      continue;
    }
    Label osrEntry = a_.newLabel();
    a_.bind(osrEntry);
    checkFacts(assumed->second, stubs_.exitContinue);
    a_.jmp(labels_[target]);
    loopHeaders.emplace_back(target, osrEntry);
  }
  for (size_t i = 0; i < cold_.size(); i++) cold_[i]();  // cold_ may grow while emitting
  a_.align(asmjit::AlignMode::kData, 8);
  for (auto& [bits, label] : constantPool_) {
    a_.bind(label);
    a_.embedUInt64(bits);
  }
}

// Jumps to `fail` unless every register satisfies its facts.
void BaselineCompiler::checkFacts(const RegisterFacts& facts, const void* fail) {
  Label failed = a_.newLabel(), ok = a_.newLabel();
  for (uint32_t r = 0; r < uint32_t(proto_->numRegisters) && r < 256; r++) {
    if (!facts.nonObject.test(r) && !facts.instance.test(r) && !facts.list.test(r)) continue;
    a_.mov(x86::rax, reg(r));
    if (facts.number.test(r)) {
      jumpIfNotNumber(x86::rax, x86::rcx, failed);
    } else if (facts.instance.test(r)) {
      jumpIfNotKind(x86::rax, x86::rcx, ObjKind::Instance, failed);
    } else if (facts.list.test(r)) {
      jumpIfNotKind(x86::rax, x86::rcx, ObjKind::List, failed);
    } else {  // no object: (bits ^ kObjectMask) >> 50 is zero for objects only
      a_.xor_(x86::rax, kObjectMask);
      a_.shr(x86::rax, 50);
      a_.jz(failed);
    }
  }
  a_.jmp(ok);
  a_.bind(failed);
  a_.jmp(imm(reinterpret_cast<uint64_t>(fail)));
  a_.bind(ok);
}

bool BaselineCompiler::loopFactsHold() const {
  for (auto& [header, assumed] : assumedAtHeader_) {
    auto back = backEdgeFacts_.find(header);
    if (back == backEdgeFacts_.end()) continue;
    RegisterFacts kept = assumed;
    kept &= back->second;
    if (!(kept == assumed)) return false;
  }
  return true;
}

LoopFacts BaselineCompiler::nextLoopFacts() const {
  LoopFacts next = assumedAtHeader_;
  for (auto& [header, facts] : next) {
    auto back = backEdgeFacts_.find(header);
    if (back != backEdgeFacts_.end()) facts &= back->second;
  }
  return next;
}

// -- Loads and moves ------------------------------------------------------------------

void BaselineCompiler::visitMove() {
  numbers_.copyFacts(argB(insn_), argA(insn_));
  a_.mov(x86::rax, reg(argB(insn_)));
  a_.mov(reg(argA(insn_)), x86::rax);
}
void BaselineCompiler::loadImmediate(uint32_t r, Value value) {
  numbers_.forget(r);
  if (value.isNumber()) numbers_.markNumber(r);
  if (!value.isObj()) numbers_.markNonObject(r);
  loadImm(x86::rax, value.bits());  // numbers, or old objects (never moved)
  a_.mov(reg(r), x86::rax);
}
void BaselineCompiler::visitLoadK() { loadImmediate(argA(insn_), k(argBx(insn_))); }
void BaselineCompiler::visitLoadKX() { loadImmediate(argA(insn_), k(ext())); }
void BaselineCompiler::visitLoadI() { loadImmediate(argA(insn_), Value::number(double(argSBx(insn_)))); }
void BaselineCompiler::visitLoadNil() {
  for (uint32_t i = 0; i <= argB(insn_); i++) loadImmediate(argA(insn_) + i, Value::nil());
}
void BaselineCompiler::visitLoadTrue() { loadImmediate(argA(insn_), Value::boolean(true)); }
void BaselineCompiler::visitLoadFalse() { loadImmediate(argA(insn_), Value::boolean(false)); }

// -- Variables ------------------------------------------------------------------------

// Upvalues point into enclosing frames or at their closed value, never at
// this frame's registers: both keep the block's number cache.
void BaselineCompiler::visitGetUpval() {
  numbers_.forget(argA(insn_));
  a_.mov(x86::rax, x86::qword_ptr(kFrame, layout::kFrameClosure));
  a_.mov(x86::rax,
         x86::qword_ptr(x86::rax, int32_t(layout::kClosureUpvalues + argBx(insn_) * sizeof(void*))));
  a_.mov(x86::rax, x86::qword_ptr(x86::rax, layout::kUpvalueLocation));
  a_.mov(x86::rax, x86::qword_ptr(x86::rax));
  a_.mov(reg(argA(insn_)), x86::rax);
  keepCache_ = true;
}
// As the interpreter's SetUpval: the store through `location`, then the
// barrier on the upvalue (which holds the value once closed).
void BaselineCompiler::visitSetUpval() {
  a_.mov(x86::rcx, x86::qword_ptr(kFrame, layout::kFrameClosure));
  a_.mov(x86::rcx,
         x86::qword_ptr(x86::rcx, int32_t(layout::kClosureUpvalues + argBx(insn_) * sizeof(void*))));
  a_.mov(x86::rdx, x86::qword_ptr(x86::rcx, layout::kUpvalueLocation));
  a_.mov(x86::rax, reg(argA(insn_)));
  a_.mov(x86::qword_ptr(x86::rdx), x86::rax);
  writeBarrier(x86::rcx, x86::rax, int(argA(insn_)));
  keepCache_ = true;
}
void BaselineCompiler::visitCloseUpvals() {
  closeUpvaluesInline(argA(insn_));
  keepCache_ = true;  // registers keep their values; the barrier's call reloads the cache
}
void BaselineCompiler::visitGetGlobal() {
  numbers_.forget(argA(insn_));
  GlobalCell* cell = &vm_.global(ext());  // cells never move
  loadImm(x86::rcx, reinterpret_cast<uint64_t>(cell));
  a_.mov(x86::rax, x86::qword_ptr(x86::rcx, layout::kGlobalValue));
  a_.cmp(x86::rax, poolConstant(kUndefinedBits));
  uint32_t after = nextPc();
  Label undefined = coldPath([this, cell, after] {
    saveIp(after);
    loadVm(x86::rdi);
    loadImm(x86::rsi, reinterpret_cast<uint64_t>(cell));
    callFunction(address(undefinedVariableAt));
    a_.jmp(errorLabel_);
  });
  a_.je(undefined);
  a_.mov(reg(argA(insn_)), x86::rax);
}
void BaselineCompiler::visitSetGlobal() {
  GlobalCell* cell = &vm_.global(ext());
  loadImm(x86::rcx, reinterpret_cast<uint64_t>(cell));
  loadImm(x86::rdx, kUndefinedBits);
  a_.cmp(x86::qword_ptr(x86::rcx, layout::kGlobalValue), x86::rdx);
  uint32_t after = nextPc();
  Label undefined = coldPath([this, cell, after] {
    saveIp(after);
    loadVm(x86::rdi);
    loadImm(x86::rsi, reinterpret_cast<uint64_t>(cell));
    callFunction(address(undefinedVariableAt));
    a_.jmp(errorLabel_);
  });
  a_.je(undefined);
  a_.mov(x86::rax, reg(argA(insn_)));
  a_.mov(x86::qword_ptr(x86::rcx, layout::kGlobalValue), x86::rax);  // cells are roots: no barrier
}
void BaselineCompiler::visitDefGlobal() {
  loadImm(x86::rcx, reinterpret_cast<uint64_t>(&vm_.global(ext())));
  a_.mov(x86::rax, reg(argA(insn_)));
  a_.mov(x86::qword_ptr(x86::rcx, layout::kGlobalValue), x86::rax);
}

// -- Arithmetic -------------------------------------------------------------------------

// Numbers inline in SSE2. With clean feedback (only numbers seen) each
// operand is guarded (a failure deoptimizes) and the result stays in an xmm
// register for the rest of the block (NumberCache); otherwise a non-number
// takes the runtime's generic path (string concatenation or the error).
void BaselineCompiler::arithmetic(Opcode op, bool rightIsConstant) {
  uint32_t a = argA(insn_), b = argB(insn_), c = argC(insn_);
  bool unary = op == Opcode::Neg;
  if (!speculateNumbers()) return genericArithmetic(op, rightIsConstant);
  Label notNumber = deoptLabel(DeoptReason::NotNumber);
  x86::Xmm left = numberOperand(b, notNumber);
  x86::Xmm right = x86::xmm1;
  bool mod = op == Opcode::Mod || op == Opcode::ModK;
  if (rightIsConstant && mod) {
    a_.movsd(x86::xmm1, poolConstant(constantBits(c)));
  } else if (!rightIsConstant && !unary) {
    right = numberOperand(c, notNumber);
  }
  if (mod) return modulo(left, right, rightIsConstant ? k(c) : Value::nil());
  x86::Xmm result = numbers_.allocate();
  a_.movapd(result, left);
  if (op == Opcode::Neg) {
    loadImm(x86::rax, Value::kSignBit);
    a_.movq(x86::xmm1, x86::rax);
    a_.xorpd(result, x86::xmm1);
  } else if (rightIsConstant) {
    sseOp(op, result, poolConstant(constantBits(c)));
  } else {
    sseOp(op, result, right);
  }
  a_.movq(reg(a), result);
  numbers_.bind(a, result);
}

// dst = dst (op) src for Add, Sub, Mul, Div and their constant forms; src an
// xmm register or a pool constant.
template <class Source>
void BaselineCompiler::sseOp(Opcode op, const x86::Xmm& dst, const Source& src) {
  switch (op) {
    case Opcode::Add:
    case Opcode::AddK:
      a_.addsd(dst, src);
      break;
    case Opcode::Sub:
    case Opcode::SubK:
      a_.subsd(dst, src);
      break;
    case Opcode::Mul:
    case Opcode::MulK:
      a_.mulsd(dst, src);
      break;
    case Opcode::Div:
    case Opcode::DivK:
      a_.divsd(dst, src);
      break;
    default:
      break;
  }
}

// Floored modulo. Integral operands below 2^52 in magnitude inline: then
// q = floor(x / y) is exact (the true quotient is at least 1/|y| from the next
// integer, more than the rounding error of the division, below 2^53), and so
// is x - q * y, since |q * y| <= |x| + |y| < 2^53: exactly the interpreter's
// floorMod (sign of y, +0 for zero). Anything else calls floorMod, out of line;
// the cached numbers are reloaded from their slots after that call, so the
// block keeps its cache. (At 2^53, q * y can round:
// tests/lang/jit/modulo_of_integers_near_2_to_the_53_...)
void BaselineCompiler::modulo(const x86::Xmm& left, const x86::Xmm& right, Value constantRight) {
  uint32_t a = argA(insn_);
  x86::Xmm result = numbers_.allocate();
  Label done = a_.newLabel();
  std::vector<std::pair<x86::Xmm, uint32_t>> cached = numbers_.bindings();
  Label slow = coldPath([this, left, right, result, done, cached] {
    a_.movapd(x86::xmm0, left);
    if (right != x86::xmm1) a_.movapd(x86::xmm1, right);
    callFunction(address(floorModAt));  // clobbers every xmm register
    a_.movapd(result, x86::xmm0);
    reloadNumbers(cached);
    a_.jmp(done);
  });
  double d = constantRight.isNumber() ? constantRight.asNumber() : 0;
  bool rightKnownIntegral = d == std::floor(d) && d != 0 && std::fabs(d) < 4503599627370496.0;  // 2^52
  if (!hasSse41_) {
    a_.jmp(slow);
  } else {
    auto checkIntegral = [&](const x86::Xmm& x) {
      a_.cvttsd2si(x86::rax, x);  // 0x8000... for nan and out-of-range values
      a_.cvtsi2sd(x86::xmm0, x86::rax);
      a_.ucomisd(x86::xmm0, x);
      a_.jne(slow);
      a_.jp(slow);
      loadImm(x86::rcx, uint64_t(1) << 52);
      a_.add(x86::rax, x86::rcx);
      a_.shr(x86::rax, 53);  // nonzero unless -2^52 <= x < 2^52
      a_.jnz(slow);
    };
    checkIntegral(left);
    if (rightKnownIntegral && d > 0) {
      reciprocalModulo(left, result, d, done);
    } else {
      if (!rightKnownIntegral) {
        checkIntegral(right);
        a_.xorpd(x86::xmm0, x86::xmm0);
        a_.ucomisd(right, x86::xmm0);
        a_.je(slow);  // x % 0 is nan: floorMod decides
      }
      a_.movapd(x86::xmm0, left);
      a_.divsd(x86::xmm0, right);
      a_.roundsd(x86::xmm0, x86::xmm0, 1 | 8);  // floor, no precision exception
      a_.mulsd(x86::xmm0, right);
      a_.movapd(result, left);
      a_.subsd(result, x86::xmm0);
    }
  }
  a_.bind(done);
  a_.movq(reg(a), result);
  numbers_.bind(a, result);
}

// x % d for an integral x below 2^52 in magnitude and a constant integer
// 0 < d < 2^52 (in xmm1), without a division. q0 = floor(RN(x * RN(1/d))):
// the reciprocal and the product each err by at most 2^-53 relative, so
// |RN(x * RN(1/d)) - x / d| < 2 * 2^-53 * |x / d| < 1/d. Since x / d is a
// multiple of 1/d, q0 is floor(x / d) or, when x / d is a whole number
// approached from below, one less; never more. So r0 = x - q0 * d (exact, as
// above) is in [0, 2d), and one subtraction finishes. The zero result is +0,
// as floorMod's. (tests/lang/jit/modulo_by_a_constant_without_division_...)
void BaselineCompiler::reciprocalModulo(const x86::Xmm& x, const x86::Xmm& result, double d,
                                        const Label& done) {
  a_.movsd(x86::xmm0, poolConstant(Value::number(1.0 / d).bits()));
  a_.mulsd(x86::xmm0, x);
  a_.roundsd(x86::xmm0, x86::xmm0, 1 | 8);  // floor, no precision exception
  a_.mulsd(x86::xmm0, x86::xmm1);
  a_.movapd(result, x);
  a_.subsd(result, x86::xmm0);
  Label quotientOneLow = coldPath([this, result, done] {
    a_.subsd(result, x86::xmm1);
    a_.jmp(done);
  });
  a_.ucomisd(result, x86::xmm1);
  a_.jae(quotientOneLow);
}

// The non-speculating form: numbers inline, anything else through
// arithmeticSlow (which concatenates strings or raises).
void BaselineCompiler::genericArithmetic(Opcode op, bool rightIsConstant) {
  uint32_t a = argA(insn_), b = argB(insn_), c = argC(insn_);
  bool unary = op == Opcode::Neg;
  numbers_.clear();
  Label notNumber = a_.newLabel(), done = a_.newLabel();
  a_.mov(x86::rax, reg(b));
  jumpIfNotNumber(x86::rax, x86::rcx, notNumber);
  if (rightIsConstant) {
    loadImm(x86::rdx, constantBits(c));
  } else if (!unary) {
    a_.mov(x86::rdx, reg(c));
    jumpIfNotNumber(x86::rdx, x86::rcx, notNumber);
  }
  a_.movq(x86::xmm0, x86::rax);
  if (!unary) a_.movq(x86::xmm1, x86::rdx);
  if (op == Opcode::Mod || op == Opcode::ModK) {
    callFunction(address(floorModAt));
  } else if (op == Opcode::Neg) {
    loadImm(x86::rcx, Value::kSignBit);
    a_.xor_(x86::rax, x86::rcx);
    a_.movq(x86::xmm0, x86::rax);
  } else {
    sseOp(op, x86::xmm0, x86::xmm1);
  }
  a_.movq(reg(a), x86::xmm0);
  a_.jmp(done);
  a_.bind(notNumber);
  saveIpAfter();
  loadVm(x86::rdi);
  a_.mov(x86::esi, imm(uint32_t(op)));
  argSlot(x86::rdx, a);
  a_.mov(x86::rcx, reg(b));
  if (rightIsConstant) {
    loadImm(x86::r8, constantBits(c));
  } else {
    a_.mov(x86::r8, reg(unary ? b : c));
  }
  callFunction(address(arithmeticGeneric));
  exitIfFalse();
  a_.bind(done);
}

void BaselineCompiler::visitAdd() { arithmetic(Opcode::Add, false); }
void BaselineCompiler::visitSub() { arithmetic(Opcode::Sub, false); }
void BaselineCompiler::visitMul() { arithmetic(Opcode::Mul, false); }
void BaselineCompiler::visitDiv() { arithmetic(Opcode::Div, false); }
void BaselineCompiler::visitMod() { arithmetic(Opcode::Mod, false); }
void BaselineCompiler::visitAddK() { arithmetic(Opcode::AddK, true); }
void BaselineCompiler::visitSubK() { arithmetic(Opcode::SubK, true); }
void BaselineCompiler::visitMulK() { arithmetic(Opcode::MulK, true); }
void BaselineCompiler::visitDivK() { arithmetic(Opcode::DivK, true); }
void BaselineCompiler::visitModK() { arithmetic(Opcode::ModK, true); }
void BaselineCompiler::visitNeg() { arithmetic(Opcode::Neg, false); }

// Bitwise operators: the runtime's exact int64 semantics, out of line.
void BaselineCompiler::bitwiseOp() {
  saveIpAfter();
  loadVm(x86::rdi);
  a_.mov(x86::esi, imm(insn_ & 0xff));
  argSlot(x86::rdx, argA(insn_));
  argSlot(x86::rcx, argB(insn_));
  argSlot(x86::r8, argC(insn_));
  callFunction(address(bitwiseGeneric));
  exitIfFalse();
}
void BaselineCompiler::visitBitAnd() { bitwiseOp(); }
void BaselineCompiler::visitBitOr() { bitwiseOp(); }
void BaselineCompiler::visitBitXor() { bitwiseOp(); }
void BaselineCompiler::visitShl() { bitwiseOp(); }
void BaselineCompiler::visitShr() { bitwiseOp(); }
void BaselineCompiler::visitBitNot() {
  saveIpAfter();
  callWithSlots(address(bitNotGeneric), {argA(insn_), argB(insn_)});
  exitIfFalse();
}
void BaselineCompiler::visitNot() {
  numbers_.forget(argA(insn_));
  // Falsey: nil (Q|1) or false (Q|2), so bits - (Q|1) is 0 or 1.
  a_.mov(x86::rax, reg(argB(insn_)));
  loadImm(x86::rcx, uint64_t(0) - kNilBits);
  a_.add(x86::rax, x86::rcx);
  a_.cmp(x86::rax, 1);
  a_.setbe(x86::al);
  a_.movzx(x86::eax, x86::al);
  loadImm(x86::rcx, kFalseBits);
  a_.add(x86::rax, x86::rcx);  // false + 1 = true
  a_.mov(reg(argA(insn_)), x86::rax);
}

// -- Comparisons --------------------------------------------------------------------------

// Lox equality: numbers as doubles (nan != nan, 0 == -0), anything else by
// identity. Sets ecx to 1 when equal. No guard: it is exact for every type.
void BaselineCompiler::equality(bool rightIsConstant) {
  bool jumpForm = kOpcodeInfo[insn_ & 0xff].ext == OperandKind::Jump;
  uint32_t left = jumpForm ? argA(insn_) : argB(insn_);
  a_.mov(x86::rax, reg(left));
  if (rightIsConstant) {
    loadImm(x86::rdx, constantBits(argB(insn_)));
  } else {
    a_.mov(x86::rdx, reg(jumpForm ? argB(insn_) : argC(insn_)));
  }
  Label identity = a_.newLabel(), done = a_.newLabel();
  jumpIfNotNumber(x86::rax, x86::rcx, identity);
  jumpIfNotNumber(x86::rdx, x86::rcx, identity);
  a_.movq(x86::xmm0, x86::rax);
  a_.movq(x86::xmm1, x86::rdx);
  a_.ucomisd(x86::xmm0, x86::xmm1);
  a_.sete(x86::cl);
  a_.setnp(x86::dl);
  a_.and_(x86::cl, x86::dl);
  a_.movzx(x86::ecx, x86::cl);
  a_.jmp(done);
  a_.bind(identity);
  a_.cmp(x86::rax, x86::rdx);
  a_.sete(x86::cl);
  a_.movzx(x86::ecx, x86::cl);
  a_.bind(done);
}
void BaselineCompiler::visitEq() {
  numbers_.forget(argA(insn_));
  equality(false);
  loadImm(x86::rax, kFalseBits);
  a_.add(x86::rax, x86::rcx);
  a_.mov(reg(argA(insn_)), x86::rax);
}
void BaselineCompiler::visitNe() {
  numbers_.forget(argA(insn_));
  equality(false);
  a_.xor_(x86::ecx, 1);
  loadImm(x86::rax, kFalseBits);
  a_.add(x86::rax, x86::rcx);
  a_.mov(reg(argA(insn_)), x86::rax);
}

// R[A] = R[B] < R[C] (setWhen: the condition after ucomisd R[C], R[B]).
void BaselineCompiler::compareValue(asmjit::x86::CondCode setWhen) {
  bool speculate = speculateNumbers();
  if (!speculate) numbers_.clear();
  Label notNumber = speculate ? deoptLabel(DeoptReason::NotNumber) : a_.newLabel();
  x86::Xmm left = numberOperand(argB(insn_), notNumber, speculate);
  x86::Xmm right = numberOperand(argC(insn_), notNumber, speculate);
  a_.ucomisd(right, left);  // b < c  <=>  c above b (unordered: CF=1, false)
  a_.set(setWhen, x86::cl);
  a_.movzx(x86::ecx, x86::cl);
  loadImm(x86::rax, kFalseBits);
  a_.add(x86::rax, x86::rcx);
  a_.mov(reg(argA(insn_)), x86::rax);
  numbers_.forget(argA(insn_));
  if (speculate) return;
  Label done = a_.newLabel();
  a_.jmp(done);
  a_.bind(notNumber);  // comparing non-numbers is always the error
  saveIpAfter();
  loadVm(x86::rdi);
  a_.mov(x86::esi, imm(insn_ & 0xff));
  argSlot(x86::rdx, argA(insn_));
  a_.mov(x86::rcx, reg(argB(insn_)));
  a_.mov(x86::r8, reg(argC(insn_)));
  callFunction(address(arithmeticGeneric));
  a_.jmp(errorLabel_);
  a_.bind(done);
  numbers_.clear();
}
void BaselineCompiler::visitLt() { compareValue(x86::CondCode::kA); }
void BaselineCompiler::visitLe() { compareValue(x86::CondCode::kAE); }

// -- Jumps ----------------------------------------------------------------------------

void BaselineCompiler::visitJump() { a_.jmp(labelAt(uint32_t(jumpTarget(code_, pc_)))); }
void BaselineCompiler::visitLoop() {
  uint32_t target = uint32_t(jumpTarget(code_, pc_));
  pollSafepoint(target);  // as the interpreter's Loop: the ip is the loop header
  a_.jmp(labelAt(target));
}
void BaselineCompiler::visitJumpIf() {
  a_.mov(x86::rax, reg(argA(insn_)));
  loadImm(x86::rcx, uint64_t(0) - kNilBits);
  a_.add(x86::rax, x86::rcx);
  a_.cmp(x86::rax, 1);
  a_.ja(labelAt(uint32_t(jumpTarget(code_, pc_))));
}
void BaselineCompiler::visitJumpIfNot() {
  a_.mov(x86::rax, reg(argA(insn_)));
  loadImm(x86::rcx, uint64_t(0) - kNilBits);
  a_.add(x86::rax, x86::rcx);
  a_.cmp(x86::rax, 1);
  a_.jbe(labelAt(uint32_t(jumpTarget(code_, pc_))));
}

// if not (R[A] op right) jump. `swap`: compare right with R[A] (so that every
// condition reads "above"/"above or equal", which unordered operands fail).
void BaselineCompiler::compareJump(bool rightIsConstant, bool swap, asmjit::x86::CondCode jumpWhen) {
  bool speculate = speculateNumbers();
  if (!speculate) numbers_.clear();
  Label notNumber = speculate ? deoptLabel(DeoptReason::NotNumber) : a_.newLabel();
  x86::Xmm left = numberOperand(argA(insn_), notNumber, speculate);
  if (rightIsConstant && !swap) {
    a_.ucomisd(left, poolConstant(constantBits(argB(insn_))));
  } else {
    x86::Xmm right = x86::xmm1;
    if (rightIsConstant) {
      a_.movsd(x86::xmm1, poolConstant(constantBits(argB(insn_))));
    } else {
      right = numberOperand(argB(insn_), notNumber, speculate);
    }
    if (swap) {
      a_.ucomisd(right, left);
    } else {
      a_.ucomisd(left, right);
    }
  }
  a_.j(jumpWhen, labelAt(uint32_t(jumpTarget(code_, pc_))));
  if (speculate) return;
  Label done = a_.newLabel();
  a_.jmp(done);
  a_.bind(notNumber);
  saveIpAfter();
  loadVm(x86::rdi);
  a_.mov(x86::esi, imm(insn_ & 0xff));
  argSlot(x86::rdx, argA(insn_));
  a_.mov(x86::rcx, reg(argA(insn_)));
  if (rightIsConstant) {
    loadImm(x86::r8, constantBits(argB(insn_)));
  } else {
    a_.mov(x86::r8, reg(argB(insn_)));
  }
  callFunction(address(arithmeticGeneric));
  a_.jmp(errorLabel_);
  a_.bind(done);
  numbers_.clear();
}
// !(a < b) <=> !(b above a);  !(a <= b) <=> !(b above-or-equal a).
void BaselineCompiler::visitJumpIfNotLt() { compareJump(false, true, x86::CondCode::kBE); }
void BaselineCompiler::visitJumpIfNotLe() { compareJump(false, true, x86::CondCode::kB); }
void BaselineCompiler::visitJumpIfNotLtK() { compareJump(true, true, x86::CondCode::kBE); }
void BaselineCompiler::visitJumpIfNotLeK() { compareJump(true, true, x86::CondCode::kB); }
void BaselineCompiler::visitJumpIfNotGtK() { compareJump(true, false, x86::CondCode::kBE); }
void BaselineCompiler::visitJumpIfNotGeK() { compareJump(true, false, x86::CondCode::kB); }
void BaselineCompiler::visitJumpIfNotEq() {
  equality(false);
  a_.test(x86::ecx, x86::ecx);
  a_.jz(labelAt(uint32_t(jumpTarget(code_, pc_))));
}
void BaselineCompiler::visitJumpIfNotNe() {
  equality(false);
  a_.test(x86::ecx, x86::ecx);
  a_.jnz(labelAt(uint32_t(jumpTarget(code_, pc_))));
}
void BaselineCompiler::visitJumpIfNotEqK() {
  equality(true);
  a_.test(x86::ecx, x86::ecx);
  a_.jz(labelAt(uint32_t(jumpTarget(code_, pc_))));
}
void BaselineCompiler::visitJumpIfNotNeK() {
  equality(true);
  a_.test(x86::ecx, x86::ecx);
  a_.jnz(labelAt(uint32_t(jumpTarget(code_, pc_))));
}

// -- Objects, properties and indexing ---------------------------------------------------

// The cache's field entries at compile time become a chain of shape compares
// with fixed-offset loads; a shape fixes the slot of a field for good, so the
// code stays right whatever the cache does later. Anything else (methods,
// built-ins, a new shape) takes the runtime's miss path, which keeps caching.
// The interpreter's fast path on the live cache: the receiver in register
// `receiver` is an instance whose shape is entries[0]'s, and that entry reads
// or writes an inline field. Leaves the instance in rcx and the slot in rsi;
// anything else goes to `miss`.
void BaselineCompiler::liveEntryProbe(uint32_t receiver, PropertyCache& cache, const Label& miss) {
  loadObject(receiver, ObjKind::Instance, miss);
  loadImm(x86::rdx, reinterpret_cast<uint64_t>(&cache.entries[0]));
  a_.mov(x86::rsi, x86::qword_ptr(x86::rcx, layout::kInstanceShape));
  a_.cmp(x86::rsi, x86::qword_ptr(x86::rdx, layout::kCacheEntryShape));
  a_.jne(miss);
  a_.cmp(x86::byte_ptr(x86::rdx, layout::kCacheEntryAccess), uint8_t(CacheAccess::InlineField));
  a_.jne(miss);
  a_.mov(x86::esi, x86::dword_ptr(x86::rdx, layout::kCacheEntrySlot));
}

// Out of line: the runtime call that `call` emits (it returns false on an
// error), then the cached numbers back from their slots and on to `done`.
Label BaselineCompiler::runtimeMissPath(const Label& done, std::function<void()> call) {
  uint32_t after = nextPc();
  return coldPath([this, done, after, call, cached = numbers_.bindings()] {
    saveIp(after);
    call();
    exitIfFalse();
    reloadNumbers(cached);
    a_.jmp(done);
  });
}

// Out of line: the interpreter's fast path on the live cache's first entry
// (an inline field of the instance in `receiver`), so that a site that had
// not run when it was compiled still gets a hit: `hit` emits the access (rcx
// the instance, rsi the slot), then on to `done`; anything else goes to
// `miss`, as does a megamorphic site at once.
Label BaselineCompiler::liveEntryPath(PropertyCache& cache, uint32_t receiver, const Label& done,
                                      const Label& miss, std::function<void()> hit) {
  if (cache.state == CacheState::Megamorphic) return miss;
  return coldPath([this, &cache, receiver, done, miss, hit] {
    liveEntryProbe(receiver, cache, miss);
    hit();
    a_.jmp(done);
  });
}

// rcx = the object of `kind` in register r (rax its value); anything else
// jumps to `notKind`. A register known to hold one needs no check.
void BaselineCompiler::loadObject(uint32_t r, ObjKind kind, const Label& notKind) {
  a_.mov(x86::rax, reg(r));
  if (numbers_.knownKind(r, kind)) {
    a_.mov(x86::rcx, x86::rax);
    a_.xor_(x86::rcx, kObjectMask);
    return;
  }
  jumpIfNotKind(x86::rax, x86::rcx, kind, notKind);
}

// The entries of `cache` that `accepts`, as a chain of shape compares on the
// instance in rcx (shape in rdx): `access(entry)` emits the hit. The hot path
// falls through to after the chain on a hit of the last entry, jumps to
// `done` on the others, and to `fallback` when no shape matches.
void BaselineCompiler::shapeChain(const PropertyCache& cache, bool (*accepts)(const PropertyCacheEntry&),
                                  const std::function<void(const PropertyCacheEntry&)>& access,
                                  const Label& done, const Label& fallback) {
  int last = -1;
  for (int i = 0; i < cache.count; i++)
    if (accepts(cache.entries[i])) last = i;
  if (last < 0) {
    a_.jmp(fallback);
    return;
  }
  a_.mov(x86::rdx, x86::qword_ptr(x86::rcx, layout::kInstanceShape));
  for (int i = 0; i <= last; i++) {
    const PropertyCacheEntry& e = cache.entries[i];
    if (!accepts(e)) continue;
    Label next = i == last ? fallback : a_.newLabel();
    // Shapes are old and never move; the code keeps them alive.
    a_.cmp(x86::rdx, poolConstant(reinterpret_cast<uint64_t>(e.shape)));
    a_.jne(next);
    access(e);
    if (i == last) break;
    a_.jmp(done);
    a_.bind(next);
  }
}

bool isInlineStore(const PropertyCacheEntry& e) {
  return e.access == CacheAccess::InlineField || e.access == CacheAccess::AddInlineField ||
         e.access == CacheAccess::OverflowField;
}

// GetProp: the shape chain of the cache's field entries at compile time,
// then (out of line) the live cache's first entry and the runtime's miss
// handler. The miss handler writes only R[A] and moves no number, so the
// block keeps its number cache. With clean feedback a receiver that is not an
// instance deoptimizes, so that afterwards R[B] is known to be one.
void BaselineCompiler::visitGetProp() {
  PropertyCache* cache = &proto_->propertyCaches[ext()];
  uint32_t a = argA(insn_), b = argB(insn_);
  Label done = a_.newLabel();
  numbers_.forget(a);
  Label miss = runtimeMissPath(done, [this, cache, a, b] {
    loadVm(x86::rdi);
    loadImm(x86::rsi, reinterpret_cast<uint64_t>(proto_));
    loadImm(x86::rdx, reinterpret_cast<uint64_t>(cache));
    argSlot(x86::rcx, a);
    argSlot(x86::r8, b);
    callFunction(address(getPropertyGeneric));
  });
  bool speculate = !generic_ && !(feedback() & kFeedbackOther);
  if (generic_) {
    a_.jmp(miss);
  } else {
    Label probe = liveEntryPath(*cache, b, done, miss, [this, a] {
      a_.mov(x86::rax, x86::qword_ptr(x86::rcx, x86::rsi, 3, layout::kInstanceSlots));
      a_.mov(reg(a), x86::rax);
    });
    loadObject(b, ObjKind::Instance, speculate ? deoptLabel(DeoptReason::NotInstance) : miss);
    shapeChain(
        *cache, isFieldRead,
        [this, a](const PropertyCacheEntry& e) {
          if (e.access == CacheAccess::InlineField) {
            a_.mov(x86::rax,
                   x86::qword_ptr(x86::rcx, int32_t(layout::kInstanceSlots + e.slot * sizeof(Value))));
          } else {
            a_.mov(x86::rax, x86::qword_ptr(x86::rcx, layout::kInstanceOverflow));
            a_.mov(x86::rax, x86::qword_ptr(x86::rax, int32_t((e.slot - e.inlineSlots) * sizeof(Value))));
          }
          a_.mov(reg(a), x86::rax);
        },
        done, probe);
  }
  a_.bind(done);
  if (speculate && a != b) numbers_.markKind(b, ObjKind::Instance);
  keepCache_ = true;
}

// SetProp: as GetProp (the transition store that adds an inline field
// included). Afterwards R[A] is an instance: for anything else the miss
// handler raises.
void BaselineCompiler::visitSetProp() {
  PropertyCache* cache = &proto_->propertyCaches[ext()];
  uint32_t a = argA(insn_), b = argB(insn_);
  Label done = a_.newLabel();
  Label miss = runtimeMissPath(done, [this, cache, a, b] {
    loadVm(x86::rdi);
    loadImm(x86::rsi, reinterpret_cast<uint64_t>(cache));
    argSlot(x86::rdx, a);
    argSlot(x86::rcx, b);
    callFunction(address(setPropertyMiss));
  });
  if (generic_) {
    a_.jmp(miss);
  } else {
    Label probe = liveEntryPath(*cache, a, done, miss, [this, b] {  // overwriting a field only
      a_.mov(x86::rax, reg(b));
      a_.mov(x86::qword_ptr(x86::rcx, x86::rsi, 3, layout::kInstanceSlots), x86::rax);
      writeBarrier(x86::rcx, x86::rax, int(b));
    });
    loadObject(a, ObjKind::Instance, miss);
    shapeChain(
        *cache, isInlineStore,
        [this, b](const PropertyCacheEntry& e) {
          if (e.access == CacheAccess::AddInlineField) {
            // The transition: new shape, then the field (both barriered).
            loadImm(x86::rsi, reinterpret_cast<uint64_t>(e.newShape));
            a_.mov(x86::qword_ptr(x86::rcx, layout::kInstanceShape), x86::rsi);
            a_.mov(x86::r8, x86::rcx);
            a_.mov(x86::rax, x86::rsi);
            a_.or_(x86::rax, kObjectMask);
            a_.push(x86::r8);
            a_.push(x86::r8);  // keeps the stack 16-byte aligned
            writeBarrier(x86::r8, x86::rax);
            a_.pop(x86::rcx);
            a_.pop(x86::rcx);
          }
          a_.mov(x86::rax, reg(b));
          if (e.access == CacheAccess::OverflowField) {
            a_.mov(x86::rdx, x86::qword_ptr(x86::rcx, layout::kInstanceOverflow));
            a_.mov(x86::qword_ptr(x86::rdx, int32_t((e.slot - e.inlineSlots) * sizeof(Value))), x86::rax);
          } else {
            a_.mov(x86::qword_ptr(x86::rcx, int32_t(layout::kInstanceSlots + e.slot * sizeof(Value))),
                   x86::rax);
          }
          writeBarrier(x86::rcx, x86::rax, int(b));
        },
        done, probe);
  }
  a_.bind(done);
  numbers_.markKind(a, ObjKind::Instance);
  keepCache_ = true;
}

void BaselineCompiler::visitGetSuper() {
  saveIpAfter();
  loadVm(x86::rdi);
  loadImm(x86::rsi, reinterpret_cast<uint64_t>(&proto_->propertyCaches[ext()]));
  argSlot(x86::rdx, argA(insn_));
  argSlot(x86::rcx, argB(insn_));
  argSlot(x86::r8, argC(insn_));
  loadImm(x86::r9, reinterpret_cast<uint64_t>(proto_));
  callFunction(address(getSuperGeneric));
  exitIfFalse();
}

// isListIndex in machine code: register `list` holds a list and register
// `index` an integral number in [0, count). Leaves the list in rcx and the
// index in rsi; anything else goes to `fail`.
void BaselineCompiler::listElement(uint32_t list, uint32_t index, const Label& fail) {
  loadObject(list, ObjKind::List, fail);
  x86::Xmm number = x86::xmm0;
  if (numbers_.lookup(index) >= 0) {
    number = x86::xmm(uint32_t(numbers_.lookup(index)));
  } else if (numbers_.knownNumber(index)) {
    a_.movq(x86::xmm0, reg(index));
  } else {
    a_.mov(x86::rdx, reg(index));
    jumpIfNotNumber(x86::rdx, x86::rsi, fail);
    a_.movq(x86::xmm0, x86::rdx);
  }
  a_.cvttsd2si(x86::rsi, number);
  a_.cvtsi2sd(x86::xmm1, x86::rsi);
  a_.ucomisd(number, x86::xmm1);
  a_.jne(fail);
  a_.jp(fail);
  a_.mov(x86::edi, x86::dword_ptr(x86::rcx, layout::kListCount));
  a_.cmp(x86::rsi, x86::rdi);  // unsigned: a negative index is huge
  a_.jae(fail);
}

// List elements inline: a list, an integral in-range number index.
void BaselineCompiler::visitGetIndex() {
  bool speculate = !generic_ && feedback() == 0;
  Label generic = speculate ? deoptLabel(DeoptReason::NotListElement) : a_.newLabel(), done = a_.newLabel();
  listElement(argB(insn_), argC(insn_), generic);
  a_.mov(x86::rax, x86::qword_ptr(x86::rcx, layout::kListItems));
  a_.mov(x86::rax, x86::qword_ptr(x86::rax, x86::rsi, 3));
  a_.mov(reg(argA(insn_)), x86::rax);
  if (speculate) {  // past the guards: R[B] is a list, R[C] a number
    numbers_.forget(argA(insn_));
    if (argA(insn_) != argB(insn_)) numbers_.markKind(argB(insn_), ObjKind::List);
    if (argA(insn_) != argC(insn_)) numbers_.markNumber(argC(insn_));
    keepCache_ = true;
    return;
  }
  a_.jmp(done);
  a_.bind(generic);
  saveIpAfter();
  callWithSlots(address(getIndexGeneric), {argA(insn_), argB(insn_), argC(insn_)});
  exitIfFalse();
  a_.bind(done);
}
void BaselineCompiler::visitSetIndex() {
  bool speculate = !generic_ && feedback() == 0;
  Label generic = speculate ? deoptLabel(DeoptReason::NotListElement) : a_.newLabel(), done = a_.newLabel();
  listElement(argA(insn_), argB(insn_), generic);
  a_.mov(x86::rdx, x86::qword_ptr(x86::rcx, layout::kListItems));
  a_.mov(x86::rax, reg(argC(insn_)));
  a_.mov(x86::qword_ptr(x86::rdx, x86::rsi, 3), x86::rax);
  writeBarrier(x86::rcx, x86::rax, int(argC(insn_)));
  if (speculate) {  // past the guards: R[A] is a list, R[B] a number
    numbers_.markKind(argA(insn_), ObjKind::List);
    numbers_.markNumber(argB(insn_));
    keepCache_ = true;
    return;
  }
  a_.jmp(done);
  a_.bind(generic);
  saveIpAfter();
  callWithSlots(address(setIndexGeneric), {argA(insn_), argB(insn_), argC(insn_)});
  exitIfFalse();
  a_.bind(done);
}
void BaselineCompiler::visitNewList() {
  saveIpAfter();
  loadVm(x86::rdi);
  argSlot(x86::rsi, argA(insn_));
  a_.mov(x86::edx, imm(argBx(insn_)));
  callFunction(address(newListAt));
}
void BaselineCompiler::visitListPush() {
  saveIpAfter();
  callWithSlots(address(listPushAt), {argA(insn_), argB(insn_)});
}
void BaselineCompiler::visitNewMap() {
  saveIpAfter();
  loadVm(x86::rdi);
  argSlot(x86::rsi, argA(insn_));
  a_.mov(x86::edx, imm(argBx(insn_)));
  callFunction(address(newMapAt));
}
void BaselineCompiler::visitClass() {
  saveIpAfter();
  loadVm(x86::rdi);
  argSlot(x86::rsi, argA(insn_));
  loadImm(x86::rdx, constantBits(ext()));
  a_.mov(x86::ecx, imm(argB(insn_)));
  callFunction(address(defineClassAt));
}
void BaselineCompiler::visitInherit() {
  saveIpAfter();
  loadVm(x86::rdi);
  argSlot(x86::rsi, argA(insn_));
  argSlot(x86::rdx, argB(insn_));
  a_.mov(x86::ecx, imm(argC(insn_)));
  callFunction(address(inheritAt));
  exitIfFalse();
}
void BaselineCompiler::visitMethod() {
  saveIpAfter();
  loadVm(x86::rdi);
  argSlot(x86::rsi, argA(insn_));
  loadImm(x86::rdx, constantBits(ext()));
  argSlot(x86::rcx, argB(insn_));
  callFunction(address(defineMethodAt));
}

// -- Calls and closures -------------------------------------------------------------------

// After a call: the caller's frame is innermost again (the callee returned,
// or the runtime finished the call), the result in R[A]. kFrame and kBase are
// the caller's on every way in: a compiled callee's Return sets them, the
// trampoline sets them when the interpreter resumes here, and a runtime call
// preserves them (callee-saved). Only the stack top is the callee's.
void BaselineCompiler::bindContinuation(const Label& continuation) {
  a_.bind(continuation);
  continuations_.emplace_back(continuation, nextPc());
  a_.lea(x86::rax, x86::ptr(kBase, int32_t(proto_->numRegisters * sizeof(Value))));
  a_.mov(x86::qword_ptr(kExec, layout::kStackTop), x86::rax);
}

void BaselineCompiler::finishRuntimeCall(const Label& continuation) {
  Label pushed = a_.newLabel();
  a_.cmp(x86::rax, 1);
  a_.je(errorLabel_);
  a_.ja(pushed);
  a_.jmp(continuation);  // done: the result is in R[A]
  a_.bind(pushed);
  // A frame for a closure: it returns to `continuation`, compiled or not.
  a_.lea(x86::rcx, x86::ptr(continuation));
  a_.mov(x86::qword_ptr(x86::rax, layout::kFrameNativeReturn), x86::rcx);
  a_.jmp(imm(reinterpret_cast<uint64_t>(stubs_.enterPushedFrame)));
}

// Call: a callee that feedback saw as one compiled function is entered
// directly (a guard on its FunctionProto, which never moves; the frame pushed
// inline with the same limits as pushFrame). Any other callee, and every
// limit, goes through the runtime's callValueAt.
void BaselineCompiler::visitCall() {
  uint32_t a = argA(insn_), argCount = argB(insn_);
  FunctionProto* target = proto_->callTargets[argC(insn_)];
  Label continuation = a_.newLabel(), generic = a_.newLabel();
  pollSafepoint(nextPc());
  bool direct =
      !generic_ && target != nullptr && !(feedback() & kFeedbackOther) && target->arity == int(argCount);
  if (direct) {
    a_.mov(x86::rax, reg(a));
    if (Closure* known = embeddableClosure(target)) {  // one compare decides
      a_.cmp(x86::rax, poolConstant(Value::object(known).bits()));
      a_.jne(generic);
      loadImm(x86::rcx, reinterpret_cast<uint64_t>(known));
      loadImm(x86::rdx, reinterpret_cast<uint64_t>(target));
    } else {
      jumpIfNotKind(x86::rax, x86::rcx, ObjKind::Closure, generic);
      loadImm(x86::rdx, reinterpret_cast<uint64_t>(target));
      a_.cmp(x86::qword_ptr(x86::rcx, layout::kClosureProto), x86::rdx);
      a_.jne(generic);
    }
    a_.mov(x86::r8, x86::qword_ptr(x86::rdx, layout::kProtoJitEntry));
    a_.test(x86::r8, x86::r8);
    a_.jz(generic);  // not compiled (yet, or any more): the runtime counts and tiers up
    a_.lea(x86::rsi, reg_ptr(a));
    a_.lea(x86::rdi, x86::ptr(x86::rsi, int32_t(target->numRegisters * sizeof(Value))));
    pushFrameAndEnter(continuation, generic);
  }
  a_.bind(generic);
  saveIpAfter();  // from here on something may raise
  Label runtimeCall = a_.newLabel();
  if (!generic_) {
    // A native callee is called directly (len, clock, Math functions held in
    // globals): its arity checked as callNative checks it.
    Label notNative = direct ? runtimeCall : a_.newLabel();
    a_.mov(x86::rax, reg(a));
    jumpIfNotKind(x86::rax, x86::rcx, ObjKind::Native, notNative);
    checkNativeArity(argCount, runtimeCall);  // the runtime raises the arity error
    callNativeDirect(x86::qword_ptr(x86::rcx, layout::kNativeFn), a, argCount);
    a_.jmp(continuation);
    // A site that never saw one function (a class, or never run) may construct.
    if (!direct) {
      a_.bind(notNative);
      constructInline(a, argCount, continuation, runtimeCall);
    }
  }
  a_.bind(runtimeCall);
  loadVm(x86::rdi);
  argSlot(x86::rsi, a);
  a_.mov(x86::edx, imm(argCount));
  callFunction(address(callGeneric));
  finishRuntimeCall(continuation);
  bindContinuation(continuation);
}

// Calls the native function `fn` (NativeFn) with callBase = &R[a]: its result
// in R[a], or the pending error. Natives may allocate and call back into the
// VM; everything is in frame slots, and the continuation reloads the frame.
// The inline form of pushFrame for a compiled callee, then the jump into it:
// rcx = the closure, rsi = the new frame's base, rdi = its register top,
// r8 = the callee's code. Its limits are pushFrame's (stack bound, frame
// count); past them it goes to `slow` (the runtime raises the error). The
// callee returns to `continuation`. (Arity is the caller's to check.)
void BaselineCompiler::pushFrameAndEnter(const Label& continuation, const Label& slow) {
  checkFrameRoom(slow);
  enterFrame(continuation);
}
// For a callee whose FunctionProto is in `proto`: to `slow` unless it takes
// argCount arguments and has compiled code, whose entry is then in `entry`.
void BaselineCompiler::compiledEntry(const x86::Gp& proto, const x86::Gp& entry, uint32_t argCount,
                                     const Label& slow) {
  a_.cmp(x86::dword_ptr(proto, layout::kProtoArity), imm(argCount));
  a_.jne(slow);
  a_.mov(entry, x86::qword_ptr(proto, layout::kProtoJitEntry));
  a_.test(entry, entry);
  a_.jz(slow);
}
// The callee's frame at R[a]: rsi = its base, rdi = its register top.
void BaselineCompiler::calleeFrameBounds(const x86::Gp& proto, uint32_t a) {
  a_.movsxd(x86::rdi, x86::dword_ptr(proto, layout::kProtoNumRegisters));
  a_.lea(x86::rsi, reg_ptr(a));
  a_.lea(x86::rdi, x86::ptr(x86::rsi, x86::rdi, 3));
}
// pushFrame's limits for a frame whose register top is rdi.
void BaselineCompiler::checkFrameRoom(const Label& slow) {
  a_.cmp(x86::rdi, x86::qword_ptr(kExec, layout::kStackCheck));
  a_.ja(slow);
  a_.cmp(kFrame, x86::qword_ptr(kExec, layout::kLastFrame));  // kFrame is exec.frame
  a_.je(slow);
}
// pushFrame's stores once its limits were checked, then the jump to r8.
void BaselineCompiler::enterFrame(const Label& continuation) {
  a_.add(kFrame, layout::kFrameSize);
  a_.mov(x86::qword_ptr(kFrame, layout::kFrameClosure), x86::rcx);
  a_.mov(x86::qword_ptr(kFrame, layout::kFrameBase), x86::rsi);
  a_.lea(x86::rdx, x86::ptr(continuation));
  a_.mov(x86::qword_ptr(kFrame, layout::kFrameNativeReturn), x86::rdx);
  a_.mov(x86::qword_ptr(kExec, layout::kFrame), kFrame);
  a_.mov(x86::qword_ptr(kExec, layout::kStackTop), x86::rdi);
  a_.mov(kBase, x86::rsi);
  a_.jmp(x86::r8);
}

// Calling a class (R[A]) whose initializer is compiled and takes argCount
// arguments, or that has none and argCount is 0: constructInstance inline.
// The instance is bump-allocated as newInstanceForCall makes it (or made by
// it when the nursery is full), then the initializer is entered as a direct
// call enters its callee. Whatever else this path cannot do (another
// callee, an initializer not compiled, an arity error, the stack or frame
// limit) goes to `slow` before anything is written, and the runtime makes
// the whole call.
void BaselineCompiler::constructInline(uint32_t a, uint32_t argCount, const Label& continuation,
                                       const Label& slow) {
  Label noInitializer = a_.newLabel(), enter = a_.newLabel();
  a_.mov(x86::rax, reg(a));
  jumpIfNotKind(x86::rax, x86::rcx, ObjKind::Class, slow);  // rcx = the class (old: never moves)
  a_.mov(x86::r8, x86::qword_ptr(x86::rcx, layout::kClassInitializer));
  loadImm(x86::rdx, kNilBits);
  a_.cmp(x86::r8, x86::rdx);
  a_.je(argCount == 0 ? noInitializer : slow);  // the runtime raises the arity error
  a_.xor_(x86::r8, kObjectMask);                // a closure: initializers are nil or closures
  a_.mov(x86::r9, x86::qword_ptr(x86::r8, layout::kClosureProto));
  compiledEntry(x86::r9, x86::r10, argCount, slow);
  calleeFrameBounds(x86::r9, a);
  checkFrameRoom(slow);
  // The runtime allocates (and may collect) with everything in frame slots.
  // After it the initializer is read again from what it returns (it may have
  // moved); its code is still there: a collection neither frees it (the class
  // holds it) nor invalidates it (only deopts do).
  Label full = coldPath([this, a, enter] {
    loadVm(x86::rdi);
    argSlot(x86::rsi, a);
    callFunction(address(newInstanceForCallAt));
    a_.mov(x86::rcx, x86::rax);
    a_.mov(x86::r9, x86::qword_ptr(x86::rcx, layout::kClosureProto));
    a_.mov(x86::r8, x86::qword_ptr(x86::r9, layout::kProtoJitEntry));
    calleeFrameBounds(x86::r9, a);
    a_.jmp(enter);
  });
  newInstanceInline(x86::rcx, full);  // keeps rsi, rdi, r8, r10
  a_.mov(reg(a), x86::rax);
  a_.mov(x86::rcx, x86::r8);
  a_.mov(x86::r8, x86::r10);
  a_.bind(enter);
  enterFrame(continuation);
  if (argCount == 0) {
    Label noRoom = coldPath([this, a, continuation] {
      loadVm(x86::rdi);
      argSlot(x86::rsi, a);
      callFunction(address(newInstanceForCallAt));
      a_.jmp(continuation);
    });
    a_.bind(noInitializer);
    newInstanceInline(x86::rcx, noRoom);
    a_.mov(reg(a), x86::rax);
    a_.jmp(continuation);
  }
}

// VM::newInstance inline: rax = the value of a new instance of `klass`, with
// its class's inline slots, root shape and no overflow. `full`: no room in
// the nursery (nothing written). Clobbers rdx, r9, r11.
void BaselineCompiler::newInstanceInline(const x86::Gp& klass, const Label& full) {
  a_.mov(x86::r9d, x86::dword_ptr(klass, layout::kClassInlineSlots));  // at most kMaxInlineSlots
  bumpAllocate(x86::rax, x86::ptr(x86::rax, x86::r9, 3, layout::kInstanceSlots), x86::rdx, full);
  a_.shl(x86::r9d, layout::kHeaderAuxShift);
  a_.or_(x86::r9d, imm(uint32_t(layout::youngHeader(ObjKind::Instance))));
  a_.mov(x86::qword_ptr(x86::rax, layout::kObjKind), x86::r9);  // hash 0: r9's top half is clear
  a_.mov(x86::rdx, x86::qword_ptr(klass, layout::kClassRootShape));
  a_.mov(x86::qword_ptr(x86::rax, layout::kInstanceShape), x86::rdx);
  a_.mov(x86::qword_ptr(x86::rax, layout::kInstanceOverflow), 0);
  a_.or_(x86::rax, kObjectMask);  // slots past the shape's field count are never read
}

// Jumps to `wrong` unless the native in rcx takes argCount arguments (or
// checks its own: arity -1), as callNative checks.
void BaselineCompiler::checkNativeArity(uint32_t argCount, const Label& wrong) {
  Label ok = a_.newLabel();
  a_.mov(x86::edx, x86::dword_ptr(x86::rcx, layout::kNativeArity));
  a_.test(x86::edx, x86::edx);
  a_.js(ok);
  a_.cmp(x86::edx, imm(argCount));
  a_.jne(wrong);
  a_.bind(ok);
}

// list.push(R[A+1]) on the list in rcx while it has room, as VM::listPush
// (store, count, barrier); R[A] = nil. A full list falls through to the call,
// which grows it.
void BaselineCompiler::listPushInline(uint32_t a, const Label& continuation) {
  Label full = a_.newLabel();
  a_.mov(x86::edx, x86::dword_ptr(x86::rcx, layout::kListCount));
  a_.cmp(x86::edx, x86::dword_ptr(x86::rcx, layout::kListCapacity));
  a_.jae(full);
  a_.mov(x86::rsi, x86::qword_ptr(x86::rcx, layout::kListItems));
  a_.mov(x86::rax, reg(a + 1));
  a_.mov(x86::qword_ptr(x86::rsi, x86::rdx, 3), x86::rax);
  a_.add(x86::edx, 1);
  a_.mov(x86::dword_ptr(x86::rcx, layout::kListCount), x86::edx);
  writeBarrier(x86::rcx, x86::rax, int(a + 1));
  loadImm(x86::rax, kNilBits);
  a_.mov(reg(a), x86::rax);
  a_.jmp(continuation);
  a_.bind(full);
}

void BaselineCompiler::callNativeDirect(const x86::Mem& fn, uint32_t a, uint32_t argCount) {
  a_.mov(x86::r10, fn);
  saveIpAfter();  // natives may raise (this clobbers rax, which `fn` may be based on)
  loadVm(x86::rdi);
  argSlot(x86::rsi, a);
  a_.mov(x86::edx, imm(argCount));
  a_.call(x86::r10);
  loadImm(x86::rcx, Value::error().bits());
  a_.cmp(x86::rax, x86::rcx);
  a_.je(errorLabel_);
  a_.mov(reg(a), x86::rax);
}

void BaselineCompiler::visitCallList() {
  Label continuation = a_.newLabel();
  saveIpAfter();
  pollSafepoint(nextPc());
  callWithSlots(address(callListGeneric), {argA(insn_), argB(insn_)});
  finishRuntimeCall(continuation);
  bindContinuation(continuation);
}

// Invoke: the cache's first entry, read when the code runs (as the
// interpreter reads it: methods are young closures and must not be embedded),
// then the method's frame is pushed inline and entered if it is compiled.
void BaselineCompiler::visitInvoke() {
  PropertyCache& cache = proto_->propertyCaches[ext()];
  uint32_t a = argA(insn_), argCount = argB(insn_);
  Label continuation = a_.newLabel(), generic = a_.newLabel();
  pollSafepoint(nextPc());
  if (!generic_) {
    // Built-in methods (list.push, string methods...) seen here: a guard on the
    // receiver's kind and a direct call of the native (natives are old and the
    // built-in table never changes).
    for (int i = 0; i < cache.count; i++) {
      const PropertyCacheEntry& e = cache.entries[i];
      if (e.access != CacheAccess::Builtin) continue;
      auto* native = static_cast<Native*>(e.method);
      if (native->arity >= 0 && native->arity != int(argCount)) continue;
      Label next = a_.newLabel();
      a_.mov(x86::rax, reg(a));
      jumpIfNotKind(x86::rax, x86::rcx, ObjKind(e.slot), next);
      if (native->intrinsic == NativeIntrinsic::ListPush && argCount == 1) listPushInline(a, continuation);
      loadImm(x86::rax, reinterpret_cast<uint64_t>(native));
      callNativeDirect(x86::qword_ptr(x86::rax, layout::kNativeFn), a, argCount);
      a_.jmp(continuation);
      a_.bind(next);
    }
    // A field holding a native (Math.sqrt): the shape fixes the slot; the
    // field's value is checked when the code runs.
    for (int i = 0; i < cache.count; i++) {
      const PropertyCacheEntry& e = cache.entries[i];
      if (e.access != CacheAccess::InlineField) continue;
      Label next = a_.newLabel();
      a_.mov(x86::rax, reg(a));
      jumpIfNotKind(x86::rax, x86::rcx, ObjKind::Instance, next);
      loadImm(x86::rdx, reinterpret_cast<uint64_t>(e.shape));
      a_.cmp(x86::qword_ptr(x86::rcx, layout::kInstanceShape), x86::rdx);
      a_.jne(next);
      a_.mov(x86::rax, x86::qword_ptr(x86::rcx, int32_t(layout::kInstanceSlots + e.slot * sizeof(Value))));
      jumpIfNotKind(x86::rax, x86::rcx, ObjKind::Native, next);
      checkNativeArity(argCount, next);
      a_.mov(reg(a), x86::rax);  // the callee replaces the receiver, as callValueAt does
      callNativeDirect(x86::qword_ptr(x86::rcx, layout::kNativeFn), a, argCount);
      a_.jmp(continuation);
      a_.bind(next);
    }
  }
  if (!generic_ && cache.state != CacheState::Megamorphic) {
    a_.mov(x86::rax, reg(a));
    jumpIfNotKind(x86::rax, x86::rcx, ObjKind::Instance, generic);
    a_.mov(x86::rsi, x86::qword_ptr(x86::rcx, layout::kInstanceShape));
    callCachedMethod(cache, a, argCount, continuation, generic);
  }
  a_.bind(generic);
  saveIpAfter();
  loadVm(x86::rdi);
  loadImm(x86::rsi, reinterpret_cast<uint64_t>(proto_));
  loadImm(x86::rdx, reinterpret_cast<uint64_t>(&cache));
  argSlot(x86::rcx, a);
  a_.mov(x86::r8d, imm(argCount));
  callFunction(address(invokeGeneric));
  finishRuntimeCall(continuation);
  bindContinuation(continuation);
}

// Calls the method that the live cache holds for the shape in rsi (every
// entry probed, unrolled, as the interpreter's probe: a polymorphic site calls
// each of its methods directly; unused entries have no shape and never match),
// pushing its frame inline and entering its code; anything else goes to
// `generic`.
void BaselineCompiler::callCachedMethod(PropertyCache& cache, uint32_t a, uint32_t argCount,
                                        const Label& continuation, const Label& generic) {
  // Entries seen now whose method is old (the methods of global classes,
  // FunctionProto::tenureClosures) are compiled in: a shape's method never
  // changes (a class's methods are fixed once it is defined, and a field
  // that shadows one gives the instance a new shape), and the code keeps the
  // shape and the method alive (references, embedded_).
  for (int i = 0; i < cache.count; i++) {
    const PropertyCacheEntry& e = cache.entries[i];
    if (e.access != CacheAccess::Method || Heap::isYoung(e.method)) continue;
    auto* method = static_cast<Closure*>(e.method);
    FunctionProto* callee = method->proto;
    if (callee->arity != int(argCount)) continue;  // the runtime raises the error
    embedded_.push_back(method);
    Label next = a_.newLabel();
    a_.cmp(x86::rsi, poolConstant(reinterpret_cast<uint64_t>(e.shape)));
    a_.jne(next);
    loadImm(x86::rdx, reinterpret_cast<uint64_t>(callee));
    a_.mov(x86::r8, x86::qword_ptr(x86::rdx, layout::kProtoJitEntry));
    a_.test(x86::r8, x86::r8);
    a_.jz(generic);
    loadImm(x86::rcx, reinterpret_cast<uint64_t>(method));
    a_.lea(x86::rsi, reg_ptr(a));
    a_.lea(x86::rdi, x86::ptr(x86::rsi, int32_t(callee->numRegisters * sizeof(Value))));
    pushFrameAndEnter(continuation, generic);
    a_.bind(next);
  }
  // The live cache: entries added since, and young methods.
  loadImm(x86::rdx, reinterpret_cast<uint64_t>(&cache.entries[0]));
  Label found = a_.newLabel();
  for (int i = 0; i < kPolymorphicEntries; i++) {
    int32_t entry = int32_t(i * sizeof(PropertyCacheEntry));
    Label next = a_.newLabel();
    a_.cmp(x86::rsi, x86::qword_ptr(x86::rdx, entry + layout::kCacheEntryShape));
    a_.jne(next);
    a_.cmp(x86::byte_ptr(x86::rdx, entry + layout::kCacheEntryAccess), uint8_t(CacheAccess::Method));
    a_.jne(generic);
    a_.add(x86::rdx, entry);
    a_.jmp(found);
    a_.bind(next);
  }
  a_.jmp(generic);
  a_.bind(found);
  a_.mov(x86::rcx, x86::qword_ptr(x86::rdx, layout::kCacheEntryMethod));  // the closure
  a_.mov(x86::rdx, x86::qword_ptr(x86::rcx, layout::kClosureProto));
  compiledEntry(x86::rdx, x86::r8, argCount, generic);
  calleeFrameBounds(x86::rdx, a);
  pushFrameAndEnter(continuation, generic);
}

// SuperInvoke: the superclass (always a class, old) is the cache's key, by its
// root shape (findSuperMethod in vm/runtime.cpp caches it that way).
void BaselineCompiler::visitSuperInvoke() {
  PropertyCache& cache = proto_->propertyCaches[ext()];
  Label continuation = a_.newLabel(), generic = a_.newLabel();
  if (!generic_) {
    a_.mov(x86::rax, reg(argC(insn_)));
    a_.xor_(x86::rax, kObjectMask);
    a_.mov(x86::rsi, x86::qword_ptr(x86::rax, layout::kClassRootShape));
    callCachedMethod(cache, argA(insn_), argB(insn_), continuation, generic);
  }
  a_.bind(generic);
  saveIpAfter();
  loadVm(x86::rdi);
  loadImm(x86::rsi, reinterpret_cast<uint64_t>(proto_));
  loadImm(x86::r9, reinterpret_cast<uint64_t>(&cache));
  argSlot(x86::rdx, argA(insn_));
  a_.mov(x86::ecx, imm(argB(insn_)));
  argSlot(x86::r8, argC(insn_));
  callFunction(address(superInvokeGeneric));  // (vm, owner, callBase, argc, superclass, cache)
  finishRuntimeCall(continuation);
  bindContinuation(continuation);
}

// Closure: makeClosure inline. The closure is bump-allocated with its
// inherited upvalues (read from this frame's closure) and null captured ones,
// stored in R[A] (a root from then on), then each register is captured:
// captureInline, or the runtime when the nursery is full.
void BaselineCompiler::visitClosure() {
  uint32_t a = argA(insn_);
  auto* target = static_cast<FunctionProto*>(k(argBx(insn_)).asObj());  // old: never moves
  auto count = uint32_t(target->upvalues.size());
  size_t bytes = sizeof(Closure) + count * sizeof(Upvalue*);
  numbers_.forget(a);
  if (bytes > kMaxYoungObjectBytes || target->tenureClosures) {  // allocated old: the runtime's
    saveIpAfter();
    loadVm(x86::rdi);
    a_.mov(x86::rsi, kFrame);
    loadImm(x86::rdx, reinterpret_cast<uint64_t>(target));
    argSlot(x86::rcx, a);
    callFunction(address(makeClosureAt));
    return;
  }
  Label done = a_.newLabel();
  Label full = coldPath([this, a, target, done, after = nextPc(), cached = numbers_.bindings()] {
    saveIp(after);  // (cold paths are emitted after the main code: pc_ has moved on)
    loadVm(x86::rdi);
    a_.mov(x86::rsi, kFrame);
    loadImm(x86::rdx, reinterpret_cast<uint64_t>(target));
    argSlot(x86::rcx, a);
    callFunction(address(makeClosureAt));
    reloadNumbers(cached);
    a_.jmp(done);
  });
  bumpAllocate(x86::rax, x86::ptr(x86::rax, int32_t(bytes)), x86::rdx, full);
  a_.mov(x86::qword_ptr(x86::rax, layout::kObjKind), imm(layout::youngHeader(ObjKind::Closure)));
  loadImm(x86::rdx, reinterpret_cast<uint64_t>(target));
  a_.mov(x86::qword_ptr(x86::rax, layout::kClosureProto), x86::rdx);
  a_.mov(x86::dword_ptr(x86::rax, layout::kClosureUpvalueCount), imm(count));
  bool inherits = false;
  for (const UpvalueDesc& desc : target->upvalues) inherits = inherits || !desc.fromParentRegister;
  if (inherits) a_.mov(x86::rcx, x86::qword_ptr(kFrame, layout::kFrameClosure));
  for (uint32_t i = 0; i < count; i++) {
    x86::Mem slot = x86::qword_ptr(x86::rax, int32_t(layout::kClosureUpvalues + i * sizeof(Upvalue*)));
    const UpvalueDesc& desc = target->upvalues[i];
    if (desc.fromParentRegister) {
      a_.mov(slot, 0);  // the collector may look before it is captured
    } else {            // no barrier: the closure is young
      a_.mov(x86::rdx,
             x86::qword_ptr(x86::rcx, int32_t(layout::kClosureUpvalues + desc.index * sizeof(Upvalue*))));
      a_.mov(slot, x86::rdx);
    }
  }
  a_.or_(x86::rax, kObjectMask);
  a_.mov(reg(a), x86::rax);
  for (uint32_t i = 0; i < count; i++)
    if (target->upvalues[i].fromParentRegister) captureInline(a, target->upvalues[i].index, i);
  a_.bind(done);
  keepCache_ = true;  // the calls are on cold paths, which reload the cache
}

// captureUpvalue(&R[slot]) into upvalue `index` of the closure in R[closureReg].
// Inline when the open upvalue list (sorted by location, highest first) has
// nothing above the slot: its head is the slot's upvalue, or a new one goes
// in front of it. Otherwise, or with the nursery full, the runtime walks it.
void BaselineCompiler::captureInline(uint32_t closureReg, uint32_t slot, uint32_t index) {
  Label create = a_.newLabel(), store = a_.newLabel();
  Label walk = coldPath([this, slot, store, cached = numbers_.bindings()] {
    loadVm(x86::rdi);
    argSlot(x86::rsi, slot);
    callFunction(address(captureUpvalueAt));
    a_.mov(x86::rcx, x86::rax);
    reloadNumbers(cached);
    a_.jmp(store);
  });
  a_.mov(x86::rcx, x86::qword_ptr(kExec, layout::kOpenUpvalues));
  a_.lea(x86::rsi, reg_ptr(slot));
  a_.test(x86::rcx, x86::rcx);
  a_.jz(create);
  a_.cmp(x86::qword_ptr(x86::rcx, layout::kUpvalueLocation), x86::rsi);
  a_.je(store);  // the slot's open upvalue: shared
  a_.ja(walk);
  a_.bind(create);  // VM::newUpvalue, linked in front of the list's head (rcx)
  bumpAllocate(x86::rax, x86::ptr(x86::rax, int32_t(sizeof(Upvalue))), x86::rdx, walk);
  a_.mov(x86::qword_ptr(x86::rax, layout::kObjKind), imm(layout::youngHeader(ObjKind::Upvalue)));
  a_.mov(x86::qword_ptr(x86::rax, layout::kUpvalueLocation), x86::rsi);
  loadImm(x86::rdx, kNilBits);
  a_.mov(x86::qword_ptr(x86::rax, layout::kUpvalueClosed), x86::rdx);
  a_.mov(x86::qword_ptr(x86::rax, layout::kUpvalueNextOpen), x86::rcx);
  a_.mov(x86::qword_ptr(kExec, layout::kOpenUpvalues), x86::rax);
  a_.mov(x86::rcx, x86::rax);
  a_.bind(store);  // rcx = the upvalue; the closure is re-read (the runtime may have moved it)
  a_.mov(x86::rax, reg(closureReg));
  a_.xor_(x86::rax, kObjectMask);
  a_.mov(x86::qword_ptr(x86::rax, int32_t(layout::kClosureUpvalues + index * sizeof(Upvalue*))), x86::rcx);
  a_.or_(x86::rcx, kObjectMask);
  writeBarrier(x86::rax, x86::rcx);  // a collection in the runtime may have promoted it
}

// Return: closes upvalues, stores the result in register 0, pops the frame
// and continues where the caller said (nativeReturn), or in the interpreter.
void BaselineCompiler::returnValue(bool nil) {
  // Only this function's Closure instructions open upvalues on its frame:
  // without captured registers there is nothing to close.
  if (captured_.any()) closeUpvaluesInline(0);
  if (nil) {
    loadImm(x86::rax, kNilBits);
  } else {
    a_.mov(x86::rax, reg(argA(insn_)));
  }
  a_.mov(x86::qword_ptr(kBase), x86::rax);
  a_.mov(x86::rcx, x86::qword_ptr(kFrame, layout::kFrameNativeReturn));
  a_.sub(kFrame, layout::kFrameSize);
  a_.mov(x86::qword_ptr(kExec, layout::kFrame), kFrame);
  a_.test(x86::rcx, x86::rcx);
  a_.jz(imm(reinterpret_cast<uint64_t>(stubs_.exitContinue)));  // the caller is interpreted
  a_.mov(kBase, x86::qword_ptr(kFrame, layout::kFrameBase));
  a_.jmp(x86::rcx);  // its continuation resets stackTop
}
// closeUpvaluesInline (vm/runtime.h) from R[from] up: each open upvalue
// there gets its register's value and leaves the open list.
void BaselineCompiler::closeUpvaluesInline(uint32_t from) {
  Label done = a_.newLabel(), close = a_.newLabel();
  a_.mov(x86::rax, x86::qword_ptr(kExec, layout::kOpenUpvalues));
  a_.test(x86::rax, x86::rax);
  a_.jz(done);
  a_.lea(x86::rsi, reg_ptr(from));
  a_.cmp(x86::qword_ptr(x86::rax, layout::kUpvalueLocation), x86::rsi);
  a_.jb(done);
  a_.bind(close);  // rax = the list's head, open at or above R[from]
  a_.mov(x86::rcx, x86::qword_ptr(x86::rax, layout::kUpvalueLocation));
  a_.mov(x86::rcx, x86::qword_ptr(x86::rcx));
  a_.mov(x86::qword_ptr(x86::rax, layout::kUpvalueClosed), x86::rcx);
  a_.lea(x86::rdx, x86::ptr(x86::rax, layout::kUpvalueClosed));
  a_.mov(x86::qword_ptr(x86::rax, layout::kUpvalueLocation), x86::rdx);
  writeBarrier(x86::rax, x86::rcx);  // its out-of-line half clobbers rax and rsi: re-read
  a_.mov(x86::rax, x86::qword_ptr(kExec, layout::kOpenUpvalues));
  a_.mov(x86::rax, x86::qword_ptr(x86::rax, layout::kUpvalueNextOpen));
  a_.mov(x86::qword_ptr(kExec, layout::kOpenUpvalues), x86::rax);
  a_.test(x86::rax, x86::rax);
  a_.jz(done);
  a_.lea(x86::rsi, reg_ptr(from));
  a_.cmp(x86::qword_ptr(x86::rax, layout::kUpvalueLocation), x86::rsi);
  a_.jae(close);
  a_.bind(done);
}
void BaselineCompiler::visitReturn() { returnValue(false); }
void BaselineCompiler::visitReturnNil() { returnValue(true); }

// -- Iteration and output -------------------------------------------------------------

void BaselineCompiler::visitForIn() {
  saveIpAfter();
  callWithSlots(address(forInAt), {argA(insn_)});
  a_.cmp(x86::eax, uint32_t(ForInStep::Done));
  a_.je(labelAt(uint32_t(jumpTarget(code_, pc_))));
  a_.ja(errorLabel_);
}
void BaselineCompiler::visitPrint() {
  saveIpAfter();
  callWithSlots(address(printAt), {argA(insn_)});
  exitIfFalse();  // the output handler failed
}

}  // namespace

std::unique_ptr<CompiledFunction> compileFunction(const CompileInput& input) {
  // Facts at loop headers are found by iteration: an attempt assumes what the
  // previous one found (the first: the header's entry facts), and its code is
  // kept when the back edges kept all of it. Facts only shrink, and after
  // kLoopFactAttempts the last attempt assumes nothing at loop headers.
  constexpr int kLoopFactAttempts = 4;
  LoopFacts loopFacts;
  for (int attempt = 0;; attempt++) {
    bool last = attempt == kLoopFactAttempts;
    asmjit::CodeHolder code;
    code.init(input.runtime.environment());
    asmjit::StringLogger logger;
    if (input.listing != nullptr) {
      logger.addFlags(asmjit::FormatFlags::kHexOffsets);
      code.setLogger(&logger);
    }
    x86::Assembler a(&code);
    BaselineCompiler compiler(input, a, last ? nullptr : &loopFacts);
    std::vector<std::pair<uint32_t, Label>> loopHeaders;
    compiler.compile(loopHeaders);
    if (!last && !compiler.loopFactsHold()) {
      loopFacts = compiler.nextLoopFacts();
      continue;
    }
    if (input.listing != nullptr) *input.listing = logger.data();
    void* entry = nullptr;
    if (input.runtime.add(&entry, &code) != asmjit::kErrorOk) return nullptr;
    auto compiled = std::make_unique<CompiledFunction>(&input.runtime, entry, code.codeSize());
    auto addressOf = [&](const Label& label) {
      return static_cast<const void*>(static_cast<const char*>(entry) + code.labelOffsetFromBase(label));
    };
    compiled->entry = addressOf(compiler.entry());
    for (auto& [pc, label] : loopHeaders) compiled->loopEntries.emplace_back(pc, addressOf(label));
    for (auto& [label, pc] : compiler.continuations())
      compiled->continuations.emplace_back(addressOf(label), pc);
    std::sort(compiled->continuations.begin(), compiled->continuations.end());
    compiled->deoptSitePcs = compiler.deoptSitePcs();
    compiled->deoptCounts.assign(compiled->deoptSitePcs.size(), 0);
    // Objects the code embeds: shapes of the property guards, call targets
    // and callee closures (old objects; the prototype traces them through
    // `references`).
    for (PropertyCache& cache : input.proto->propertyCaches) {
      for (int i = 0; i < cache.count; i++) {
        if (cache.entries[i].shape != nullptr) compiled->references.push_back(cache.entries[i].shape);
        if (cache.entries[i].newShape != nullptr) compiled->references.push_back(cache.entries[i].newShape);
      }
    }
    for (FunctionProto* target : input.proto->callTargets) {
      if (target != nullptr) compiled->references.push_back(target);
    }
    for (Obj* o : compiler.embedded()) compiled->references.push_back(o);
    return compiled;
  }
}

}  // namespace kiln::jit
