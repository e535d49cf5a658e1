// Unit tests for the tier-up JIT (jit/jit.h, jit/baseline_compiler.cpp): every
// opcode compiles and behaves as the interpreter does, guards deoptimize and
// the interpreter resumes at the exact instruction, repeated deopts recompile
// once (no thrashing), code is released with its prototype, --perf-map names
// compiled code, -Xint never touches the JIT, errors raised in compiled code
// have the interpreter's stack traces, and compiled calls never recurse on the
// native stack.
#include "jit/jit.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "frontend/frontend.h"
#include "jit/compiled_function.h"
#include "kiln/kiln.h"
#include "vm/opcodes.h"
#include "vm/vm.h"

namespace kiln {
namespace {

// A temporary file standing in for stdout or stderr; drain() returns what was
// written since the last drain().
class CapturedStream {
 public:
  CapturedStream() : file_(std::tmpfile()) {}
  ~CapturedStream() { std::fclose(file_); }
  CapturedStream(const CapturedStream&) = delete;
  CapturedStream& operator=(const CapturedStream&) = delete;
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

RuntimeOptions jitOptions(uint32_t threshold, bool perfMap = false) {
  RuntimeOptions options;
  options.jit = true;
  options.jitThreshold = threshold;
  options.perfMap = perfMap;
  return options;
}

RuntimeOptions interpreterOptions() {
  RuntimeOptions options;
  options.jit = false;
  options.jitThreshold = 0;  // must not matter: -Xint never compiles
  return options;
}

// A Runtime whose output and error streams are captured.
struct Session {
  explicit Session(const RuntimeOptions& options) : runtime(options) {
    runtime.setOutput(out.file());
    runtime.setErrorOutput(err.file());
  }
  VM& vm() { return runtime.vm(); }
  const jit::JitStats& stats() {
    const jit::JitStats* s = jit::statsOf(vm().tierUp());
    EXPECT_NE(s, nullptr);
    static const jit::JitStats kNone;
    return s == nullptr ? kNone : *s;
  }
  // Runs `source`, expecting success; returns what it printed.
  std::string run(const std::string& source) {
    Status status = runtime.run(source);
    EXPECT_EQ(status, Status::Ok) << runtime.lastError() << "\nwhile running:\n" << source.substr(0, 400);
    return out.drain();
  }

  CapturedStream out;
  CapturedStream err;
  Runtime runtime;
};

// The prototype of the global function `name` (null if it is not a closure).
FunctionProto* globalProto(VM& vm, const char* name) {
  Value v = vm.global(vm.globalIndex(vm.intern(name))).value;
  return isClosure(v) ? as<Closure>(v)->proto : nullptr;
}

double globalNumber(VM& vm, const char* name) {
  Value v = vm.global(vm.globalIndex(vm.intern(name))).value;
  EXPECT_TRUE(v.isNumber()) << name;
  return v.isNumber() ? v.asNumber() : -1;
}

// `proto` and every prototype nested in its constants, depth first.
void collectProtos(FunctionProto* proto, std::vector<FunctionProto*>& out) {
  out.push_back(proto);
  for (Value v : proto->constants) {
    if (isKind(v, ObjKind::Proto)) collectProtos(as<FunctionProto>(v), out);
  }
}

std::string protoName(const FunctionProto* proto) {
  if (proto->functionKind == FunctionKind::Script) return "script";
  if (proto->name == nullptr) return "<fn>";
  return std::string(proto->name->view());
}

// Compiles and runs a whole program in `session`'s VM, keeping the script rooted
// (for inspection of its prototypes afterwards).
struct ProgramRun {
  InterpretResult result = InterpretResult::CompileError;
  std::string out;
  std::string error;
  std::vector<FunctionProto*> protos;
};

ProgramRun runProgram(Session& session, const std::string& source) {
  ProgramRun run;
  VM& vm = session.vm();
  Diagnostics diagnostics;
  FunctionProto* script = compileSource(vm, source, diagnostics);
  EXPECT_FALSE(diagnostics.hadError()) << (diagnostics.messages().empty() ? "" : diagnostics.messages()[0]);
  if (script == nullptr) return run;
  vm.compilerRoots().push_back(script);
  run.result = vm.run(script);
  run.out = session.out.drain();
  run.error = run.result == InterpretResult::Ok ? "" : vm.lastError();
  collectProtos(script, run.protos);
  return run;
}

// -- Programs that together use every opcode ---------------------------------------------

const char* const kLoadsAndArithmetic = R"(
var g = 10;
fun arith(a, b) {
  var m = a;
  var n;
  var t = true;
  var f = false;
  var big = 123456.5;
  var small = -7;
  print m; print n; print t; print f; print big; print small;
  print a + b; print a - b; print a * b; print a / b; print a % b;
  print a + 2.5; print a - 2.5; print a * 2.5; print a / 2.5; print a % 2.5;
  print a & b; print a | b; print a ^ b; print a << b; print a >> 1;
  print ~a; print -a; print !t; print !n;
  print a == b; print a != b; print a < b; print a <= b; print a > b; print a >= b;
  g = g + a;
  return g;
}
print arith(7, 3);
print arith(-4, 2);
print arith(3, 3);
print arith(9, 4);
print 0.5 % 8; print 7.5 / 2; print -7.5 % 2;
var nan = 0 / 0;
print nan == nan; print nan != nan; print nan < 1; print nan <= 1; print 1 > nan; print 1 >= nan;
print -0 == 0; print 1 / -0;
)";

const char* const kBranches = R"(
fun branches(a, b) {
  var r = 0;
  if (a < b) r = r + 1;
  if (a <= b) r = r + 2;
  if (a > b) r = r + 4;
  if (a >= b) r = r + 8;
  if (a == b) r = r + 16;
  if (a != b) r = r + 32;
  if (a < 3) r = r + 64;
  if (a <= 3) r = r + 128;
  if (a > 3) r = r + 256;
  if (a >= 3) r = r + 512;
  if (a == 3) r = r + 1024;
  if (a != 3) r = r + 2048;
  if (a > 0 and b > 0) r = r + 4096; else r = r - 1;
  if (a > 0 or b > 0) r = r + 8192;
  var both = a and b;
  var either = a or b;
  print both; print either;
  var i = 0;
  while (i < a) { i = i + 1; r = r + 1; }
  for (var j = 0; j < b; j = j + 1) r = r * 2;
  var w = nil;
  if (w) r = r + 100000; else r = r + 200000;
  if (!w) r = r + 300000;
  return r;
}
print branches(1, 2);
print branches(3, 3);
print branches(5, -1);
print branches(-2, 0);
fun truthy(v) {
  var r = 0;
  if (v) r = r + 1; else r = r + 2;
  if (!v) r = r + 4;
  while (v) { r = r + 8; v = false; }
  var both = v and 1;
  var either = v or 2;
  print both; print either;
  return r;
}
print truthy(nil); print truthy(false); print truthy(0); print truthy(""); print truthy(true);
)";

const char* const kClosures = R"(
fun makeCounter(start) {
  var count = start;
  fun inc(by) { count = count + by; return count; }
  return inc;
}
var c = makeCounter(10);
print c(1);
print c(5);
fun scopes() {
  var fs = [];
  for (var i = 0; i < 3; i = i + 1) {
    var captured = i * 10;
    fs.push(fun () { return captured; });
  }
  var total = 0;
  for (var f in fs) total = total + f();
  {
    var inner = 7;
    fun peek() { return inner; }
    total = total + peek();
  }
  return total;
}
print scopes();
var twice = fun (x) { return x * 2; };
print twice(21);
)";

