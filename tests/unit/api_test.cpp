// Unit tests for the embedding API (include/kiln/kiln.h) and for the REPL's
// decision whether an entry continues on the next line (cli/repl.h).
#include <gtest/gtest.h>

#include <cstdio>
#include <stdexcept>
#include <string>

#include "cli/repl.h"
#include "kiln/kiln.h"

namespace {

using kiln::Args;
using kiln::HostError;
using kiln::HostResult;
using kiln::HostValue;
using kiln::Runtime;
using kiln::Status;

// A temporary file standing in for stdout or stderr; drain() returns what was
// written since the last drain().
class CapturedStream {
 public:
  CapturedStream() : file_(std::tmpfile()) {}
  ~CapturedStream() { std::fclose(file_); }
  std::FILE* file() const { return file_; }

  std::string drain() {
    std::fflush(file_);
    std::fseek(file_, long(consumed_), SEEK_SET);
    std::string text;
    char buffer[4096];
    size_t count;
    while ((count = std::fread(buffer, 1, sizeof buffer, file_)) > 0) text.append(buffer, count);
    consumed_ += text.size();
    std::fseek(file_, 0, SEEK_END);
    return text;
  }

 private:
  std::FILE* file_;
  size_t consumed_ = 0;
};

class ApiTest : public ::testing::Test {
 protected:
  explicit ApiTest(kiln::RuntimeOptions options = {}) : runtime(options) {
    runtime.setOutput(out.file());
    runtime.setErrorOutput(err.file());
  }

