// The JIT as the VM sees it (vm/tier_up.h): when to compile, installing code
// on its FunctionProto, entering it, deoptimization bookkeeping and
// invalidation, and the observability of it all (--trace-jit, --dump-asm,
// --perf-map, --stats).
#include "jit/jit.h"

#include <asmjit/x86.h>
#include <unistd.h>

#include <chrono>
#include <cinttypes>

#include "jit/baseline_compiler.h"
#include "jit/layout.h"
#include "vm/vm.h"

namespace kiln::jit {

namespace x86 = asmjit::x86;
using asmjit::imm;

const char* deoptReasonText(DeoptReason reason) {
  static const char* const kTexts[] = {
#define KILN_DEOPT_TEXT(name, text) text,
      KILN_DEOPT_REASONS(KILN_DEOPT_TEXT)
#undef KILN_DEOPT_TEXT
  };
  return kTexts[int(reason)];
}

namespace {

std::string functionName(const FunctionProto* proto) {
  if (proto->functionKind == FunctionKind::Script) return "script";
  if (proto->name == nullptr) return "<fn>";
  return std::string(proto->name->view());
}

int lineAt(const FunctionProto* proto, uint32_t pc) {
  return pc < proto->lines.size() ? proto->lines[pc] : 0;
}

class Jit final : public TierUp {
 public:
  Jit(VM& vm, const JitOptions& options) : vm_(vm), options_(options) {
    if (!makeSharedStubs()) return;  // ready() stays false
    if (options_.perfMap) {
      std::string path = "/tmp/perf-" + std::to_string(getpid()) + ".map";
      perfMap_ = std::fopen(path.c_str(), "a");
    }
  }
  ~Jit() override {
    if (perfMap_ != nullptr) std::fclose(perfMap_);
  }

  void compile(VM&, FunctionProto* proto) override {
    if (proto->jitEntry == nullptr) install(proto);
  }

  const void* compileForLoop(VM&, FunctionProto* proto, const uint32_t* loopHeader) override {
    if (proto->jitEntry == nullptr && !install(proto)) return nullptr;
    auto* compiled = static_cast<CompiledFunction*>(proto->compiled);
    uint32_t pc = uint32_t(loopHeader - proto->code.data());
    const void* entry = compiled->loopEntry(pc);
    if (entry != nullptr) {
      stats_.osrEntries++;
      if (options_.trace) {
        std::fprintf(options_.log, "[jit] osr %s at pc %u (line %d)\n", functionName(proto).c_str(), pc,
                     lineAt(proto, pc));
      }
    }
    return entry;
  }

  JitExit enter(VM& vm, const void* address) override {
    stats_.entries++;
    return JitExit(trampoline_(&vm.exec, address));
  }

  const uint32_t* callSiteIp(FunctionProto* proto, const void* continuation) override {
    for (CompiledCode* code = proto->compiled; code != nullptr; code = code->retired) {
      auto* compiled = static_cast<CompiledFunction*>(code);
      if (compiled->contains(continuation)) return compiled->callSiteIp(proto, continuation);
    }
    return nullptr;
  }

  const JitStats& stats() const { return stats_; }
  // Whether the shared stubs exist: without them (no executable memory) the
  // JIT cannot run anything, and createJit gives none.
  bool ready() const { return trampoline_ != nullptr; }

  // A guard failed at `pc` (the stub has handed the frame back already).
  static void deopt(void* self, FunctionProto* proto, uint32_t pc, uint32_t reason) {
    static_cast<Jit*>(self)->noteDeopt(proto, pc, DeoptReason(reason));
  }

 private:
  void noteDeopt(FunctionProto* proto, uint32_t pc, DeoptReason reason) {
    stats_.deopts++;
    stats_.deoptsByReason[int(reason)]++;
    if (options_.trace) {
      std::fprintf(options_.log, "[jit] deopt %s at pc %u (line %d): %s\n", functionName(proto).c_str(), pc,
                   lineAt(proto, pc), deoptReasonText(reason));
    }
    // Count against the current code only (a frame may still run older code).
    auto* compiled = static_cast<CompiledFunction*>(proto->compiled);
    if (compiled == nullptr || proto->jitEntry == nullptr) return;
    for (size_t i = 0; i < compiled->deoptSitePcs.size(); i++) {
      if (compiled->deoptSitePcs[i] != pc) continue;
      if (++compiled->deoptCounts[i] >= options_.deoptsBeforeRecompile) invalidate(proto, pc);
      return;
    }
  }

  // The function's code stops being entered; frames running it finish in it
  // (it stays alive, retired). It is compiled again when it is hot again, with
  // the feedback the interpreter has recorded since.
  void invalidate(FunctionProto* proto, uint32_t pc) {
    stats_.invalidations++;
    proto->jitEntry = nullptr;
    proto->tierUpCountdown = vm_.exec.countdownStart();
    if (options_.trace) {
      std::fprintf(options_.log, "[jit] invalidate %s: %u deopts at pc %u; recompiled when hot again\n",
                   functionName(proto).c_str(), options_.deoptsBeforeRecompile, pc);
    }
  }

