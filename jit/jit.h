// The tier-up JIT: turns hot FunctionProtos into x86-64 code with asmjit (a
// single pass over the bytecode, one visitor per opcode: jit/baseline_compiler.cpp)
// and runs it on the interpreter's frames. The VM sees it only as a TierUp
// (vm/tier_up.h); the embedding API and the CLI create it.
//
// Protocol and invariants: docs/architecture.md, "The JIT".
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "vm/tier_up.h"

namespace kiln {
class VM;
}

namespace kiln::jit {

// Why compiled code handed a frame back to the interpreter at a guard.
#define KILN_DEOPT_REASONS(X)                                          \
  X(NotNumber, "operand is not a number")                              \
  X(NotListElement, "not a list element at an in-range integer index") \
  X(NotInstance, "property read of something other than an instance")
enum class DeoptReason : uint8_t {
#define KILN_DEOPT_ENUM(name, text) name,
  KILN_DEOPT_REASONS(KILN_DEOPT_ENUM)
#undef KILN_DEOPT_ENUM
};
constexpr int kDeoptReasonCount = 0
#define KILN_DEOPT_COUNT(name, text) +1
    KILN_DEOPT_REASONS(KILN_DEOPT_COUNT)
#undef KILN_DEOPT_COUNT
    ;
const char* deoptReasonText(DeoptReason reason);

// Tunables of the JIT, with their defaults (the CLI flag that sets each).
struct JitOptions {
  // Guard failures at one site before its function is recompiled without that
  // speculation (the interpreter has recorded the new types by then).
  uint32_t deoptsBeforeRecompile = 4;
  // Recompilations of one function before it is compiled with no speculation.
  uint32_t recompilesBeforeGeneric = 4;
  bool trace = false;    // --trace-jit: a line per compile, OSR entry, deopt, recompile
  bool dumpAsm = false;  // --dump-asm: the code of each function, annotated with bytecode
  bool perfMap = false;  // --perf-map: /tmp/perf-PID.map for `perf report`
  std::FILE* log = stderr;
};

struct JitStats {
  uint64_t functionsCompiled = 0;  // compilations, recompilations included
  uint64_t recompiles = 0;
  uint64_t invalidations = 0;
  uint64_t bytecodeWords = 0;  // compiled, in total
  uint64_t codeBytes = 0;      // machine code, in total
  double compileMsTotal = 0;
  double compileMsMax = 0;
  uint64_t osrEntries = 0;
  uint64_t deopts = 0;
  uint64_t deoptsByReason[kDeoptReasonCount] = {};
  uint64_t entries = 0;  // interpreter -> compiled code transitions
};

// Creates the JIT for `vm`; install it with vm.setTierUp(...).
// Null when the process cannot get executable memory (then the VM runs
// without a JIT, as with -Xint: setTierUp(nullptr) leaves it interpreted).
std::unique_ptr<TierUp> createJit(VM& vm, const JitOptions& options);
// The counters of a JIT made by createJit (null for anything else).
const JitStats* statsOf(const TierUp* tierUp);

}  // namespace kiln::jit