const char* const kClasses = R"(
class Shape {
  init(name) { this.name = name; }
  describe() { return this.name + " with area " + str(this.area()); }
  area() { return 0; }
}
class Square < Shape {
  init(side) { super.init("square"); this.side = side; }
  area() { return this.side * this.side; }
  parentArea() { var m = super.area; return m(); }
}
fun run() {
  var shapes = [Shape("blob"), Square(3)];
  for (var s in shapes) print s.describe();
  var sq = shapes[1];
  sq.side = 4;
  print sq.area();
  print sq.parentArea();
  print sq.name;
  print sq;
  var bound = sq.area;
  print bound();
}
run();
run();
)";

const char* const kCollections = R"(
fun collections() {
  var xs = [1, 2, 3];
  xs[0] = 10;
  var m = {"a": 1, "b": 2};
  m["c"] = xs[0] + xs[2];
  var total = 0;
  for (var x in xs) total = total + x;
  for (var k in m) total = total + m[k];
  var letters = 0;
  for (var ch in "hey") letters = letters + 1;
  print total; print letters; print xs; print m; print len(m);
  print "hey"[1];
  var empty = [];
  print empty;
  return xs;
}
print collections();
)";

// A call whose callee and arguments pass register 255 (CallList).
std::string callListProgram() {
  std::string params, args;
  for (int i = 0; i < 255; i++) {
    params += (i ? ", p" : "p") + std::to_string(i);
    args += (i ? ", " : "") + std::to_string(i * 3);
  }
  return "fun last(" + params + ") { return p254; }\nprint last(" + args + ");\n";
}

// A function with more constants than Bx reaches (LoadKX).
std::string loadKxProgram() {
  std::string source = "fun constants() {\n  var x = 0;\n";
  for (int i = 0; i < 66000; i++) source += "  x = " + std::to_string(i) + ".5;\n";
  source += "  return x;\n}\nprint constants();\n";
  return source;
}

std::vector<std::pair<std::string, std::string>> opcodePrograms() {
  return {
      {"loads and arithmetic", kLoadsAndArithmetic},
      {"branches", kBranches},
      {"closures", kClosures},
      {"classes", kClasses},
      {"collections", kCollections},
      {"call list", callListProgram()},
      {"load kx", loadKxProgram()},
  };
}

