// Unit tests for the bytecode compiler (frontend/compiler.cpp): which instructions it
// chooses (fused jumps, K operands, folded constants), how it allocates registers and
// upvalues, where it closes upvalues, and the limits it reports instead of crashing.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "frontend/frontend.h"
#include "vm/disassembler.h"
#include "vm/opcodes.h"
#include "vm/print.h"
#include "vm/vm.h"

namespace kiln {
namespace {

// Compiles `source` and keeps the script rooted for the rest of the test.
FunctionProto* compile(VM& vm, const std::string& source, Diagnostics* diagnostics = nullptr) {
  Diagnostics local;
  Diagnostics& d = diagnostics != nullptr ? *diagnostics : local;
  FunctionProto* script = compileSource(vm, source, d);
  if (script != nullptr) vm.compilerRoots().push_back(script);
  return script;
}

// The opcodes of `proto` in order (extension words skipped).
std::vector<Opcode> opcodes(const FunctionProto* proto) {
  std::vector<Opcode> ops;
  for (size_t pc = 0; pc < proto->code.size(); pc++) {
    Opcode op = opOf(proto->code[pc]);
    ops.push_back(op);
    if (kOpcodeInfo[int(op)].hasExt) pc++;
  }
  return ops;
}

// The instructions (with their positions) that have opcode `op`.
std::vector<size_t> find(const FunctionProto* proto, Opcode op) {
  std::vector<size_t> at;
  for (size_t pc = 0; pc < proto->code.size(); pc++) {
    Opcode here = opOf(proto->code[pc]);
    if (here == op) at.push_back(pc);
    if (kOpcodeInfo[int(here)].hasExt) pc++;
  }
  return at;
}

bool has(const FunctionProto* proto, Opcode op) { return !find(proto, op).empty(); }

// The nested function named `name` (searched depth first through the constants).
const FunctionProto* function(const FunctionProto* proto, std::string_view name) {
  for (Value v : proto->constants) {
    if (!isKind(v, ObjKind::Proto)) continue;
    auto* child = as<FunctionProto>(v);
    if (child->name != nullptr && child->name->view() == name) return child;
    if (const FunctionProto* found = function(child, name)) return found;
  }
  return nullptr;
}

std::string constantAt(const FunctionProto* proto, uint32_t index) {
  return index < proto->constants.size() ? valueToString(proto->constants[index]) : "<bad>";
}

// Runs `source` and returns what it printed.
std::string run(const std::string& source) {
  VM vm;
  std::FILE* out = std::tmpfile();
  vm.setOutput(out);
  FunctionProto* script = compile(vm, source);
  EXPECT_NE(script, nullptr);
  if (script != nullptr) {
    EXPECT_EQ(vm.run(script), InterpretResult::Ok);
  }
  std::fflush(out);
  std::rewind(out);
  std::string text;
  char buffer[256];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, out)) > 0) text.append(buffer, n);
  std::fclose(out);
  return text;
}

// -- Constant folding --------------------------------------------------------------

TEST(Compiler, FoldsArithmeticOnLiterals) {
  VM vm;
  FunctionProto* script = compile(vm, "print 1 + 2 * 3;");
  ASSERT_NE(script, nullptr);
  EXPECT_EQ(opcodes(script), (std::vector<Opcode>{Opcode::LoadI, Opcode::Print, Opcode::ReturnNil}));
  EXPECT_EQ(argSBx(script->code[0]), 7);
}

TEST(Compiler, FoldsStringConcatenationAndUnaryMinus) {
  VM vm;
  FunctionProto* script = compile(vm, "print \"ab\" + \"cd\"; print -(2.5);");
  ASSERT_NE(script, nullptr);
  auto loads = find(script, Opcode::LoadK);
  ASSERT_EQ(loads.size(), 2u);
  EXPECT_EQ(constantAt(script, argBx(script->code[loads[0]])), "abcd");
  EXPECT_EQ(constantAt(script, argBx(script->code[loads[1]])), "-2.5");
  EXPECT_FALSE(has(script, Opcode::Add));
  EXPECT_FALSE(has(script, Opcode::Neg));
}

