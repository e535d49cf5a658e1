// Unit tests of the resolver (frontend/resolver.h) as the parser drives it: the static
// errors of Lox (and Kiln's break/continue), reported in clox's order, and the
// annotations the compiler relies on (VarDecls, captured flags, this/super).
#include "frontend/resolver.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "frontend/parser.h"

namespace kiln {
namespace {

using namespace ast;

// Every node of interest in a program, in source order.
struct Nodes {
  std::vector<VariableExpr*> variables;
  std::vector<AssignExpr*> assigns;
  std::vector<ThisExpr*> thises;
  std::vector<SuperExpr*> supers;
  std::vector<VarStmt*> vars;
  std::vector<FunctionStmt*> functions;
  std::vector<ClassStmt*> classes;
  std::vector<ForInStmt*> forIns;
  std::vector<FunctionNode*> lambdas;

  VariableExpr* variable(std::string_view name, int occurrence = 0) {
    for (VariableExpr* v : variables) {
      if (v->name.lexeme == name && occurrence-- == 0) return v;
    }
    ADD_FAILURE() << "no variable " << name;
    return nullptr;
  }
  VarStmt* var(std::string_view name, int occurrence = 0) {
    for (VarStmt* v : vars) {
      if (v->name.lexeme == name && occurrence-- == 0) return v;
    }
    ADD_FAILURE() << "no var " << name;
    return nullptr;
  }
};

void walk(Expr* expr, Nodes& nodes);
void walk(Stmt* stmt, Nodes& nodes);

void walk(FunctionNode* function, Nodes& nodes) {
  for (Stmt* stmt : function->body) walk(stmt, nodes);
}

void walk(Expr* expr, Nodes& nodes) {
  if (expr == nullptr) return;
  switch (expr->kind) {
    case ExprKind::Variable:
      nodes.variables.push_back(static_cast<VariableExpr*>(expr));
      break;
    case ExprKind::Assign: {
      auto* e = static_cast<AssignExpr*>(expr);
      nodes.assigns.push_back(e);
      walk(e->value, nodes);
      break;
    }
    case ExprKind::Unary:
      walk(static_cast<UnaryExpr*>(expr)->operand, nodes);
      break;
    case ExprKind::Binary: {
      auto* e = static_cast<BinaryExpr*>(expr);
      walk(e->left, nodes);
      walk(e->right, nodes);
      break;
    }
    case ExprKind::Logical: {
      auto* e = static_cast<LogicalExpr*>(expr);
      walk(e->left, nodes);
      walk(e->right, nodes);
      break;
    }
    case ExprKind::Call: {
      auto* e = static_cast<CallExpr*>(expr);
      walk(e->callee, nodes);
      for (Expr* arg : e->args) walk(arg, nodes);
      break;
    }
    case ExprKind::Get:
      walk(static_cast<GetExpr*>(expr)->object, nodes);
      break;
    case ExprKind::Set: {
      auto* e = static_cast<SetExpr*>(expr);
      walk(e->object, nodes);
      walk(e->value, nodes);
      break;
    }
    case ExprKind::Index: {
      auto* e = static_cast<IndexExpr*>(expr);
      walk(e->object, nodes);
      walk(e->index, nodes);
      break;
    }
    case ExprKind::IndexSet: {
      auto* e = static_cast<IndexSetExpr*>(expr);
      walk(e->object, nodes);
      walk(e->index, nodes);
      walk(e->value, nodes);
      break;
    }
    case ExprKind::This:
      nodes.thises.push_back(static_cast<ThisExpr*>(expr));
      break;
    case ExprKind::Super:
      nodes.supers.push_back(static_cast<SuperExpr*>(expr));
      break;
    case ExprKind::Function: {
      FunctionNode* function = static_cast<FunctionExpr*>(expr)->function;
      nodes.lambdas.push_back(function);
      walk(function, nodes);
      break;
    }
    case ExprKind::List:
      for (Expr* element : static_cast<ListExpr*>(expr)->elements) walk(element, nodes);
      break;
    case ExprKind::Map:
      for (auto& [key, value] : static_cast<MapExpr*>(expr)->entries) {
        walk(key, nodes);
        walk(value, nodes);
      }
      break;
    case ExprKind::Grouping:
      walk(static_cast<GroupingExpr*>(expr)->inner, nodes);
      break;
    default:
      break;
  }
}

void walk(Stmt* stmt, Nodes& nodes) {
  if (stmt == nullptr) return;
  switch (stmt->kind) {
    case StmtKind::Expression:
      walk(static_cast<ExpressionStmt*>(stmt)->expr, nodes);
      break;
    case StmtKind::Print:
      walk(static_cast<PrintStmt*>(stmt)->expr, nodes);
      break;
    case StmtKind::Var: {
      auto* s = static_cast<VarStmt*>(stmt);
      nodes.vars.push_back(s);
      walk(s->initializer, nodes);
      break;
    }
    case StmtKind::Block:
      for (Stmt* inner : static_cast<BlockStmt*>(stmt)->statements) walk(inner, nodes);
      break;
    case StmtKind::If: {
      auto* s = static_cast<IfStmt*>(stmt);
      walk(s->condition, nodes);
      walk(s->thenBranch, nodes);
      walk(s->elseBranch, nodes);
      break;
    }
    case StmtKind::While: {
      auto* s = static_cast<WhileStmt*>(stmt);
      walk(s->condition, nodes);
      walk(s->body, nodes);
      break;
    }
    case StmtKind::For: {
      auto* s = static_cast<ForStmt*>(stmt);
      walk(s->initializer, nodes);
      walk(s->condition, nodes);
      walk(s->increment, nodes);
      walk(s->body, nodes);
      break;
    }
    case StmtKind::ForIn: {
      auto* s = static_cast<ForInStmt*>(stmt);
      nodes.forIns.push_back(s);
      walk(s->iterable, nodes);
      walk(s->body, nodes);
      break;
    }
    case StmtKind::Function: {
      auto* s = static_cast<FunctionStmt*>(stmt);
      nodes.functions.push_back(s);
      walk(s->function, nodes);
      break;
    }
    case StmtKind::Return:
      walk(static_cast<ReturnStmt*>(stmt)->value, nodes);
      break;
    case StmtKind::Class: {
      auto* s = static_cast<ClassStmt*>(stmt);
      nodes.classes.push_back(s);
      if (s->superclass) walk(s->superclass, nodes);
      for (FunctionNode* method : s->methods) walk(method, nodes);
      break;
    }
    default:
      break;
  }
}

struct Resolved {
  std::unique_ptr<Program> program;
  Diagnostics diagnostics;
  Nodes nodes;
};

Resolved resolve(std::string_view source) {
  Resolved resolved;
  resolved.program = parse(source, resolved.diagnostics);
  walk(resolved.program->script, resolved.nodes);
  return resolved;
}

std::string errors(std::string_view source) {
  Diagnostics diagnostics;
  parse(source, diagnostics);
  std::string out;
  for (const std::string& message : diagnostics.messages()) out += message + "\n";
  return out;
}

// -- Globals and locals --------------------------------------------------------------

TEST(ResolverTest, TopLevelDeclarationsAreGlobals) {
  Resolved r = resolve("var a = 1; fun f() { return a + g; } class C {} print a; a = 2; var a;");
  ASSERT_FALSE(r.diagnostics.hadError());  // globals may be redeclared
  EXPECT_EQ(r.nodes.var("a")->decl, nullptr);
  EXPECT_EQ(r.nodes.functions[0]->decl, nullptr);
  EXPECT_EQ(r.nodes.classes[0]->decl, nullptr);
  for (VariableExpr* v : r.nodes.variables) EXPECT_EQ(v->decl, nullptr) << v->name.lexeme;
  EXPECT_EQ(r.nodes.assigns[0]->decl, nullptr);
}

TEST(ResolverTest, BlockAtTopLevelHoldsLocalsOfTheScript) {
  Resolved r = resolve("{ var a = 1; print a; a = 2; }");
  ASSERT_FALSE(r.diagnostics.hadError());
  VarDecl* a = r.nodes.var("a")->decl;
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->name.lexeme, "a");
  EXPECT_EQ(a->function, r.program->script);
  EXPECT_FALSE(a->captured);
  EXPECT_EQ(r.nodes.variable("a")->decl, a);
  EXPECT_EQ(r.nodes.assigns[0]->decl, a);
}

TEST(ResolverTest, ShadowingPicksTheInnermost) {
  Resolved r = resolve("{ var a; { var a; print a; } print a; }");
  ASSERT_FALSE(r.diagnostics.hadError());
  VarDecl* outer = r.nodes.var("a", 0)->decl;
  VarDecl* inner = r.nodes.var("a", 1)->decl;
  ASSERT_NE(outer, inner);
  EXPECT_EQ(r.nodes.variable("a", 0)->decl, inner);
  EXPECT_EQ(r.nodes.variable("a", 1)->decl, outer);
}

TEST(ResolverTest, ALocalShadowsAGlobalOnlyInItsScope) {
  Resolved r = resolve("var a; { var a; print a; } print a;");
  ASSERT_FALSE(r.diagnostics.hadError());
  EXPECT_NE(r.nodes.variable("a", 0)->decl, nullptr);
  EXPECT_EQ(r.nodes.variable("a", 1)->decl, nullptr);
}

TEST(ResolverTest, ParametersBelongToTheirFunction) {
  Resolved r = resolve("fun f(a, b) { return a + b; }");
  ASSERT_FALSE(r.diagnostics.hadError());
  FunctionNode* f = r.nodes.functions[0]->function;
  ASSERT_EQ(f->params.size(), 2u);
  EXPECT_EQ(f->params[0]->name.lexeme, "a");
  EXPECT_EQ(f->params[0]->function, f);
  EXPECT_EQ(r.nodes.variable("a")->decl, f->params[0]);
  EXPECT_EQ(r.nodes.variable("b")->decl, f->params[1]);
  EXPECT_FALSE(f->params[0]->captured);
  EXPECT_EQ(f->thisDecl, nullptr);
}

TEST(ResolverTest, LaterGlobalsAreGlobalInsideFunctions) {
  // In `a`, `b` is not declared yet: it is a global (Lox's local mutual recursion test).
  Resolved r = resolve("{ fun a() { b(); } fun b() { a(); } }");
  ASSERT_FALSE(r.diagnostics.hadError());
  EXPECT_EQ(r.nodes.variable("b")->decl, nullptr);
  EXPECT_EQ(r.nodes.variable("a")->decl, r.nodes.functions[0]->decl);
}

// -- Captures ------------------------------------------------------------------------

TEST(ResolverTest, NestedFunctionCapturesLocal) {
  Resolved r = resolve("fun outer() { var x; var y; fun inner() { return x; } y; return inner; }");
  ASSERT_FALSE(r.diagnostics.hadError());
  EXPECT_TRUE(r.nodes.var("x")->decl->captured);
  EXPECT_FALSE(r.nodes.var("y")->decl->captured);
  FunctionStmt* inner = r.nodes.functions[1];
  EXPECT_NE(inner->decl, nullptr);
  EXPECT_FALSE(inner->decl->captured);  // only used by `outer` itself
  EXPECT_EQ(inner->decl->function, r.nodes.functions[0]->function);
  EXPECT_EQ(r.nodes.variable("x")->decl, r.nodes.var("x")->decl);
}

TEST(ResolverTest, LambdaCapturesParameterThroughSeveralLevels) {
  Resolved r = resolve("fun f(a) { return fun () { return fun () { a = a + 1; }; }; }");
  ASSERT_FALSE(r.diagnostics.hadError());
  VarDecl* a = r.nodes.functions[0]->function->params[0];
  EXPECT_TRUE(a->captured);
  EXPECT_EQ(r.nodes.assigns[0]->decl, a);
  EXPECT_EQ(r.nodes.variable("a")->decl, a);
  ASSERT_EQ(r.nodes.lambdas.size(), 2u);
  EXPECT_EQ(r.nodes.lambdas[1]->enclosing, r.nodes.lambdas[0]);
  EXPECT_EQ(r.nodes.lambdas[0]->enclosing, r.nodes.functions[0]->function);
}

TEST(ResolverTest, LocalFunctionCanCallItself) {
  Resolved r = resolve("{ fun f(n) { if (n > 0) f(n - 1); } }");
  ASSERT_FALSE(r.diagnostics.hadError());
  VarDecl* f = r.nodes.functions[0]->decl;
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(r.nodes.variable("f")->decl, f);
  EXPECT_TRUE(f->captured);
}

TEST(ResolverTest, LocalClassIsVisibleInItsMethods) {
  Resolved r = resolve("{ class A { m() { return A; } } print A; }");
  ASSERT_FALSE(r.diagnostics.hadError());
  VarDecl* a = r.nodes.classes[0]->decl;
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(r.nodes.variable("A", 0)->decl, a);
  EXPECT_EQ(r.nodes.variable("A", 1)->decl, a);
  EXPECT_TRUE(a->captured);
}

TEST(ResolverTest, ForInVariableIsAFreshLocal) {
  Resolved r = resolve("for (var x in xs) print x;");
  ASSERT_FALSE(r.diagnostics.hadError());
  ForInStmt* loop = r.nodes.forIns[0];
  ASSERT_NE(loop->decl, nullptr);
  EXPECT_EQ(loop->decl->function, r.program->script);
  EXPECT_EQ(r.nodes.variable("x")->decl, loop->decl);
  EXPECT_EQ(r.nodes.variable("xs")->decl, nullptr);

  // The iterable is resolved outside the loop variable's scope.
  Resolved shadow = resolve("{ var x; for (var x in x) print x; }");
  ASSERT_FALSE(shadow.diagnostics.hadError());
  EXPECT_EQ(shadow.nodes.variable("x", 0)->decl, shadow.nodes.var("x")->decl);
  EXPECT_EQ(shadow.nodes.variable("x", 1)->decl, shadow.nodes.forIns[0]->decl);

  Resolved captured = resolve("for (var x in xs) f(fun () { return x; });");
  EXPECT_TRUE(captured.nodes.forIns[0]->decl->captured);
}

TEST(ResolverTest, ForLoopVariableIsLocalEvenAtTopLevel) {
  Resolved r = resolve("for (var i = 0; i < 3; i = i + 1) print i;");
  ASSERT_FALSE(r.diagnostics.hadError());
  VarDecl* i = r.nodes.var("i")->decl;
  ASSERT_NE(i, nullptr);
  for (VariableExpr* v : r.nodes.variables) EXPECT_EQ(v->decl, i);
  EXPECT_EQ(r.nodes.assigns[0]->decl, i);
}

// -- this and super ------------------------------------------------------------------

TEST(ResolverTest, MethodsHaveThis) {
  Resolved r = resolve("class A { init() { this.x = 1; } m() { return this; } }");
  ASSERT_FALSE(r.diagnostics.hadError());
  FunctionNode* init = r.nodes.classes[0]->methods[0];
  FunctionNode* m = r.nodes.classes[0]->methods[1];
  ASSERT_NE(init->thisDecl, nullptr);
  ASSERT_NE(m->thisDecl, nullptr);
  EXPECT_EQ(m->thisDecl->name.lexeme, "this");
  EXPECT_EQ(m->thisDecl->function, m);
  EXPECT_EQ(r.nodes.thises[0]->decl, init->thisDecl);
  EXPECT_EQ(r.nodes.thises[1]->decl, m->thisDecl);
  EXPECT_FALSE(m->thisDecl->captured);
}

TEST(ResolverTest, ThisInNestedFunctionIsCaptured) {
  Resolved r = resolve("class A { m() { fun f() { return fun () { return this; }; } return f; } }");
  ASSERT_FALSE(r.diagnostics.hadError());
  FunctionNode* m = r.nodes.classes[0]->methods[0];
  EXPECT_EQ(r.nodes.thises[0]->decl, m->thisDecl);
  EXPECT_TRUE(m->thisDecl->captured);
  EXPECT_EQ(r.nodes.functions[0]->function->thisDecl, nullptr);
}

TEST(ResolverTest, SubclassHasHiddenSuper) {
  Resolved r = resolve("class A { m() {} } class B < A { m() { return super.m; } }");
  ASSERT_FALSE(r.diagnostics.hadError());
  ClassStmt* a = r.nodes.classes[0];
  ClassStmt* b = r.nodes.classes[1];
  EXPECT_EQ(a->superDecl, nullptr);
  ASSERT_NE(b->superDecl, nullptr);
  EXPECT_EQ(b->superDecl->name.lexeme, "super");
  EXPECT_EQ(b->superDecl->function, r.program->script);  // a local of the code around the class
  EXPECT_TRUE(b->superDecl->captured);
  ASSERT_NE(b->superclass, nullptr);
  EXPECT_EQ(b->superclass->decl, nullptr);  // A is a global
  SuperExpr* super = r.nodes.supers[0];
  EXPECT_EQ(super->superDecl, b->superDecl);
  EXPECT_EQ(super->thisDecl, b->methods[0]->thisDecl);
  EXPECT_EQ(super->method.lexeme, "m");
}

TEST(ResolverTest, LocalSuperclassAndNestedSubclasses) {
  Resolved r =
      resolve("fun f() { class A {} class B < A { m() { class C < B { n() { super.n(); } } super.m(); } } }");
  ASSERT_FALSE(r.diagnostics.hadError());
  ClassStmt* a = r.nodes.classes[0];
  ClassStmt* b = r.nodes.classes[1];
  ClassStmt* c = r.nodes.classes[2];
  FunctionNode* f = r.nodes.functions[0]->function;
  EXPECT_EQ(b->superclass->decl, a->decl);
  EXPECT_EQ(b->superDecl->function, f);
  EXPECT_EQ(c->superDecl->function, b->methods[0]);
  EXPECT_EQ(c->superclass->decl, b->decl);
  EXPECT_TRUE(b->decl->captured);  // C < B inside a method of B
  ASSERT_EQ(r.nodes.supers.size(), 2u);
  EXPECT_EQ(r.nodes.supers[0]->superDecl, c->superDecl);  // super.n() in C
  EXPECT_EQ(r.nodes.supers[1]->superDecl, b->superDecl);  // super.m() in B
}

TEST(ResolverTest, InitializersAreNotMethods) {
  Resolved r = resolve("class A { init() { return; } initialize() {} }");
  ASSERT_FALSE(r.diagnostics.hadError());
  EXPECT_EQ(r.nodes.classes[0]->methods[0]->kind, FunctionKind::Initializer);
  EXPECT_EQ(r.nodes.classes[0]->methods[1]->kind, FunctionKind::Method);
}

// -- Static errors ---------------------------------------------------------------------

TEST(ResolverErrorTest, AlreadyAVariableInThisScope) {
  const std::string message = "Already a variable with this name in this scope.\n";
  EXPECT_EQ(errors("{\n  var a = 1;\n  var a = 2;\n}"), "[line 3] Error at 'a': " + message);
  EXPECT_EQ(errors("fun f(arg, arg) {}"), "[line 1] Error at 'arg': " + message);
  EXPECT_EQ(errors("fun f(a) { var a; }"), "[line 1] Error at 'a': " + message);
  // Recovery after the class skips the block's '}' (clox does the same).
  EXPECT_EQ(errors("{ fun g() {} class g {} }"),
            "[line 1] Error at 'g': " + message + "[line 1] Error at end: Expect '}' after block.\n");
  EXPECT_EQ(errors("{ var a; { var a; } }"), "");
  EXPECT_EQ(errors("for (var i = 0; ; ) { var i; }"), "");
  EXPECT_EQ(errors("for (var x in y) { var x; }"), "");
}

TEST(ResolverErrorTest, OwnInitializer) {
  const std::string message = "Can't read local variable in its own initializer.\n";
  EXPECT_EQ(errors("var a = \"outer\";\n{\n  var a = a;\n}"), "[line 3] Error at 'a': " + message);
  EXPECT_EQ(errors("{ var a = a = 1; }"), "[line 1] Error at 'a': " + message);
  EXPECT_EQ(errors("{ var f = fun () { return f; }; }"), "[line 1] Error at 'f': " + message);
  EXPECT_EQ(errors("var a = a;"), "");  // globals are looked up at run time
}

TEST(ResolverErrorTest, ReturnErrors) {
  EXPECT_EQ(errors("return \"wat\";"), "[line 1] Error at 'return': Can't return from top-level code.\n");
  EXPECT_EQ(errors("{ return; }"), "[line 1] Error at 'return': Can't return from top-level code.\n");
  EXPECT_EQ(errors("class Foo {\n  init() {\n    return \"result\";\n  }\n}"),
            "[line 3] Error at 'return': Can't return a value from an initializer.\n");
  EXPECT_EQ(errors("class Foo { init() { return; } }"), "");
  EXPECT_EQ(errors("class Foo { init() { fun init() { return 1; } return; } }"), "");
  EXPECT_EQ(errors("class Foo { init() { return fun () { return 1; }; } }"),
            "[line 1] Error at 'return': Can't return a value from an initializer.\n");
  EXPECT_EQ(errors("var f = fun () { return 1; };"), "");
}

TEST(ResolverErrorTest, ThisOutsideOfAClass) {
  const std::string message = "Error at 'this': Can't use 'this' outside of a class.\n";
  EXPECT_EQ(errors("this;"), "[line 1] " + message);
  EXPECT_EQ(errors("fun foo() {\n  this;\n}"), "[line 2] " + message);
  EXPECT_EQ(errors("class A {} fun f() { return this; }"), "[line 1] " + message);
}

TEST(ResolverErrorTest, SuperErrors) {
  EXPECT_EQ(errors("super.foo(\"bar\");\nsuper.foo;"),
            "[line 1] Error at 'super': Can't use 'super' outside of a class.\n"
            "[line 2] Error at 'super': Can't use 'super' outside of a class.\n");
  EXPECT_EQ(errors("class Base {\n  foo() {\n    super.doesNotExist(1);\n  }\n}"),
            "[line 3] Error at 'super': Can't use 'super' in a class with no superclass.\n");
  // The innermost class decides.
  EXPECT_EQ(errors("class A < B { m() { class C { n() { super.n; } } } }"),
            "[line 1] Error at 'super': Can't use 'super' in a class with no superclass.\n");
}

TEST(ResolverErrorTest, ClassCantInheritFromItself) {
  EXPECT_EQ(errors("class Foo < Foo {}"), "[line 1] Error at 'Foo': A class can't inherit from itself.\n");
  // Lox's local_inherit_self test expects the second error from clox too.
  EXPECT_EQ(errors("{\n  class Foo < Foo {}\n}"),
            "[line 2] Error at 'Foo': A class can't inherit from itself.\n"
            "[line 3] Error at end: Expect '}' after block.\n");
}

TEST(ResolverErrorTest, BreakAndContinueOutsideOfALoop) {
  EXPECT_EQ(errors("break;\ncontinue;"),
            "[line 1] Error at 'break': Can't use 'break' outside of a loop.\n"
            "[line 2] Error at 'continue': Can't use 'continue' outside of a loop.\n");
  // A function body starts outside any loop.
  EXPECT_EQ(errors("while (true) { fun f() { break; } }"),
            "[line 1] Error at 'break': Can't use 'break' outside of a loop.\n");
  EXPECT_EQ(errors("for (;;) { var f = fun () { continue; }; }"),
            "[line 1] Error at 'continue': Can't use 'continue' outside of a loop.\n");
  EXPECT_EQ(errors("while (true) { if (x) break; else { continue; } }"), "");
  EXPECT_EQ(errors("for (;;) for (var x in y) { break; } continue;"),
            "[line 1] Error at 'continue': Can't use 'continue' outside of a loop.\n");
  EXPECT_EQ(errors("fun f() { while (x) {} break; }"),
            "[line 1] Error at 'break': Can't use 'break' outside of a loop.\n");
}

TEST(ResolverErrorTest, StaticErrorsInterleaveWithSyntaxErrorsInSourceOrder) {
  EXPECT_EQ(errors("return 1;\nprint;\n{ var a; var a; }\nthis;"),
            "[line 1] Error at 'return': Can't return from top-level code.\n"
            "[line 2] Error at ';': Expect expression.\n"
            "[line 3] Error at 'a': Already a variable with this name in this scope.\n"
            "[line 4] Error at 'this': Can't use 'this' outside of a class.\n");
}

TEST(ResolverErrorTest, StaticErrorsSetPanicMode) {
  // The static error suppresses the syntax error that follows in the same statement...
  EXPECT_EQ(errors("{ var a = a + ; }"),
            "[line 1] Error at 'a': Can't read local variable in its own initializer.\n");
  EXPECT_EQ(errors("this + ;"), "[line 1] Error at 'this': Can't use 'this' outside of a class.\n");
  // ...and a syntax error suppresses static errors until the parser resynchronizes.
  EXPECT_EQ(errors("print ) this;"), "[line 1] Error at ')': Expect expression.\n");
  EXPECT_EQ(errors("1 2 break; break;"),
            "[line 1] Error at '2': Expect ';' after expression.\n"
            "[line 1] Error at 'break': Can't use 'break' outside of a loop.\n");
}

}  // namespace
}  // namespace kiln
