// libFuzzer target for Kiln's front end (and optionally the VM).
//
// Not part of the CMake build. Build by hand from the repository root:
//
//   clang++ -std=c++20 -O1 -g -fno-pie -fsanitize=fuzzer,address,undefined -I. -Iinclude \
//     tests/fuzz/fuzz_compile.cpp api/*.cpp frontend/*.cpp vm/*.cpp gc/*.cpp stdlib/*.cpp jit/*.cpp \
//     -lfmt -lmimalloc -lasmjit -lrt -no-pie -o /tmp/fuzz_compile
//   mkdir -p /tmp/fuzz_corpus && cp tests/lang/*/*.kn /tmp/fuzz_corpus/
//   /tmp/fuzz_compile -max_len=4096 -timeout=10 -rss_limit_mb=2048 /tmp/fuzz_corpus
//
// By default each input is only compiled (Runtime::dumpBytecode), which can never
// loop. With KILN_FUZZ_RUN=1 in the environment, inputs without `while`/`for`
// are also run (recursion ends with "Stack overflow."; exponential recursion may
// still be reported as a timeout, which is not necessarily a bug). They run in
// the default tier; with KILN_FUZZ_JIT0=1 every function is compiled before it
// runs (-Xjit-threshold=0), which fuzzes the JIT's code for every opcode.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "kiln/kiln.h"

namespace {

std::FILE* devNull() {
  static std::FILE* f = std::fopen("/dev/null", "w");
  return f;
}

kiln::RuntimeOptions runOptions() {
  kiln::RuntimeOptions options;
  const char* v = std::getenv("KILN_FUZZ_JIT0");
  if (v != nullptr && v[0] == '1') options.jitThreshold = 0;
  return options;
}

bool runEnabled() {
  static const bool enabled = [] {
    const char* v = std::getenv("KILN_FUZZ_RUN");
    return v != nullptr && v[0] == '1';
  }();
  return enabled;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view source(reinterpret_cast<const char*>(data), size);
  {
    kiln::Runtime runtime;
    runtime.setOutput(devNull());
    runtime.setErrorOutput(devNull());
    (void)runtime.dumpBytecode(source);
  }
  if (runEnabled() && source.find("while") == std::string_view::npos &&
      source.find("for") == std::string_view::npos) {
    kiln::Runtime runtime(runOptions());
    runtime.setOutput(devNull());
    runtime.setErrorOutput(devNull());
    (void)runtime.run(source);
    (void)runtime.runReplLine(source);
  }
  return 0;
}