  CapturedStream out;
  CapturedStream err;
  Runtime runtime;
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// -- Running source ---------------------------------------------------------------

TEST_F(ApiTest, RunPrintsToTheOutputStream) {
  EXPECT_EQ(runtime.run("print 1 + 2;"), Status::Ok);
  EXPECT_EQ(out.drain(), "3\n");
  EXPECT_EQ(err.drain(), "");
  EXPECT_EQ(runtime.lastError(), "");
}

TEST_F(ApiTest, GlobalsPersistBetweenRuns) {
  ASSERT_EQ(runtime.run("var greeting = \"hello\";"), Status::Ok);
  ASSERT_EQ(runtime.run("fun shout(s) { return s + \"!\"; }"), Status::Ok);
  EXPECT_EQ(runtime.run("print shout(greeting);"), Status::Ok);
  EXPECT_EQ(out.drain(), "hello!\n");
}

// Global cells live in a vector that grows when a new name appears, which a host
// function can cause while a script runs (setGlobal/getGlobal of new names): the
// running code refers to cells by index, so nothing it holds goes stale.
TEST_F(ApiTest, NewGlobalsCreatedWhileAScriptRunsDoNotDisturbIt) {
  int created = 0;
  runtime.defineFunction("spawn", 0, [this, &created](const Args&) -> HostResult {
    for (int i = 0; i < 200; i++) runtime.setGlobal("spawned" + std::to_string(created++), double(i));
    return HostValue(1.0);
  });
  ASSERT_EQ(runtime.run("var total = 0;"
                        "for (var i = 0; i < 40; i = i + 1) total = total + spawn();"
                        "print total + spawned7999;"),
            Status::Ok)
      << runtime.lastError();
  EXPECT_EQ(out.drain(), "239\n");
  EXPECT_EQ(created, 8000);
  std::optional<HostValue> total = runtime.getGlobal("total");
  ASSERT_TRUE(total.has_value());
  EXPECT_EQ(total->number(), 40);
}

TEST_F(ApiTest, ReplLinePrintsATrailingExpression) {
  ASSERT_EQ(runtime.runReplLine("var a = 1;"), Status::Ok);
  EXPECT_EQ(out.drain(), "");
  EXPECT_EQ(runtime.runReplLine("a + 1"), Status::Ok);
  EXPECT_EQ(out.drain(), "2\n");
}

TEST_F(ApiTest, RunDoesNotAcceptATrailingExpression) {
  EXPECT_EQ(runtime.run("1 + 1"), Status::CompileError);
  EXPECT_EQ(out.drain(), "");
}

TEST_F(ApiTest, CompileErrorIsReportedAndStored) {
  EXPECT_EQ(runtime.run("print ;"), Status::CompileError);
  EXPECT_EQ(runtime.lastError(), "[line 1] Error at ';': Expect expression.\n");
  EXPECT_EQ(err.drain(), runtime.lastError());
  EXPECT_EQ(out.drain(), "");
}

TEST_F(ApiTest, EveryCompileErrorIsReported) {
  EXPECT_EQ(runtime.run("print ;\nvar 1 = 2;\nprint 3;"), Status::CompileError);
  std::string errors = err.drain();
  EXPECT_TRUE(contains(errors, "[line 1] Error at ';'")) << errors;
  EXPECT_TRUE(contains(errors, "[line 2] Error at '1'")) << errors;
  EXPECT_EQ(out.drain(), "");  // nothing ran
}

TEST_F(ApiTest, RuntimeErrorIsReportedWithATrace) {
  EXPECT_EQ(runtime.run("fun f() {\n  return -\"a\";\n}\nf();"), Status::RuntimeError);
  const std::string& error = runtime.lastError();
  EXPECT_TRUE(contains(error, "Operand must be a number.")) << error;
  EXPECT_TRUE(contains(error, "[line 2] in f()")) << error;
  EXPECT_TRUE(contains(error, "[line 4] in script")) << error;
  EXPECT_TRUE(contains(err.drain(), "Operand must be a number."));
}

TEST_F(ApiTest, RuntimeStaysUsableAfterErrors) {
  EXPECT_EQ(runtime.run("print nil + 1;"), Status::RuntimeError);
  EXPECT_EQ(runtime.run("print (;"), Status::CompileError);
  EXPECT_EQ(runtime.run("print 7;"), Status::Ok);
  EXPECT_EQ(out.drain(), "7\n");
  EXPECT_EQ(runtime.lastError(), "");
}

TEST_F(ApiTest, DumpBytecodeListsTheScriptWithoutRunningIt) {
  std::optional<std::string> listing = runtime.dumpBytecode("fun f() { return 1; }\nprint f();");
  ASSERT_TRUE(listing.has_value());
  EXPECT_FALSE(listing->empty());
  EXPECT_EQ(out.drain(), "");

  EXPECT_FALSE(runtime.dumpBytecode("print ;").has_value());
  EXPECT_TRUE(contains(runtime.lastError(), "Expect expression."));
}

TEST_F(ApiTest, BadBytesAreCompileErrorsNotCrashes) {
  using namespace std::string_literals;
  EXPECT_EQ(runtime.run("print 1;\0print 2;"s), Status::CompileError);
  EXPECT_EQ(runtime.run("print \"\xff\xfe\";\n@"), Status::CompileError);
}

// -- Globals ---------------------------------------------------------------------------

TEST_F(ApiTest, GetGlobalConvertsValues) {
  ASSERT_EQ(runtime.run("var n = 42; var s = \"text\"; var t = true; var z = nil;"
                        "var l = [1, \"a\"]; class Foo {} var i = Foo();"),
            Status::Ok);
  ASSERT_TRUE(runtime.getGlobal("n").has_value());
  EXPECT_EQ(runtime.getGlobal("n")->number(), 42);
  EXPECT_EQ(runtime.getGlobal("s")->string(), "text");
  EXPECT_TRUE(runtime.getGlobal("t")->boolean());
  EXPECT_TRUE(runtime.getGlobal("z")->isNil());
  // Other values arrive as their printed text.
  EXPECT_EQ(runtime.getGlobal("l")->string(), "[1, \"a\"]");
  EXPECT_EQ(runtime.getGlobal("i")->string(), "Foo instance");
}

TEST_F(ApiTest, GetGlobalOfAnUndefinedNameIsEmpty) {
  EXPECT_FALSE(runtime.getGlobal("missing").has_value());
  EXPECT_EQ(runtime.run("print missing;"), Status::RuntimeError);
  EXPECT_TRUE(contains(runtime.lastError(), "Undefined variable 'missing'."));
}

TEST_F(ApiTest, SetGlobalIsVisibleToScripts) {
  runtime.setGlobal("name", "kiln");
  runtime.setGlobal("count", 3);
  runtime.setGlobal("flag", false);
  runtime.setGlobal("nothing", HostValue());
  EXPECT_EQ(runtime.run("print name + \"!\"; print count * 2; print flag; print nothing;"), Status::Ok);
  EXPECT_EQ(out.drain(), "kiln!\n6\nfalse\nnil\n");

  runtime.setGlobal("count", 10);  // redefining replaces the value
  EXPECT_EQ(runtime.run("print count;"), Status::Ok);
  EXPECT_EQ(out.drain(), "10\n");
}

TEST_F(ApiTest, SetGlobalUpdatesCodeCompiledEarlier) {
  ASSERT_EQ(runtime.run("var x = 1; fun readX() { return x; }"), Status::Ok);
  runtime.setGlobal("x", "changed");
  std::optional<HostValue> result = runtime.call("readX", {});
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->string(), "changed");
}

// -- Calling script functions --------------------------------------------------------------

TEST_F(ApiTest, CallPassesArgumentsAndReturnsTheResult) {
  ASSERT_EQ(runtime.run("fun add(a, b) { return a + b; }"), Status::Ok);
  std::optional<HostValue> sum = runtime.call("add", {1, 2.5});
  ASSERT_TRUE(sum.has_value());
  EXPECT_EQ(sum->number(), 3.5);

  std::optional<HostValue> joined = runtime.call("add", {"con", "cat"});
  ASSERT_TRUE(joined.has_value());
  EXPECT_EQ(joined->string(), "concat");
}

TEST_F(ApiTest, CallWorksForClassesAndNatives) {
  ASSERT_EQ(runtime.run("class Point { init(x) { this.x = x; } }"), Status::Ok);
  std::optional<HostValue> instance = runtime.call("Point", {1});
  ASSERT_TRUE(instance.has_value());
  EXPECT_EQ(instance->string(), "Point instance");

  runtime.defineFunction("negate", 1, [](const Args& a) -> HostResult { return HostValue(-a[0].number()); });
  std::optional<HostValue> negated = runtime.call("negate", {4});
  ASSERT_TRUE(negated.has_value());
  EXPECT_EQ(negated->number(), -4);
}

TEST_F(ApiTest, CallReportsUndefinedAndUncallableGlobals) {
  EXPECT_FALSE(runtime.call("nope", {}).has_value());
  EXPECT_TRUE(contains(runtime.lastError(), "Undefined variable 'nope'.")) << runtime.lastError();

  runtime.setGlobal("number", 1);
  EXPECT_FALSE(runtime.call("number", {}).has_value());
  EXPECT_TRUE(contains(runtime.lastError(), "Can only call functions and classes")) << runtime.lastError();
}

TEST_F(ApiTest, CallReportsRuntimeErrorsAndTheVmStaysUsable) {
  ASSERT_EQ(runtime.run("fun bad() { return nil + 1; } fun one(a) { return a; }"), Status::Ok);
  EXPECT_FALSE(runtime.call("bad", {}).has_value());
  EXPECT_TRUE(contains(runtime.lastError(), "Operands must be two numbers or two strings."))
      << runtime.lastError();

  EXPECT_FALSE(runtime.call("one", {}).has_value());
  EXPECT_TRUE(contains(runtime.lastError(), "Expected 1 arguments but got 0.")) << runtime.lastError();

  std::optional<HostValue> ok = runtime.call("one", {"fine"});
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->string(), "fine");
  EXPECT_EQ(runtime.run("print 1;"), Status::Ok);
}

