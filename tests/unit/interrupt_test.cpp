// The safepoint poll both tiers make at calls and loop back-edges: an
// interrupt requested from another thread (VM::requestInterrupt) stops an
// endless loop with the runtime error "Interrupted.", in the interpreter and in
// compiled code, and the runtime stays usable afterwards.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "kiln/kiln.h"
#include "tiers.h"
#include "vm/vm.h"

namespace {

class InterruptTest : public ::testing::TestWithParam<kiln::testing::Tier> {
 protected:
  kiln::RuntimeOptions options() const { return GetParam().options(); }
  std::FILE* devNull_ = std::fopen("/dev/null", "w");
  ~InterruptTest() override { std::fclose(devNull_); }
};

// `source` never ends by itself; a watchdog thread interrupts it.
// `trace`: the expected stack trace, or empty when it depends on timing.
void expectInterrupted(kiln::Runtime& runtime, const std::string& source, const std::string& trace) {
  kiln::VM& vm = runtime.vm();
  std::thread watchdog([&vm] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    vm.requestInterrupt();
  });
  kiln::Status status = runtime.run(source);
  watchdog.join();
  EXPECT_EQ(status, kiln::Status::RuntimeError);
  if (trace.empty()) {
    EXPECT_EQ(runtime.lastError().rfind("Interrupted.\n[line ", 0), 0u) << runtime.lastError();
  } else {
    EXPECT_EQ(runtime.lastError(), "Interrupted.\n" + trace) << runtime.lastError();
  }
}

TEST_P(InterruptTest, AnEndlessLoopAtTopLevelStops) {
  kiln::Runtime runtime(options());
  runtime.setOutput(devNull_);
  runtime.setErrorOutput(devNull_);
  // A back-edge reports the line before the loop header, in both tiers (the
  // interpreter's ip there is the header), as "Out of memory." does.
  expectInterrupted(runtime, "var i = 0;\nwhile (true) {\n  i = i + 1;\n}\n", "[line 1] in script\n");
  // Usable afterwards, and the interrupt is not pending any more.
  EXPECT_EQ(runtime.run("var done = i > 0;"), kiln::Status::Ok) << runtime.lastError();
  std::optional<kiln::HostValue> done = runtime.getGlobal("done");
  ASSERT_TRUE(done.has_value());
  EXPECT_TRUE(done->isBool() && done->boolean());
}

TEST_P(InterruptTest, EndlessRecursionThroughCallsStops) {
  kiln::Runtime runtime(options());
  runtime.setOutput(devNull_);
  runtime.setErrorOutput(devNull_);
  // Bounded recursion, forever: the interrupt lands in a call or a back-edge.
  expectInterrupted(runtime,
                    "fun f(n) {\n  if (n > 100) return 0;\n  return f(n + 1);\n}\nwhile (true) f(0);\n", "");
}

INSTANTIATE_TEST_SUITE_P(Tiers, InterruptTest, kiln::testing::kTiers, kiln::testing::tierName);

}  // namespace
