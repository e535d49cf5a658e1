// The VM's one view of the JIT: a narrow interface that jit/ implements
// (jit/jit.h) and an embedder or the CLI installs with VM::setTierUp. Without
// one (-Xint) the VM never compiles anything and never touches asmjit.
//
// The protocol between the tiers (docs/architecture.md, "Tiers"):
//   - The interpreter counts calls and loop back-edges down in
//     FunctionProto::tierUpCountdown (from ExecutionState::jitThreshold + 1);
//     at zero it calls compile() (a call) or compileForLoop() (a back-edge).
//   - Compiled code runs on the interpreter's frames. The interpreter enters it
//     with enter() at a function's start (FunctionProto::jitEntry), at a loop
//     header (on-stack replacement) or at a continuation after a call
//     (CallFrame::nativeReturn). Compiled code calls compiled code directly;
//     it leaves by returning a JitExit to enter(), with vm.exec.frame the frame
//     to go on with: its ip saved, stackTop set. The ip of a compiled frame
//     below the innermost one is callSiteIp() of its callee's nativeReturn.
#pragma once

#include <cstdint>

namespace kiln {

class VM;
struct CallFrame;
struct FunctionProto;

enum class JitExit : uint32_t {
  Continue = 0,  // interpret vm.exec.frame from its ip (a deopt, an uncompiled callee, a return)
  Error = 1,     // a runtime error is pending: unwind
};

class TierUp {
 public:
  virtual ~TierUp() = default;
  // `proto` reached the threshold at a call: compile it (or decide not to, and
  // reset its counter). Afterwards proto->jitEntry is the code's entry, or null.
  virtual void compile(VM& vm, FunctionProto* proto) = 0;
  // A loop back-edge to `loopHeader` reached the threshold: compile if needed
  // and return the code's entry at that loop header (for OSR), or null.
  virtual const void* compileForLoop(VM& vm, FunctionProto* proto, const uint32_t* loopHeader) = 0;
  // Runs compiled code at `address` on vm.exec.frame until it leaves.
  virtual JitExit enter(VM& vm, const void* address) = 0;
  // The ip of a compiled frame of `proto` whose callee returns to
  // `continuation` (the callee's CallFrame::nativeReturn): the word after the
  // call. Compiled calls do not store it in the frame (a direct call stores
  // nothing it does not need); stack traces read it here. Null if
  // `continuation` is not in the function's code.
  virtual const uint32_t* callSiteIp(FunctionProto* proto, const void* continuation) = 0;
};

}  // namespace kiln