TEST(Compiler, FoldsModuloAndBitwiseLikeTheVM) {
  VM vm;
  FunctionProto* script = compile(vm, "print -7 % 3; print 6 & 3; print 1 << 4; print ~0; print -6 % 3;");
  ASSERT_NE(script, nullptr);
  auto loads = find(script, Opcode::LoadI);
  ASSERT_EQ(loads.size(), 5u);  // the last one: a zero modulo is +0, so no -0 constant
  EXPECT_EQ(argSBx(script->code[loads[0]]), 2);
  EXPECT_EQ(argSBx(script->code[loads[1]]), 2);
  EXPECT_EQ(argSBx(script->code[loads[2]]), 16);
  EXPECT_EQ(argSBx(script->code[loads[3]]), -1);
}

TEST(Compiler, NeverFoldsWhatWouldRaiseAtRunTime) {
  VM vm;
  FunctionProto* script = compile(vm, "print 1 << 64; print 1.5 | 1; print -\"a\"; print \"a\" - \"b\";");
  ASSERT_NE(script, nullptr);
  EXPECT_TRUE(has(script, Opcode::Shl));
  EXPECT_TRUE(has(script, Opcode::BitOr));
  EXPECT_TRUE(has(script, Opcode::Neg));
  EXPECT_TRUE(has(script, Opcode::Sub));
}

TEST(Compiler, NegativeZeroIsAConstantNotLoadI) {
  VM vm;
  FunctionProto* script = compile(vm, "print -0;");
  ASSERT_NE(script, nullptr);
  EXPECT_FALSE(has(script, Opcode::LoadI));
  EXPECT_TRUE(has(script, Opcode::LoadK));
}

// -- Instruction selection -----------------------------------------------------------

TEST(Compiler, ComparisonsInConditionsUseFusedJumps) {
  VM vm;
  FunctionProto* script = compile(vm, R"(
    fun f(a, b) {
      if (a < b) print a;
      if (a > b) print b;
      if (a >= 10) print a;
      if (0 < a) print a;
      while (a != b) a = a + 1;
    }
  )");
  ASSERT_NE(script, nullptr);
  const FunctionProto* f = function(script, "f");
  ASSERT_NE(f, nullptr);
  auto lt = find(f, Opcode::JumpIfNotLt);
  ASSERT_EQ(lt.size(), 2u);
  EXPECT_EQ(argA(f->code[lt[0]]), 1u);  // a < b
  EXPECT_EQ(argB(f->code[lt[0]]), 2u);
  EXPECT_EQ(argA(f->code[lt[1]]), 2u);  // a > b is b < a
  EXPECT_EQ(argB(f->code[lt[1]]), 1u);
  auto ge = find(f, Opcode::JumpIfNotGeK);
  ASSERT_EQ(ge.size(), 1u);
  EXPECT_EQ(constantAt(f, argB(f->code[ge[0]])), "10");
  EXPECT_EQ(find(f, Opcode::JumpIfNotGtK).size(), 1u);  // 0 < a is a > 0
  EXPECT_EQ(find(f, Opcode::JumpIfNotNe).size(), 1u);
  EXPECT_FALSE(has(f, Opcode::Lt));
  EXPECT_FALSE(has(f, Opcode::JumpIfNot));
}

