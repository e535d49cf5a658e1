// The bytecode compiler: one pass over the resolved AST that emits register bytecode
// (vm/opcodes.def) into one FunctionProto per function.
//
// Registers are allocated like Lua's code generator: register 0 is the callee (or
// `this`), the parameters follow, then the locals in declaration order, and the
// temporaries sit above the locals as a stack that shrinks again as soon as an
// expression is done. The resolver already decided what every name refers to (the
// `decl` annotations of the AST), so the compiler only maps VarDecls to registers
// and upvalue indices.
//
// Sections: limits, constant folding, per-function state, emission, variables,
// expressions, conditions, statements, functions and classes, entry point.
#include "frontend/compiler.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "vm/arith.h"
#include "vm/opcodes.h"
#include "vm/vm.h"

namespace kiln {
namespace {

using ast::Expr;
using ast::ExprKind;
using ast::FunctionNode;
using ast::Stmt;
using ast::StmtKind;
using ast::VarDecl;

// -- Limits ------------------------------------------------------------------------

constexpr int kMaxRegisters = 256;        // register operands are 8 bits
constexpr int kMaxUpvalues = kMaxBx + 1;  // GetUpval/SetUpval index them with Bx
constexpr int kMaxArguments = 255;        // Call's B operand
constexpr uint32_t kMaxKOperand = 255;    // AddK's C and JumpIfNot*K's B are 8 bits

// Expression targets (see Compiler::expr).
constexpr int kAnyRegister = -1;
constexpr int kDiscard = -2;

constexpr int kNoCapture = INT_MAX;

// -- Constant folding --------------------------------------------------------------

// A value known at compile time: a literal, or an operation on literals folded with
// exactly the interpreter's semantics.
struct Constant {
  enum class Kind : uint8_t { Nil, False, True, Number, String };
  Kind kind = Kind::Nil;
  double number = 0;
  std::string text;

