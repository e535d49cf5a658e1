// The resolver: binds every variable reference to its declaration and finds the
// static errors of Lox (redeclared locals, `this` outside a class, `return` at the
// top level, ...), plus Kiln's `break`/`continue` outside a loop.
//
// It is not a separate pass: the parser drives it as it goes (beginScope when it sees
// `{`, declare when it sees `var x`, resolve when it sees `x`, ...). clox finds these
// errors in its single pass through the same error function as syntax errors, so
// running them in parse order is what makes Kiln report the same errors, in the same
// order, with the same panic-mode suppression. Errors go to the callback given at
// construction (the parser's, which applies panic mode).
//
// Results are written into the AST (see frontend/ast.h): a VarDecl for every local,
// `decl` on references (null for globals), `captured` on locals that a nested function
// uses, `thisDecl` on methods, `superDecl` on subclasses.
#pragma once

#include <functional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "frontend/ast.h"

namespace kiln {

class Resolver {
 public:
  using ErrorFn = std::function<void(const Token& where, std::string_view message)>;

  Resolver(ast::AstArena& arena, ErrorFn reportError);

  // -- Functions -------------------------------------------------------------------
  // Enters `function` (sets its `enclosing`) and opens the scope its parameters and
  // body share. Methods and initializers get their implicit `this` here. The script is
  // entered first, with no scope: its top-level declarations are globals.
  void beginFunction(ast::FunctionNode* function);
  void endFunction();
  ast::FunctionNode* currentFunction() const;

  // -- Scopes and declarations -----------------------------------------------------
  void beginScope();
  void endScope();

  // Declares `name` in the innermost scope, not yet readable (so `var a = a;` can be
  // caught). Returns null for a global. Reports a second declaration in one scope.
  ast::VarDecl* declare(const Token& name);
  // Makes the variable most recently declared in the current function readable.
  void markInitialized();
  // A readable local the user cannot name (`super`); never clashes or errors.
  ast::VarDecl* declareHidden(const Token& name);

  // The declaration `name` refers to, or null for a global. `name` is also where an
  // error is reported.
  ast::VarDecl* resolve(const Token& name);

  // -- Classes, `this` and `super` ---------------------------------------------------
  void beginClass();
  void setHasSuperclass();
  void endClass();
  // Returns the method's `this`, or reports use outside a class and returns null.
  ast::VarDecl* resolveThis(const Token& keyword);
  // Reports `super` outside a class or in a class without superclass. Returns whether
  // it is valid.
  bool checkSuper(const Token& keyword);

  // -- Control flow ----------------------------------------------------------------
  void beginLoop();
  void endLoop();
  void checkBreak(const Token& keyword);
  void checkContinue(const Token& keyword);
  // `return` at the top level; checked as soon as the keyword is seen.
  void checkReturn(const Token& keyword);
  // `return value;` in an initializer; checked once a value is known to follow.
  void checkReturnValue(const Token& keyword);

 private:
  struct Local {
    std::string_view name;
    ast::VarDecl* decl;
    int depth;         // scope depth within its function
    bool initialized;  // false between `var x` and the end of its initializer
  };
  struct FunctionContext {
    ast::FunctionNode* function;
    int scopeDepth;
    int loopDepth;
    size_t firstLocal;  // index in locals_ of this function's first local
  };

  FunctionContext& current() { return functions_.back(); }
  ast::VarDecl* addLocal(const Token& name, bool initialized);
  void popLocal();

  ast::AstArena& arena_;
  ErrorFn reportError_;
  std::vector<FunctionContext> functions_;
  // Every local in scope, in declaration order, across all enclosing functions.
  std::vector<Local> locals_;
  // For each name, the indices in locals_ of the locals with that name, innermost last.
  // Makes lookups O(1) however many locals are in scope.
  std::unordered_map<std::string_view, std::vector<size_t>> byName_;
  std::vector<bool> classHasSuperclass_;  // one entry per enclosing class
};

}  // namespace kiln