// 1. Every opcode compiles (threshold 0: every function before its first run)
// and the compiled programs print what the interpreter prints.
TEST(JitOpcodes, EveryOpcodeCompilesAndMatchesTheInterpreter) {
  std::set<int> seen;
  for (const auto& [name, source] : opcodePrograms()) {
    SCOPED_TRACE(name);
    Session interpreted(interpreterOptions());
    ProgramRun expected = runProgram(interpreted, source);
    ASSERT_EQ(expected.result, InterpretResult::Ok) << expected.error;

    Session compiled(jitOptions(0));
    ProgramRun actual = runProgram(compiled, source);
    EXPECT_EQ(actual.result, InterpretResult::Ok) << actual.error;
    EXPECT_EQ(actual.out, expected.out);
    EXPECT_EQ(actual.error, expected.error);

    const jit::JitStats& stats = compiled.stats();
    EXPECT_GE(stats.functionsCompiled, actual.protos.size());
    EXPECT_GT(stats.entries, 0u);
    for (FunctionProto* proto : actual.protos) {
      EXPECT_NE(proto->compiled, nullptr) << protoName(proto) << " was not compiled";
      for (size_t pc = 0; pc < proto->code.size(); pc += kOpcodeInfo[proto->code[pc] & 0xff].words())
        seen.insert(int(opOf(proto->code[pc])));
    }
  }
  std::string missing;
  for (int op = 0; op < kOpcodeCount; op++) {
    if (!seen.count(op)) missing += std::string(" ") + kOpcodeInfo[op].name;
  }
  EXPECT_EQ(missing, "") << "opcodes no test program uses: add a program to opcodePrograms()";
}

// The same programs with a collection at every allocation: compiled code must
// keep every object it holds in a frame slot across anything that allocates.
TEST(JitOpcodes, ProgramsUnderGcStressMatchTheInterpreter) {
  for (const auto& [name, source] : opcodePrograms()) {
    if (name == "load kx" || name == "call list") continue;  // big; nothing GC-specific
    SCOPED_TRACE(name);
    Session interpreted(interpreterOptions());
    ProgramRun expected = runProgram(interpreted, source);
    RuntimeOptions options = jitOptions(0);
    options.gcStress = true;
    Session compiled(options);
    ProgramRun actual = runProgram(compiled, source);
    EXPECT_EQ(actual.result, expected.result) << actual.error;
    EXPECT_EQ(actual.out, expected.out);
    EXPECT_EQ(actual.error, expected.error);
  }
}

// -- Numbers kept in xmm registers within a basic block (NumberCache) -----------------------

// Runs `source` in both tiers (threshold 0) and compares what they print.
void expectSameOutput(const std::string& source) {
  Session interpreted(interpreterOptions());
  ProgramRun expected = runProgram(interpreted, source);
  ASSERT_EQ(expected.result, InterpretResult::Ok) << expected.error;
  Session compiled(jitOptions(0));
  ProgramRun actual = runProgram(compiled, source);
  EXPECT_EQ(actual.result, InterpretResult::Ok) << actual.error;
  EXPECT_EQ(actual.out, expected.out) << source;
}

// Twelve cached results after `a` and `b` wrap the round robin of xmm2..xmm15:
// the register picked for the result of `b - a` is the one holding `a`.
TEST(JitNumberCache, ResultRegisterDoesNotClobberACachedOperand) {
  expectSameOutput(R"(
fun f(a, b) {
  var y = a + b;
  var c1 = a + 1; var c2 = a + 2; var c3 = a + 3; var c4 = a + 4;
  var c5 = a + 5; var c6 = a + 6; var c7 = a + 7; var c8 = a + 8;
  var c9 = a + 9; var c10 = a + 10; var c11 = a + 11;
  var z = b - a;
  return z;
}
print f(10, 3);
)");
}

// Loading the uncached right operand must not evict the cached left one.
TEST(JitNumberCache, LoadingAnOperandDoesNotEvictTheOther) {
  expectSameOutput(R"(
fun g(a, b) {
  var y = a + 1;
  var c1 = y + 1; var c2 = y + 2; var c3 = y + 3; var c4 = y + 4;
  var c5 = y + 5; var c6 = y + 6; var c7 = y + 7; var c8 = y + 8;
  var c9 = y + 9; var c10 = y + 10; var c11 = y + 11; var c12 = y + 12;
  var z = a - b;
  return z;
}
print g(10, 3);
fun h(a, b) {
  var y = a + 1;
  var c1 = y + 1; var c2 = y + 2; var c3 = y + 3; var c4 = y + 4;
  var c5 = y + 5; var c6 = y + 6; var c7 = y + 7; var c8 = y + 8;
  var c9 = y + 9; var c10 = y + 10; var c11 = y + 11; var c12 = y + 12;
  if (a < b) return "less";
  return "not less";
}
print h(1, 2);
)");
}