// -- Host functions ------------------------------------------------------------------------

TEST_F(ApiTest, HostFunctionIsCallableFromScripts) {
  runtime.defineFunction("twice", 1,
                         [](const Args& a) -> HostResult { return HostValue(a[0].number() * 2); });
  EXPECT_EQ(runtime.run("print twice(21);"), Status::Ok);
  EXPECT_EQ(out.drain(), "42\n");
}

TEST_F(ApiTest, HostFunctionReceivesConvertedArguments) {
  std::string seen;
  runtime.defineFunction("describe", -1, [&seen](const Args& args) -> HostResult {
    for (const HostValue& a : args) {
      if (a.isNil()) seen += "nil ";
      if (a.isBool()) seen += a.boolean() ? "true " : "false ";
      if (a.isNumber()) seen += std::to_string(int(a.number())) + " ";
      if (a.isString()) seen += "'" + a.string() + "' ";
    }
    return HostValue(int(args.size()));
  });
  EXPECT_EQ(runtime.run("print describe(nil, true, 3, \"s\", [1]);"), Status::Ok);
  EXPECT_EQ(seen, "nil true 3 's' '[1]' ");
  EXPECT_EQ(out.drain(), "5\n");
  EXPECT_EQ(runtime.run("print describe();"), Status::Ok);
  EXPECT_EQ(out.drain(), "0\n");
}