// == and != against any literal (nil, booleans, strings, numbers) compare with
// a constant operand: no register load first.
TEST(Compiler, EqualityWithLiteralsUsesConstantOperands) {
  VM vm;
  FunctionProto* script = compile(vm, R"(
    fun f(a) {
      if (a == nil) print 1;
      if (nil != a) print 2;
      if (a == "s") print 3;
      if (a != true) print 4;
      if (a < 1) print 5;
    }
  )");
  ASSERT_NE(script, nullptr);
  const FunctionProto* f = function(script, "f");
  ASSERT_NE(f, nullptr);
  auto eq = find(f, Opcode::JumpIfNotEqK);
  auto ne = find(f, Opcode::JumpIfNotNeK);
  ASSERT_EQ(eq.size(), 2u);
  ASSERT_EQ(ne.size(), 2u);
  EXPECT_EQ(constantAt(f, argB(f->code[eq[0]])), "nil");
  EXPECT_EQ(constantAt(f, argB(f->code[ne[0]])), "nil");
  EXPECT_EQ(constantAt(f, argB(f->code[eq[1]])), "s");
  EXPECT_EQ(constantAt(f, argB(f->code[ne[1]])), "true");
  EXPECT_EQ(argB(f->code[eq[0]]), argB(f->code[ne[0]]));  // one nil constant
  EXPECT_FALSE(has(f, Opcode::LoadNil));
  EXPECT_FALSE(has(f, Opcode::LoadTrue));
  EXPECT_EQ(find(f, Opcode::JumpIfNotLtK).size(), 1u);
}

TEST(Compiler, LogicalConditionsBecomeJumpChains) {
  VM vm;
  FunctionProto* script = compile(vm, "fun f(a, b) { if (a < 1 and b > 2 or a == b) print a; }");
  ASSERT_NE(script, nullptr);
  const FunctionProto* f = function(script, "f");
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(has(f, Opcode::JumpIfNotLtK));
  EXPECT_TRUE(has(f, Opcode::JumpIfNotGtK));
  EXPECT_TRUE(has(f, Opcode::JumpIfNotEq));
  EXPECT_FALSE(has(f, Opcode::JumpIf));
  EXPECT_FALSE(has(f, Opcode::JumpIfNot));
}

TEST(Compiler, NegatedConditionTestsTheOperand) {
  VM vm;
  FunctionProto* script = compile(vm, "fun f(done) { while (!done) done = true; }");
  ASSERT_NE(script, nullptr);
  const FunctionProto* f = function(script, "f");
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE(has(f, Opcode::Not));
  auto test = find(f, Opcode::JumpIf);
  ASSERT_EQ(test.size(), 1u);
  EXPECT_EQ(argA(f->code[test[0]]), 1u);
}

TEST(Compiler, ConstantConditionNeedsNoTest) {
  VM vm;
  FunctionProto* script = compile(vm, "fun f() { while (true) { return 1; } }");
  ASSERT_NE(script, nullptr);
  const FunctionProto* f = function(script, "f");
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE(has(f, Opcode::JumpIfNot));
  EXPECT_TRUE(has(f, Opcode::Loop));
}

TEST(Compiler, ArithmeticWithNumberLiteralUsesKOperand) {
  VM vm;
  FunctionProto* script = compile(vm, "fun f(x) { return (x + 1) * 2 - x / 4 + 2 * x; }");
  ASSERT_NE(script, nullptr);
  const FunctionProto* f = function(script, "f");
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(has(f, Opcode::AddK));
  EXPECT_EQ(find(f, Opcode::MulK).size(), 2u);  // `2 * x` too: the constant moves right
  EXPECT_TRUE(has(f, Opcode::DivK));
  EXPECT_FALSE(has(f, Opcode::LoadI));
}

TEST(Compiler, LocalIncrementWritesTheLocalDirectly) {
  VM vm;
  FunctionProto* script = compile(vm, "fun f(i) { i = i + 1; }");
  ASSERT_NE(script, nullptr);
  const FunctionProto* f = function(script, "f");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(opcodes(f), (std::vector<Opcode>{Opcode::AddK, Opcode::ReturnNil}));
  EXPECT_EQ(argA(f->code[0]), 1u);
  EXPECT_EQ(argB(f->code[0]), 1u);
}