// Long straight-line blocks over many locals (deterministic pseudo-random
// operators and operands), with comparisons and branches splitting them.
TEST(JitNumberCache, LongBlocksOfArithmeticMatchTheInterpreter) {
  uint32_t seed = 12345;
  auto next = [&seed](uint32_t n) {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 16) % n;
  };
  constexpr int kLocals = 24;
  const char* const kOps[] = {"+", "-", "*", "/", "%"};
  const char* const kCompares[] = {"<", "<=", ">", ">=", "==", "!="};
  std::string source;
  for (int fn = 0; fn < 8; fn++) {
    source += "fun f" + std::to_string(fn) + "(a, b) {\n";
    for (int i = 0; i < kLocals; i++) {
      source +=
          "  var v" + std::to_string(i) + " = " + (i % 2 ? "a" : "b") + " + " + std::to_string(i) + ";\n";
    }
    source += "  var hits = 0;\n";
    for (int step = 0; step < 120; step++) {
      auto operand = [&]() -> std::string {
        switch (next(4)) {
          case 0:
            return std::to_string(int(next(9)) - 4);
          case 1:
            return next(2) ? "a" : "b";
          default:
            return "v" + std::to_string(next(kLocals));
        }
      };
      if (next(10) == 0) {
        source += "  if (" + operand() + " " + kCompares[next(6)] + " " + operand() + ") hits = hits + 1;\n";
      } else {
        std::string target = "v" + std::to_string(next(kLocals));
        std::string left = "v" + std::to_string(next(kLocals));
        source += "  " + target + " = " + left + " " + kOps[next(5)] + " " + operand() + ";\n";
      }
    }
    source += "  return [hits";
    for (int i = 0; i < kLocals; i++) source += ", v" + std::to_string(i);
    source += "];\n}\n";
    source += "print f" + std::to_string(fn) + "(3, 7);\nprint f" + std::to_string(fn) + "(-2.5, 11);\n";
  }
  expectSameOutput(source);
}

// -- 2. Deoptimization resumes at the guarding instruction ------------------------------

TEST(JitDeopt, StringOperandDeoptsAndResumesAtTheAdd) {
  Session s(jitOptions(0));
  s.run(R"(
var counter = 0;
var after = 0;
fun addBoth(a, b) {
  counter = counter + 1;
  print "before";
  var r = a + b;
  after = after + 1;
  return r;
}
for (var i = 0; i < 20; i = i + 1) addBoth(i, 1);
)");
  FunctionProto* proto = globalProto(s.vm(), "addBoth");
  ASSERT_NE(proto, nullptr);
  ASSERT_NE(proto->jitEntry, nullptr);
  EXPECT_EQ(globalNumber(s.vm(), "counter"), 20);
  const jit::JitStats& stats = s.stats();
  const uint64_t deopts = stats.deopts;
  const uint64_t notNumber = stats.deoptsByReason[int(jit::DeoptReason::NotNumber)];
  const uint64_t invalidations = stats.invalidations;
  EXPECT_EQ(deopts, 0u);  // only numbers so far

  EXPECT_EQ(s.run("var result = addBoth(\"con\", \"cat\"); print result;"), "before\nconcat\n");
  EXPECT_EQ(globalNumber(s.vm(), "counter"), 21);  // once: the interpreter did not rerun the start
  EXPECT_EQ(globalNumber(s.vm(), "after"), 21);    // once: it ran the rest
  EXPECT_EQ(stats.deopts, deopts + 1);
  EXPECT_EQ(stats.deoptsByReason[int(jit::DeoptReason::NotNumber)], notNumber + 1);
  EXPECT_EQ(stats.invalidations, invalidations);
  EXPECT_NE(proto->jitEntry, nullptr);  // one deopt does not invalidate

  // From C++ straight into compiled code, then a deopt.
  std::optional<HostValue> viaApi = s.runtime.call("addBoth", {HostValue("x"), HostValue("y")});
  ASSERT_TRUE(viaApi.has_value()) << s.runtime.lastError();
  ASSERT_TRUE(viaApi->isString());
  EXPECT_EQ(viaApi->string(), "xy");
  EXPECT_EQ(s.out.drain(), "before\n");
  EXPECT_EQ(globalNumber(s.vm(), "counter"), 22);
  EXPECT_EQ(globalNumber(s.vm(), "after"), 22);
  EXPECT_EQ(stats.deopts, deopts + 2);

  // Numbers still take the compiled path.
  EXPECT_EQ(s.run("print addBoth(40, 2);"), "before\n42\n");
  EXPECT_EQ(stats.deopts, deopts + 2);
}

// A deopt in a callee entered directly from compiled code: the interpreter
// finishes the callee and returns into the caller's compiled continuation with
// the caller's registers intact.
TEST(JitDeopt, DeoptInADirectlyCalledCalleeReturnsIntoTheCompiledCaller) {
  Session s(jitOptions(0));
  s.run(R"(
var calls = 0;
fun inner(a, b) { calls = calls + 1; return a + b; }
fun outer(a, b, tag) {
  var before = tag * 2;
  var r = inner(a, b);
  var after = tag * 3;
  return [before, r, after];
}
for (var i = 0; i < 10; i = i + 1) outer(i, i, i);
)");
  const uint64_t deopts = s.stats().deopts;
  EXPECT_EQ(s.run("print outer(\"a\", \"b\", 5);"), "[10, \"ab\", 15]\n");
  EXPECT_EQ(s.run("print outer(1, 2, 7);"), "[14, 3, 21]\n");
  EXPECT_EQ(globalNumber(s.vm(), "calls"), 12);
  EXPECT_EQ(s.stats().deopts, deopts + 1);
}

