// The sandbox limits of the embedding API (RuntimeOptions::maxSteps and
// timeoutSeconds, Runtime::interrupt): each stops a script in every tier with
// its own message and ErrorKind, a host function's callback shares the budget
// of the run it is part of, and the runtime stays usable afterwards.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "kiln/kiln.h"
#include "tiers.h"

namespace {

class SandboxLimitsTest : public ::testing::TestWithParam<kiln::testing::Tier> {
 protected:
  kiln::RuntimeOptions options(uint64_t maxSteps = 0, double timeout = 0) const {
    kiln::RuntimeOptions o = GetParam().options();
    o.maxSteps = maxSteps;
    o.timeoutSeconds = timeout;
    return o;
  }
  void quiet(kiln::Runtime& runtime) {
    runtime.setOutput(devNull_);
    runtime.setErrorOutput(devNull_);
  }
  std::FILE* devNull_ = std::fopen("/dev/null", "w");
  ~SandboxLimitsTest() override { std::fclose(devNull_); }
};

const char* const kEndless = "var i = 0;\nwhile (true) {\n  i = i + 1;\n}\n";
// 50 calls of f(10) (177 calls each) and 50 loop iterations: 8,900 steps.
const char* const kCounted = R"(
fun f(n) { if (n < 2) return n; return f(n - 1) + f(n - 2); }
var total = 0;
for (var i = 0; i < 50; i = i + 1) total = total + f(10);
)";

// A time limit as a backstop: a budget that does not count ends the test
// (as TimedOut) instead of hanging it.
constexpr double kBackstopSeconds = 20;

TEST_P(SandboxLimitsTest, StepLimitStopsAnEndlessLoopAndTheNextRunHasAFreshBudget) {
  kiln::Runtime runtime(options(100000, kBackstopSeconds));
  quiet(runtime);
  EXPECT_EQ(runtime.run(kEndless), kiln::Status::RuntimeError);
  EXPECT_EQ(runtime.lastErrorKind(), kiln::ErrorKind::StepLimit);
  EXPECT_EQ(runtime.lastError(), "Step limit exceeded.\n[line 1] in script\n");
  EXPECT_EQ(runtime.run("var n = 0; for (var j = 0; j < 1000; j = j + 1) n = n + 1;"), kiln::Status::Ok)
      << runtime.lastError();
  EXPECT_EQ(runtime.lastErrorKind(), kiln::ErrorKind::None);
  EXPECT_EQ(runtime.getGlobal("n")->number(), 1000);
}

// Steps are the calls and loop iterations the script makes, whatever tier
// runs them: the same budget is exactly enough in every tier.
TEST_P(SandboxLimitsTest, TheSameStepsAreCountedInEveryTier) {
  kiln::Runtime enough(options(8900));
  quiet(enough);
  EXPECT_EQ(enough.run(kCounted), kiln::Status::Ok) << enough.lastError();
  EXPECT_EQ(enough.getGlobal("total")->number(), 50 * 55);
  kiln::Runtime short_(options(8899));
  quiet(short_);
  EXPECT_EQ(short_.run(kCounted), kiln::Status::RuntimeError);
  EXPECT_EQ(short_.lastErrorKind(), kiln::ErrorKind::StepLimit);
}

TEST_P(SandboxLimitsTest, SetMaxStepsChangesTheBudgetOfLaterRuns) {
  kiln::Runtime runtime(options(8899));
  quiet(runtime);
  EXPECT_EQ(runtime.run(kCounted), kiln::Status::RuntimeError);
  EXPECT_TRUE(runtime.setMaxSteps(8900));
  EXPECT_EQ(runtime.run(kCounted), kiln::Status::Ok) << runtime.lastError();
  EXPECT_TRUE(runtime.setMaxSteps(0));  // no limit (still counting)
  EXPECT_EQ(runtime.run("for (var j = 0; j < 100000; j = j + 1) {}"), kiln::Status::Ok);
  kiln::Runtime uncounted(options());
  EXPECT_FALSE(uncounted.setMaxSteps(10)) << "a runtime made without a step limit counts no steps";
  quiet(uncounted);
  EXPECT_EQ(uncounted.run(kCounted), kiln::Status::Ok);
}

// A host function calling back into the runtime runs on the budget of the
// run that called it: an endless callback cannot escape the limit, and when
// the host ignores the callback's failure the outer script stops at its next step.
TEST_P(SandboxLimitsTest, AHostCallbackSharesTheBudgetOfItsRun) {
  kiln::Runtime runtime(options(50000, kBackstopSeconds));
  quiet(runtime);
  int callbacks = 0;
  kiln::ErrorKind inner = kiln::ErrorKind::None;
  runtime.defineFunction("callBack", 0, [&](const kiln::Args&) -> kiln::HostResult {
    callbacks++;
    if (!runtime.call("spin", {})) inner = runtime.lastErrorKind();
    return kiln::HostValue(0);
  });
  ASSERT_EQ(runtime.run("fun spin() { while (true) {} }"), kiln::Status::Ok);
  EXPECT_EQ(runtime.run("while (true) callBack();"), kiln::Status::RuntimeError);
  EXPECT_EQ(runtime.lastErrorKind(), kiln::ErrorKind::StepLimit);
  EXPECT_EQ(inner, kiln::ErrorKind::StepLimit);
  EXPECT_EQ(callbacks, 1);
}

