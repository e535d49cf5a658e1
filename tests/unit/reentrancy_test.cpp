// Host functions calling back into the runtime: 1,000 levels of host -> script
// -> host recursion work in every tier; an error in an inner call goes to the
// host function that made it and not to the outer run; a host's endless
// recursion through the VM ends in "Stack overflow." instead of a crash, also
// on a thread with a 1 MiB native stack.
#include <gtest/gtest.h>
#include <pthread.h>

#include <cstdio>
#include <string>

#include "kiln/kiln.h"
#include "tiers.h"

namespace {

class ReentrancyTest : public ::testing::TestWithParam<kiln::testing::Tier> {
 protected:
  ReentrancyTest() : runtime_(GetParam().options()) {
    runtime_.setOutput(devNull_);
    runtime_.setErrorOutput(devNull_);
    // down(n) = viaHost(n) + 1, and viaHost(n) calls down(n - 1) back.
    runtime_.defineFunction("viaHost", 1, [this](const kiln::Args& args) -> kiln::HostResult {
      double n = args[0].number();
      if (n == failAt) {
        std::optional<kiln::HostValue> inner = runtime_.call("fails", {});
        innerError = inner ? "" : runtime_.lastErrorInfo().message;
        return kiln::HostValue(-1000);
      }
      if (n == 0 && !endless) return kiln::HostValue(0);
      std::optional<kiln::HostValue> inner = runtime_.call("down", {kiln::HostValue(n - 1)});
      if (!inner) return kiln::HostError{"inner call failed"};
      return *inner;
    });
    EXPECT_EQ(runtime_.run("fun down(n) { return viaHost(n) + 1; }\nfun fails() { return nil + 1; }"),
              kiln::Status::Ok);
  }
  ~ReentrancyTest() override { std::fclose(devNull_); }
  std::FILE* devNull_ = std::fopen("/dev/null", "w");
  kiln::Runtime runtime_;
  double failAt = 0.5;  // never: the levels are integers
  bool endless = false;
  std::string innerError;
};

TEST_P(ReentrancyTest, AThousandLevelsOfHostAndScriptRecursion) {
  std::optional<kiln::HostValue> result = runtime_.call("down", {kiln::HostValue(999)});
  ASSERT_TRUE(result.has_value()) << runtime_.lastError();
  EXPECT_EQ(result->number(), 1000);
}

TEST_P(ReentrancyTest, AnInnerErrorGoesToItsCallerOnly) {
  failAt = 500;
  std::optional<kiln::HostValue> result = runtime_.call("down", {kiln::HostValue(999)});
  ASSERT_TRUE(result.has_value()) << runtime_.lastError();
  EXPECT_EQ(result->number(), -1000 + 500);  // the levels above 500 each add 1
  EXPECT_EQ(innerError, "Operands must be two numbers or two strings.");
  EXPECT_EQ(runtime_.lastErrorKind(), kiln::ErrorKind::None) << "the outer call succeeded";
  EXPECT_TRUE(runtime_.lastError().empty());
}

TEST_P(ReentrancyTest, EndlessHostRecursionIsAStackOverflow) {
  endless = true;
  EXPECT_FALSE(runtime_.call("down", {kiln::HostValue(0)}).has_value());
  EXPECT_EQ(runtime_.lastErrorKind(), kiln::ErrorKind::Runtime);
  EXPECT_EQ(runtime_.lastErrorInfo().message, "inner call failed");
  // The runtime is usable afterwards.
  endless = false;
  std::optional<kiln::HostValue> result = runtime_.call("down", {kiln::HostValue(3)});
  ASSERT_TRUE(result.has_value()) << runtime_.lastError();
  EXPECT_EQ(result->number(), 4);
}

// The same recursion with a collection at every allocation (moving young
// objects under the host functions' feet): the values passed down and up stay right.
TEST_P(ReentrancyTest, HostAndScriptRecursionUnderGcStress) {
  kiln::RuntimeOptions options = GetParam().options();
  options.gcStress = true;
  options.gcVerify = true;
  kiln::Runtime stressed(options);
  stressed.defineFunction("viaHost", 1, [&stressed](const kiln::Args& args) -> kiln::HostResult {
    double n = args[0].number();
    if (n == 0) return kiln::HostValue("end");
    std::optional<kiln::HostValue> inner = stressed.call("down", {kiln::HostValue(n - 1)});
    if (!inner) return kiln::HostError{"inner call failed"};
    return *inner;
  });
  ASSERT_EQ(stressed.run("fun down(n) { var pad = [n, n]; return viaHost(pad[0]) + \"!\"; }"),
            kiln::Status::Ok);
  std::optional<kiln::HostValue> result = stressed.call("down", {kiln::HostValue(60)});
  ASSERT_TRUE(result.has_value()) << stressed.lastError();
  EXPECT_EQ(result->string(), "end" + std::string(61, '!'));
}

// run() from a host function, called in a hot (compiled) loop: the inner
// script's globals are visible afterwards, and the outer loop goes on.
TEST_P(ReentrancyTest, AHostFunctionRunsSourceInsideALoop) {
  runtime_.defineFunction("define", 1, [this](const kiln::Args& args) -> kiln::HostResult {
    std::string source = "var last = " + std::to_string(int(args[0].number())) + "; var ran = ran + 1;";
    if (runtime_.run(source) != kiln::Status::Ok) return kiln::HostError{runtime_.lastError()};
    return kiln::HostValue(true);
  });
  ASSERT_EQ(runtime_.run("var ran = 0;\nfor (var i = 0; i < 1500; i = i + 1) define(i);"), kiln::Status::Ok)
      << runtime_.lastError();
  EXPECT_EQ(runtime_.getGlobal("ran")->number(), 1500);
  EXPECT_EQ(runtime_.getGlobal("last")->number(), 1499);
}

// The same endless recursion on a thread with a small native stack (an
// embedder's worker thread): the check uses the thread's own stack bounds.
TEST_P(ReentrancyTest, EndlessHostRecursionOnASmallThreadStack) {
  endless = true;
  struct Work {
    kiln::Runtime* runtime;
    bool failed;
  } work{&runtime_, false};
  auto body = [](void* arg) -> void* {
    auto* w = static_cast<Work*>(arg);
    w->failed = !w->runtime->call("down", {kiln::HostValue(0)}).has_value();
    return nullptr;
  };
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setstacksize(&attributes, 1 << 20);
  pthread_t thread;
  ASSERT_EQ(pthread_create(&thread, &attributes, body, &work), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attributes);
  EXPECT_TRUE(work.failed);
  EXPECT_EQ(runtime_.lastErrorInfo().message, "inner call failed");
}

INSTANTIATE_TEST_SUITE_P(Tiers, ReentrancyTest, kiln::testing::kTiers, kiln::testing::tierName);

}  // namespace