// Loop-carried state survives deopts in the middle of a loop (and the OSR
// re-entries and the recompilation that follow at threshold 0).
TEST(JitDeopt, DeoptsInsideALoopKeepTheLoopState) {
  Session s(jitOptions(0));
  s.run(R"(
fun total(xs, init) {
  var s = init;
  var n = 0;
  for (var i = 0; i < len(xs); i = i + 1) {
    n = n + 1;
    s = s + xs[i];
  }
  return str(n) + ":" + str(s);
}
for (var i = 0; i < 5; i = i + 1) total([1, 2, 3], 0);
)");
  EXPECT_EQ(s.run("print total([1, 2, 3], 0);"), "3:6\n");
  EXPECT_EQ(s.run("print total([\"a\", \"b\", \"c\", \"d\", \"e\", \"f\"], \"\");"), "6:abcdef\n");
  EXPECT_EQ(s.run("print total([4, 5], 0);"), "2:9\n");
  EXPECT_GE(s.stats().deopts, 1u);
}

TEST(JitDeopt, NonListIndexDeoptsAsNotListElement) {
  Session s(jitOptions(0));
  s.run(R"(
var hits = 0;
fun at(c, i) { hits = hits + 1; return c[i]; }
for (var i = 0; i < 10; i = i + 1) at([1, 2, 3], 1);
var m = {"k": "v"};
)");
  const jit::JitStats& stats = s.stats();
  const uint64_t deopts = stats.deopts;
  const uint64_t notElement = stats.deoptsByReason[int(jit::DeoptReason::NotListElement)];
  EXPECT_EQ(s.run("print at(m, \"k\");"), "v\n");
  EXPECT_EQ(s.run("print at(\"abc\", 2);"), "c\n");
  EXPECT_EQ(s.run("print at([7, 8], 1);"), "8\n");
  EXPECT_EQ(globalNumber(s.vm(), "hits"), 13);
  EXPECT_EQ(stats.deopts, deopts + 2);
  EXPECT_EQ(stats.deoptsByReason[int(jit::DeoptReason::NotListElement)], notElement + 2);
}

// -- 3. Repeated deopts invalidate, recompile once, and stop ------------------------------

TEST(JitRecompile, RepeatedDeoptsInvalidateThenRecompileWithoutThrashing) {
  constexpr uint32_t kThreshold = 50;
  Session s(jitOptions(kThreshold));
  s.run("fun f(a, b) { return a + b; }");
  s.run("for (var i = 0; i < 100; i = i + 1) f(i, 1);");
  FunctionProto* proto = globalProto(s.vm(), "f");
  ASSERT_NE(proto, nullptr);
  ASSERT_NE(proto->jitEntry, nullptr) << "hot after 100 calls";
  const jit::JitStats& stats = s.stats();
  EXPECT_EQ(stats.deopts, 0u);
  EXPECT_EQ(stats.invalidations, 0u);
  EXPECT_EQ(stats.recompiles, 0u);

  const uint32_t limit = jit::JitOptions{}.deoptsBeforeRecompile;
  for (uint32_t i = 1; i < limit; i++) {
    EXPECT_EQ(s.run("print f(\"a\", \"b\");"), "ab\n");
    EXPECT_EQ(stats.deopts, i);
    EXPECT_NE(proto->jitEntry, nullptr) << "invalidated after " << i << " deopts";
  }
  EXPECT_EQ(s.run("print f(\"a\", \"b\");"), "ab\n");
  EXPECT_EQ(stats.deopts, limit);
  EXPECT_EQ(stats.deoptsByReason[int(jit::DeoptReason::NotNumber)], limit);
  EXPECT_EQ(stats.invalidations, 1u);
  EXPECT_EQ(proto->jitEntry, nullptr) << "the code must stop being entered";

  // Hot again (the interpreter records string feedback meanwhile): recompiled.
  s.run(R"(
for (var i = 0; i < 100; i = i + 1) {
  if (i % 2 == 0) f(i, 1); else f("s", "t");
}
)");
  EXPECT_GE(stats.recompiles, 1u);
  EXPECT_NE(proto->jitEntry, nullptr);
  const uint64_t deopts = stats.deopts, invalidations = stats.invalidations, recompiles = stats.recompiles;

  EXPECT_EQ(s.run(R"(
var sum = 0;
var text = "";
for (var i = 0; i < 5000; i = i + 1) {
  if (i % 3 == 0) text = f("x", "y"); else sum = f(sum, i);
}
print sum;
print text;
)"),
            std::to_string(5000 * 4999 / 2 - 3 * (1666 * 1667 / 2)) + "\nxy\n");
  EXPECT_EQ(stats.deopts, deopts) << "the recompiled code still deopts: thrashing";
  EXPECT_EQ(stats.invalidations, invalidations);
  EXPECT_EQ(stats.recompiles, recompiles);
  EXPECT_NE(proto->jitEntry, nullptr);
}

