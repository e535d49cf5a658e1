// Compile speed of asmjit's two emitters on the kind of code Kiln's baseline
// JIT emits (loads and stores of frame slots, number guards, SSE arithmetic,
// a call now and then): x86::Assembler (encodes directly) against
// x86::Compiler (virtual registers, register allocation at finalize()).
// Measures the time to emit and finalize one "function" of N bytecode-like
// groups, best of several repetitions. Build and run:
//
//   g++ -O2 -std=c++20 bench/tools/asmjit_emitters.cpp -lasmjit -lrt -no-pie -o /tmp/emitters && /tmp/emitters
#include <asmjit/x86.h>

#include <chrono>
#include <cstdio>

using namespace asmjit;

static double seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// One group: R[a] = R[b] + R[c] with number guards (about what Add emits).
static void emitAssembler(x86::Assembler& a, int groups) {
  Label bail = a.newLabel();
  for (int i = 0; i < groups; i++) {
    int b = (i * 3) % 200, c = (i * 7) % 200, d = (i * 11) % 200;
    a.mov(x86::rax, x86::qword_ptr(x86::r12, b * 8));
    a.mov(x86::rcx, x86::rax);
    a.and_(x86::rcx, x86::r15);
    a.cmp(x86::rcx, x86::r15);
    a.je(bail);
    a.mov(x86::rdx, x86::qword_ptr(x86::r12, c * 8));
    a.mov(x86::rcx, x86::rdx);
    a.and_(x86::rcx, x86::r15);
    a.cmp(x86::rcx, x86::r15);
    a.je(bail);
    a.movq(x86::xmm0, x86::rax);
    a.movq(x86::xmm1, x86::rdx);
    a.addsd(x86::xmm0, x86::xmm1);
    a.movq(x86::qword_ptr(x86::r12, d * 8), x86::xmm0);
  }
  a.bind(bail);
  a.ret();
}

static void emitCompiler(x86::Compiler& cc, int groups) {
  FuncNode* function = cc.addFunc(FuncSignatureT<void, uint64_t*>(CallConvId::kHost));
  x86::Gp base = cc.newUIntPtr("base");
  x86::Gp mask = cc.newUInt64("mask");
  function->setArg(0, base);
  cc.mov(mask, 0x7ffc000000000000ull);
  Label bail = cc.newLabel();
  for (int i = 0; i < groups; i++) {
    int b = (i * 3) % 200, c = (i * 7) % 200, d = (i * 11) % 200;
    x86::Gp x = cc.newUInt64(), y = cc.newUInt64(), t = cc.newUInt64();
    x86::Xmm fx = cc.newXmm(), fy = cc.newXmm();
    cc.mov(x, x86::qword_ptr(base, b * 8));
    cc.mov(t, x);
    cc.and_(t, mask);
    cc.cmp(t, mask);
    cc.je(bail);
    cc.mov(y, x86::qword_ptr(base, c * 8));
    cc.mov(t, y);
    cc.and_(t, mask);
    cc.cmp(t, mask);
    cc.je(bail);
    cc.movq(fx, x);
    cc.movq(fy, y);
    cc.addsd(fx, fy);
    cc.movq(x86::qword_ptr(base, d * 8), fx);
  }
  cc.bind(bail);
  cc.ret();
  cc.endFunc();
}

int main() {
  JitRuntime runtime;
  for (int groups : {100, 1000, 10000}) {
    double bestAssembler = 1e9, bestCompiler = 1e9;
    for (int rep = 0; rep < 7; rep++) {
      {
        double start = seconds();
        CodeHolder code;
        code.init(runtime.environment());
        x86::Assembler a(&code);
        emitAssembler(a, groups);
        void* fn;
        runtime.add(&fn, &code);
        bestAssembler = std::min(bestAssembler, seconds() - start);
        runtime.release(fn);
      }
      {
        double start = seconds();
        CodeHolder code;
        code.init(runtime.environment());
        x86::Compiler cc(&code);
        emitCompiler(cc, groups);
        cc.finalize();
        void* fn;
        runtime.add(&fn, &code);
        bestCompiler = std::min(bestCompiler, seconds() - start);
        runtime.release(fn);
      }
    }
    std::printf("%6d groups (%6d instructions): Assembler %8.3f ms, Compiler %8.3f ms, ratio %.1fx\n", groups,
                groups * 14, bestAssembler * 1e3, bestCompiler * 1e3, bestCompiler / bestAssembler);
  }
}