TEST_F(ApiTest, HostFunctionArityIsChecked) {
  runtime.defineFunction("one", 1, [](const Args&) -> HostResult { return HostValue(); });
  EXPECT_EQ(runtime.run("one(1, 2);"), Status::RuntimeError);
  EXPECT_TRUE(contains(runtime.lastError(), "Expected 1 arguments but got 2.")) << runtime.lastError();
}

TEST_F(ApiTest, HostErrorBecomesARuntimeError) {
  runtime.defineFunction(
      "fail", 1, [](const Args& a) -> HostResult { return HostError{"bad input: " + a[0].string()}; });
  EXPECT_EQ(runtime.run("print \"before\";\nfail(\"x\");\nprint \"after\";"), Status::RuntimeError);
  EXPECT_EQ(out.drain(), "before\n");
  EXPECT_TRUE(contains(runtime.lastError(), "bad input: x")) << runtime.lastError();
  EXPECT_TRUE(contains(runtime.lastError(), "[line 2] in script")) << runtime.lastError();
}

TEST_F(ApiTest, HostExceptionBecomesARuntimeError) {
  runtime.defineFunction("throws", 0, [](const Args&) -> HostResult { throw std::runtime_error("oops"); });
  EXPECT_EQ(runtime.run("throws();"), Status::RuntimeError);
  EXPECT_TRUE(contains(runtime.lastError(), "oops")) << runtime.lastError();
  EXPECT_EQ(runtime.run("print 1;"), Status::Ok);
}

TEST_F(ApiTest, HostFunctionCanBeStoredAndPassedAround) {
  runtime.defineFunction("inc", 1, [](const Args& a) -> HostResult { return HostValue(a[0].number() + 1); });
  EXPECT_EQ(runtime.run("var f = inc; fun apply(g, x) { return g(x); } print apply(f, 1); print inc;"),
            Status::Ok);
  EXPECT_EQ(out.drain(), "2\n<native fn>\n");
}

// -- Stats and version --------------------------------------------------------------------------

TEST(ApiStatsTest, ReportNamesEveryCounter) {
  kiln::RuntimeOptions options;
  options.stats = true;
  Runtime runtime(options);
  CapturedStream out;
  runtime.setOutput(out.file());
  ASSERT_EQ(runtime.run("var s = 0; for (var i = 0; i < 100; i = i + 1) s = s + i; print s;"), Status::Ok);
  std::string report = runtime.statsReport();
  for (const char* part :
       {"instructions", "get property", "set property", "invoke", "global", "collections", "total pause",
        "max pause", "bytes allocated", "live heap", "peak heap", "peak RSS"}) {
    EXPECT_TRUE(contains(report, part)) << part << " missing from:\n" << report;
  }
}