// Global functions and the methods of global classes are made once: their
// closures are allocated old (FunctionProto::tenureClosures), so compiled
// calls can embed them; the code keeps each embedded closure alive. Closures
// made anywhere else start young.
TEST(JitCalls, CompiledCallsEmbedTheOldClosuresOfGlobalFunctions) {
  Session s(jitOptions(50));
  s.run(R"(
fun callee(x) { return x + 1; }
class Box {
  init(v) { this.v = v; }
  get() { return this.v; }
}
var made;
fun outer() {
  fun inner() { return 2; }
  made = inner;
}
outer();
fun caller(b) { return callee(b.get()); }
var sum = 0;
for (var i = 0; i < 200; i = i + 1) sum = sum + caller(Box(i));
print sum;
)");
  VM& vm = s.vm();
  Value callee = vm.global(vm.globalIndex(vm.intern("callee"))).value;
  Value made = vm.global(vm.globalIndex(vm.intern("made"))).value;
  ASSERT_TRUE(isClosure(callee));
  ASSERT_TRUE(isClosure(made));
  EXPECT_FALSE(Heap::isYoung(callee.asObj()));
  EXPECT_TRUE(Heap::isYoung(made.asObj()));
  Value box = vm.global(vm.globalIndex(vm.intern("Box"))).value;
  ASSERT_TRUE(isKind(box, ObjKind::Class));
  Value get;
  ASSERT_TRUE(as<Class>(box)->methods.get(Value::object(vm.intern("get")), &get));
  ASSERT_TRUE(isClosure(get));
  EXPECT_FALSE(Heap::isYoung(get.asObj()));

  FunctionProto* caller = globalProto(vm, "caller");
  ASSERT_NE(caller, nullptr);
  ASSERT_NE(caller->compiled, nullptr) << "hot after 200 calls";
  const std::vector<Obj*>& references = caller->compiled->references;
  auto embeds = [&](Value v) {
    return std::find(references.begin(), references.end(), v.asObj()) != references.end();
  };
  EXPECT_TRUE(embeds(callee)) << "the direct call's closure";
  EXPECT_TRUE(embeds(get)) << "the invoked method";
  // Redefined, the global no longer passes the embedded guard.
  EXPECT_EQ(s.run("fun callee(x) { return x * 10; } print caller(Box(3));"), "30\n");
}

TEST(JitRecompile, RepeatedIndexDeoptsRecompileWithoutThrashing) {
  Session s(jitOptions(0));
  s.run(R"(
fun at(c, i) { return c[i]; }
for (var i = 0; i < 10; i = i + 1) at([1, 2, 3], 1);
var m = {"k": 5};
for (var i = 0; i < 10; i = i + 1) at(m, "k");
)");
  const jit::JitStats& stats = s.stats();
  EXPECT_GE(stats.invalidations, 1u);
  EXPECT_GE(stats.recompiles, 1u);
  FunctionProto* proto = globalProto(s.vm(), "at");
  ASSERT_NE(proto, nullptr);
  EXPECT_NE(proto->jitEntry, nullptr);
  const uint64_t deopts = stats.deopts;
  EXPECT_EQ(s.run(R"(
var sum = 0;
var xs = [1, 2, 3];
for (var i = 0; i < 3000; i = i + 1) {
  if (i % 2 == 0) sum = sum + at(xs, i % 3); else sum = sum + at(m, "k");
}
print sum;
)"),
            std::to_string(1500 * 5 + 500 * (1 + 2 + 3)) + "\n");
  EXPECT_EQ(stats.deopts, deopts);
}

// -- 4. Code is released with its prototype --------------------------------------------------

// The code bytes the JIT's allocator holds (asmjit's statistics, reached
// through any live compiled function).
size_t liveCodeBytes(const FunctionProto* anyCompiled) {
  auto* code = static_cast<const jit::CompiledFunction*>(anyCompiled->compiled);
  return code->runtime->allocator()->statistics().usedSize();
}

TEST(JitMemory, ReplSessionReleasesTheCodeOfDeadFunctions) {
  Session s(jitOptions(0));
  s.run("fun keep() { return 1; } keep();");
  FunctionProto* keep = globalProto(s.vm(), "keep");
  ASSERT_NE(keep, nullptr);
  ASSERT_NE(keep->compiled, nullptr);

  auto replLines = [&](int from, int to) {
    for (int i = from; i < to; i++) {
      std::string n = std::to_string(i);
      ASSERT_EQ(
          s.runtime.run("fun fresh(x) { var y = x * " + n + "; return y + " + n +
                        "; }\nvar r = fresh(2);\nif (r != 3 * " + n + ") print \"wrong\";\nfresh = nil;"),
          Status::Ok)
          << s.runtime.lastError();
      if (i % 500 == 0) s.vm().heap().collect();
    }
  };
  replLines(0, 200);
  s.vm().heap().collect();
  const size_t baseline = liveCodeBytes(keep);
  const uint64_t compiledBefore = s.stats().functionsCompiled;
  const uint64_t codeBytesBefore = s.stats().codeBytes;

  replLines(200, 3200);
  s.vm().heap().collect();
  const size_t after = liveCodeBytes(keep);
  EXPECT_EQ(s.out.drain(), "");
  const uint64_t compiled = s.stats().functionsCompiled - compiledBefore;
  const uint64_t emitted = s.stats().codeBytes - codeBytesBefore;
  EXPECT_GE(compiled, 6000u);  // each line: its script and `fresh`
  // Without release the allocator would hold all `emitted` bytes more.
  EXPECT_LE(after, baseline + 16 * 1024) << "live code grew by " << (after - baseline) << " bytes after "
                                         << compiled << " compilations (" << emitted << " bytes emitted)";
  EXPECT_LT(after - std::min(after, baseline), emitted / 20);
}

