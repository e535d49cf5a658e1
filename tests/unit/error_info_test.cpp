// Errors as data (Runtime::lastErrorInfo): compile errors with line, column
// and token, every one of them; runtime errors with their message and stack
// trace frame by frame, the same in every tier; the text form unchanged.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "kiln/kiln.h"
#include "tiers.h"

namespace {

class ErrorInfoTest : public ::testing::TestWithParam<kiln::testing::Tier> {
 protected:
  ErrorInfoTest() : runtime_(GetParam().options()) {
    runtime_.setOutput(devNull_);
    runtime_.setErrorOutput(devNull_);
  }
  ~ErrorInfoTest() override { std::fclose(devNull_); }
  std::FILE* devNull_ = std::fopen("/dev/null", "w");
  kiln::Runtime runtime_;
};

TEST_P(ErrorInfoTest, CompileErrorsHaveLineColumnTokenAndMessage) {
  ASSERT_EQ(runtime_.run("var a = 1;\n  print a +;\nvar 2 = 3;"), kiln::Status::CompileError);
  const kiln::ErrorInfo& e = runtime_.lastErrorInfo();
  EXPECT_EQ(e.kind, kiln::ErrorKind::Compile);
  ASSERT_EQ(e.compileErrors.size(), 2u);
  EXPECT_EQ(e.compileErrors[0].line, 2);
  EXPECT_EQ(e.compileErrors[0].column, 12);  // the ';' after "  print a +"
  EXPECT_EQ(e.compileErrors[0].where, "at ';'");
  EXPECT_EQ(e.compileErrors[0].message, "Expect expression.");
  EXPECT_EQ(e.compileErrors[1].line, 3);
  EXPECT_EQ(e.compileErrors[1].column, 5);
  EXPECT_EQ(e.compileErrors[1].where, "at '2'");
  EXPECT_EQ(e.compileErrors[1].message, "Expect variable name.");
  EXPECT_EQ(e.message, "Expect expression.");
  EXPECT_EQ(e.line, 2);
  EXPECT_EQ(e.column, 12);
  EXPECT_TRUE(e.frames.empty());
  EXPECT_EQ(e.text,
            "[line 2] Error at ';': Expect expression.\n[line 3] Error at '2': Expect variable name.\n");
  EXPECT_EQ(e.text, runtime_.lastError());
}

TEST_P(ErrorInfoTest, ErrorsAtTheEndAndInTheScannerHaveNoColumn) {
  ASSERT_EQ(runtime_.run("print 1"), kiln::Status::CompileError);
  EXPECT_EQ(runtime_.lastErrorInfo().compileErrors.at(0).where, "at end");
  EXPECT_EQ(runtime_.lastErrorInfo().column, 0);
  ASSERT_EQ(runtime_.run("print 1;\n@"), kiln::Status::CompileError);
  const kiln::ErrorInfo& e = runtime_.lastErrorInfo();
  EXPECT_EQ(e.line, 2);
  EXPECT_EQ(e.column, 0);
  EXPECT_EQ(e.compileErrors.at(0).where, "");
  EXPECT_EQ(e.message, "Unexpected character.");
}

// The same frames in every tier, whichever tier ran each of them.
TEST_P(ErrorInfoTest, RuntimeErrorsHaveTheirFramesInnermostFirst) {
  ASSERT_EQ(runtime_.run(R"(
fun inner(x) {
  return x + nil;
}
class Box {
  get(x) { return inner(x); }
}
var twice = fun (x) { return Box().get(x); };
for (var i = 0; i < 2000; i = i + 1) {
  if (i == 1999) twice(i);
}
)"),
            kiln::Status::RuntimeError);
  const kiln::ErrorInfo& e = runtime_.lastErrorInfo();
  EXPECT_EQ(e.kind, kiln::ErrorKind::Runtime);
  EXPECT_EQ(e.message, "Operands must be two numbers or two strings.");
  EXPECT_EQ(e.line, 3);
  ASSERT_EQ(e.frames.size(), 4u);
  EXPECT_EQ(e.frames[0].function, "inner");
  EXPECT_EQ(e.frames[0].line, 3);
  EXPECT_EQ(e.frames[1].function, "get");
  EXPECT_EQ(e.frames[1].line, 6);
  EXPECT_EQ(e.frames[2].function, "<fn>");
  EXPECT_EQ(e.frames[2].line, 8);
  EXPECT_EQ(e.frames[3].function, "script");
  EXPECT_EQ(e.frames[3].line, 10);
  EXPECT_EQ(e.framesOmitted, 0u);
  EXPECT_EQ(e.text, runtime_.lastError());
  EXPECT_EQ(e.text.rfind("Operands must be two numbers or two strings.\n[line 3] in inner()\n", 0), 0u);
}

TEST_P(ErrorInfoTest, AVeryDeepTraceSaysHowManyFramesItLeftOut) {
  ASSERT_EQ(runtime_.run("fun down(n) { if (n == 0) return nil.x; return down(n - 1); }\ndown(1000);"),
            kiln::Status::RuntimeError);
  const kiln::ErrorInfo& e = runtime_.lastErrorInfo();
  EXPECT_EQ(e.message, "Only instances have properties.");
  ASSERT_EQ(e.frames.size(), 60u);
  EXPECT_EQ(e.framesOmitted, 1002u - 60u);
  EXPECT_EQ(e.frames.front().function, "down");
  EXPECT_EQ(e.frames.back().function, "script");
  EXPECT_EQ(e.frames.back().line, 2);
}

TEST_P(ErrorInfoTest, ErrorsOfTheApiItselfAndSuccessesClearIt) {
  EXPECT_FALSE(runtime_.call("missing", {}).has_value());
  EXPECT_EQ(runtime_.lastErrorInfo().kind, kiln::ErrorKind::Runtime);
  EXPECT_EQ(runtime_.lastErrorInfo().message, "Undefined variable 'missing'.");
  EXPECT_TRUE(runtime_.lastErrorInfo().frames.empty());
  ASSERT_EQ(runtime_.run("print 1;"), kiln::Status::Ok);
  EXPECT_EQ(runtime_.lastErrorInfo().kind, kiln::ErrorKind::None);
  EXPECT_TRUE(runtime_.lastErrorInfo().message.empty());
  EXPECT_TRUE(runtime_.lastErrorInfo().text.empty());
}

// With no error stream errors are only data: every kind of error is still
// described, and nothing is written anywhere.
TEST_P(ErrorInfoTest, WithoutAnErrorStreamErrorsAreDataOnly) {
  runtime_.setErrorOutput(nullptr);
  EXPECT_EQ(runtime_.run("print ;"), kiln::Status::CompileError);
  EXPECT_EQ(runtime_.lastErrorInfo().message, "Expect expression.");
  EXPECT_EQ(runtime_.run("fun f() { return nil.x; }\nf();"), kiln::Status::RuntimeError);
  EXPECT_EQ(runtime_.lastErrorInfo().frames.size(), 2u);
  EXPECT_FALSE(runtime_.call("missing", {}).has_value());
  EXPECT_EQ(runtime_.lastErrorInfo().message, "Undefined variable 'missing'.");
  EXPECT_FALSE(runtime_.call("f", {kiln::HostValue(1)}).has_value());  // an entry error: no frame yet
  EXPECT_EQ(runtime_.lastErrorInfo().message, "Expected 0 arguments but got 1.");
}

INSTANTIATE_TEST_SUITE_P(Tiers, ErrorInfoTest, kiln::testing::kTiers, kiln::testing::tierName);

}  // namespace
