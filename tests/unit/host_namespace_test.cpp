// Runtime::defineFunction(space, name, ...): host functions in a namespace
// object (`Game.spawn(x)`, like `Math.sqrt`), called from hot compiled code
// as from the interpreter, with the same arity errors as other natives.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "kiln/kiln.h"
#include "tiers.h"

namespace {

class HostNamespaceTest : public ::testing::TestWithParam<kiln::testing::Tier> {};

TEST_P(HostNamespaceTest, FunctionsOfANamespaceAreCalledThroughIt) {
  kiln::Runtime runtime(GetParam().options());
  std::FILE* devNull = std::fopen("/dev/null", "w");
  runtime.setErrorOutput(devNull);
  int spawned = 0;
  ASSERT_TRUE(runtime.defineFunction("Game", "spawn", 1, [&](const kiln::Args& a) -> kiln::HostResult {
    spawned++;
    return kiln::HostValue(a[0].number() * 2);
  }));
  ASSERT_TRUE(runtime.defineFunction(
      "Game", "name", 0, [](const kiln::Args&) -> kiln::HostResult { return kiln::HostValue("kiln"); }));
  ASSERT_EQ(
      runtime.run("var total = 0;\nfor (var i = 0; i < 2000; i = i + 1) total = total + Game.spawn(i);\n"
                  "var n = Game.name();\nvar t = type(Game);"),
      kiln::Status::Ok)
      << runtime.lastError();
  EXPECT_EQ(spawned, 2000);
  EXPECT_EQ(runtime.getGlobal("total")->number(), 2.0 * 1999 * 2000 / 2);
  EXPECT_EQ(runtime.getGlobal("n")->string(), "kiln");
  EXPECT_EQ(runtime.getGlobal("t")->string(), "instance");

  EXPECT_EQ(runtime.run("Game.spawn();"), kiln::Status::RuntimeError);
  EXPECT_EQ(runtime.lastErrorInfo().message, "Expected 1 arguments but got 0.");

  // A global that is not an object cannot become a namespace.
  ASSERT_EQ(runtime.run("var Score = 3;"), kiln::Status::Ok);
  EXPECT_FALSE(runtime.defineFunction(
      "Score", "add", 1, [](const kiln::Args&) -> kiln::HostResult { return kiln::HostValue(); }));
  EXPECT_EQ(runtime.getGlobal("Score")->number(), 3);
  std::fclose(devNull);
}

// Defining namespace functions allocates at every step: under GC stress
// (a collection at each allocation, moving young objects) nothing is lost.
TEST_P(HostNamespaceTest, DefiningUnderGcStressKeepsEverything) {
  kiln::RuntimeOptions options = GetParam().options();
  options.gcStress = true;
  options.gcVerify = true;
  kiln::Runtime runtime(options);
  for (int i = 0; i < 20; i++) {
    ASSERT_TRUE(
        runtime.defineFunction("Space", "f" + std::to_string(i), 0,
                               [i](const kiln::Args&) -> kiln::HostResult { return kiln::HostValue(i); }));
  }
  ASSERT_EQ(runtime.run("var sum = 0;\nsum = Space.f0() + Space.f7() + Space.f19();"), kiln::Status::Ok)
      << runtime.lastError();
  EXPECT_EQ(runtime.getGlobal("sum")->number(), 26);
}

INSTANTIATE_TEST_SUITE_P(Tiers, HostNamespaceTest, kiln::testing::kTiers, kiln::testing::tierName);

}  // namespace