// -- 5. --perf-map -------------------------------------------------------------------------------

TEST(JitPerfMap, CompiledFunctionsGetPerfMapLines) {
  const std::string path = "/tmp/perf-" + std::to_string(getpid()) + ".map";
  std::remove(path.c_str());
  uintptr_t codeStart = 0, entry = 0;
  size_t codeSize = 0;
  {
    Session s(jitOptions(0, /*perfMap=*/true));
    s.run("fun perfMapTarget(x) { return x + 1; }\nprint perfMapTarget(41);");
    FunctionProto* proto = globalProto(s.vm(), "perfMapTarget");
    ASSERT_NE(proto, nullptr);
    ASSERT_NE(proto->jitEntry, nullptr);
    auto* code = static_cast<const jit::CompiledFunction*>(proto->compiled);
    codeStart = reinterpret_cast<uintptr_t>(code->code);
    codeSize = code->size;
    entry = reinterpret_cast<uintptr_t>(proto->jitEntry);
  }
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << path << " was not written";
  const std::regex line("^([0-9a-f]+) ([0-9a-f]+) kiln:(.+)$");
  std::string text;
  int matches = 0, lines = 0;
  bool sawScript = false;
  while (std::getline(in, text)) {
    lines++;
    std::smatch m;
    EXPECT_TRUE(std::regex_match(text, m, line)) << "malformed perf map line: " << text;
    if (m.empty()) continue;
    uintptr_t start = std::stoull(m[1].str(), nullptr, 16);
    size_t size = std::stoull(m[2].str(), nullptr, 16);
    if (m[3].str() == "script") sawScript = true;
    if (m[3].str() != "perfMapTarget") continue;
    matches++;
    EXPECT_EQ(start, codeStart);
    EXPECT_EQ(size, codeSize);
    EXPECT_GE(entry, start);
    EXPECT_LT(entry, start + size);
  }
  EXPECT_EQ(matches, 1);
  EXPECT_TRUE(sawScript);
  EXPECT_GE(lines, 2);
  std::remove(path.c_str());
}

TEST(JitPerfMap, NoPerfMapUnlessAskedFor) {
  const std::string path = "/tmp/perf-" + std::to_string(getpid()) + ".map";
  std::remove(path.c_str());
  {
    Session s(jitOptions(0));
    s.run("fun g() { return 1; } print g();");
  }
  std::ifstream in(path);
  EXPECT_FALSE(in.good());
  std::remove(path.c_str());
}

// -- 6. -Xint touches no JIT ---------------------------------------------------------------

TEST(JitOff, InterpreterOnlyNeverCompiles) {
  Session s(interpreterOptions());
  EXPECT_EQ(s.vm().tierUp(), nullptr);
  EXPECT_EQ(jit::statsOf(s.vm().tierUp()), nullptr);
  EXPECT_EQ(s.vm().exec.jitThreshold, UINT32_MAX);
  ProgramRun run = runProgram(s, std::string(kClasses) + R"(
fun hot(n) { var t = 0; for (var i = 0; i < n; i = i + 1) t = t + i; return t; }
var sum = 0;
for (var i = 0; i < 3000; i = i + 1) sum = sum + hot(3);
print sum;
)");
  EXPECT_EQ(run.result, InterpretResult::Ok) << run.error;
  EXPECT_GE(run.protos.size(), 8u);
  for (FunctionProto* proto : run.protos) {
    EXPECT_EQ(proto->jitEntry, nullptr) << protoName(proto);
    EXPECT_EQ(proto->compiled, nullptr) << protoName(proto);
  }
  EXPECT_EQ(s.vm().tierUp(), nullptr);
}

// -- 7. Stack traces from compiled code ------------------------------------------------------

struct Outcome {
  Status status;
  std::string out;
  std::string error;
};

Outcome runIn(const RuntimeOptions& options, const std::vector<std::string>& sources) {
  Session s(options);
  Outcome outcome{Status::Ok, "", ""};
  for (const std::string& source : sources) {
    outcome.status = s.runtime.run(source);
    outcome.out += s.out.drain();
    outcome.error = s.runtime.lastError();
  }
  return outcome;
}

void expectSameOutcome(const std::vector<std::string>& sources) {
  Outcome expected = runIn(interpreterOptions(), sources);
  Outcome actual = runIn(jitOptions(0), sources);
  EXPECT_EQ(expected.status, Status::RuntimeError);
  EXPECT_EQ(actual.status, expected.status);
  EXPECT_EQ(actual.out, expected.out);
  EXPECT_EQ(actual.error, expected.error);
}

