// Unit tests of the parser (frontend/parser.h): the shape of the tree (printed as
// S-expressions), the extensions to Lox's grammar, clox's error messages and panic-mode
// recovery, and robustness against hostile input.
#include "frontend/parser.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace kiln {
namespace {

using namespace ast;

// -- An S-expression printer for the tree -----------------------------------------

std::string show(const Expr* expr);
std::string show(const Stmt* stmt);

std::string showBody(const std::vector<Stmt*>& body) {
  std::string out;
  for (const Stmt* stmt : body) out += " " + show(stmt);
  return out;
}

std::string showFunction(const FunctionNode* function) {
  std::string out = "(";
  for (size_t i = 0; i < function->params.size(); i++) {
    out += (i ? " " : "") + std::string(function->params[i]->name.lexeme);
  }
  return out + ")" + showBody(function->body);
}

std::string showNumber(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

std::string show(const Expr* expr) {
  if (expr == nullptr) return "_";
  switch (expr->kind) {
    case ExprKind::Number:
      return showNumber(static_cast<const NumberExpr*>(expr)->value);
    case ExprKind::String:
      return "\"" + static_cast<const StringExpr*>(expr)->value + "\"";
    case ExprKind::Nil:
      return "nil";
    case ExprKind::True:
      return "true";
    case ExprKind::False:
      return "false";
    case ExprKind::Variable:
      return std::string(static_cast<const VariableExpr*>(expr)->name.lexeme);
    case ExprKind::Assign: {
      auto* e = static_cast<const AssignExpr*>(expr);
      return "(= " + std::string(e->name.lexeme) + " " + show(e->value) + ")";
    }
    case ExprKind::Unary: {
      auto* e = static_cast<const UnaryExpr*>(expr);
      return "(" + std::string(e->op.lexeme) + " " + show(e->operand) + ")";
    }
    case ExprKind::Binary: {
      auto* e = static_cast<const BinaryExpr*>(expr);
      return "(" + std::string(e->op.lexeme) + " " + show(e->left) + " " + show(e->right) + ")";
    }
    case ExprKind::Logical: {
      auto* e = static_cast<const LogicalExpr*>(expr);
      return "(" + std::string(e->op.lexeme) + " " + show(e->left) + " " + show(e->right) + ")";
    }
    case ExprKind::Call: {
      auto* e = static_cast<const CallExpr*>(expr);
      std::string out = "(call " + show(e->callee);
      for (const Expr* arg : e->args) out += " " + show(arg);
      return out + ")";
    }
    case ExprKind::Get: {
      auto* e = static_cast<const GetExpr*>(expr);
      return "(. " + show(e->object) + " " + std::string(e->name.lexeme) + ")";
    }
    case ExprKind::Set: {
      auto* e = static_cast<const SetExpr*>(expr);
      return "(.= " + show(e->object) + " " + std::string(e->name.lexeme) + " " + show(e->value) + ")";
    }
    case ExprKind::Index: {
      auto* e = static_cast<const IndexExpr*>(expr);
      return "([] " + show(e->object) + " " + show(e->index) + ")";
    }
    case ExprKind::IndexSet: {
      auto* e = static_cast<const IndexSetExpr*>(expr);
      return "([]= " + show(e->object) + " " + show(e->index) + " " + show(e->value) + ")";
    }
    case ExprKind::This:
      return "this";
    case ExprKind::Super:
      return "(super " + std::string(static_cast<const SuperExpr*>(expr)->method.lexeme) + ")";
    case ExprKind::Function:
      return "(lambda " + showFunction(static_cast<const FunctionExpr*>(expr)->function) + ")";
    case ExprKind::List: {
      std::string out = "(list";
      for (const Expr* element : static_cast<const ListExpr*>(expr)->elements) out += " " + show(element);
      return out + ")";
    }
    case ExprKind::Map: {
      std::string out = "(map";
      for (auto& [key, value] : static_cast<const MapExpr*>(expr)->entries) {
        out += " (" + show(key) + " " + show(value) + ")";
      }
      return out + ")";
    }
    case ExprKind::Grouping:
      return "(group " + show(static_cast<const GroupingExpr*>(expr)->inner) + ")";
  }
  return "?";
}

std::string show(const Stmt* stmt) {
  if (stmt == nullptr) return "_";
  switch (stmt->kind) {
    case StmtKind::Expression:
      return "(expr " + show(static_cast<const ExpressionStmt*>(stmt)->expr) + ")";
    case StmtKind::Print:
      return "(print " + show(static_cast<const PrintStmt*>(stmt)->expr) + ")";
    case StmtKind::Var: {
      auto* s = static_cast<const VarStmt*>(stmt);
      return "(var " + std::string(s->name.lexeme) + (s->initializer ? " " + show(s->initializer) : "") + ")";
    }
    case StmtKind::Block:
      return "(block" + showBody(static_cast<const BlockStmt*>(stmt)->statements) + ")";
    case StmtKind::If: {
      auto* s = static_cast<const IfStmt*>(stmt);
      return "(if " + show(s->condition) + " " + show(s->thenBranch) +
             (s->elseBranch ? " " + show(s->elseBranch) : "") + ")";
    }
    case StmtKind::While: {
      auto* s = static_cast<const WhileStmt*>(stmt);
      return "(while " + show(s->condition) + " " + show(s->body) + ")";
    }
    case StmtKind::For: {
      auto* s = static_cast<const ForStmt*>(stmt);
      return "(for " + show(s->initializer) + " " + show(s->condition) + " " + show(s->increment) + " " +
             show(s->body) + ")";
    }
    case StmtKind::ForIn: {
      auto* s = static_cast<const ForInStmt*>(stmt);
      return "(for-in " + std::string(s->name.lexeme) + " " + show(s->iterable) + " " + show(s->body) + ")";
    }
    case StmtKind::Break:
      return "(break)";
    case StmtKind::Continue:
      return "(continue)";
    case StmtKind::Function: {
      auto* s = static_cast<const FunctionStmt*>(stmt);
      return "(fun " + std::string(s->function->name.lexeme) + " " + showFunction(s->function) + ")";
    }
    case StmtKind::Return: {
      auto* s = static_cast<const ReturnStmt*>(stmt);
      return s->value ? "(return " + show(s->value) + ")" : "(return)";
    }
    case StmtKind::Class: {
      auto* s = static_cast<const ClassStmt*>(stmt);
      std::string out = "(class " + std::string(s->name.lexeme);
      if (s->superclass) out += " < " + std::string(s->superclass->name.lexeme);
      for (const FunctionNode* method : s->methods) {
        out += " (" + std::string(method->name.lexeme) + " " + showFunction(method) + ")";
      }
      return out + ")";
    }
  }
  return "?";
}

// -- Helpers -------------------------------------------------------------------------

struct Parsed {
  std::unique_ptr<Program> program;
  Diagnostics diagnostics;
};

Parsed parseSource(std::string_view source, bool repl = false) {
  Parsed parsed;
  ParseOptions options;
  options.replTrailingExpression = repl;
  parsed.program = parse(source, parsed.diagnostics, options);
  return parsed;
}

// The whole program printed, or its errors (one per line) if it has any.
std::string tree(std::string_view source, bool repl = false) {
  Parsed parsed = parseSource(source, repl);
  std::string out;
  if (parsed.diagnostics.hadError()) {
    for (const std::string& message : parsed.diagnostics.messages()) out += message + "\n";
    return out;
  }
  for (const Stmt* stmt : parsed.program->script->body) out += (out.empty() ? "" : " ") + show(stmt);
  return out;
}

// The single expression of `source;`.
std::string expr(std::string_view source) {
  std::string text(source);
  text += ";";
  std::string printed = tree(text);
  if (printed.rfind("(expr ", 0) != 0) return "not an expression statement: " + printed;
  return printed.substr(6, printed.size() - 7);
}

std::string errors(std::string_view source) {
  Parsed parsed = parseSource(source);
  std::string out;
  for (const std::string& message : parsed.diagnostics.messages()) out += message + "\n";
  return out;
}

std::string repeat(std::string_view text, int count) {
  std::string out;
  out.reserve(text.size() * count);
  for (int i = 0; i < count; i++) out += text;
  return out;
}

// -- Expressions ---------------------------------------------------------------------

TEST(ParserTest, Literals) {
  EXPECT_EQ(expr("123"), "123");
  EXPECT_EQ(expr("1.5"), "1.5");
  EXPECT_EQ(expr("\"hi there\""), "\"hi there\"");
  EXPECT_EQ(expr("nil"), "nil");
  EXPECT_EQ(expr("true"), "true");
  EXPECT_EQ(expr("false"), "false");
  EXPECT_EQ(expr("\"\""), "\"\"");
}

TEST(ParserTest, NumberValues) {
  Parsed parsed = parseSource("1.25; " + repeat("9", 400) + "; 0." + repeat("0", 400) + "1;");
  ASSERT_FALSE(parsed.diagnostics.hadError());
  auto value = [&](int i) {
    auto* stmt = static_cast<ExpressionStmt*>(parsed.program->script->body[i]);
    return static_cast<NumberExpr*>(stmt->expr)->value;
  };
  EXPECT_EQ(value(0), 1.25);
  EXPECT_TRUE(std::isinf(value(1)));  // as strtod gives clox
  EXPECT_EQ(value(2), 0.0);
}

TEST(ParserTest, StringValueIsTheTextBetweenTheQuotes) {
  Parsed parsed = parseSource("print \"a\nb\\n\";");
  ASSERT_FALSE(parsed.diagnostics.hadError());
  auto* print = static_cast<PrintStmt*>(parsed.program->script->body[0]);
  EXPECT_EQ(static_cast<StringExpr*>(print->expr)->value, "a\nb\\n");
}

TEST(ParserTest, ArithmeticPrecedenceAndAssociativity) {
  EXPECT_EQ(expr("1 + 2 * 3"), "(+ 1 (* 2 3))");
  EXPECT_EQ(expr("1 * 2 + 3"), "(+ (* 1 2) 3)");
  EXPECT_EQ(expr("1 - 2 - 3"), "(- (- 1 2) 3)");
  EXPECT_EQ(expr("8 / 4 / 2"), "(/ (/ 8 4) 2)");
  EXPECT_EQ(expr("5 % 3 * 2"), "(* (% 5 3) 2)");
  EXPECT_EQ(expr("1 + 5 % 3"), "(+ 1 (% 5 3))");
  EXPECT_EQ(expr("(1 + 2) * 3"), "(* (group (+ 1 2)) 3)");
  EXPECT_EQ(expr("-1 - -2"), "(- (- 1) (- 2))");
}

TEST(ParserTest, ComparisonEqualityAndLogic) {
  EXPECT_EQ(expr("1 < 2 == 3 > 4"), "(== (< 1 2) (> 3 4))");
  EXPECT_EQ(expr("a <= b != c >= d"), "(!= (<= a b) (>= c d))");
  EXPECT_EQ(expr("a or b and c"), "(or a (and b c))");
  EXPECT_EQ(expr("a and b or c"), "(or (and a b) c)");
  EXPECT_EQ(expr("a or b or c"), "(or (or a b) c)");
  EXPECT_EQ(expr("a == b and c == d"), "(and (== a b) (== c d))");
}

TEST(ParserTest, BitwisePrecedenceIsCs) {
  // As in C: & ^ | bind less tightly than ==, and shifts bind tighter than < but
  // looser than +.
  EXPECT_EQ(expr("1 | 2 ^ 3 & 4"), "(| 1 (^ 2 (& 3 4)))");
  EXPECT_EQ(expr("1 & 2 ^ 3 | 4"), "(| (^ (& 1 2) 3) 4)");
  EXPECT_EQ(expr("a & b == c"), "(& a (== b c))");
  EXPECT_EQ(expr("a | b != c"), "(| a (!= b c))");
  EXPECT_EQ(expr("1 << 2 + 3"), "(<< 1 (+ 2 3))");
  EXPECT_EQ(expr("a < b << c"), "(< a (<< b c))");
  EXPECT_EQ(expr("a >> b >> c"), "(>> (>> a b) c)");
  EXPECT_EQ(expr("a and b | c"), "(and a (| b c))");
  EXPECT_EQ(expr("a | b or c"), "(or (| a b) c)");
  EXPECT_EQ(expr("~a & -b"), "(& (~ a) (- b))");
  EXPECT_EQ(expr("~~a"), "(~ (~ a))");
}

TEST(ParserTest, UnaryAndPostfix) {
  EXPECT_EQ(expr("!-~x"), "(! (- (~ x)))");
  EXPECT_EQ(expr("-a.b(c)[d]"), "(- ([] (call (. a b) c) d))");
  EXPECT_EQ(expr("f(1)(2)"), "(call (call f 1) 2)");
  EXPECT_EQ(expr("f()"), "(call f)");
  EXPECT_EQ(expr("a.b.c"), "(. (. a b) c)");
  EXPECT_EQ(expr("a[1][2]"), "([] ([] a 1) 2)");
  EXPECT_EQ(expr("a[i + 1]"), "([] a (+ i 1))");
  EXPECT_EQ(expr("[1, 2][0]"), "([] (list 1 2) 0)");
}

TEST(ParserTest, Assignment) {
  EXPECT_EQ(expr("a = b = c"), "(= a (= b c))");
  EXPECT_EQ(expr("a.b = c"), "(.= a b c)");
  EXPECT_EQ(expr("a.b.c = 1 + 2"), "(.= (. a b) c (+ 1 2))");
  EXPECT_EQ(expr("a[i] = v"), "([]= a i v)");
  EXPECT_EQ(expr("a[i][j] = v"), "([]= ([] a i) j v)");
  EXPECT_EQ(expr("f().x = 1"), "(.= (call f) x 1)");
  EXPECT_EQ(expr("a = b or c"), "(= a (or b c))");
}

TEST(ParserTest, ThisAndSuper) {
  EXPECT_EQ(tree("class A < B { m() { return super.m(this.x); } }"),
            "(class A < B (m () (return (call (super m) (. this x)))))");
}

TEST(ParserTest, ListLiterals) {
  EXPECT_EQ(expr("[]"), "(list)");
  EXPECT_EQ(expr("[1]"), "(list 1)");
  EXPECT_EQ(expr("[1, 2, 3]"), "(list 1 2 3)");
  EXPECT_EQ(expr("[1, 2, 3,]"), "(list 1 2 3)");
  EXPECT_EQ(expr("[[], [1,], [a + b]]"), "(list (list) (list 1) (list (+ a b)))");
  EXPECT_EQ(errors("[,];"), "[line 1] Error at ',': Expect expression.\n");
  EXPECT_EQ(errors("[1, 2,,];"), "[line 1] Error at ',': Expect expression.\n");
  EXPECT_EQ(errors("[1 2];"), "[line 1] Error at '2': Expect ']' after list elements.\n");
}

TEST(ParserTest, MapLiterals) {
  EXPECT_EQ(expr("x = {}"), "(= x (map))");
  EXPECT_EQ(expr("x = {\"a\": 1}"), "(= x (map (\"a\" 1)))");
  EXPECT_EQ(expr("x = {\"a\": 1, k: v + 1,}"), "(= x (map (\"a\" 1) (k (+ v 1))))");
  EXPECT_EQ(expr("f({1: {2: []}})"), "(call f (map (1 (map (2 (list))))))");
  EXPECT_EQ(errors("x = {1 2};"), "[line 1] Error at '2': Expect ':' after map key.\n");
  EXPECT_EQ(errors("x = {1: 2 3: 4};"), "[line 1] Error at '3': Expect '}' after map entries.\n");
}

TEST(ParserTest, BraceAtStatementStartIsABlock) {
  EXPECT_EQ(tree("{}"), "(block)");
  EXPECT_EQ(tree("{ print 1; }"), "(block (print 1))");
  EXPECT_EQ(tree("print {};"), "(print (map))");
}

TEST(ParserTest, Lambdas) {
  EXPECT_EQ(expr("f = fun (a, b) { return a + b; }"), "(= f (lambda (a b) (return (+ a b))))");
  EXPECT_EQ(expr("fun () {}"), "(lambda ())");
  EXPECT_EQ(expr("g(fun (x) { print x; }, 2)"), "(call g (lambda (x) (print x)) 2)");
  // A statement starting with `fun (` is an expression statement.
  EXPECT_EQ(tree("fun () { print 1; }();"), "(expr (call (lambda () (print 1))))");
  EXPECT_EQ(tree("fun f() {}"), "(fun f ())");

  Parsed parsed = parseSource("var f = fun (x) { return x; };");
  ASSERT_FALSE(parsed.diagnostics.hadError());
  auto* var = static_cast<VarStmt*>(parsed.program->script->body[0]);
  FunctionNode* lambda = static_cast<FunctionExpr*>(var->initializer)->function;
  EXPECT_EQ(lambda->kind, FunctionKind::Lambda);
  EXPECT_EQ(lambda->name.lexeme, "");
  EXPECT_EQ(lambda->params.size(), 1u);
  EXPECT_EQ(lambda->enclosing, parsed.program->script);
}

TEST(ParserTest, FunInExpressionPositionWithoutParenIsLoxsError) {
  EXPECT_EQ(errors("for (;;) fun foo() {}"), "[line 1] Error at 'fun': Expect expression.\n");
  EXPECT_EQ(errors("if (true) \"ok\"; else fun foo() {}"), "[line 1] Error at 'fun': Expect expression.\n");
  EXPECT_EQ(errors("var x = fun;"), "[line 1] Error at 'fun': Expect expression.\n");
}

// -- Statements ----------------------------------------------------------------------

TEST(ParserTest, LoxStatements) {
  EXPECT_EQ(tree("var a; var b = 1; print a + b;"), "(var a) (var b 1) (print (+ a b))");
  EXPECT_EQ(tree("if (a) print 1; else print 2;"), "(if a (print 1) (print 2))");
  EXPECT_EQ(tree("if (a) if (b) x; else y;"), "(if a (if b (expr x) (expr y)))");  // dangling else
  EXPECT_EQ(tree("while (a < 3) a = a + 1;"), "(while (< a 3) (expr (= a (+ a 1))))");
  EXPECT_EQ(tree("fun f(a, b) { return; }"), "(fun f (a b) (return))");
  EXPECT_EQ(tree("class A { init(x) { this.x = x; } get() { return this.x; } }"),
            "(class A (init (x) (expr (.= this x x))) (get () (return (. this x))))");
}

TEST(ParserTest, ForStaysAForStmt) {
  EXPECT_EQ(tree("for (var i = 0; i < 3; i = i + 1) print i;"),
            "(for (var i 0) (< i 3) (= i (+ i 1)) (print i))");
  EXPECT_EQ(tree("for (;;) {}"), "(for _ _ _ (block))");
  EXPECT_EQ(tree("for (i = 0; ; ) {}"), "(for (expr (= i 0)) _ _ (block))");
}

TEST(ParserTest, ForIn) {
  EXPECT_EQ(tree("for (var x in [1, 2]) print x;"), "(for-in x (list 1 2) (print x))");
  EXPECT_EQ(tree("for (var k in m) { if (k) break; else continue; }"),
            "(for-in k m (block (if k (break) (continue))))");
  // Only `var name in` makes a for-in.
  EXPECT_EQ(errors("for (x in y) {}"), "[line 1] Error at 'in': Expect ';' after expression.\n");
  EXPECT_EQ(errors("for (var in y) {}"), "[line 1] Error at 'in': Expect variable name.\n");
  EXPECT_EQ(errors("for (var x in y {}"), "[line 1] Error at '{': Expect ')' after for clauses.\n");
}

TEST(ParserTest, BreakAndContinue) {
  EXPECT_EQ(tree("while (true) { break; continue; }"), "(while true (block (break) (continue)))");
  EXPECT_EQ(errors("while (true) break"), "[line 1] Error at end: Expect ';' after 'break'.\n");
  EXPECT_EQ(errors("while (true) continue 1;"), "[line 1] Error at '1': Expect ';' after 'continue'.\n");
}

TEST(ParserTest, NodeLines) {
  Parsed parsed = parseSource("f(a,\n b\n);\nx\n+\ny;\nprint\n q;");
  ASSERT_FALSE(parsed.diagnostics.hadError());
  const auto& body = parsed.program->script->body;
  auto* call = static_cast<CallExpr*>(static_cast<ExpressionStmt*>(body[0])->expr);
  EXPECT_EQ(call->line, 3);  // the closing parenthesis
  auto* binary = static_cast<BinaryExpr*>(static_cast<ExpressionStmt*>(body[1])->expr);
  EXPECT_EQ(binary->line, 5);  // the operator
  EXPECT_EQ(binary->left->line, 4);
  EXPECT_EQ(binary->right->line, 6);
  EXPECT_EQ(body[2]->line, 7);
  EXPECT_EQ(static_cast<PrintStmt*>(body[2])->expr->line, 8);
}

TEST(ParserTest, FunctionNodes) {
  Parsed parsed = parseSource("class A { init() {} m() { fun inner() {} } }");
  ASSERT_FALSE(parsed.diagnostics.hadError());
  FunctionNode* script = parsed.program->script;
  EXPECT_EQ(script->kind, FunctionKind::Script);
  EXPECT_EQ(script->enclosing, nullptr);
  auto* klass = static_cast<ClassStmt*>(script->body[0]);
  ASSERT_EQ(klass->methods.size(), 2u);
  EXPECT_EQ(klass->methods[0]->kind, FunctionKind::Initializer);
  EXPECT_EQ(klass->methods[1]->kind, FunctionKind::Method);
  EXPECT_EQ(klass->methods[1]->enclosing, script);
  auto* inner = static_cast<FunctionStmt*>(klass->methods[1]->body[0]);
  EXPECT_EQ(inner->function->kind, FunctionKind::Function);
  EXPECT_EQ(inner->function->name.lexeme, "inner");
  EXPECT_EQ(inner->function->enclosing, klass->methods[1]);
}

TEST(ParserTest, ReplTrailingExpressionPrints) {
  EXPECT_EQ(tree("1 + 2", true), "(print (+ 1 2))");
  EXPECT_EQ(tree("var a = 1; a = a + 1", true), "(var a 1) (print (= a (+ a 1)))");
  EXPECT_EQ(tree("f() // comment\n", true), "(print (call f))");
  EXPECT_EQ(tree("1 + 2;", true), "(expr (+ 1 2))");
  // Everything else is unchanged.
  EXPECT_EQ(tree("1 + 2", false), "[line 1] Error at end: Expect ';' after expression.\n");
  EXPECT_EQ(tree("print 1", true), "[line 1] Error at end: Expect ';' after value.\n");
  EXPECT_EQ(tree("{ 1 + 2", true),
            "[line 1] Error at end: Expect ';' after expression.\n[line 1] Error at end: Expect '}' after "
            "block.\n");
  EXPECT_EQ(tree("if (x) 1 + 2", true), "[line 1] Error at end: Expect ';' after expression.\n");
  EXPECT_EQ(tree("1 + 2 3", true), "[line 1] Error at '3': Expect ';' after expression.\n");
}

// -- Errors: messages, panic mode and synchronization ----------------------------------

TEST(ParserErrorTest, ScannerErrorsGoThroughThePanicMode) {
  EXPECT_EQ(errors("print @;"), "[line 1] Error: Unexpected character.\n");
  EXPECT_EQ(errors("print \"abc\n"), "[line 2] Error: Unterminated string.\n");
  // One bad statement, one error; after the ';' the next error is reported.
  EXPECT_EQ(errors("print @ # $;\nprint #;"),
            "[line 1] Error: Unexpected character.\n[line 2] Error: Unexpected character.\n");
}

TEST(ParserErrorTest, TwoBadStatementsGiveTwoErrors) {
  EXPECT_EQ(errors("print;\nprint;"),
            "[line 1] Error at ';': Expect expression.\n[line 2] Error at ';': Expect expression.\n");
  EXPECT_EQ(errors("var 1 = 2;\nvar x = ;"),
            "[line 1] Error at '1': Expect variable name.\n[line 2] Error at ';': Expect expression.\n");
}

TEST(ParserErrorTest, ErrorsInOneStatementGiveOneError) {
  EXPECT_EQ(errors("print (1 + ) * ( ;"), "[line 1] Error at ')': Expect expression.\n");
  EXPECT_EQ(errors("var x = 1 + 2 3 4 5;"),
            "[line 1] Error at '3': Expect ';' after variable declaration.\n");
}

TEST(ParserErrorTest, SynchronizesBeforeStatementKeywords) {
  // No ';' after the first error: recovery stops before `print`, `var`, `class`...
  EXPECT_EQ(errors("x = = 1 print 1 +; var 2"),
            "[line 1] Error at '=': Expect expression.\n[line 1] Error at ';': Expect expression.\n"
            "[line 1] Error at '2': Expect variable name.\n");
  // ...but not before an identifier or `break`.
  EXPECT_EQ(
      errors("1 2 foo break 3 print ;"),
      "[line 1] Error at '2': Expect ';' after expression.\n[line 1] Error at ';': Expect expression.\n");
}

TEST(ParserErrorTest, RecoveryMirrorsClox) {
  // After an error in a for loop's condition, clox keeps parsing the clauses and the
  // body with errors suppressed; the body's parse ends just past a ';', so the
  // increment is then parsed as a statement of its own.
  EXPECT_EQ(
      errors("for (var a = 1; * /; a = a + 1) {}"),
      "[line 1] Error at '*': Expect expression.\n[line 1] Error at ')': Expect ';' after expression.\n");
  // Errors inside a function body are recovered inside it, so the block's '}' is still
  // missing at the end.
  EXPECT_EQ(errors("class A { 123 }"),
            "[line 1] Error at '123': Expect method name.\n[line 1] Error at end: Expect '}' after block.\n");
  EXPECT_EQ(errors("fun f() {\n  print;\n  print;\n}"),
            "[line 2] Error at ';': Expect expression.\n[line 3] Error at ';': Expect expression.\n");
}

TEST(ParserErrorTest, InvalidAssignmentTargets) {
  EXPECT_EQ(errors("a + b = c;"), "[line 1] Error at '=': Invalid assignment target.\n");
  EXPECT_EQ(errors("(a) = 1;"), "[line 1] Error at '=': Invalid assignment target.\n");
  EXPECT_EQ(errors("!a = 1;"), "[line 1] Error at '=': Invalid assignment target.\n");
  EXPECT_EQ(errors("f() = 1;"), "[line 1] Error at '=': Invalid assignment target.\n");
  EXPECT_EQ(errors("a.f() = 1;"), "[line 1] Error at '=': Invalid assignment target.\n");
  EXPECT_EQ(errors("[a] = 1;"), "[line 1] Error at '=': Invalid assignment target.\n");
  EXPECT_EQ(errors("1 = 1;"), "[line 1] Error at '=': Invalid assignment target.\n");
  EXPECT_EQ(errors("class A { m() { this = 1; } }"), "[line 1] Error at '=': Invalid assignment target.\n");
  EXPECT_EQ(errors("a = 1 + b = 2;"), "[line 1] Error at '=': Invalid assignment target.\n");
}

TEST(ParserErrorTest, ExpressionMessages) {
  EXPECT_EQ(errors("(1;"), "[line 1] Error at ';': Expect ')' after expression.\n");
  EXPECT_EQ(errors("f(1;"), "[line 1] Error at ';': Expect ')' after arguments.\n");
  EXPECT_EQ(errors("f(1,);"), "[line 1] Error at ')': Expect expression.\n");
  EXPECT_EQ(errors("a.;"), "[line 1] Error at ';': Expect property name after '.'.\n");
  EXPECT_EQ(errors("123."), "[line 1] Error at end: Expect property name after '.'.\n");
  EXPECT_EQ(errors(".5;"), "[line 1] Error at '.': Expect expression.\n");
  EXPECT_EQ(errors("a[1;"), "[line 1] Error at ';': Expect ']' after index.\n");
  EXPECT_EQ(errors("print 1"), "[line 1] Error at end: Expect ';' after value.\n");
  EXPECT_EQ(errors("1\n"), "[line 2] Error at end: Expect ';' after expression.\n");
  EXPECT_EQ(errors("print x in y;"), "[line 1] Error at 'in': Expect ';' after value.\n");
}

TEST(ParserErrorTest, StatementMessages) {
  EXPECT_EQ(errors("var x = 1"), "[line 1] Error at end: Expect ';' after variable declaration.\n");
  EXPECT_EQ(errors("var false = 1;"), "[line 1] Error at 'false': Expect variable name.\n");
  EXPECT_EQ(errors("if x) {}"), "[line 1] Error at 'x': Expect '(' after 'if'.\n");
  EXPECT_EQ(errors("if (x {}"), "[line 1] Error at '{': Expect ')' after condition.\n");
  EXPECT_EQ(errors("while x) {}"), "[line 1] Error at 'x': Expect '(' after 'while'.\n");
  EXPECT_EQ(errors("while (x {}"), "[line 1] Error at '{': Expect ')' after condition.\n");
  EXPECT_EQ(errors("for x) {}"), "[line 1] Error at 'x': Expect '(' after 'for'.\n");
  EXPECT_EQ(errors("for (;x) {}"), "[line 1] Error at ')': Expect ';' after loop condition.\n");
  EXPECT_EQ(errors("for (;;x {}"), "[line 1] Error at '{': Expect ')' after for clauses.\n");
  EXPECT_EQ(errors("{ print 1;"), "[line 1] Error at end: Expect '}' after block.\n");
  // Recovery skips the '}', so the block is unterminated too (as in clox).
  EXPECT_EQ(errors("fun f() { return 1 }"),
            "[line 1] Error at '}': Expect ';' after return value.\n[line 1] Error at end: Expect '}' after "
            "block.\n");
  EXPECT_EQ(errors("for (;;) var foo;"), "[line 1] Error at 'var': Expect expression.\n");
  EXPECT_EQ(errors("if (true) class Foo {}"), "[line 1] Error at 'class': Expect expression.\n");
  EXPECT_EQ(errors("while (true) var foo;"), "[line 1] Error at 'var': Expect expression.\n");
}

TEST(ParserErrorTest, FunctionAndClassMessages) {
  // As in clox (and the "[c line N]" expectations of the Lox tests), an error before a
  // function's body makes the body's block parse to the end of the input.
  const std::string unterminated = "[line 1] Error at end: Expect '}' after block.\n";
  EXPECT_EQ(errors("fun 1() {}"), "[line 1] Error at '1': Expect function name.\n" + unterminated);
  EXPECT_EQ(errors("fun f {}"), "[line 1] Error at '{': Expect '(' after function name.\n");
  EXPECT_EQ(errors("fun f(1) {}"), "[line 1] Error at '1': Expect parameter name.\n" + unterminated);
  EXPECT_EQ(errors("fun foo(a, b c, d) {}"),
            "[line 1] Error at 'c': Expect ')' after parameters.\n" + unterminated);
  EXPECT_EQ(errors("fun f() 123;"),
            "[line 1] Error at '123': Expect '{' before function body.\n" + unterminated);
  EXPECT_EQ(errors("class {}"), "[line 1] Error at '{': Expect class name.\n");
  EXPECT_EQ(errors("class A < {}"), "[line 1] Error at '{': Expect superclass name.\n");
  EXPECT_EQ(errors("class Foo {}\nclass Bar < (Foo) {}"), "[line 2] Error at '(': Expect superclass name.\n");
  // As in clox, the missing body is parsed as a method whose block recovers at the end.
  EXPECT_EQ(errors("class A ;"),
            "[line 1] Error at ';': Expect '{' before class body.\n[line 1] Error at end: Expect '}' after "
            "block.\n");
  EXPECT_EQ(errors("class A { m() {}"), "[line 1] Error at end: Expect '}' after class body.\n");
  EXPECT_EQ(errors("class A < B { m() { super; } }"), "[line 1] Error at ';': Expect '.' after 'super'.\n");
  EXPECT_EQ(errors("class A < B { m() { super.; } }"),
            "[line 1] Error at ';': Expect superclass method name.\n");
  EXPECT_EQ(errors("class A < B { m() { (super).m(); } }"),
            "[line 1] Error at ')': Expect '.' after 'super'.\n");
}

std::string names(const char* prefix, int count) {
  std::string out;
  for (int i = 0; i < count; i++) out += (i ? ", " : "") + std::string(prefix) + std::to_string(i);
  return out;
}

TEST(ParserErrorTest, TooManyParametersAndArguments) {
  EXPECT_EQ(errors("fun f(" + names("a", 255) + ") {}"), "");
  EXPECT_EQ(errors("f(" + names("a", 255) + ");"), "");
  // Reported at the 256th item (the name for parameters, as clox does), and parsing
  // goes on with the list.
  EXPECT_EQ(errors("fun f(" + names("a", 300) + ") {}"),
            "[line 1] Error at 'a255': Can't have more than 255 parameters.\n");
  EXPECT_EQ(errors("f(" + names("a", 300) + ");\nprint;"),
            "[line 1] Error at 'a255': Can't have more than 255 arguments.\n"
            "[line 2] Error at ';': Expect expression.\n");
  EXPECT_EQ(errors("f(" + names("a", 255) + ", 1 + b);"),
            "[line 1] Error at 'b': Can't have more than 255 arguments.\n");
  Parsed parsed = parseSource("f(" + names("a", 300) + ");");
  auto* call = static_cast<CallExpr*>(static_cast<ExpressionStmt*>(parsed.program->script->body[0])->expr);
  EXPECT_EQ(call->args.size(), 300u);
}

TEST(ParserErrorTest, PartialProgramIsAlwaysReturned) {
  Parsed parsed = parseSource("print 1; print; print 2;");
  ASSERT_NE(parsed.program, nullptr);
  ASSERT_NE(parsed.program->script, nullptr);
  EXPECT_TRUE(parsed.diagnostics.hadError());
  EXPECT_EQ(parsed.program->script->body.size(), 3u);
}

// -- Hostile input -------------------------------------------------------------------

const char* kTooDeep = "Too deeply nested.";

int countOf(const Parsed& parsed, std::string_view text) {
  int count = 0;
  for (const std::string& message : parsed.diagnostics.messages())
    count += message.find(text) != std::string::npos;
  return count;
}

TEST(ParserLimitTest, ModerateNestingIsFine) {
  EXPECT_EQ(errors("print " + repeat("(", 300) + "1" + repeat(")", 300) + ";"), "");
  EXPECT_EQ(errors(repeat("{", 300) + repeat("}", 300)), "");
  EXPECT_EQ(errors("print " + repeat("-", 300) + "1;"), "");
  EXPECT_EQ(errors("print 1" + repeat(" + 1", 500) + ";"), "");
  EXPECT_EQ(errors(repeat("if (x) ", 300) + "print 1;"), "");
  EXPECT_EQ(errors(repeat("fun f() {", 200) + repeat("}", 200)), "");
}

TEST(ParserLimitTest, DeepParenthesesAreOneError) {
  Parsed parsed = parseSource("print " + repeat("(", 100000) + "1" + repeat(")", 100000) + ";\nprint;");
  EXPECT_EQ(parsed.diagnostics.messages().size(), 1u);
  EXPECT_EQ(parsed.diagnostics.messages()[0], "[line 1] Error at '(': Too deeply nested.");
}

TEST(ParserLimitTest, DeepStatementsAreOneError) {
  for (const std::string& source :
       {repeat("{", 100000), repeat("{", 5000) + repeat("}", 5000), repeat("if (x) ", 5000) + "print 1;",
        repeat("while (x) ", 5000) + ";", repeat("fun f() {", 3000), repeat("x = fun () {", 3000),
        repeat("class A { m() {", 3000), repeat("[", 100000), repeat("!", 100000) + "x;",
        "x = " + repeat("{1:", 100000), repeat("f(", 100000), repeat("a = ", 100000) + "1;"}) {
    Parsed parsed = parseSource(source);
    EXPECT_EQ(parsed.diagnostics.messages().size(), 1u) << source.substr(0, 20);
    EXPECT_EQ(countOf(parsed, kTooDeep), 1) << source.substr(0, 20);
  }
}

TEST(ParserLimitTest, LongChainsAreTooDeep) {
  // Loops build these trees without recursion, but later passes walk them recursively.
  for (const std::string& source :
       {"print 1" + repeat(" + 1", 100000) + ";", "print a" + repeat(" or b", 5000) + ";",
        "print a" + repeat(" | b", 5000) + ";", "f" + repeat("()", 100000) + ";",
        "a" + repeat(".b", 100000) + ";", "a" + repeat("[0]", 100000) + ";"}) {
    Parsed parsed = parseSource(source);
    EXPECT_EQ(parsed.diagnostics.messages().size(), 1u) << source.substr(0, 20);
    EXPECT_EQ(countOf(parsed, kTooDeep), 1) << source.substr(0, 20);
  }
}

TEST(ParserLimitTest, TallOperandsOfChainsAreCounted) {
  // Each level is shallow for the parser, but the tree grows by 600 per level.
  std::string source = "x";
  for (int i = 0; i < 5; i++) source = "(" + source + ")" + repeat(" + 1", 600);
  Parsed parsed = parseSource("print " + source + ";");
  EXPECT_EQ(countOf(parsed, kTooDeep), 1);
  // A lambda with a deep body is as deep as its body.
  Parsed lambda =
      parseSource("print fun () {" + repeat("{", 600) + repeat("}", 600) + "}" + repeat(" + 1", 600) + ";");
  EXPECT_EQ(countOf(lambda, kTooDeep), 1);
}

TEST(ParserLimitTest, RandomGarbageNeverCrashes) {
  std::mt19937 random(12345);
  const std::string alphabet = "(){}[],.-+;/*%:&|^~!=<>\"abc fun class var for if while print return 1 2 \n";
  for (int round = 0; round < 200; round++) {
    std::string source;
    int length = 1 + random() % 2000;
    for (int i = 0; i < length; i++) {
      if (round % 2 == 0) {
        source.push_back(alphabet[random() % alphabet.size()]);
      } else {
        source.push_back(static_cast<char>(random() % 256));
      }
    }
    Parsed parsed = parseSource(source);
    ASSERT_NE(parsed.program, nullptr);
  }
}

TEST(ParserLimitTest, MillionLineFile) {
  Parsed parsed = parseSource(repeat("var x = 1 + 2;\n", 1000000) + "print;");
  ASSERT_EQ(parsed.diagnostics.messages().size(), 1u);
  EXPECT_EQ(parsed.diagnostics.messages()[0], "[line 1000001] Error at ';': Expect expression.");
  EXPECT_EQ(parsed.program->script->body.size(), 1000001u);
}

TEST(ParserLimitTest, ManyLocalsAndManyErrorsStayFast) {
  std::string locals = "{\n";
  for (int i = 0; i < 200000; i++)
    locals += "var v" + std::to_string(i) + " = v" + std::to_string(i / 2) + ";\n";
  Parsed parsed = parseSource(locals + "}");
  EXPECT_TRUE(parsed.diagnostics.hadError());  // v0 reads itself in its initializer
  EXPECT_EQ(parsed.diagnostics.messages()[0],
            "[line 2] Error at 'v0': Can't read local variable in its own initializer.");

  Parsed garbage = parseSource(repeat("@;\n", 200000));
  EXPECT_GT(garbage.diagnostics.messages().size(), 50000u);
  for (const std::string& message : garbage.diagnostics.messages()) {
    ASSERT_NE(message.find("Error: Unexpected character."), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace kiln