// `t + g()`: a call cannot change an uncaptured local, so `t` is read in place;
// a captured one is copied first (the call may assign it through its upvalue).
TEST(Compiler, LeftOperandIsCopiedOnlyIfTheRightSideCanChangeIt) {
  VM vm;
  FunctionProto* script = compile(vm,
                                  "fun plain(g) { var t = 1; t = t + g(); }"
                                  "fun captured(g) { var t = 1; fun h() { t = 2; } t = t + g(); }"
                                  "fun assigned() { var t = 1; t = t + (t = 3); }");
  ASSERT_NE(script, nullptr);
  const FunctionProto* plain = function(script, "plain");
  ASSERT_NE(plain, nullptr);
  EXPECT_EQ(opcodes(plain), (std::vector<Opcode>{Opcode::LoadI, Opcode::Move, Opcode::Call, Opcode::Add,
                                                 Opcode::ReturnNil}));  // the Move puts g in place
  const FunctionProto* captured = function(script, "captured");
  ASSERT_NE(captured, nullptr);
  EXPECT_EQ(find(captured, Opcode::Move).size(), 2u);  // t copied, then g
  const FunctionProto* assigned = function(script, "assigned");
  ASSERT_NE(assigned, nullptr);
  EXPECT_TRUE(has(assigned, Opcode::Move));
}

TEST(Compiler, CallsPutCalleeAndArgumentsInConsecutiveRegisters) {
  VM vm;
  FunctionProto* script = compile(vm, "fun f(g) { var x = g(1, 2); return x; }");
  ASSERT_NE(script, nullptr);
  const FunctionProto* f = function(script, "f");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(opcodes(f), (std::vector<Opcode>{Opcode::Move, Opcode::LoadI, Opcode::LoadI, Opcode::Call,
                                             Opcode::Return, Opcode::ReturnNil}));
  auto call = find(f, Opcode::Call);
  EXPECT_EQ(argA(f->code[call[0]]), 2u);  // x's register: the result lands in place
  EXPECT_EQ(argB(f->code[call[0]]), 2u);
}

TEST(Compiler, MethodCallsUseInvokeAndPropertyCaches) {
  VM vm;
  FunctionProto* script = compile(vm, "fun f(o) { o.field = o.other; return o.method(1); }");
  ASSERT_NE(script, nullptr);
  const FunctionProto* f = function(script, "f");
  ASSERT_NE(f, nullptr);
  auto invoke = find(f, Opcode::Invoke);
  ASSERT_EQ(invoke.size(), 1u);
  EXPECT_EQ(argB(f->code[invoke[0]]), 1u);
  uint32_t cache = f->code[invoke[0] + 1];
  ASSERT_LT(cache, f->propertyCaches.size());
  EXPECT_EQ(f->propertyCaches[cache].name->view(), "method");
  EXPECT_TRUE(has(f, Opcode::GetProp));
  EXPECT_TRUE(has(f, Opcode::SetProp));
  EXPECT_FALSE(has(f, Opcode::Call));
}

TEST(Compiler, SuperCallsUseSuperInvoke) {
  VM vm;
  FunctionProto* script = compile(vm, R"(
    class A { m() { return 1; } }
    class B < A { m() { return super.m() + 1; } n() { return super.m; } }
  )");
  ASSERT_NE(script, nullptr);
  EXPECT_TRUE(has(script, Opcode::Inherit));
  EXPECT_TRUE(has(script, Opcode::CloseUpvals));  // the hidden `super` local is captured
  ASSERT_NE(function(script, "n"), nullptr);
  EXPECT_TRUE(has(function(script, "n"), Opcode::GetSuper));
  const FunctionProto* m = nullptr;
  for (Value v : script->constants) {
    if (isKind(v, ObjKind::Proto) && has(as<FunctionProto>(v), Opcode::SuperInvoke)) m = as<FunctionProto>(v);
  }
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->functionKind, FunctionKind::Method);
}

TEST(Compiler, InitializersReturnThis) {
  VM vm;
  FunctionProto* script = compile(vm, "class A { init() { if (true) return; this.x = 1; } }");
  ASSERT_NE(script, nullptr);
  const FunctionProto* init = function(script, "init");
  ASSERT_NE(init, nullptr);
  EXPECT_EQ(init->functionKind, FunctionKind::Initializer);
  EXPECT_FALSE(has(init, Opcode::ReturnNil));
  for (size_t at : find(init, Opcode::Return)) EXPECT_EQ(argA(init->code[at]), 0u);
}

