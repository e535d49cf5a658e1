// The abstract syntax tree produced by the parser, annotated by the resolver and
// consumed by the bytecode compiler.
//
// Every node is owned by the AstArena of its Program; children are plain pointers,
// so destroying even a very deep tree never recurses.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "frontend/token.h"
#include "vm/object.h"  // FunctionKind

namespace kiln::ast {

struct FunctionNode;

// A local variable: a parameter, a `var` in a block or function body, a function or
// class declared in a local scope, the `for-in` loop variable, the implicit `this`
// of a method, or the hidden `super` variable of a subclass. Globals have no VarDecl.
// Filled in by the resolver.
struct VarDecl {
  Token name;
  FunctionNode* function = nullptr;  // the function whose frame holds the variable
  bool captured = false;             // some closure refers to it (needs an upvalue)
};

enum class ExprKind {
  Number,
  String,
  Nil,
  True,
  False,
  Variable,
  Assign,
  Unary,
  Binary,
  Logical,
  Call,
  Get,
  Set,
  Index,
  IndexSet,
  This,
  Super,
  Function,
  List,
  Map,
  Grouping,
};

struct Expr {
  ExprKind kind;
  int line;
  Expr(ExprKind k, int l) : kind(k), line(l) {}
  virtual ~Expr() = default;
};

struct NumberExpr : Expr {
  double value = 0;
  using Expr::Expr;
};
struct StringExpr : Expr {
  std::string value;
  using Expr::Expr;
};  // text between the quotes
struct LiteralExpr : Expr {
  using Expr::Expr;
};  // Nil, True, False
struct VariableExpr : Expr {
  Token name;
  VarDecl* decl = nullptr;
  using Expr::Expr;
};  // decl null: global
struct AssignExpr : Expr {
  Token name;
  Expr* value = nullptr;
  VarDecl* decl = nullptr;
  using Expr::Expr;
};
struct UnaryExpr : Expr {
  Token op;
  Expr* operand = nullptr;
  using Expr::Expr;
};  // - ! ~
// + - * / % == != < <= > >= & | ^ << >>
struct BinaryExpr : Expr {
  Token op;
  Expr* left = nullptr;
  Expr* right = nullptr;
  using Expr::Expr;
};
struct LogicalExpr : Expr {
  Token op;
  Expr* left = nullptr;
  Expr* right = nullptr;
  using Expr::Expr;
};  // and, or
// line: the line of the closing parenthesis (where Lox reports call errors).
struct CallExpr : Expr {
  Expr* callee = nullptr;
  std::vector<Expr*> args;
  using Expr::Expr;
};
struct GetExpr : Expr {
  Expr* object = nullptr;
  Token name;
  using Expr::Expr;
};
struct SetExpr : Expr {
  Expr* object = nullptr;
  Token name;
  Expr* value = nullptr;
  using Expr::Expr;
};
struct IndexExpr : Expr {
  Expr* object = nullptr;
  Expr* index = nullptr;
  using Expr::Expr;
};
struct IndexSetExpr : Expr {
  Expr* object = nullptr;
  Expr* index = nullptr;
  Expr* value = nullptr;
  using Expr::Expr;
};
struct ThisExpr : Expr {
  Token keyword;
  VarDecl* decl = nullptr;
  using Expr::Expr;
};
// super.method: `thisDecl` is the method's `this`, `superDecl` the hidden class-scope
// variable that holds the superclass.
struct SuperExpr : Expr {
  Token keyword;
  Token method;
  VarDecl* thisDecl = nullptr;
  VarDecl* superDecl = nullptr;
  using Expr::Expr;
};
struct FunctionExpr : Expr {
  FunctionNode* function = nullptr;
  using Expr::Expr;
};  // fun (a, b) { ... }
struct ListExpr : Expr {
  std::vector<Expr*> elements;
  using Expr::Expr;
};
struct MapExpr : Expr {
  std::vector<std::pair<Expr*, Expr*>> entries;
  using Expr::Expr;
};
struct GroupingExpr : Expr {
  Expr* inner = nullptr;
  using Expr::Expr;
};

enum class StmtKind {
  Expression,
  Print,
  Var,
  Block,
  If,
  While,
  For,
  ForIn,
  Break,
  Continue,
  Function,
  Return,
  Class,
};

struct Stmt {
  StmtKind kind;
  int line;
  Stmt(StmtKind k, int l) : kind(k), line(l) {}
  virtual ~Stmt() = default;
};

struct ExpressionStmt : Stmt {
  Expr* expr = nullptr;
  using Stmt::Stmt;
};
struct PrintStmt : Stmt {
  Expr* expr = nullptr;
  using Stmt::Stmt;
};
// decl null: a global variable (declared at the top level of the script).
struct VarStmt : Stmt {
  Token name;
  Expr* initializer = nullptr;
  VarDecl* decl = nullptr;
  using Stmt::Stmt;
};
struct BlockStmt : Stmt {
  std::vector<Stmt*> statements;
  using Stmt::Stmt;
};
struct IfStmt : Stmt {
  Expr* condition = nullptr;
  Stmt* thenBranch = nullptr;
  Stmt* elseBranch = nullptr;
  using Stmt::Stmt;
};
struct WhileStmt : Stmt {
  Expr* condition = nullptr;
  Stmt* body = nullptr;
  using Stmt::Stmt;
};
// Kept as its own node (not desugared) so `continue` can jump to the increment.
// initializer: a VarStmt or ExpressionStmt or null; condition/increment may be null.
struct ForStmt : Stmt {
  Stmt* initializer = nullptr;
  Expr* condition = nullptr;
  Expr* increment = nullptr;
  Stmt* body = nullptr;
  using Stmt::Stmt;
};
// for (var name in iterable) body. The loop variable is a fresh local per iteration.
struct ForInStmt : Stmt {
  Token name;
  VarDecl* decl = nullptr;
  Expr* iterable = nullptr;
  Stmt* body = nullptr;
  using Stmt::Stmt;
};
struct BreakStmt : Stmt {
  Token keyword;
  using Stmt::Stmt;
};
struct ContinueStmt : Stmt {
  Token keyword;
  using Stmt::Stmt;
};
struct FunctionStmt : Stmt {
  FunctionNode* function = nullptr;
  VarDecl* decl = nullptr;
  using Stmt::Stmt;
};  // decl null: global
struct ReturnStmt : Stmt {
  Token keyword;
  Expr* value = nullptr;
  using Stmt::Stmt;
};
struct ClassStmt : Stmt {
  Token name;
  VarDecl* decl = nullptr;             // null: a global class
  VariableExpr* superclass = nullptr;  // null: no superclass
  VarDecl* superDecl = nullptr;        // the hidden `super` variable (with a superclass)
  std::vector<FunctionNode*> methods;  // kind Method or Initializer
  // Distinct names of the `this.name = ...` assignments in the body (the first 32).
  std::vector<std::string_view> assignedFields;
  using Stmt::Stmt;
};

struct FunctionNode {
  Token name;  // empty lexeme for the script and for lambdas
  FunctionKind kind = FunctionKind::Function;
  int line = 0;
  std::vector<VarDecl*> params;
  std::vector<Stmt*> body;
  VarDecl* thisDecl = nullptr;  // methods and initializers: `this` (register 0)
  FunctionNode* enclosing = nullptr;
};

class AstArena {
 public:
  template <class T>
  T* make(auto&&... args) {
    auto node = std::make_unique<T>(std::forward<decltype(args)>(args)...);
    T* raw = node.get();
    owned_.push_back(Owned{raw, [](void* p) { delete static_cast<T*>(p); }});
    node.release();
    return raw;
  }
  AstArena() = default;
  AstArena(const AstArena&) = delete;
  AstArena& operator=(const AstArena&) = delete;
  ~AstArena() {
    for (auto& o : owned_) o.destroy(o.ptr);
  }

 private:
  struct Owned {
    void* ptr;
    void (*destroy)(void*);
  };
  std::vector<Owned> owned_;
};

struct Program {
  AstArena arena;
  FunctionNode* script = nullptr;  // kind Script; its body is the top-level statements
};

}  // namespace kiln::ast
