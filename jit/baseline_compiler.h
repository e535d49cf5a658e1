// Tier 1: a single pass over a function's bytecode that emits x86-64 with
// asmjit's Assembler, one visitor per opcode (generated from vm/opcodes.def,
// so an opcode without a compiled form does not link). Fast paths are inline
// and specialized on the inline caches and type feedback; everything else
// calls the runtime entry points of vm/runtime.h.
#pragma once

#include <asmjit/core.h>

#include <memory>
#include <string>

#include "jit/compiled_function.h"
#include "vm/vm.h"

namespace kiln::jit {

// Code shared by every compiled function, made once per JIT (jit/jit.cpp).
struct SharedStubs {
  const void* exitContinue;      // leave compiled code: interpret vm.exec.frame
  const void* exitError;         // leave compiled code: a runtime error is pending
  const void* enterPushedFrame;  // rax = a frame just pushed: run it (compiled or not)
  // Called by a failing guard: void (*)(void* jit, FunctionProto*, uint32_t pc, uint32_t reason).
  const void* deopt;
  void* jit;
};

struct CompileInput {
  VM& vm;
  FunctionProto* proto;
  const SharedStubs& stubs;
  asmjit::JitRuntime& runtime;
  bool generic;          // no speculation: every guard becomes a generic path
  std::string* listing;  // --dump-asm: the annotated code, or null
};

// Compiles the whole function (with an entry at its start and one at each
// loop header). Null if asmjit failed (the function stays interpreted).
std::unique_ptr<CompiledFunction> compileFunction(const CompileInput& input);

}  // namespace kiln::jit