TEST(Compiler, ListAndMapLiterals) {
  VM vm;
  FunctionProto* script = compile(vm, "print [1, 2, 3]; print {\"a\": 1};");
  ASSERT_NE(script, nullptr);
  EXPECT_EQ(find(script, Opcode::ListPush).size(), 3u);
  EXPECT_EQ(argBx(script->code[find(script, Opcode::NewList)[0]]), 3u);
  EXPECT_EQ(find(script, Opcode::SetIndex).size(), 1u);
  EXPECT_TRUE(has(script, Opcode::NewMap));
}

TEST(Compiler, GlobalsUseCellsAndDefGlobal) {
  VM vm;
  FunctionProto* script = compile(vm, "var g = 1; g = 2; print g;");
  ASSERT_NE(script, nullptr);
  uint32_t cell = vm.globalIndex(vm.intern("g"));
  auto def = find(script, Opcode::DefGlobal);
  ASSERT_EQ(def.size(), 1u);
  EXPECT_EQ(script->code[def[0] + 1], cell);
  EXPECT_EQ(script->code[find(script, Opcode::SetGlobal)[0] + 1], cell);
  EXPECT_EQ(script->code[find(script, Opcode::GetGlobal)[0] + 1], cell);
}

// -- Registers ----------------------------------------------------------------------

TEST(Compiler, RegistersAreCalleeParametersLocalsThenTemporaries) {
  VM vm;
  FunctionProto* script = compile(vm, "fun f(a, b) { var c = a + b; return c; }");
  ASSERT_NE(script, nullptr);
  const FunctionProto* f = function(script, "f");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->arity, 2);
  EXPECT_EQ(f->numRegisters, 4);
  ASSERT_EQ(opcodes(f)[0], Opcode::Add);
  EXPECT_EQ(argA(f->code[0]), 3u);
  EXPECT_EQ(argB(f->code[0]), 1u);
  EXPECT_EQ(argC(f->code[0]), 2u);
}

TEST(Compiler, TemporariesAreReleasedAfterEachExpression) {
  std::string source = "fun f(a) { return a";
  for (int i = 0; i < 900; i++) source += " + a * a";
  source += "; }";
  VM vm;
  FunctionProto* script = compile(vm, source);
  ASSERT_NE(script, nullptr);
  const FunctionProto* f = function(script, "f");
  ASSERT_NE(f, nullptr);
  EXPECT_LE(f->numRegisters, 4);
}

TEST(Compiler, BlockLocalsReuseRegisters) {
  VM vm;
  FunctionProto* script = compile(vm, "fun f() { { var a = 1; var b = 2; } { var c = 3; var d = 4; } }");
  ASSERT_NE(script, nullptr);
  EXPECT_EQ(function(script, "f")->numRegisters, 3);
}

TEST(Compiler, TooManyLocalsIsAnErrorAtTheName) {
  auto program = [](int locals) {
    std::string source = "fun f() {\n";
    for (int i = 0; i < locals; i++) source += "var v" + std::to_string(i) + ";\n";
    return source + "}\n";
  };
  VM vm;
  Diagnostics ok;
  EXPECT_NE(compile(vm, program(255), &ok), nullptr);
  EXPECT_FALSE(ok.hadError());

  Diagnostics diagnostics;
  EXPECT_EQ(compile(vm, program(256), &diagnostics), nullptr);
  ASSERT_EQ(diagnostics.messages().size(), 1u);
  EXPECT_NE(diagnostics.messages()[0].find("Error at 'v255': Too many local variables in function."),
            std::string::npos)
      << diagnostics.messages()[0];
}