  bool install(FunctionProto* proto) {
    auto* previous = static_cast<CompiledFunction*>(proto->compiled);
    uint32_t recompiles = previous == nullptr ? 0 : previous->recompiles + 1;
    bool generic = recompiles >= options_.recompilesBeforeGeneric;
    std::string listing;
    auto start = std::chrono::steady_clock::now();
    std::unique_ptr<CompiledFunction> code =
        compileFunction({vm_, proto, stubs_, runtime_, generic, options_.dumpAsm ? &listing : nullptr});
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (code == nullptr) {
      return false;  // asmjit refused (out of code memory): stay interpreted
    }
    code->recompiles = recompiles;
    proto->jitEntry = code->entry;
    stats_.functionsCompiled++;
    if (previous != nullptr) stats_.recompiles++;
    stats_.bytecodeWords += proto->code.size();
    stats_.codeBytes += code->size;
    stats_.compileMsTotal += ms;
    if (ms > stats_.compileMsMax) stats_.compileMsMax = ms;
    std::string name = functionName(proto);
    if (options_.trace) {
      std::fprintf(options_.log, "[jit] %s %s (line %d): %zu words -> %zu bytes in %.3f ms%s\n",
                   previous == nullptr ? "compile" : "recompile", name.c_str(), lineAt(proto, 0),
                   proto->code.size(), code->size, ms, generic ? " (generic)" : "");
    }
    if (options_.dumpAsm) std::fprintf(options_.log, "== asm %s ==\n%s\n", name.c_str(), listing.c_str());
    if (perfMap_ != nullptr) {
      std::fprintf(perfMap_, "%" PRIxPTR " %zx kiln:%s\n", reinterpret_cast<uintptr_t>(code->code),
                   code->size, name.c_str());
      std::fflush(perfMap_);
    }
    code->retired = previous;
    proto->compiled = code.release();
    return true;
  }

  // The trampoline (C++ -> compiled code) and the exits, in one blob. False
  // if the code memory cannot be had.
  bool makeSharedStubs() {
    asmjit::CodeHolder code;
    code.init(runtime_.environment());
    x86::Assembler a(&code);
    asmjit::Label exitContinue = a.newLabel(), exitError = a.newLabel(), leave = a.newLabel();
    asmjit::Label enterPushed = a.newLabel();
    // uint32_t trampoline(ExecutionState* exec, const void* address)
    a.push(x86::rbp);
    a.mov(x86::rbp, x86::rsp);
    a.push(x86::rbx);
    a.push(x86::r12);
    a.push(x86::r13);
    a.push(x86::r14);
    a.push(x86::r15);
    a.sub(x86::rsp, 8);  // 16-byte aligned for the calls compiled code makes
    a.mov(x86::rbx, x86::rdi);
    a.mov(x86::r14, imm(Value::kObjectMask));
    a.mov(x86::r15, imm(Value::kQuietNan));
    a.mov(x86::r13, x86::qword_ptr(x86::rbx, layout::kFrame));
    a.mov(x86::r12, x86::qword_ptr(x86::r13, layout::kFrameBase));
    a.jmp(x86::rsi);
    a.bind(exitContinue);
    a.xor_(x86::eax, x86::eax);
    a.jmp(leave);
    a.bind(exitError);
    a.mov(x86::eax, uint32_t(JitExit::Error));
    a.bind(leave);
    a.add(x86::rsp, 8);
    a.pop(x86::r15);
    a.pop(x86::r14);
    a.pop(x86::r13);
    a.pop(x86::r12);
    a.pop(x86::rbx);
    a.pop(x86::rbp);
    a.ret();
    // rax = a frame the runtime just pushed (its nativeReturn set by the caller).
    a.bind(enterPushed);
    a.mov(x86::r13, x86::rax);
    a.mov(x86::r12, x86::qword_ptr(x86::r13, layout::kFrameBase));
    a.mov(x86::rcx, x86::qword_ptr(x86::r13, layout::kFrameClosure));
    a.mov(x86::rcx, x86::qword_ptr(x86::rcx, layout::kClosureProto));
    a.mov(x86::rcx, x86::qword_ptr(x86::rcx, layout::kProtoJitEntry));
    a.test(x86::rcx, x86::rcx);
    a.jz(exitContinue);  // not compiled: the interpreter runs it, then returns to the caller's code
    a.jmp(x86::rcx);
    void* blob = nullptr;
    if (runtime_.add(&blob, &code) != asmjit::kErrorOk) return false;
    auto at = [&](asmjit::Label label) {
      return static_cast<const void*>(static_cast<char*>(blob) + code.labelOffsetFromBase(label));
    };
    trampoline_ = reinterpret_cast<uint32_t (*)(ExecutionState*, const void*)>(blob);
    stubs_.exitContinue = at(exitContinue);
    stubs_.exitError = at(exitError);
    stubs_.enterPushedFrame = at(enterPushed);
    stubs_.deopt = reinterpret_cast<const void*>(&Jit::deopt);
    stubs_.jit = this;
    return true;
  }

  VM& vm_;
  JitOptions options_;
  asmjit::JitRuntime runtime_;
  SharedStubs stubs_{};
  uint32_t (*trampoline_)(ExecutionState*, const void*) = nullptr;
  JitStats stats_;
  std::FILE* perfMap_ = nullptr;
};

}  // namespace

std::unique_ptr<TierUp> createJit(VM& vm, const JitOptions& options) {
  auto jit = std::make_unique<Jit>(vm, options);
  if (!jit->ready()) return nullptr;  // no executable memory: the interpreter runs everything
  return jit;
}

const JitStats* statsOf(const TierUp* tierUp) {
  auto* jit = dynamic_cast<const Jit*>(tierUp);
  return jit == nullptr ? nullptr : &jit->stats();
}

}  // namespace kiln::jit