  static Constant ofNumber(double d) {
    Constant c;
    c.kind = Kind::Number;
    c.number = d;
    return c;
  }
  static Constant ofBool(bool b) {
    Constant c;
    c.kind = b ? Kind::True : Kind::False;
    return c;
  }
  static Constant ofString(std::string s) {
    Constant c;
    c.kind = Kind::String;
    c.text = std::move(s);
    return c;
  }
  bool truthy() const { return kind != Kind::Nil && kind != Kind::False; }
};

bool equalConstants(const Constant& a, const Constant& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == Constant::Kind::Number) return a.number == b.number;  // nan != nan
  if (a.kind == Constant::Kind::String) return a.text == b.text;      // strings are interned
  return true;
}

std::optional<Constant> foldUnary(TokenType op, const Constant& a) {
  switch (op) {
    case TokenType::Minus:
      if (a.kind == Constant::Kind::Number) return Constant::ofNumber(-a.number);
      return std::nullopt;
    case TokenType::Bang:
      return Constant::ofBool(!a.truthy());
    case TokenType::Tilde: {
      int64_t x;
      if (a.kind != Constant::Kind::Number || !numberToInt64(a.number, &x)) return std::nullopt;
      return Constant::ofNumber(double(~x));
    }
    default:
      return std::nullopt;
  }
}

// Only folds what cannot raise a runtime error; anything else is left to the VM.
// Number semantics come from vm/arith.h, shared with the interpreter.
std::optional<Constant> foldBinary(TokenType op, const Constant& a, const Constant& b) {
  const bool numbers = a.kind == Constant::Kind::Number && b.kind == Constant::Kind::Number;
  const double x = a.number, y = b.number;
  switch (op) {
    case TokenType::Plus:
      if (numbers) return Constant::ofNumber(x + y);
      if (a.kind == Constant::Kind::String && b.kind == Constant::Kind::String) {
        return Constant::ofString(a.text + b.text);
      }
      return std::nullopt;
    case TokenType::Minus:
      if (numbers) return Constant::ofNumber(x - y);
      return std::nullopt;
    case TokenType::Star:
      if (numbers) return Constant::ofNumber(x * y);
      return std::nullopt;
    case TokenType::Slash:
      if (numbers) return Constant::ofNumber(x / y);
      return std::nullopt;
    case TokenType::Percent:
      if (numbers) return Constant::ofNumber(floorMod(x, y));  // the VM's own function
      return std::nullopt;
    case TokenType::Amp:
    case TokenType::Pipe:
    case TokenType::Caret:
    case TokenType::LessLess:
    case TokenType::GreaterGreater: {
      int64_t i, j;
      if (!numbers || !numberToInt64(x, &i) || !numberToInt64(y, &j)) return std::nullopt;
      switch (op) {
        case TokenType::Amp:
          return Constant::ofNumber(double(i & j));
        case TokenType::Pipe:
          return Constant::ofNumber(double(i | j));
        case TokenType::Caret:
          return Constant::ofNumber(double(i ^ j));
        default:
          break;
      }
      if (j < 0 || j > 63) return std::nullopt;  // a runtime error
      if (op == TokenType::LessLess) return Constant::ofNumber(double(int64_t(uint64_t(i) << j)));
      return Constant::ofNumber(double(i >> j));
    }
    case TokenType::EqualEqual:
      return Constant::ofBool(equalConstants(a, b));
    case TokenType::BangEqual:
      return Constant::ofBool(!equalConstants(a, b));
    case TokenType::Less:
      if (numbers) return Constant::ofBool(x < y);
      return std::nullopt;
    case TokenType::LessEqual:
      if (numbers) return Constant::ofBool(x <= y);
      return std::nullopt;
    case TokenType::Greater:
      if (numbers) return Constant::ofBool(x > y);
      return std::nullopt;
    case TokenType::GreaterEqual:
      if (numbers) return Constant::ofBool(x >= y);
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

bool isComparison(TokenType op) {
  switch (op) {
    case TokenType::Less:
    case TokenType::LessEqual:
    case TokenType::Greater:
    case TokenType::GreaterEqual:
    case TokenType::EqualEqual:
    case TokenType::BangEqual:
      return true;
    default:
      return false;
  }
}

// The K form of an arithmetic operator (right operand a number constant).
std::optional<Opcode> arithmeticKOpcode(TokenType op) {
  switch (op) {
    case TokenType::Plus:
      return Opcode::AddK;
    case TokenType::Minus:
      return Opcode::SubK;
    case TokenType::Star:
      return Opcode::MulK;
    case TokenType::Slash:
      return Opcode::DivK;
    case TokenType::Percent:
      return Opcode::ModK;
    default:
      return std::nullopt;
  }
}

std::optional<Opcode> binaryOpcode(TokenType op) {
  switch (op) {
    case TokenType::Plus:
      return Opcode::Add;
    case TokenType::Minus:
      return Opcode::Sub;
    case TokenType::Star:
      return Opcode::Mul;
    case TokenType::Slash:
      return Opcode::Div;
    case TokenType::Percent:
      return Opcode::Mod;
    case TokenType::Amp:
      return Opcode::BitAnd;
    case TokenType::Pipe:
      return Opcode::BitOr;
    case TokenType::Caret:
      return Opcode::BitXor;
    case TokenType::LessLess:
      return Opcode::Shl;
    case TokenType::GreaterGreater:
      return Opcode::Shr;
    case TokenType::EqualEqual:
      return Opcode::Eq;
    case TokenType::BangEqual:
      return Opcode::Ne;
    case TokenType::Less:
      return Opcode::Lt;
    case TokenType::LessEqual:
      return Opcode::Le;
    case TokenType::Greater:
      return Opcode::Lt;  // operands swapped
    case TokenType::GreaterEqual:
      return Opcode::Le;  // operands swapped
    default:
      return std::nullopt;
  }
}

// -- Per-function state --------------------------------------------------------------

// A lexical block. Leaving it closes the upvalues of its captured locals.
struct Scope {
  Scope* outer = nullptr;
  int firstRegister = 0;
  int lowestCaptured = kNoCapture;  // lowest register of a captured local declared here
};

struct LoopState {
  LoopState* outer = nullptr;
  Scope* breakScope = nullptr;     // `break` closes the scopes nested inside this one
  Scope* continueScope = nullptr;  // `continue` closes the scopes nested inside this one
  int continueTarget = -1;         // a known backward target, or -1: forward jumps
  std::vector<int> breakJumps;
  std::vector<int> continueJumps;
};

struct FunctionState {
  FunctionState* enclosing = nullptr;
  const FunctionNode* node = nullptr;
  FunctionProto* proto = nullptr;
  int freeRegister = 1;  // first register not holding a local or a live temporary
  int maxRegisters = 1;
  bool reportedRegisterOverflow = false;
  bool reportedUpvalueOverflow = false;
  std::unordered_map<const VarDecl*, int> registers;  // locals of this frame
  std::unordered_map<const VarDecl*, uint32_t> upvalueIndex;
  std::unordered_map<uint64_t, uint32_t> constantIndex;  // number/string bits -> constant
  Scope* scope = nullptr;
  LoopState* loop = nullptr;
  int lastLine = 0;
};

enum class VarKind { Local, Upvalue, Global };
struct VarRef {
  VarKind kind;
  uint32_t index;  // register, upvalue index or global cell index
};

// -- The compiler --------------------------------------------------------------------

class Compiler {
 public:
  Compiler(VM& vm, Diagnostics& diagnostics) : vm_(vm), diagnostics_(diagnostics) {}

  FunctionProto* compileFunction(const FunctionNode* node);
  bool hadError() const { return hadError_; }

 private:
  // Emission.
  FunctionProto* proto() { return fs_->proto; }
  int here() const { return int(fs_->proto->code.size()); }
  void emitWord(uint32_t word, int line);
  void emitABC(Opcode op, int a, int b, int c, int line);
  void emitABx(Opcode op, int a, uint32_t bx, int line);
  void emitAsBx(Opcode op, int a, int sbx, int line);
  int emitCondJump(Opcode op, int a, int b, int line);
  int emitJump(int line);
  void emitLoop(int target, int line);
  void patchJump(int at, int target);
  void patchJumps(const std::vector<int>& jumps, int target);
  bool jumpInRange(int offset, int line);

  // Errors.
  void errorAt(const Token& token, std::string_view message);
  void error(int line, std::string_view message);

  // Registers and scopes.
  int reserve(int line);
  int reserveLocal(const Token& name);
  int dest(int target, int line) { return target >= 0 ? target : reserve(line); }
  void declareLocal(const VarDecl* decl, int reg);
  void beginScope(Scope& scope);
  void endScope(int line);
  void closeScopesInside(const Scope* stop, int line);

  // Constants.
  uint32_t addConstant(Value v);
  uint32_t numberConstant(double d) { return addConstant(Value::number(d)); }
  uint32_t stringConstant(std::string_view text);
  uint32_t propertyCache(std::string_view name);
  uint32_t globalSlot(std::string_view name);
  void loadConstantIndex(int reg, uint32_t index, int line);
  int loadNumber(double d, int target, int line);
  int loadConstant(const Constant& c, int target, int line);
  std::optional<Constant> fold(const Expr* e);
  std::optional<uint32_t> numberOperand(const Expr* e);
  std::optional<uint32_t> equalityOperand(const Expr* e);

  // Variables.
  VarRef resolveVariable(const VarDecl* decl, const Token& name);
  uint32_t resolveUpvalue(FunctionState* fs, const VarDecl* decl, const Token& name);
  int readVariable(const VarDecl* decl, const Token& name, int target, int line);

  // Expressions.
  int expr(const Expr* e, int target);
  int operand(const Expr* e, uint8_t later);  // later: mayWrite() of what runs after
  int settle(int reg, int saved, int target, int line);
  static constexpr uint8_t kMayAssign = 1, kMayCall = 2;
  uint8_t mayWrite(const Expr* e);
  static bool canTargetDirectly(const Expr* e);
  int assign(const ast::AssignExpr* e, int target);
  int unary(const ast::UnaryExpr* e, int target);
  int binary(const ast::BinaryExpr* e, int target);
  int logical(const ast::LogicalExpr* e, int target);
  int call(const ast::CallExpr* e, int target);
  int getProperty(const ast::GetExpr* e, int target);
  int setProperty(const ast::SetExpr* e, int target);
  int getIndex(const ast::IndexExpr* e, int target);
  int setIndex(const ast::IndexSetExpr* e, int target);
  int superProperty(const ast::SuperExpr* e, int target);
  int listLiteral(const ast::ListExpr* e, int target);
  int mapLiteral(const ast::MapExpr* e, int target);

  // Conditions.
  void jumpIfFalse(const Expr* cond, std::vector<int>& falseJumps);
  void compareAndJump(const ast::BinaryExpr* e, std::vector<int>& falseJumps);

  // Statements.
  void statement(const Stmt* s);
  void varStatement(const ast::VarStmt* s);
  void block(const ast::BlockStmt* s);
  void ifStatement(const ast::IfStmt* s);
  void whileStatement(const ast::WhileStmt* s);
  void forStatement(const ast::ForStmt* s);
  void forInStatement(const ast::ForInStmt* s);
  void breakStatement(const ast::BreakStmt* s);
  void continueStatement(const ast::ContinueStmt* s);
  void functionStatement(const ast::FunctionStmt* s);
  void returnStatement(const ast::ReturnStmt* s);
  void classStatement(const ast::ClassStmt* s);
  // `tenured`: the closure is made once and lives long (FunctionProto::tenureClosures).
  void closure(const FunctionNode* node, int reg, int line, bool tenured = false);

  VM& vm_;
  Diagnostics& diagnostics_;
  FunctionState* fs_ = nullptr;
  bool hadError_ = false;
  bool reportedJumpRange_ = false;
  std::unordered_map<std::string_view, uint32_t> globalSlots_;  // name -> cell index
  std::unordered_set<const Expr*> notConstant_;                 // fold() memo for failures
  std::unordered_map<const Expr*, uint8_t> mayWriteMemo_;
};

// -- Emission ------------------------------------------------------------------------

void Compiler::emitWord(uint32_t word, int line) {
  proto()->code.push_back(word);
  proto()->lines.push_back(line);
  fs_->lastLine = line;
}

// Register fields are masked so that, after a reported overflow, a bad index cannot
// spill into the neighbouring fields (the proto is thrown away anyway).
void Compiler::emitABC(Opcode op, int a, int b, int c, int line) {
  emitWord(encodeABC(op, uint32_t(a) & 0xff, uint32_t(b) & 0xff, uint32_t(c) & 0xff), line);
}

void Compiler::emitABx(Opcode op, int a, uint32_t bx, int line) {
  emitWord(encodeABx(op, uint32_t(a) & 0xff, bx & 0xffff), line);
}

void Compiler::emitAsBx(Opcode op, int a, int sbx, int line) {
  emitWord(encodeAsBx(op, uint32_t(a) & 0xff, sbx), line);
}

// A conditional jump: the instruction, then its offset in the extension word.
int Compiler::emitCondJump(Opcode op, int a, int b, int line) {
  int at = here();
  emitABC(op, a, b, 0, line);
  emitWord(0, line);
  return at;
}

int Compiler::emitJump(int line) {
  int at = here();
  emitWord(encodeSJ(Opcode::Jump, 0), line);
  return at;
}

void Compiler::emitLoop(int target, int line) {
  int offset = target - (here() + 1);
  if (!jumpInRange(offset, line)) offset = 0;
  emitWord(encodeSJ(Opcode::Loop, offset), line);
}

bool Compiler::jumpInRange(int offset, int line) {
  if (offset >= -kMaxSJ && offset <= kMaxSJ) return true;
  if (!reportedJumpRange_) error(line, "Too much code to jump over.");
  reportedJumpRange_ = true;
  return false;
}

// Jump offsets count from the word after the instruction (and its extension word).
void Compiler::patchJump(int at, int target) {
  std::vector<uint32_t>& code = proto()->code;
  Opcode op = opOf(code[at]);
  if (op == Opcode::Jump || op == Opcode::Loop) {
    int offset = target - (at + 1);
    if (!jumpInRange(offset, proto()->lines[at])) offset = 0;
    code[at] = encodeSJ(op, offset);
  } else {
    code[at + 1] = uint32_t(int32_t(target - (at + 2)));
  }
}

void Compiler::patchJumps(const std::vector<int>& jumps, int target) {
  for (int at : jumps) patchJump(at, target);
}

// -- Errors --------------------------------------------------------------------------

void Compiler::errorAt(const Token& token, std::string_view message) {
  hadError_ = true;
  diagnostics_.errorAt(token, message);
}

void Compiler::error(int line, std::string_view message) {
  hadError_ = true;
  diagnostics_.error(line, message);
}

// -- Registers and scopes ------------------------------------------------------------

int Compiler::reserve(int line) {
  int reg = fs_->freeRegister++;
  if (reg >= kMaxRegisters && !fs_->reportedRegisterOverflow) {
    fs_->reportedRegisterOverflow = true;
    error(line, "Expression needs too many registers.");
  }
  fs_->maxRegisters = std::max(fs_->maxRegisters, fs_->freeRegister);
  return reg;
}

// A register for a new local (or a hidden loop register), reported at its name.
int Compiler::reserveLocal(const Token& name) {
  if (fs_->freeRegister >= kMaxRegisters) {
    fs_->reportedRegisterOverflow = true;
    errorAt(name, "Too many local variables in function.");
  }
  return reserve(name.line);
}

void Compiler::declareLocal(const VarDecl* decl, int reg) {
  fs_->registers[decl] = reg;
  if (decl->captured) fs_->scope->lowestCaptured = std::min(fs_->scope->lowestCaptured, reg);
}

void Compiler::beginScope(Scope& scope) {
  scope.outer = fs_->scope;
  scope.firstRegister = fs_->freeRegister;
  fs_->scope = &scope;
}

void Compiler::endScope(int line) {
  Scope* scope = fs_->scope;
  if (scope->lowestCaptured != kNoCapture) emitABC(Opcode::CloseUpvals, scope->lowestCaptured, 0, 0, line);
  fs_->freeRegister = scope->firstRegister;
  fs_->scope = scope->outer;
}

// Before a break or continue: closes the captured locals of every scope the jump
// leaves (those nested inside `stop`).
void Compiler::closeScopesInside(const Scope* stop, int line) {
  int lowest = kNoCapture;
  for (Scope* s = fs_->scope; s != nullptr && s != stop; s = s->outer)
    lowest = std::min(lowest, s->lowestCaptured);
  if (lowest != kNoCapture) emitABC(Opcode::CloseUpvals, lowest, 0, 0, line);
}

// -- Constants -----------------------------------------------------------------------

// Same deduplication as FunctionProto::addConstant (numbers by bits, strings by
// identity, which interning makes content equality), through a hash map: the linear
// scan of addConstant makes compiling a function with many constants quadratic.
uint32_t Compiler::addConstant(Value v) {
  const bool deduplicated = !v.isObj() || isString(v);  // numbers, nil, booleans, strings
  if (deduplicated) {
    auto it = fs_->constantIndex.find(v.bits());
    if (it != fs_->constantIndex.end()) return it->second;
  }
  std::vector<Value>& constants = proto()->constants;
  uint32_t index = uint32_t(constants.size());
  constants.push_back(v);
  vm_.heap().writeBarrier(proto(), v);
  if (deduplicated) fs_->constantIndex.emplace(v.bits(), index);
  return index;
}

// Interned strings are weak: store each one in the (rooted) proto right away.
uint32_t Compiler::stringConstant(std::string_view text) {
  String* s = vm_.intern(text);
  return addConstant(Value::object(s));
}

uint32_t Compiler::propertyCache(std::string_view name) {
  String* s = vm_.intern(name);
  return proto()->addPropertyCache(s);
}

// The global's cell keeps its name alive, so it needs no constant.
uint32_t Compiler::globalSlot(std::string_view name) {
  auto it = globalSlots_.find(name);
  if (it != globalSlots_.end()) return it->second;
  String* s = vm_.intern(name);
  uint32_t index = vm_.globalIndex(s);
  globalSlots_.emplace(name, index);
  return index;
}

void Compiler::loadConstantIndex(int reg, uint32_t index, int line) {
  if (index <= uint32_t(kMaxBx)) {
    emitABx(Opcode::LoadK, reg, index, line);
  } else {
    emitABC(Opcode::LoadKX, reg, 0, 0, line);
    emitWord(index, line);
  }
}

int Compiler::loadNumber(double d, int target, int line) {
  int reg = dest(target, line);
  bool smallInteger = d >= -kSBxBias && d <= kSBxBias && d == std::floor(d) && !(d == 0 && std::signbit(d));
  if (smallInteger) {
    emitAsBx(Opcode::LoadI, reg, int(d), line);
  } else {
    loadConstantIndex(reg, numberConstant(d), line);
  }
  return reg;
}

int Compiler::loadConstant(const Constant& c, int target, int line) {
  switch (c.kind) {
    case Constant::Kind::Number:
      return loadNumber(c.number, target, line);
    case Constant::Kind::String: {
      int reg = dest(target, line);
      loadConstantIndex(reg, stringConstant(c.text), line);
      return reg;
    }
    case Constant::Kind::Nil: {
      int reg = dest(target, line);
      emitABC(Opcode::LoadNil, reg, 0, 0, line);
      return reg;
    }
    case Constant::Kind::True:
    case Constant::Kind::False: {
      int reg = dest(target, line);
      emitABC(c.kind == Constant::Kind::True ? Opcode::LoadTrue : Opcode::LoadFalse, reg, 0, 0, line);
      return reg;
    }
  }
  return dest(target, line);
}

// The compile-time value of `e`, if it has one. Failures are memoized so that deep
// non-constant expressions are not re-examined at every level (linear, not quadratic).
std::optional<Constant> Compiler::fold(const Expr* e) {
  switch (e->kind) {
    case ExprKind::Number:
      return Constant::ofNumber(static_cast<const ast::NumberExpr*>(e)->value);
    case ExprKind::String:
      return Constant::ofString(static_cast<const ast::StringExpr*>(e)->value);
    case ExprKind::Nil:
      return Constant{};
    case ExprKind::True:
      return Constant::ofBool(true);
    case ExprKind::False:
      return Constant::ofBool(false);
    case ExprKind::Grouping:
      return fold(static_cast<const ast::GroupingExpr*>(e)->inner);
    case ExprKind::Unary:
    case ExprKind::Binary:
      break;
    default:
      return std::nullopt;
  }
  if (notConstant_.count(e)) return std::nullopt;
  std::optional<Constant> result;
  if (e->kind == ExprKind::Unary) {
    auto* u = static_cast<const ast::UnaryExpr*>(e);
    if (auto operand = fold(u->operand)) result = foldUnary(u->op.type, *operand);
  } else {
    auto* b = static_cast<const ast::BinaryExpr*>(e);
    if (auto left = fold(b->left)) {
      if (auto right = fold(b->right)) result = foldBinary(b->op.type, *left, *right);
    }
  }
  if (!result) notConstant_.insert(e);
  return result;
}

// The constant index of `e` when it is a constant of any kind (nil, a boolean, a
// number, a string) that fits a K operand: == and != compare with any value.
std::optional<uint32_t> Compiler::equalityOperand(const Expr* e) {
  std::optional<Constant> c = fold(e);
  if (!c) return std::nullopt;
  uint32_t index = 0;
  switch (c->kind) {
    case Constant::Kind::Number:
      index = numberConstant(c->number);
      break;
    case Constant::Kind::String:
      index = stringConstant(c->text);
      break;
    case Constant::Kind::Nil:
      index = addConstant(Value::nil());
      break;
    case Constant::Kind::True:
    case Constant::Kind::False:
      index = addConstant(Value::boolean(c->kind == Constant::Kind::True));
      break;
  }
  if (index > kMaxKOperand) return std::nullopt;
  return index;
}

// The constant index of `e` when it is a number constant that fits a K operand.
std::optional<uint32_t> Compiler::numberOperand(const Expr* e) {
  std::optional<Constant> c = fold(e);
  if (!c || c->kind != Constant::Kind::Number) return std::nullopt;
  uint32_t index = numberConstant(c->number);
  if (index > kMaxKOperand) return std::nullopt;
  return index;
}

// -- Variables -----------------------------------------------------------------------

VarRef Compiler::resolveVariable(const VarDecl* decl, const Token& name) {
  if (decl == nullptr) return {VarKind::Global, globalSlot(name.lexeme)};
  if (decl->function == fs_->node) {
    auto it = fs_->registers.find(decl);
    if (it != fs_->registers.end()) return {VarKind::Local, uint32_t(it->second)};
    errorAt(name, "Internal compiler error: local variable has no register.");
    return {VarKind::Local, 0};
  }
  return {VarKind::Upvalue, resolveUpvalue(fs_, decl, name)};
}

// The index of `decl` among the upvalues of `fs`, adding it (and, recursively, to
// every function in between) on first use.
uint32_t Compiler::resolveUpvalue(FunctionState* fs, const VarDecl* decl, const Token& name) {
  auto it = fs->upvalueIndex.find(decl);
  if (it != fs->upvalueIndex.end()) return it->second;
  FunctionState* parent = fs->enclosing;
  if (parent == nullptr) {
    errorAt(name, "Internal compiler error: variable not found in enclosing functions.");
    return 0;
  }
  UpvalueDesc desc{};
  if (decl->function == parent->node) {
    auto reg = parent->registers.find(decl);
    if (reg == parent->registers.end()) {
      errorAt(name, "Internal compiler error: captured variable has no register.");
      return 0;
    }
    desc = {true, uint32_t(reg->second)};
  } else {
    desc = {false, resolveUpvalue(parent, decl, name)};
  }
  std::vector<UpvalueDesc>& upvalues = fs->proto->upvalues;
  if (upvalues.size() >= size_t(kMaxUpvalues)) {
    if (!fs->reportedUpvalueOverflow) errorAt(name, "Too many closure variables in function.");
    fs->reportedUpvalueOverflow = true;
    return 0;
  }
  uint32_t index = uint32_t(upvalues.size());
  upvalues.push_back(desc);
  fs->upvalueIndex.emplace(decl, index);
  return index;
}

int Compiler::readVariable(const VarDecl* decl, const Token& name, int target, int line) {
  VarRef ref = resolveVariable(decl, name);
  switch (ref.kind) {
    case VarKind::Local:
      if (target < 0) return int(ref.index);
      if (uint32_t(target) != ref.index) emitABC(Opcode::Move, target, int(ref.index), 0, line);
      return target;
    case VarKind::Upvalue: {
      int reg = dest(target, line);
      emitABx(Opcode::GetUpval, reg, ref.index, line);
      return reg;
    }
    case VarKind::Global: {
      int reg = dest(target, line);
      emitABC(Opcode::GetGlobal, reg, 0, 0, line);
      emitWord(ref.index, line);
      return reg;
    }
  }
  return 0;
}

// -- Expressions ---------------------------------------------------------------------
//
// expr(e, target) compiles `e` and returns the register holding its value:
//   target >= 0     the value ends in `target`, a register that is safe to overwrite
//                   at any point of the evaluation (a fresh temporary or a new local);
//   kAnyRegister    either an existing local's register (nothing allocated) or a new
//                   temporary at the top of the stack (freeRegister == result + 1);
//   kDiscard        only the side effects matter (expression statements).
// Temporaries used inside are released before returning.

int Compiler::expr(const Expr* e, int target) {
  const int line = e->line;
  switch (e->kind) {
    case ExprKind::Number:
      return loadNumber(static_cast<const ast::NumberExpr*>(e)->value, target, line);
    case ExprKind::String:
    case ExprKind::Nil:
    case ExprKind::True:
    case ExprKind::False:
      return loadConstant(*fold(e), target, line);
    case ExprKind::Variable: {
      auto* v = static_cast<const ast::VariableExpr*>(e);
      return readVariable(v->decl, v->name, target, line);
    }
    case ExprKind::This: {
      auto* t = static_cast<const ast::ThisExpr*>(e);
      return readVariable(t->decl, t->keyword, target, line);
    }
    case ExprKind::Assign:
      return assign(static_cast<const ast::AssignExpr*>(e), target);
    case ExprKind::Unary:
      return unary(static_cast<const ast::UnaryExpr*>(e), target);
    case ExprKind::Binary:
      return binary(static_cast<const ast::BinaryExpr*>(e), target);
    case ExprKind::Logical:
      return logical(static_cast<const ast::LogicalExpr*>(e), target);
    case ExprKind::Call:
      return call(static_cast<const ast::CallExpr*>(e), target);
    case ExprKind::Get:
      return getProperty(static_cast<const ast::GetExpr*>(e), target);
    case ExprKind::Set:
      return setProperty(static_cast<const ast::SetExpr*>(e), target);
    case ExprKind::Index:
      return getIndex(static_cast<const ast::IndexExpr*>(e), target);
    case ExprKind::IndexSet:
      return setIndex(static_cast<const ast::IndexSetExpr*>(e), target);
    case ExprKind::Super:
      return superProperty(static_cast<const ast::SuperExpr*>(e), target);
    case ExprKind::Function: {
      int reg = dest(target, line);
      closure(static_cast<const ast::FunctionExpr*>(e)->function, reg, line);
      return reg;
    }
    case ExprKind::List:
      return listLiteral(static_cast<const ast::ListExpr*>(e), target);
    case ExprKind::Map:
      return mapLiteral(static_cast<const ast::MapExpr*>(e), target);
    case ExprKind::Grouping:
      return expr(static_cast<const ast::GroupingExpr*>(e)->inner, target);
  }
  return dest(target, line);
}

// An operand whose register is read only after later operands are evaluated. A local
// is used in place, unless a later operand may assign it (directly, or through a
// closure when it calls something): then its current value is copied first, which
// keeps Lox's left-to-right evaluation.
int Compiler::operand(const Expr* e, uint8_t later) {
  int saved = fs_->freeRegister;
  int reg = expr(e, kAnyRegister);
  // A local in its own register: copy it if what runs later may change it. A
  // call can only through an upvalue, so uncaptured locals and `this` (never
  // assigned) stay put across calls.
  while (e->kind == ExprKind::Grouping) e = static_cast<const ast::GroupingExpr*>(e)->inner;
  bool callSafe = e->kind == ExprKind::This || (e->kind == ExprKind::Variable &&
                                                static_cast<const ast::VariableExpr*>(e)->decl != nullptr &&
                                                !static_cast<const ast::VariableExpr*>(e)->decl->captured);
  bool mayChange = (later & kMayAssign) || ((later & kMayCall) && !callSafe);
  if (reg < saved && mayChange) {
    int copy = reserve(e->line);
    emitABC(Opcode::Move, copy, reg, 0, e->line);
    return copy;
  }
  return reg;
}

// Moves a result computed in `reg` (with temporaries from `saved` up) to where the
// caller asked for it, and releases the temporaries.
int Compiler::settle(int reg, int saved, int target, int line) {
  if (target >= 0) {
    if (reg != target) emitABC(Opcode::Move, target, reg, 0, line);
    fs_->freeRegister = saved;
    return target;
  }
  fs_->freeRegister = saved;
  if (target == kDiscard || reg < saved) return reg;
  int result = reserve(line);
  if (result != reg) emitABC(Opcode::Move, result, reg, 0, line);
  return result;
}

// What evaluating `e` may do to locals (a mask of kMayAssign, kMayCall): assign
// one, or call a function (which may assign a captured local). Memoized: asked
// again at every nesting level.
uint8_t Compiler::mayWrite(const Expr* e) {
  switch (e->kind) {
    case ExprKind::Number:
    case ExprKind::String:
    case ExprKind::Nil:
    case ExprKind::True:
    case ExprKind::False:
    case ExprKind::Variable:
    case ExprKind::This:
    case ExprKind::Super:
    case ExprKind::Function:
      return 0;
    default:
      break;
  }
  auto it = mayWriteMemo_.find(e);
  if (it != mayWriteMemo_.end()) return it->second;
  uint8_t result = 0;
  switch (e->kind) {
    case ExprKind::Assign:
      result = kMayAssign | mayWrite(static_cast<const ast::AssignExpr*>(e)->value);
      break;
    case ExprKind::Call: {
      auto* c = static_cast<const ast::CallExpr*>(e);
      result = kMayCall | mayWrite(c->callee);
      for (const Expr* arg : c->args) result |= mayWrite(arg);
      break;
    }
    case ExprKind::Unary:
      result = mayWrite(static_cast<const ast::UnaryExpr*>(e)->operand);
      break;
    case ExprKind::Binary: {
      auto* b = static_cast<const ast::BinaryExpr*>(e);
      result = mayWrite(b->left) | mayWrite(b->right);
      break;
    }
    case ExprKind::Logical: {
      auto* l = static_cast<const ast::LogicalExpr*>(e);
      result = mayWrite(l->left) | mayWrite(l->right);
      break;
    }
    case ExprKind::Get:
      result = mayWrite(static_cast<const ast::GetExpr*>(e)->object);
      break;
    case ExprKind::Set: {
      auto* s = static_cast<const ast::SetExpr*>(e);
      result = mayWrite(s->object) | mayWrite(s->value);
      break;
    }
    case ExprKind::Index: {
      auto* i = static_cast<const ast::IndexExpr*>(e);
      result = mayWrite(i->object) | mayWrite(i->index);
      break;
    }
    case ExprKind::IndexSet: {
      auto* i = static_cast<const ast::IndexSetExpr*>(e);
      result = mayWrite(i->object) | mayWrite(i->index) | mayWrite(i->value);
      break;
    }
    case ExprKind::List:
      for (const Expr* element : static_cast<const ast::ListExpr*>(e)->elements) result |= mayWrite(element);
      break;
    case ExprKind::Map:
      for (const auto& [key, value] : static_cast<const ast::MapExpr*>(e)->entries) {
        result |= mayWrite(key) | mayWrite(value);
      }
      break;
    case ExprKind::Grouping:
      result = mayWrite(static_cast<const ast::GroupingExpr*>(e)->inner);
      break;
    default:
      result = kMayAssign | kMayCall;  // anything else: assume the worst
      break;
  }
  mayWriteMemo_[e] = result;
  return result;
}

// Whether expr(e, reg) may be given a live local's register: true when the value is
// written by the last instruction only, after every read of the operands. Calls (the
// callee goes into the target first), logical operators (the target is written
// twice) and literals built element by element do not qualify.
bool Compiler::canTargetDirectly(const Expr* e) {
  while (e->kind == ExprKind::Grouping) e = static_cast<const ast::GroupingExpr*>(e)->inner;
  switch (e->kind) {
    case ExprKind::Number:
    case ExprKind::String:
    case ExprKind::Nil:
    case ExprKind::True:
    case ExprKind::False:
    case ExprKind::Variable:
    case ExprKind::This:
    case ExprKind::Unary:
    case ExprKind::Binary:
    case ExprKind::Get:
    case ExprKind::Index:
    case ExprKind::Super:
    case ExprKind::Function:
      return true;
    default:
      return false;
  }
}

int Compiler::assign(const ast::AssignExpr* e, int target) {
  const int line = e->line;
  const int saved = fs_->freeRegister;
  VarRef ref = resolveVariable(e->decl, e->name);
  if (ref.kind == VarKind::Local) {
    int reg = int(ref.index);
    if (canTargetDirectly(e->value)) {
      expr(e->value, reg);
    } else {
      int value = expr(e->value, kAnyRegister);
      if (value != reg) emitABC(Opcode::Move, reg, value, 0, line);
    }
    return settle(reg, saved, target, line);
  }
  int value = expr(e->value, target >= 0 ? target : kAnyRegister);
  if (ref.kind == VarKind::Upvalue) {
    emitABx(Opcode::SetUpval, value, ref.index, line);
  } else {
    emitABC(Opcode::SetGlobal, value, 0, 0, line);
    emitWord(ref.index, line);
  }
  return settle(value, saved, target, line);
}

int Compiler::unary(const ast::UnaryExpr* e, int target) {
  const int line = e->line;
  if (auto c = fold(e)) return loadConstant(*c, target, line);
  Opcode op = e->op.type == TokenType::Minus  ? Opcode::Neg
              : e->op.type == TokenType::Bang ? Opcode::Not
                                              : Opcode::BitNot;
  const int saved = fs_->freeRegister;
  int value = expr(e->operand, kAnyRegister);
  fs_->freeRegister = saved;
  int reg = dest(target, line);
  emitABC(op, reg, value, 0, line);
  return reg;
}

int Compiler::binary(const ast::BinaryExpr* e, int target) {
  const int line = e->line;
  if (auto c = fold(e)) return loadConstant(*c, target, line);
  const TokenType op = e->op.type;
  const int saved = fs_->freeRegister;

  if (auto kop = arithmeticKOpcode(op)) {
    if (auto k = numberOperand(e->right)) {
      int left = expr(e->left, kAnyRegister);  // a constant cannot change it
      fs_->freeRegister = saved;
      int reg = dest(target, line);
      emitABC(*kop, reg, left, int(*k), line);
      return reg;
    }
    // `2 * x`: + and * commute exactly in IEEE arithmetic, and a literal has no side
    // effects, so the constant can move to the right.
    if (op == TokenType::Plus || op == TokenType::Star) {
      if (auto k = numberOperand(e->left)) {
        int right = expr(e->right, kAnyRegister);
        fs_->freeRegister = saved;
        int reg = dest(target, line);
        emitABC(*kop, reg, right, int(*k), line);
        return reg;
      }
    }
  }

  std::optional<Opcode> opcode = binaryOpcode(op);
  if (!opcode) {
    errorAt(e->op, "Internal compiler error: unknown binary operator.");
    return dest(target, line);
  }
  int left = operand(e->left, mayWrite(e->right));
  int right = expr(e->right, kAnyRegister);
  fs_->freeRegister = saved;
  int reg = dest(target, line);
  if (op == TokenType::Greater || op == TokenType::GreaterEqual) std::swap(left, right);
  emitABC(*opcode, reg, left, right, line);
  return reg;
}

// The result register gets the left value, and keeps it unless the right side has
// to be evaluated.
int Compiler::logical(const ast::LogicalExpr* e, int target) {
  const int line = e->line;
  int reg = dest(target, line);
  expr(e->left, reg);
  int skip = emitCondJump(e->op.type == TokenType::And ? Opcode::JumpIfNot : Opcode::JumpIf, reg, 0, line);
  expr(e->right, reg);
  patchJump(skip, here());
  return reg;
}

// Callee (or receiver) in R[A] at the top of the stack, arguments above it.
int Compiler::call(const ast::CallExpr* e, int target) {
  const int line = e->line;
  const int saved = fs_->freeRegister;
  if (e->args.size() > size_t(kMaxArguments)) error(line, "Can't have more than 255 arguments.");
  const int argc = int(std::min(e->args.size(), size_t(kMaxArguments)));
  const bool inPlace = target >= 0 && target == fs_->freeRegister - 1;
  const int base = inPlace ? target : reserve(line);

  auto arguments = [&] {
    for (const Expr* arg : e->args) {
      int reg = reserve(arg->line);
      expr(arg, reg);
    }
  };

  if (base + argc >= kMaxRegisters) {
    // The arguments would pass register 255: collect them in a list, which
    // CallList spreads into the callee's frame (a method becomes a bound method).
    if (e->callee->kind == ExprKind::Super) {
      superProperty(static_cast<const ast::SuperExpr*>(e->callee), base);
    } else {
      expr(e->callee, base);
    }
    fs_->freeRegister = base + 1;
    int list = reserve(line);
    emitABx(Opcode::NewList, list, uint32_t(argc), line);
    for (const Expr* arg : e->args) {
      int reg = reserve(arg->line);
      expr(arg, reg);
      emitABC(Opcode::ListPush, list, reg, 0, arg->line);
      fs_->freeRegister = reg;
    }
    emitABC(Opcode::CallList, base, list, 0, line);
  } else if (e->callee->kind == ExprKind::Get) {
    auto* get = static_cast<const ast::GetExpr*>(e->callee);
    expr(get->object, base);
    arguments();
    emitABC(Opcode::Invoke, base, argc, 0, line);
    emitWord(propertyCache(get->name.lexeme), line);
  } else if (e->callee->kind == ExprKind::Super) {
    auto* super = static_cast<const ast::SuperExpr*>(e->callee);
    readVariable(super->thisDecl, super->keyword, base, line);
    arguments();
    int superclass = readVariable(super->superDecl, super->keyword, kAnyRegister, line);
    emitABC(Opcode::SuperInvoke, base, argc, superclass, line);
    emitWord(propertyCache(super->method.lexeme), line);
  } else {
    expr(e->callee, base);
    arguments();
    emitABC(Opcode::Call, base, argc, proto()->addCallSite(), line);
  }

  if (inPlace) {
    fs_->freeRegister = saved;
    return target;
  }
  fs_->freeRegister = base + 1;
  return settle(base, saved, target, line);
}

int Compiler::getProperty(const ast::GetExpr* e, int target) {
  const int line = e->line;
  const int saved = fs_->freeRegister;
  int object = expr(e->object, kAnyRegister);
  fs_->freeRegister = saved;
  int reg = dest(target, line);
  emitABC(Opcode::GetProp, reg, object, 0, line);
  emitWord(propertyCache(e->name.lexeme), line);
  return reg;
}

int Compiler::setProperty(const ast::SetExpr* e, int target) {
  const int line = e->line;
  const int saved = fs_->freeRegister;
  int object = operand(e->object, mayWrite(e->value));
  int value = expr(e->value, kAnyRegister);
  emitABC(Opcode::SetProp, object, value, 0, line);
  emitWord(propertyCache(e->name.lexeme), line);
  return settle(value, saved, target, line);
}

int Compiler::getIndex(const ast::IndexExpr* e, int target) {
  const int line = e->line;
  const int saved = fs_->freeRegister;
  int object = operand(e->object, mayWrite(e->index));
  int index = expr(e->index, kAnyRegister);
  fs_->freeRegister = saved;
  int reg = dest(target, line);
  emitABC(Opcode::GetIndex, reg, object, index, line);
  return reg;
}

int Compiler::setIndex(const ast::IndexSetExpr* e, int target) {
  const int line = e->line;
  const int saved = fs_->freeRegister;
  int object = operand(e->object, mayWrite(e->index) | mayWrite(e->value));
  int index = operand(e->index, mayWrite(e->value));
  int value = expr(e->value, kAnyRegister);
  emitABC(Opcode::SetIndex, object, index, value, line);
  return settle(value, saved, target, line);
}

int Compiler::superProperty(const ast::SuperExpr* e, int target) {
  const int line = e->line;
  const int saved = fs_->freeRegister;
  int receiver = readVariable(e->thisDecl, e->keyword, kAnyRegister, line);
  int superclass = readVariable(e->superDecl, e->keyword, kAnyRegister, line);
  fs_->freeRegister = saved;
  int reg = dest(target, line);
  emitABC(Opcode::GetSuper, reg, receiver, superclass, line);
  emitWord(propertyCache(e->method.lexeme), line);
  return reg;
}

int Compiler::listLiteral(const ast::ListExpr* e, int target) {
  const int line = e->line;
  int list = dest(target, line);
  emitABx(Opcode::NewList, list, uint32_t(std::min(e->elements.size(), size_t(kMaxBx))), line);
  for (const Expr* element : e->elements) {
    const int saved = fs_->freeRegister;
    int value = expr(element, kAnyRegister);
    emitABC(Opcode::ListPush, list, value, 0, element->line);
    fs_->freeRegister = saved;
  }
  return list;
}

int Compiler::mapLiteral(const ast::MapExpr* e, int target) {
  const int line = e->line;
  int map = dest(target, line);
  emitABx(Opcode::NewMap, map, uint32_t(std::min(e->entries.size(), size_t(kMaxBx))), line);
  for (const auto& [keyExpr, valueExpr] : e->entries) {
    const int saved = fs_->freeRegister;
    int key = operand(keyExpr, mayWrite(valueExpr));
    int value = expr(valueExpr, kAnyRegister);
    emitABC(Opcode::SetIndex, map, key, value, valueExpr->line);
    fs_->freeRegister = saved;
  }
  return map;
}

// -- Conditions ----------------------------------------------------------------------

// Emits code that falls through when `cond` is truthy and jumps when it is falsey;
// the jumps are appended to `falseJumps` for the caller to patch. Comparisons become
// fused compare-and-branch instructions; `and`/`or` become chains of jumps.
void Compiler::jumpIfFalse(const Expr* cond, std::vector<int>& falseJumps) {
  while (cond->kind == ExprKind::Grouping) cond = static_cast<const ast::GroupingExpr*>(cond)->inner;
  const int line = cond->line;
  if (auto c = fold(cond)) {
    if (!c->truthy()) falseJumps.push_back(emitJump(line));
    return;
  }
  if (cond->kind == ExprKind::Logical) {
    auto* l = static_cast<const ast::LogicalExpr*>(cond);
    if (l->op.type == TokenType::And) {
      jumpIfFalse(l->left, falseJumps);
      jumpIfFalse(l->right, falseJumps);
      return;
    }
    std::vector<int> leftFalse;
    jumpIfFalse(l->left, leftFalse);
    if (leftFalse.empty()) return;  // the left side is always true: the right never runs
    int toBody = emitJump(line);
    patchJumps(leftFalse, here());
    jumpIfFalse(l->right, falseJumps);
    patchJump(toBody, here());
    return;
  }
  if (cond->kind == ExprKind::Unary && static_cast<const ast::UnaryExpr*>(cond)->op.type == TokenType::Bang) {
    // `!x` is false exactly when x is truthy: test x itself, no Not needed.
    const int saved = fs_->freeRegister;
    int reg = expr(static_cast<const ast::UnaryExpr*>(cond)->operand, kAnyRegister);
    falseJumps.push_back(emitCondJump(Opcode::JumpIf, reg, 0, line));
    fs_->freeRegister = saved;
    return;
  }
  if (cond->kind == ExprKind::Binary) {
    auto* b = static_cast<const ast::BinaryExpr*>(cond);
    if (isComparison(b->op.type)) {
      compareAndJump(b, falseJumps);
      return;
    }
  }
  const int saved = fs_->freeRegister;
  int reg = expr(cond, kAnyRegister);
  falseJumps.push_back(emitCondJump(Opcode::JumpIfNot, reg, 0, line));
  fs_->freeRegister = saved;
}

void Compiler::compareAndJump(const ast::BinaryExpr* e, std::vector<int>& falseJumps) {
  const int line = e->line;
  const int saved = fs_->freeRegister;
  const TokenType op = e->op.type;
  const bool equality = op == TokenType::EqualEqual || op == TokenType::BangEqual;
  auto constantOperand = [&](const Expr* side) {
    return equality ? equalityOperand(side) : numberOperand(side);
  };

  if (auto k = constantOperand(e->right)) {
    Opcode jump = op == TokenType::Less           ? Opcode::JumpIfNotLtK
                  : op == TokenType::LessEqual    ? Opcode::JumpIfNotLeK
                  : op == TokenType::Greater      ? Opcode::JumpIfNotGtK
                  : op == TokenType::GreaterEqual ? Opcode::JumpIfNotGeK
                  : op == TokenType::EqualEqual   ? Opcode::JumpIfNotEqK
                                                  : Opcode::JumpIfNotNeK;
    int left = expr(e->left, kAnyRegister);
    falseJumps.push_back(emitCondJump(jump, left, int(*k), line));
    fs_->freeRegister = saved;
    return;
  }
  if (auto k = constantOperand(e->left)) {
    // `0 < x` is `x > 0`; evaluating the literal later changes nothing.
    Opcode jump = op == TokenType::Less           ? Opcode::JumpIfNotGtK
                  : op == TokenType::LessEqual    ? Opcode::JumpIfNotGeK
                  : op == TokenType::Greater      ? Opcode::JumpIfNotLtK
                  : op == TokenType::GreaterEqual ? Opcode::JumpIfNotLeK
                  : op == TokenType::EqualEqual   ? Opcode::JumpIfNotEqK
                                                  : Opcode::JumpIfNotNeK;
    int right = expr(e->right, kAnyRegister);
    falseJumps.push_back(emitCondJump(jump, right, int(*k), line));
    fs_->freeRegister = saved;
    return;
  }

  int left = operand(e->left, mayWrite(e->right));
  int right = expr(e->right, kAnyRegister);
  Opcode jump = Opcode::JumpIfNotNe;
  switch (op) {
    case TokenType::Less:
      jump = Opcode::JumpIfNotLt;
      break;
    case TokenType::LessEqual:
      jump = Opcode::JumpIfNotLe;
      break;
    case TokenType::Greater:
      jump = Opcode::JumpIfNotLt;
      std::swap(left, right);
      break;
    case TokenType::GreaterEqual:
      jump = Opcode::JumpIfNotLe;
      std::swap(left, right);
      break;
    case TokenType::EqualEqual:
      jump = Opcode::JumpIfNotEq;
      break;
    default:
      break;
  }
  falseJumps.push_back(emitCondJump(jump, left, right, line));
  fs_->freeRegister = saved;
}

// -- Statements ----------------------------------------------------------------------

void Compiler::statement(const Stmt* s) {
  const int line = s->line;
  switch (s->kind) {
    case StmtKind::Expression: {
      const int saved = fs_->freeRegister;
      expr(static_cast<const ast::ExpressionStmt*>(s)->expr, kDiscard);
      fs_->freeRegister = saved;
      break;
    }
    case StmtKind::Print: {
      const int saved = fs_->freeRegister;
      int reg = expr(static_cast<const ast::PrintStmt*>(s)->expr, kAnyRegister);
      emitABC(Opcode::Print, reg, 0, 0, line);
      fs_->freeRegister = saved;
      break;
    }
    case StmtKind::Var:
      varStatement(static_cast<const ast::VarStmt*>(s));
      break;
    case StmtKind::Block:
      block(static_cast<const ast::BlockStmt*>(s));
      break;
    case StmtKind::If:
      ifStatement(static_cast<const ast::IfStmt*>(s));
      break;
    case StmtKind::While:
      whileStatement(static_cast<const ast::WhileStmt*>(s));
      break;
    case StmtKind::For:
      forStatement(static_cast<const ast::ForStmt*>(s));
      break;
    case StmtKind::ForIn:
      forInStatement(static_cast<const ast::ForInStmt*>(s));
      break;
    case StmtKind::Break:
      breakStatement(static_cast<const ast::BreakStmt*>(s));
      break;
    case StmtKind::Continue:
      continueStatement(static_cast<const ast::ContinueStmt*>(s));
      break;
    case StmtKind::Function:
      functionStatement(static_cast<const ast::FunctionStmt*>(s));
      break;
    case StmtKind::Return:
      returnStatement(static_cast<const ast::ReturnStmt*>(s));
      break;
    case StmtKind::Class:
      classStatement(static_cast<const ast::ClassStmt*>(s));
      break;
  }
}

void Compiler::varStatement(const ast::VarStmt* s) {
  const int line = s->line;
  if (s->decl == nullptr) {
    const int saved = fs_->freeRegister;
    int reg;
    if (s->initializer != nullptr) {
      reg = expr(s->initializer, kAnyRegister);
    } else {
      reg = reserve(line);
      emitABC(Opcode::LoadNil, reg, 0, 0, line);
    }
    emitABC(Opcode::DefGlobal, reg, 0, 0, line);
    emitWord(globalSlot(s->name.lexeme), line);
    fs_->freeRegister = saved;
    return;
  }
  // The new local's register is fresh, so the initializer can be built right in it.
  int reg = reserveLocal(s->name);
  if (s->initializer != nullptr) {
    expr(s->initializer, reg);
  } else {
    emitABC(Opcode::LoadNil, reg, 0, 0, line);
  }
  declareLocal(s->decl, reg);
}

void Compiler::block(const ast::BlockStmt* s) {
  Scope scope;
  beginScope(scope);
  for (const Stmt* statement : s->statements) this->statement(statement);
  endScope(fs_->lastLine);
}

void Compiler::ifStatement(const ast::IfStmt* s) {
  std::vector<int> falseJumps;
  jumpIfFalse(s->condition, falseJumps);
  statement(s->thenBranch);
  if (s->elseBranch != nullptr) {
    int skipElse = emitJump(fs_->lastLine);
    patchJumps(falseJumps, here());
    statement(s->elseBranch);
    patchJump(skipElse, here());
  } else {
    patchJumps(falseJumps, here());
  }
}

void Compiler::whileStatement(const ast::WhileStmt* s) {
  const int start = here();
  std::vector<int> exitJumps;
  jumpIfFalse(s->condition, exitJumps);
  LoopState loop;
  loop.outer = fs_->loop;
  loop.breakScope = loop.continueScope = fs_->scope;
  loop.continueTarget = start;
  fs_->loop = &loop;
  statement(s->body);
  fs_->loop = loop.outer;
  emitLoop(start, s->line);
  patchJumps(exitJumps, here());
  patchJumps(loop.breakJumps, here());
}

// The loop variable of `for (var i = ...; ...; ...)` is one variable for the whole
// loop (as in Lox); it is closed when the loop's scope ends.
void Compiler::forStatement(const ast::ForStmt* s) {
  Scope scope;
  beginScope(scope);
  if (s->initializer != nullptr) statement(s->initializer);
  const int start = here();
  std::vector<int> exitJumps;
  if (s->condition != nullptr) jumpIfFalse(s->condition, exitJumps);
  LoopState loop;
  loop.outer = fs_->loop;
  loop.breakScope = loop.continueScope = &scope;
  loop.continueTarget = s->increment == nullptr ? start : -1;
  fs_->loop = &loop;
  statement(s->body);
  fs_->loop = loop.outer;
  patchJumps(loop.continueJumps, here());
  if (s->increment != nullptr) {
    const int saved = fs_->freeRegister;
    expr(s->increment, kDiscard);
    fs_->freeRegister = saved;
  }
  emitLoop(start, s->line);
  patchJumps(exitJumps, here());
  patchJumps(loop.breakJumps, here());
  endScope(s->line);
}

// R[base] holds the collection, R[base+1] the cursor, R[base+2] the loop variable,
// which is a fresh variable in every iteration: closed at the end of each one.
void Compiler::forInStatement(const ast::ForInStmt* s) {
  const int line = s->line;
  Scope outer;
  beginScope(outer);
  const int base = reserveLocal(s->name);
  expr(s->iterable, base);
  const int cursor = reserveLocal(s->name);
  emitAsBx(Opcode::LoadI, cursor, 0, line);
  const int head = here();
  const int exitJump = emitCondJump(Opcode::ForIn, base, 0, line);

  Scope variableScope;
  beginScope(variableScope);
  const int variable = reserveLocal(s->name);
  if (s->decl != nullptr) {
    declareLocal(s->decl, variable);
  } else {
    // Not expected from the resolver, but a global loop variable still works.
    emitABC(Opcode::DefGlobal, variable, 0, 0, line);
    emitWord(globalSlot(s->name.lexeme), line);
  }
  LoopState loop;
  loop.outer = fs_->loop;
  loop.breakScope = &outer;
  loop.continueScope = &variableScope;
  fs_->loop = &loop;
  statement(s->body);
  fs_->loop = loop.outer;
  patchJumps(loop.continueJumps, here());
  endScope(fs_->lastLine);
  emitLoop(head, line);

  patchJump(exitJump, here());
  patchJumps(loop.breakJumps, here());
  endScope(line);
}

void Compiler::breakStatement(const ast::BreakStmt* s) {
  LoopState* loop = fs_->loop;
  if (loop == nullptr) {
    errorAt(s->keyword, "Can't use 'break' outside of a loop.");
    return;
  }
  closeScopesInside(loop->breakScope, s->line);
  loop->breakJumps.push_back(emitJump(s->line));
}

void Compiler::continueStatement(const ast::ContinueStmt* s) {
  LoopState* loop = fs_->loop;
  if (loop == nullptr) {
    errorAt(s->keyword, "Can't use 'continue' outside of a loop.");
    return;
  }
  closeScopesInside(loop->continueScope, s->line);
  if (loop->continueTarget >= 0) {
    emitLoop(loop->continueTarget, s->line);
  } else {
    loop->continueJumps.push_back(emitJump(s->line));
  }
}

void Compiler::functionStatement(const ast::FunctionStmt* s) {
  const FunctionNode* fn = s->function;
  if (s->decl != nullptr) {
    // Declared before its body is compiled, so that it can call itself.
    int reg = reserveLocal(fn->name);
    declareLocal(s->decl, reg);
    closure(fn, reg, s->line);
    return;
  }
  const int saved = fs_->freeRegister;
  int reg = reserve(s->line);
  closure(fn, reg, s->line, true);  // a global function: made once (only scripts declare globals)
  emitABC(Opcode::DefGlobal, reg, 0, 0, s->line);
  emitWord(globalSlot(fn->name.lexeme), s->line);
  fs_->freeRegister = saved;
}

// The VM closes the frame's upvalues on return, so no CloseUpvals is needed here.
void Compiler::returnStatement(const ast::ReturnStmt* s) {
  const int line = s->line;
  if (fs_->node->kind == FunctionKind::Initializer) {
    emitABC(Opcode::Return, 0, 0, 0, line);  // an initializer returns `this`
    return;
  }
  if (s->value == nullptr) {
    emitABC(Opcode::ReturnNil, 0, 0, 0, line);
    return;
  }
  const int saved = fs_->freeRegister;
  int reg = expr(s->value, kAnyRegister);
  emitABC(Opcode::Return, reg, 0, 0, line);
  fs_->freeRegister = saved;
}

// -- Functions and classes -----------------------------------------------------------

// The class variable is defined before the methods are compiled; a subclass gets a
// scope holding the hidden `super` local for its methods to capture.
void Compiler::classStatement(const ast::ClassStmt* s) {
  const int line = s->line;
  const int saved = fs_->freeRegister;
  const uint32_t name = stringConstant(s->name.lexeme);
  int klass;
  if (s->decl != nullptr) {
    klass = reserveLocal(s->name);
    declareLocal(s->decl, klass);
  } else {
    klass = reserve(line);
  }
  // B: how many fields the body assigns (the VM sizes instances by it).
  const int fields = int(s->assignedFields.size());
  emitABC(Opcode::Class, klass, fields, 0, line);
  emitWord(name, line);
  if (s->decl == nullptr) {
    emitABC(Opcode::DefGlobal, klass, 0, 0, line);
    emitWord(globalSlot(s->name.lexeme), line);
  }

  Scope superScope;
  if (s->superclass != nullptr) {
    beginScope(superScope);
    int superclass = reserveLocal(s->superclass->name);
    expr(s->superclass, superclass);
    if (s->superDecl != nullptr) declareLocal(s->superDecl, superclass);
    emitABC(Opcode::Inherit, klass, superclass, fields, s->superclass->line);
  }
  for (const FunctionNode* method : s->methods) {
    const int beforeMethod = fs_->freeRegister;
    int reg = reserve(method->line);
    closure(method, reg, method->line, s->decl == nullptr);  // a global class's methods: made once
    emitABC(Opcode::Method, klass, reg, 0, method->line);
    emitWord(stringConstant(method->name.lexeme), method->line);
    fs_->freeRegister = beforeMethod;
  }
  if (s->superclass != nullptr) endScope(fs_->lastLine);
  if (s->decl == nullptr) fs_->freeRegister = saved;  // a local class keeps its register
}

void Compiler::closure(const FunctionNode* node, int reg, int line, bool tenured) {
  FunctionProto* child = compileFunction(node);
  child->tenureClosures = tenured;
  uint32_t index = addConstant(Value::object(child));
  if (index > uint32_t(kMaxBx)) error(line, "Too many constants in one chunk.");
  emitABx(Opcode::Closure, reg, index, line);
}

FunctionProto* Compiler::compileFunction(const FunctionNode* node) {
  // Rooted at once: everything below may allocate.
  FunctionProto* proto = vm_.newProto();
  vm_.compilerRoots().push_back(proto);
  proto->functionKind = node->kind;
  proto->arity = int(node->params.size());
  const bool named = node->kind != FunctionKind::Script && node->kind != FunctionKind::Lambda;
  if (named && !node->name.lexeme.empty()) proto->name = vm_.intern(node->name.lexeme);

  FunctionState state;
  state.enclosing = fs_;
  state.node = node;
  state.proto = proto;
  state.lastLine = node->line;
  fs_ = &state;
  Scope top;
  beginScope(top);
  if (node->thisDecl != nullptr) state.registers[node->thisDecl] = 0;
  for (const VarDecl* param : node->params) declareLocal(param, reserveLocal(param->name));

  for (const Stmt* s : node->body) statement(s);
  if (node->kind == FunctionKind::Initializer) {
    emitABC(Opcode::Return, 0, 0, 0, state.lastLine);
  } else {
    emitABC(Opcode::ReturnNil, 0, 0, 0, state.lastLine);
  }

  proto->numRegisters = std::min(state.maxRegisters, kMaxRegisters);
  proto->feedback.assign(proto->code.size(), 0);
  fs_ = state.enclosing;
  return proto;
}

}  // namespace

// -- Entry point ---------------------------------------------------------------------

FunctionProto* compileProgram(VM& vm, const ast::Program& program, Diagnostics& diagnostics) {
  if (program.script == nullptr) return nullptr;
  std::vector<FunctionProto*>& roots = vm.compilerRoots();
  const size_t rootMark = roots.size();
  Compiler compiler(vm, diagnostics);
  FunctionProto* script = compiler.compileFunction(program.script);
  // The caller must root the script before its next allocation (VM::run does).
  roots.resize(rootMark);
  return compiler.hadError() ? nullptr : script;
}

}  // namespace kiln