TEST(Compiler, RegisterOverflowInExpressionIsAnErrorNotACrash) {
  // Each call result waits in a register while the right side is computed.
  std::string source = "fun f(g) { return g()";
  for (int i = 0; i < 300; i++) source += " + (g()";
  for (int i = 0; i < 300; i++) source += ")";
  source += "; }";
  VM vm;
  Diagnostics diagnostics;
  EXPECT_EQ(compile(vm, source, &diagnostics), nullptr);
  EXPECT_TRUE(diagnostics.hadError());
}

// -- Upvalues -------------------------------------------------------------------------

TEST(Compiler, UpvalueDescriptorsPointAtParentRegistersOrUpvalues) {
  VM vm;
  FunctionProto* script = compile(vm, R"(
    fun outer() {
      var unused = 0;
      var x = 1;
      fun middle() {
        fun inner() { return x; }
        return inner;
      }
      return middle;
    }
  )");
  ASSERT_NE(script, nullptr);
  const FunctionProto* middle = function(script, "middle");
  const FunctionProto* inner = function(script, "inner");
  ASSERT_NE(middle, nullptr);
  ASSERT_NE(inner, nullptr);
  ASSERT_EQ(middle->upvalues.size(), 1u);
  EXPECT_TRUE(middle->upvalues[0].fromParentRegister);
  EXPECT_EQ(middle->upvalues[0].index, 2u);  // outer: 0 callee, 1 unused, 2 x
  ASSERT_EQ(inner->upvalues.size(), 1u);
  EXPECT_FALSE(inner->upvalues[0].fromParentRegister);
  EXPECT_EQ(inner->upvalues[0].index, 0u);
  EXPECT_TRUE(has(inner, Opcode::GetUpval));
}

TEST(Compiler, BlockExitClosesCapturedLocals) {
  VM vm;
  FunctionProto* script = compile(vm, R"(
    fun f() {
      var before = 0;
      { var plain = 1; var x = 2; fun g() { return x; } }
      { var notCaptured = 3; }
    }
  )");
  ASSERT_NE(script, nullptr);
  const FunctionProto* f = function(script, "f");
  auto close = find(f, Opcode::CloseUpvals);
  ASSERT_EQ(close.size(), 1u);
  EXPECT_EQ(argA(f->code[close[0]]), 3u);  // x
}

TEST(Compiler, BreakAndContinueCloseCapturedLocals) {
  VM vm;
  FunctionProto* script = compile(vm, R"(
    fun f() {
      while (true) {
        var x = 1;
        fun g() { return x; }
        if (x > 0) break;
        continue;
      }
    }
  )");
  ASSERT_NE(script, nullptr);
  const FunctionProto* f = function(script, "f");
  // One before the break, one before the continue, one at the end of the body.
  EXPECT_EQ(find(f, Opcode::CloseUpvals).size(), 3u);
}

TEST(Compiler, ForInClosesItsVariableEveryIteration) {
  VM vm;
  FunctionProto* script = compile(vm, "fun f(list) { for (var x in list) { fun g() { return x; } } }");
  ASSERT_NE(script, nullptr);
  const FunctionProto* f = function(script, "f");
  ASSERT_NE(f, nullptr);
  auto forIn = find(f, Opcode::ForIn);
  ASSERT_EQ(forIn.size(), 1u);
  int base = int(argA(f->code[forIn[0]]));
  auto close = find(f, Opcode::CloseUpvals);
  ASSERT_EQ(close.size(), 1u);
  EXPECT_EQ(int(argA(f->code[close[0]])), base + 2);
  EXPECT_TRUE(has(f, Opcode::Loop));
}

// -- Metadata and limits ----------------------------------------------------------------

TEST(Compiler, EveryCodeWordHasALineAndAFeedbackSlot) {
  VM vm;
  FunctionProto* script = compile(vm, "var a = 1;\nfun f(x) {\n  return x +\n    a;\n}\nprint f(2);\n");
  ASSERT_NE(script, nullptr);
  EXPECT_EQ(script->lines.size(), script->code.size());
  EXPECT_EQ(script->feedback.size(), script->code.size());
  const FunctionProto* f = function(script, "f");
  EXPECT_EQ(f->lines.size(), f->code.size());
  EXPECT_EQ(f->feedback.size(), f->code.size());
  auto add = find(f, Opcode::Add);
  ASSERT_EQ(add.size(), 1u);
  EXPECT_EQ(f->lines[add[0]], 3);
  EXPECT_EQ(script->functionKind, FunctionKind::Script);
  EXPECT_EQ(script->name, nullptr);
  EXPECT_EQ(script->arity, 0);
}

