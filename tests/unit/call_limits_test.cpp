// Unit tests for the call-depth limits of the interpreter (vm/interpreter.cpp):
// "Stack overflow." exactly at VMOptions::maxFrames frames and at the end of a
// VMOptions::stackSlots value stack, and a VM that stays usable afterwards.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>

#include "frontend/frontend.h"
#include "vm/vm.h"

namespace kiln {
namespace {

class CallLimitsTest : public ::testing::Test {
 protected:
  ~CallLimitsTest() override { std::fclose(devNull_); }

  // A VM with the given limits whose output and errors go nowhere.
  VM& makeVM(size_t maxFrames, size_t stackSlots) {
    VMOptions options;
    options.maxFrames = maxFrames;
    options.stackSlots = stackSlots;
    vm_ = std::make_unique<VM>(options);
    vm_->setOutput(devNull_);
    vm_->setErrorOutput(devNull_);
    return *vm_;
  }

  InterpretResult run(const std::string& source) {
    Diagnostics diagnostics;
    FunctionProto* script = compileSource(*vm_, source, diagnostics);
    EXPECT_FALSE(diagnostics.hadError());
    if (script == nullptr) return InterpretResult::CompileError;
    vm_->compilerRoots().push_back(script);
    InterpretResult result = vm_->run(script);
    vm_->compilerRoots().pop_back();
    return result;
  }

  // Recursion `n` frames deep below the script's frame.
  static std::string recurse(int n) {
    return "fun f(n) { if (n == 0) return 0; return f(n - 1) + 1; } f(" + std::to_string(n - 1) + ");";
  }

  bool overflowed() const { return vm_->lastError().rfind("Stack overflow.\n", 0) == 0; }

  std::FILE* devNull_ = std::fopen("/dev/null", "w");
  std::unique_ptr<VM> vm_;
};

TEST_F(CallLimitsTest, MaxFramesIsTheExactDepthLimit) {
  makeVM(100, size_t(1) << 16);
  EXPECT_EQ(run(recurse(99)), InterpretResult::Ok);  // 99 frames + the script's = 100
  EXPECT_EQ(run(recurse(100)), InterpretResult::RuntimeError);
  EXPECT_TRUE(overflowed()) << vm_->lastError();
  EXPECT_EQ(run(recurse(99)), InterpretResult::Ok);  // still usable, and as deep as before
}

TEST_F(CallLimitsTest, TheEndOfTheValueStackIsAStackOverflow) {
  makeVM(size_t(1) << 16, 1000);
  EXPECT_EQ(run(recurse(1000)), InterpretResult::RuntimeError);
  EXPECT_TRUE(overflowed()) << vm_->lastError();
  EXPECT_EQ(run(recurse(50)), InterpretResult::Ok);
}

TEST_F(CallLimitsTest, CollectionsDuringDeepRecursionKeepEveryFrame) {
  makeVM(size_t(1) << 16, size_t(1) << 18);
  // Each level allocates (a scavenge now and then) and checks its own list after
  // the deeper levels returned.
  EXPECT_EQ(run("fun f(n) { var l = [n, n, n]; if (n > 0) f(n - 1); for (var i = 0; i < 50; i = i + 1) [i];"
                "  if (l[0] != n) print nil.x; }"
                "for (var i = 0; i < 20; i = i + 1) f(500);"),
            InterpretResult::Ok)
      << vm_->lastError();
}

}  // namespace
}  // namespace kiln