TEST(ApiVersionTest, VersionIsTheProjectVersion) { EXPECT_STREQ(kiln::version(), "0.1.0"); }

// -- GC stress: every value crossing the API must stay rooted -----------------------------------------

class ApiGcStressTest : public ApiTest {
 protected:
  ApiGcStressTest() : ApiTest(stressOptions()) {}
  static kiln::RuntimeOptions stressOptions() {
    kiln::RuntimeOptions options;
    options.gcStress = true;
    return options;
  }
};

TEST_F(ApiGcStressTest, StringsSurviveTheBoundary) {
  runtime.defineFunction("wrap", 2, [](const Args& a) -> HostResult {
    return HostValue("<" + a[0].string() + a[1].string() + ">");
  });
  runtime.setGlobal("prefix", "p-");
  ASSERT_EQ(runtime.run("fun join(a, b, c) { return a + b + c; }"
                        "var out = \"\"; for (var i = 0; i < 20; i = i + 1) out = wrap(prefix, out);"),
            Status::Ok);
  std::optional<HostValue> joined = runtime.call("join", {"one", "two", "three"});
  ASSERT_TRUE(joined.has_value());
  EXPECT_EQ(joined->string(), "onetwothree");
  std::optional<HostValue> out = runtime.getGlobal("out");
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->string().size(), 20u * 4u);
}

// -- REPL input continuation ------------------------------------------------------------------------

using kiln::cli::needsMoreInput;
using kiln::cli::scanInputBalance;

TEST(ReplInputTest, CompleteLinesRunAtOnce) {
  EXPECT_FALSE(needsMoreInput("print 1;"));
  EXPECT_FALSE(needsMoreInput("a + 1"));
  EXPECT_FALSE(needsMoreInput(""));
  EXPECT_FALSE(needsMoreInput("fun f() { return [1, (2)]; }"));
}

TEST(ReplInputTest, OpenBracketsContinue) {
  EXPECT_TRUE(needsMoreInput("fun f() {"));
  EXPECT_TRUE(needsMoreInput("print (1 +"));
  EXPECT_TRUE(needsMoreInput("var l = ["));
  EXPECT_TRUE(needsMoreInput("class A {\n  m() {\n  }"));
  EXPECT_FALSE(needsMoreInput("class A {\n  m() {\n  }\n}"));
  EXPECT_EQ(scanInputBalance("{ ( [").depth, 3);
}

TEST(ReplInputTest, BracketsInStringsAndCommentsDoNotCount) {
  EXPECT_FALSE(needsMoreInput("print \"{(\";"));
  EXPECT_FALSE(needsMoreInput("print 1; // {"));
  EXPECT_TRUE(needsMoreInput("if (x) { // }"));
  EXPECT_FALSE(needsMoreInput("if (x) { // }\n}"));
  EXPECT_FALSE(needsMoreInput("print \"a // b\" + \"}\";"));
  EXPECT_FALSE(needsMoreInput("print 4 / 2;"));
}

TEST(ReplInputTest, UnterminatedStringsContinue) {
  EXPECT_TRUE(needsMoreInput("print \"multi"));
  EXPECT_TRUE(scanInputBalance("print \"multi").inString);
  EXPECT_FALSE(needsMoreInput("print \"multi\nline\";"));
  EXPECT_FALSE(needsMoreInput("print \"a\\\";"));  // no escapes: the backslash is text
}

TEST(ReplInputTest, TooManyClosingBracketsRunSoTheErrorShows) {
  EXPECT_FALSE(needsMoreInput("}"));
  EXPECT_FALSE(needsMoreInput(") ("));
  EXPECT_TRUE(scanInputBalance(") (").closedTooMany);
}

}  // namespace