TEST(Compiler, DeepButLegalProgramsCompile) {
  std::string source;
  for (int i = 0; i < 900; i++) source += i % 10 == 0 ? "{ var x = 1;\n" : "{\n";
  for (int i = 0; i < 900; i++) source += "}";
  VM vm;
  Diagnostics diagnostics;
  EXPECT_NE(compile(vm, source, &diagnostics), nullptr);
  EXPECT_FALSE(diagnostics.hadError()) << diagnostics.messages()[0];
}

TEST(Compiler, ConstantsBeyondBxUseLoadKX) {
  std::string source = "var x;\n";
  for (int i = 0; i < 70000; i++) source += "x = " + std::to_string(i) + ".5;\n";
  VM vm;
  FunctionProto* script = compile(vm, source);
  ASSERT_NE(script, nullptr);
  EXPECT_GT(script->constants.size(), size_t(kMaxBx) + 1);
  auto loads = find(script, Opcode::LoadKX);
  ASSERT_FALSE(loads.empty());
  EXPECT_GT(script->code[loads[0] + 1], uint32_t(kMaxBx));
}

TEST(Compiler, ConstantsAreDeduplicated) {
  VM vm;
  FunctionProto* script =
      compile(vm, "var a = 1.5; var b = 1.5; var c = \"s\"; var d = \"s\"; print -0; print 0.5 - 0.5;");
  ASSERT_NE(script, nullptr);
  // 1.5, "s" and -0 (0 is a LoadI); -0 and 0 stay distinct.
  EXPECT_EQ(script->constants.size(), 3u);
}

TEST(Compiler, DisassemblerNamesFunctionsConstantsAndProperties) {
  VM vm;
  FunctionProto* script = compile(vm, "fun add(a, b) { return a.x + b; } print add;");
  ASSERT_NE(script, nullptr);
  std::string listing = disassemble(script);
  EXPECT_NE(listing.find("== <script> =="), std::string::npos) << listing;
  EXPECT_NE(listing.find("== <fn add> (arity 2, "), std::string::npos) << listing;
  EXPECT_NE(listing.find("GetProp"), std::string::npos) << listing;
  EXPECT_NE(listing.find(".x"), std::string::npos) << listing;
  EXPECT_NE(listing.find("Closure"), std::string::npos) << listing;
}

// -- Evaluation order (the register allocator must not change results) -------------------

TEST(Compiler, OperandsAreEvaluatedLeftToRight) {
  EXPECT_EQ(run("fun f() { var a = 1; print a + (a = 2); print a; } f();"), "3\n2\n");
  EXPECT_EQ(run(R"(
    fun f() {
      var a = 1;
      fun set() { a = 10; return 0; }
      print a + set();
      print a;
    }
    f();
  )"),
            "1\n10\n");
  EXPECT_EQ(run("fun f() { var a = 1; var b = a; a = a + b; print a < (a = 0); print a; } f();"),
            "false\n0\n");
}

TEST(Compiler, ForLoopVariableIsSharedAndForInVariableIsFresh) {
  EXPECT_EQ(run(R"(
    var a; var b;
    for (var i = 0; i < 2; i = i + 1) { if (i == 0) a = fun() { return i; }; else b = fun() { return i; }; }
    print a(); print b();
    var c; var d;
    for (var x in [1, 2]) { if (x == 1) c = fun() { return x; }; else d = fun() { return x; }; }
    print c(); print d();
  )"),
            "2\n2\n1\n2\n");
}

}  // namespace
}  // namespace kiln
