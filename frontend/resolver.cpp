// The resolver's scope bookkeeping. It follows clox's rules exactly (see resolver.h):
// locals live in scopes of a function; the script's outermost scope holds globals;
// a function's parameters and body share one scope.
#include "frontend/resolver.h"

#include <utility>

namespace kiln {

Resolver::Resolver(ast::AstArena& arena, ErrorFn reportError)
    : arena_(arena), reportError_(std::move(reportError)) {}

// -- Functions ---------------------------------------------------------------------

void Resolver::beginFunction(ast::FunctionNode* function) {
  function->enclosing = functions_.empty() ? nullptr : current().function;
  functions_.push_back(FunctionContext{function, 0, 0, locals_.size()});
  if (function->kind == FunctionKind::Method || function->kind == FunctionKind::Initializer) {
    // Register 0 of a method holds the receiver, at the function's outermost depth.
    function->thisDecl = addLocal(Token{TokenType::This, "this", function->line}, true);
  }
  if (function->kind != FunctionKind::Script) beginScope();
}

void Resolver::endFunction() {
  while (locals_.size() > current().firstLocal) popLocal();
  functions_.pop_back();
}

ast::FunctionNode* Resolver::currentFunction() const {
  return functions_.empty() ? nullptr : functions_.back().function;
}

// -- Scopes and declarations -------------------------------------------------------

void Resolver::beginScope() { current().scopeDepth++; }

void Resolver::endScope() {
  FunctionContext& context = current();
  context.scopeDepth--;
  while (locals_.size() > context.firstLocal && locals_.back().depth > context.scopeDepth) popLocal();
}

ast::VarDecl* Resolver::declare(const Token& name) {
  FunctionContext& context = current();
  if (context.function->kind == FunctionKind::Script && context.scopeDepth == 0) return nullptr;
  auto found = byName_.find(name.lexeme);
  if (found != byName_.end() && !found->second.empty()) {
    // Only the innermost binding of the name can be in the current scope: any later
    // one would be in a scope or function that has already ended.
    size_t index = found->second.back();
    if (index >= context.firstLocal && locals_[index].depth == context.scopeDepth) {
      reportError_(name, "Already a variable with this name in this scope.");
    }
  }
  return addLocal(name, false);
}

void Resolver::markInitialized() {
  FunctionContext& context = current();
  if (context.function->kind == FunctionKind::Script && context.scopeDepth == 0) return;
  if (locals_.size() > context.firstLocal) locals_.back().initialized = true;
}

ast::VarDecl* Resolver::declareHidden(const Token& name) { return addLocal(name, true); }

ast::VarDecl* Resolver::addLocal(const Token& name, bool initialized) {
  ast::VarDecl* decl = arena_.make<ast::VarDecl>();
  decl->name = name;
  decl->function = current().function;
  byName_[name.lexeme].push_back(locals_.size());
  locals_.push_back(Local{name.lexeme, decl, current().scopeDepth, initialized});
  return decl;
}

void Resolver::popLocal() {
  auto found = byName_.find(locals_.back().name);
  found->second.pop_back();
  if (found->second.empty()) byName_.erase(found);
  locals_.pop_back();
}

ast::VarDecl* Resolver::resolve(const Token& name) {
  auto found = byName_.find(name.lexeme);
  if (found == byName_.end()) return nullptr;
  // The innermost binding wins, whether it is in this function or an enclosing one.
  Local& local = locals_[found->second.back()];
  if (!local.initialized) reportError_(name, "Can't read local variable in its own initializer.");
  if (local.decl->function != current().function) local.decl->captured = true;
  return local.decl;
}

// -- Classes, `this` and `super` -----------------------------------------------------

void Resolver::beginClass() { classHasSuperclass_.push_back(false); }

void Resolver::setHasSuperclass() { classHasSuperclass_.back() = true; }

void Resolver::endClass() { classHasSuperclass_.pop_back(); }

ast::VarDecl* Resolver::resolveThis(const Token& keyword) {
  if (classHasSuperclass_.empty()) {
    reportError_(keyword, "Can't use 'this' outside of a class.");
    return nullptr;
  }
  return resolve(keyword);
}

bool Resolver::checkSuper(const Token& keyword) {
  if (classHasSuperclass_.empty()) {
    reportError_(keyword, "Can't use 'super' outside of a class.");
    return false;
  }
  if (!classHasSuperclass_.back()) {
    reportError_(keyword, "Can't use 'super' in a class with no superclass.");
    return false;
  }
  return true;
}

// -- Control flow ------------------------------------------------------------------

void Resolver::beginLoop() { current().loopDepth++; }

void Resolver::endLoop() { current().loopDepth--; }

void Resolver::checkBreak(const Token& keyword) {
  if (current().loopDepth == 0) reportError_(keyword, "Can't use 'break' outside of a loop.");
}

void Resolver::checkContinue(const Token& keyword) {
  if (current().loopDepth == 0) reportError_(keyword, "Can't use 'continue' outside of a loop.");
}

void Resolver::checkReturn(const Token& keyword) {
  if (current().function->kind == FunctionKind::Script) {
    reportError_(keyword, "Can't return from top-level code.");
  }
}

void Resolver::checkReturnValue(const Token& keyword) {
  if (current().function->kind == FunctionKind::Initializer) {
    reportError_(keyword, "Can't return a value from an initializer.");
  }
}

}  // namespace kiln
