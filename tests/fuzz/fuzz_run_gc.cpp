// libFuzzer target that runs Kiln scripts under the GC's stress and verify modes.
//
// Not part of the CMake build. Build by hand from the repository root:
//
//   clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -I. -Iinclude \
//     tests/fuzz/fuzz_run_gc.cpp api/*.cpp frontend/*.cpp vm/*.cpp gc/*.cpp stdlib/*.cpp \
//     -lfmt -lmimalloc -o /tmp/fuzz_run_gc
//   mkdir -p /tmp/fuzz_corpus && cp tests/lang/*/*.kn /tmp/fuzz_corpus/
//   /tmp/fuzz_run_gc -max_len=4096 -timeout=10 -rss_limit_mb=2048 /tmp/fuzz_corpus
//
// Every input without `while`/`for` is run (Runtime::run, then runReplLine) with
// RuntimeOptions::gcStress (a collection at every allocation, a major one every
// 16th) and gcVerify (the heap's invariants are checked after every collection;
// a violation aborts, which libFuzzer reports as a crash). Inputs with loops are
// skipped: under stress even a short loop can take seconds. Recursion ends with
// "Stack overflow."; exponential recursion may still be reported as a timeout,
// which is not necessarily a bug.
#include <cstdint>
#include <cstdio>
#include <string_view>

#include "kiln/kiln.h"

namespace {

std::FILE* devNull() {
  static std::FILE* f = std::fopen("/dev/null", "w");
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view source(reinterpret_cast<const char*>(data), size);
  if (source.find("while") != std::string_view::npos || source.find("for") != std::string_view::npos) {
    return 0;
  }
  kiln::RuntimeOptions options;
  options.gcStress = true;
  options.gcVerify = true;
  kiln::Runtime runtime(options);
  runtime.setOutput(devNull());
  runtime.setErrorOutput(devNull());
  (void)runtime.run(source);
  (void)runtime.runReplLine(source);
  return 0;
}
