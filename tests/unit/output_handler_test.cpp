// Runtime::setOutputHandler: `print` goes to the host's function instead of
// the output stream, one call per printed value, in every tier; a handler
// that throws raises a runtime error with the script's stack trace; clearing
// it sends output to the stream again.
#include <gtest/gtest.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "kiln/kiln.h"
#include "tiers.h"

namespace {

class OutputHandlerTest : public ::testing::TestWithParam<kiln::testing::Tier> {};

TEST_P(OutputHandlerTest, PrintGoesToTheHandlerOneValueAtATime) {
  kiln::Runtime runtime(GetParam().options());
  std::vector<std::string> printed;
  runtime.setOutputHandler([&](std::string_view text) { printed.emplace_back(text); });
  ASSERT_EQ(runtime.run(
                "fun show(x) { print x; }\nfor (var i = 0; i < 1500; i = i + 1) show(i);\nprint [1, \"a\"];"),
            kiln::Status::Ok)
      << runtime.lastError();
  ASSERT_EQ(printed.size(), 1501u);
  EXPECT_EQ(printed[0], "0\n");
  EXPECT_EQ(printed[1499], "1499\n");
  EXPECT_EQ(printed[1500], "[1, \"a\"]\n");
}

TEST_P(OutputHandlerTest, AThrowingHandlerRaisesARuntimeErrorInTheScript) {
  kiln::Runtime runtime(GetParam().options());
  std::FILE* devNull = std::fopen("/dev/null", "w");
  runtime.setErrorOutput(devNull);
  int calls = 0;
  runtime.setOutputHandler([&](std::string_view) {
    if (++calls == 1200) throw std::runtime_error("disk full");
  });
  EXPECT_EQ(runtime.run("fun show(x) {\n  print x;\n}\nfor (var i = 0; i < 5000; i = i + 1) show(i);"),
            kiln::Status::RuntimeError);
  EXPECT_EQ(calls, 1200);
  EXPECT_EQ(runtime.lastError(),
            "Output handler threw an exception: disk full\n[line 2] in show()\n[line 4] in script\n");
  // Without a handler, print writes to the output stream again.
  runtime.setOutputHandler(nullptr);
  runtime.setOutput(devNull);
  EXPECT_EQ(runtime.run("print 1;"), kiln::Status::Ok);
  EXPECT_EQ(calls, 1200);
  std::fclose(devNull);
}

INSTANTIATE_TEST_SUITE_P(Tiers, OutputHandlerTest, kiln::testing::kTiers, kiln::testing::tierName);

}  // namespace