TEST_P(SandboxLimitsTest, TimeoutStopsAnEndlessLoopEveryRunAndSparesRunsThatEndInTime) {
  kiln::Runtime runtime(options(0, 0.05));
  quiet(runtime);
  for (int round = 0; round < 2; round++) {
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(runtime.run(kEndless), kiln::Status::RuntimeError);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(runtime.lastErrorKind(), kiln::ErrorKind::TimedOut);
    EXPECT_EQ(runtime.lastError(), "Timed out.\n[line 1] in script\n");
    EXPECT_GE(seconds, 0.05);
    EXPECT_LT(seconds, 2.0);
  }
  // A run that ends in time, then a wait past its deadline: the next run is
  // not stopped by the old deadline.
  EXPECT_EQ(runtime.run("var quick = 1;"), kiln::Status::Ok);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(runtime.run("var alsoQuick = 2;"), kiln::Status::Ok) << runtime.lastError();
  runtime.setTimeout(0);  // off
  EXPECT_EQ(runtime.run("for (var j = 0; j < 200000; j = j + 1) {}"), kiln::Status::Ok);
}

TEST_P(SandboxLimitsTest, InterruptFromAnotherThreadHasItsOwnKind) {
  kiln::Runtime runtime(options());
  quiet(runtime);
  std::thread watchdog([&runtime] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    runtime.interrupt();
  });
  EXPECT_EQ(runtime.run(kEndless), kiln::Status::RuntimeError);
  watchdog.join();
  EXPECT_EQ(runtime.lastErrorKind(), kiln::ErrorKind::Interrupted);
  EXPECT_EQ(runtime.lastError(), "Interrupted.\n[line 1] in script\n");
  // An interrupt with nothing running is dropped: the next run is not stopped.
  runtime.interrupt();
  EXPECT_EQ(runtime.run("var after = 1;"), kiln::Status::Ok) << runtime.lastError();
}

// join and replace on big inputs run long without a call or a loop
// iteration of the script: they poll for a stop themselves, so a time limit
// far below their running time stops them (otherwise the run would end Ok,
// since nothing polls after them).
TEST_P(SandboxLimitsTest, LongNativesStopWhenTheTimeIsUp) {
  kiln::Runtime runtime(options(0, 0.005));
  quiet(runtime);
  runtime.setTimeout(0);
  ASSERT_EQ(runtime.run(R"(
var big = [];
for (var i = 0; i < 3000000; i = i + 1) big.push(i);
var text = big.join("a");
)"),
            kiln::Status::Ok)
      << runtime.lastError();
  runtime.setTimeout(0.005);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(runtime.run("var joined = big.join(\", \");"), kiln::Status::RuntimeError);
  EXPECT_EQ(runtime.lastErrorKind(), kiln::ErrorKind::TimedOut);
  EXPECT_EQ(runtime.run("var replaced = text.replace(\"a\", \"bb\");"), kiln::Status::RuntimeError);
  EXPECT_EQ(runtime.lastErrorKind(), kiln::ErrorKind::TimedOut);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 0.5) << "both natives should have stopped within a few milliseconds";
  runtime.setTimeout(0);
  EXPECT_EQ(runtime.run("print len(big.join(\"\")) > 0;"), kiln::Status::Ok) << runtime.lastError();
}

TEST_P(SandboxLimitsTest, EveryLimitAndErrorHasItsOwnKind) {
  kiln::RuntimeOptions o = options();
  o.maxHeapBytes = 8u << 20;
  kiln::Runtime runtime(o);
  quiet(runtime);
  EXPECT_EQ(runtime.run("var keep = []; while (true) keep.push([1, 2, 3, 4]);"), kiln::Status::RuntimeError);
  EXPECT_EQ(runtime.lastErrorKind(), kiln::ErrorKind::OutOfMemory);
  EXPECT_EQ(runtime.run("keep = nil; print nil + 1;"), kiln::Status::RuntimeError);
  EXPECT_EQ(runtime.lastErrorKind(), kiln::ErrorKind::Runtime);
  EXPECT_EQ(runtime.run("print ;"), kiln::Status::CompileError);
  EXPECT_EQ(runtime.lastErrorKind(), kiln::ErrorKind::Compile);
  EXPECT_FALSE(runtime.call("missing", {}).has_value());
  EXPECT_EQ(runtime.lastErrorKind(), kiln::ErrorKind::Runtime);
  EXPECT_EQ(runtime.run("print 1;"), kiln::Status::Ok);
  EXPECT_EQ(runtime.lastErrorKind(), kiln::ErrorKind::None);
}

INSTANTIATE_TEST_SUITE_P(Tiers, SandboxLimitsTest, kiln::testing::kTiers, kiln::testing::tierName);

}  // namespace