const char* const kThreeDeep = R"(fun c(x) {
  var y = x;
  return -y;
}
fun b(x) {
  var r = c(x);
  return r + 1;
}
fun a(x) {
  print "in a";
  return b(x) * 2;
}
)";

TEST(JitStackTrace, ErrorThreeCallsDeepHasTheInterpretersTrace) {
  expectSameOutcome({std::string(kThreeDeep) + "print a(\"s\");"});
}

TEST(JitStackTrace, ErrorAfterWarmUpHasTheInterpretersTrace) {
  // Warmed up: the calls are compiled-to-compiled; the error comes after a deopt.
  expectSameOutcome(
      {std::string(kThreeDeep) + "for (var i = 0; i < 20; i = i + 1) a(i);", "print a(\"s\");"});
}

TEST(JitStackTrace, ErrorsOfEveryKindHaveTheInterpretersTrace) {
  const char* const kCases[] = {
      "fun c(o) {\n  return o.field;\n}\nfun b(o) { return c(o); }\nfun a(o) { return b(o); }\na(1);",
      "fun c(l) {\n  return l[5];\n}\nfun b(l) { return c(l); }\nfun a(l) { return b(l); }\na([1]);",
      "fun c() {\n  return missing;\n}\nfun b() { return c(); }\nfun a() { return b(); }\na();",
      "fun c(f) {\n  return f(1, 2);\n}\nfun b(f) { return c(f); }\nfun a(f) { return b(f); }\na(fun (x) { "
      "return x; });",
      "fun c(n) {\n  return n(1);\n}\nfun b(n) { return c(n); }\nfun a(n) { return b(n); }\na(3);",
      "fun c(x) {\n  return x < \"z\";\n}\nfun b(x) { return c(x); }\nfun a(x) { return b(x); }\na(1);",
      "class K { m() {\n  return this.n(); } }\nfun b(k) { return k.m(); }\nfun a(k) { return b(k); "
      "}\na(K());",
      "fun c(x) {\n  return x & 1.5;\n}\nfun b(x) { return c(x); }\nfun a(x) { return b(x); }\na(1);",
  };
  for (const char* source : kCases) {
    SCOPED_TRACE(source);
    expectSameOutcome({source});
  }
}

TEST(JitStackTrace, StackOverflowHasTheInterpretersTrace) {
  expectSameOutcome({"fun forever(n) {\n  return forever(n + 1) + 1;\n}\nforever(0);"});
}

// -- 8. Compiled calls do not use the native stack ---------------------------------------------

struct DeepRecursionResult {
  std::string out;
  Status overflowStatus = Status::Ok;
  std::string overflowError;
  std::string overflowOut;
};

void* deepRecursionThread(void* arg) {
  auto* result = static_cast<DeepRecursionResult*>(arg);
  Session s(jitOptions(0));
  s.runtime.run(R"(
fun depth(n) {
  if (n == 0) return 0;
  return 1 + depth(n - 1);
}
print depth(100000);
class R {
  d(n) {
    if (n == 0) return 0;
    return 1 + this.d(n - 1);
  }
}
print R().d(100000);
var down = fun (n) {
  if (n == 0) return 0;
  return down(n - 1) + 1;
};
print down(100000);
)");
  result->out = s.out.drain() + s.runtime.lastError();
  result->overflowStatus =
      s.runtime.run("fun forever(n) {\n  return forever(n + 1) + 1;\n}\nforever(0);\nprint \"not reached\";");
  result->overflowError = s.runtime.lastError();
  result->overflowOut = s.out.drain();
  return nullptr;
}

// Runs deepRecursionThread on a thread with a 256 KiB native stack.
bool runOnSmallStack(DeepRecursionResult* result) {
  pthread_attr_t attr;
  if (pthread_attr_init(&attr) != 0) return false;
  if (pthread_attr_setstacksize(&attr, 256 * 1024) != 0) return false;
  pthread_t thread;
  bool ok = pthread_create(&thread, &attr, deepRecursionThread, result) == 0;
  pthread_attr_destroy(&attr);
  if (ok) ok = pthread_join(thread, nullptr) == 0;
  return ok;
}

TEST(JitDeathTest, DeepRecursionOnASmallNativeStack) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  // In a child process: a native stack overflow fails this test, not the suite.
  EXPECT_EXIT(
      {
        DeepRecursionResult result;
        if (!runOnSmallStack(&result)) std::_Exit(2);
        std::fprintf(stderr, "out=[%s] overflow=%d error=[%.38s] overflowOut=[%s]\n", result.out.c_str(),
                     int(result.overflowStatus), result.overflowError.c_str(), result.overflowOut.c_str());
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(0),
      "out=\\[100000\n100000\n100000\n\\] overflow=2 error=\\[Stack overflow\\.\n\\[line 2\\] in "
      "forever\\(\\)\n\\] "
      "overflowOut=\\[\\]");
}

}  // namespace
}  // namespace kiln
