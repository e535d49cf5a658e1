// The parser: recursive descent for statements, a Pratt parser (a table of prefix and
// infix rules by token) for expressions, driving the Resolver as it goes.
//
// Its control flow deliberately mirrors clox's single-pass compiler, down to which
// token each rule consumes when the input is wrong. That is what makes error output
// match clox exactly: with panic mode, the errors reported after the first one depend
// on where the parser stands when it resynchronizes.
//
// Every parse function also returns the height of the subtree it built. Heights,
// together with the recursion depth, bound how deep any later recursive walk of the
// tree can go (see kMaxNestingDepth).
#include "frontend/parser.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>

#include "frontend/resolver.h"
#include "frontend/scanner.h"

namespace kiln {

namespace {

using namespace ast;

enum Precedence : int {
  kPrecNone,
  kPrecAssignment,  // =
  kPrecOr,          // or
  kPrecAnd,         // and
  kPrecBitOr,       // |
  kPrecBitXor,      // ^
  kPrecBitAnd,      // &
  kPrecEquality,    // == !=
  kPrecComparison,  // < > <= >=
  kPrecShift,       // << >>
  kPrecTerm,        // + -
  kPrecFactor,      // * / %
  kPrecUnary,       // ! - ~
  kPrecCall,        // . () []
  kPrecPrimary,
};

struct ParsedExpr {
  Expr* expr;
  int height;
};

struct ParsedStmt {
  Stmt* stmt;  // null only when parsing was abandoned (too deep)
  int height;
};

// Number literals are digits with an optional fraction, so the only way to fail is to
// be out of range: too many digits for a double (Lox, through strtod, gives inf) or a
// fraction too small to represent (0). from_chars, unlike strtod, ignores the locale.
double parseNumber(std::string_view text) {
  double value = 0;
  auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), value);
  (void)end;
  if (status == std::errc::result_out_of_range) {
    bool integerPartNonZero = false;
    for (char c : text) {
      if (c == '.') break;
      if (c != '0') integerPartNonZero = true;
    }
    return integerPartNonZero ? std::numeric_limits<double>::infinity() : 0.0;
  }
  return value;
}

class Parser {
 public:
  Parser(std::string_view source, Diagnostics& diagnostics, const ParseOptions& options)
      : scanner_(source),
        diagnostics_(diagnostics),
        options_(options),
        program_(std::make_unique<Program>()),
        arena_(program_->arena),
        resolver_(arena_, [this](const Token& where, std::string_view message) { errorAt(where, message); }) {
  }

  std::unique_ptr<Program> run();

 private:
  using PrefixFn = ParsedExpr (Parser::*)(bool canAssign);
  using InfixFn = ParsedExpr (Parser::*)(ParsedExpr left, bool canAssign);
  struct Rule {
    PrefixFn prefix;
    InfixFn infix;
    Precedence precedence;
  };
  static Rule ruleFor(TokenType type);

  // Counts one level of parser recursion for as long as it lives.
  class Nesting {
   public:
    explicit Nesting(Parser& parser) : parser_(parser) {
      ok_ = ++parser_.depth_ <= kMaxNestingDepth;
      if (!ok_) parser_.tooDeep();
    }
    ~Nesting() { --parser_.depth_; }
    bool ok() const { return ok_; }

   private:
    Parser& parser_;
    bool ok_;
  };

  // -- Tokens ----------------------------------------------------------------------
  Token nextRawToken();
  const Token& peekAhead(int distance);
  void advance();
  bool check(TokenType type) const { return current_.type == type; }
  bool match(TokenType type);
  void consume(TokenType type, std::string_view message);

  // -- Errors ----------------------------------------------------------------------
  void errorAt(const Token& token, std::string_view message);
  void error(std::string_view message) { errorAt(previous_, message); }
  void errorAtCurrent(std::string_view message) { errorAt(current_, message); }
  void synchronize();
  void tooDeep();

  // -- Nodes -----------------------------------------------------------------------
  template <class T>
  T* makeExpr(ExprKind kind, int line) {
    return arena_.make<T>(kind, line);
  }
  template <class T>
  T* makeStmt(StmtKind kind, int line) {
    return arena_.make<T>(kind, line);
  }
  ParsedExpr finish(Expr* expr, int height);
  ParsedStmt finish(Stmt* stmt, int height);
  ParsedExpr placeholder(int line);

  // -- Declarations and statements -------------------------------------------------
  ParsedStmt declaration(bool topLevel);
  ParsedStmt classDeclaration();
  int method(ClassStmt* klass);
  ParsedStmt funDeclaration();
  ParsedStmt varDeclaration();
  VarDecl* parseVariable(std::string_view message);
  // Parses parameters and body; `name` is the token naming the function (or `fun`).
  std::pair<FunctionNode*, int> parseFunction(FunctionKind kind, Token name);
  ParsedStmt statement(bool topLevel);
  ParsedStmt controlBody();
  int block(std::vector<Stmt*>& statements);
  ParsedStmt printStatement();
  ParsedStmt expressionStatement(bool topLevel);
  ParsedStmt ifStatement();
  ParsedStmt whileStatement();
  ParsedStmt forStatement();
  ParsedStmt forInStatement(const Token& keyword);
  ParsedStmt breakStatement();
  ParsedStmt continueStatement();
  ParsedStmt returnStatement();

  // -- Expressions -----------------------------------------------------------------
  ParsedExpr expression() { return parsePrecedence(kPrecAssignment); }
  ParsedExpr parsePrecedence(int precedence);
  ParsedExpr namedVariable(Token name, bool canAssign);
  ParsedExpr grouping(bool canAssign);
  ParsedExpr listLiteral(bool canAssign);
  ParsedExpr mapLiteral(bool canAssign);
  ParsedExpr unary(bool canAssign);
  ParsedExpr number(bool canAssign);
  ParsedExpr string(bool canAssign);
  ParsedExpr literal(bool canAssign);
  ParsedExpr variable(bool canAssign);
  ParsedExpr thisExpr(bool canAssign);
  ParsedExpr superExpr(bool canAssign);
  ParsedExpr lambda(bool canAssign);
  ParsedExpr binary(ParsedExpr left, bool canAssign);
  ParsedExpr logical(ParsedExpr left, bool canAssign);
  ParsedExpr call(ParsedExpr left, bool canAssign);
  ParsedExpr dot(ParsedExpr left, bool canAssign);
  void noteField(ClassStmt* klass, std::string_view name);
  ParsedExpr index(ParsedExpr left, bool canAssign);

  Scanner scanner_;
  Diagnostics& diagnostics_;
  const ParseOptions& options_;
  std::unique_ptr<Program> program_;
  AstArena& arena_;
  Resolver resolver_;
  std::vector<ClassStmt*> classes_;  // the enclosing class declarations, innermost last

  Token previous_;
  Token current_;
  std::array<Token, 2> lookahead_;  // raw tokens scanned past current_, not yet reported
  int lookaheadCount_ = 0;
  bool panicMode_ = false;
  bool abandoned_ = false;  // nesting limit hit: the rest of the input is skipped
  int depth_ = 0;
};

// -- Rules -------------------------------------------------------------------------

Parser::Rule Parser::ruleFor(TokenType type) {
  using T = TokenType;
  switch (type) {
    case T::LeftParen:
      return {&Parser::grouping, &Parser::call, kPrecCall};
    case T::LeftBracket:
      return {&Parser::listLiteral, &Parser::index, kPrecCall};
    case T::LeftBrace:
      return {&Parser::mapLiteral, nullptr, kPrecNone};
    case T::Dot:
      return {nullptr, &Parser::dot, kPrecCall};
    case T::Minus:
      return {&Parser::unary, &Parser::binary, kPrecTerm};
    case T::Plus:
      return {nullptr, &Parser::binary, kPrecTerm};
    case T::Slash:
    case T::Star:
    case T::Percent:
      return {nullptr, &Parser::binary, kPrecFactor};
    case T::Bang:
    case T::Tilde:
      return {&Parser::unary, nullptr, kPrecNone};
    case T::BangEqual:
    case T::EqualEqual:
      return {nullptr, &Parser::binary, kPrecEquality};
    case T::Greater:
    case T::GreaterEqual:
    case T::Less:
    case T::LessEqual:
      return {nullptr, &Parser::binary, kPrecComparison};
    case T::LessLess:
    case T::GreaterGreater:
      return {nullptr, &Parser::binary, kPrecShift};
    case T::Amp:
      return {nullptr, &Parser::binary, kPrecBitAnd};
    case T::Caret:
      return {nullptr, &Parser::binary, kPrecBitXor};
    case T::Pipe:
      return {nullptr, &Parser::binary, kPrecBitOr};
    case T::And:
      return {nullptr, &Parser::logical, kPrecAnd};
    case T::Or:
      return {nullptr, &Parser::logical, kPrecOr};
    case T::Identifier:
      return {&Parser::variable, nullptr, kPrecNone};
    case T::String:
      return {&Parser::string, nullptr, kPrecNone};
    case T::Number:
      return {&Parser::number, nullptr, kPrecNone};
    case T::False:
    case T::True:
    case T::Nil:
      return {&Parser::literal, nullptr, kPrecNone};
    case T::This:
      return {&Parser::thisExpr, nullptr, kPrecNone};
    case T::Super:
      return {&Parser::superExpr, nullptr, kPrecNone};
    case T::Fun:
      return {&Parser::lambda, nullptr, kPrecNone};
    default:
      return {nullptr, nullptr, kPrecNone};
  }
}

// -- Tokens ------------------------------------------------------------------------

Token Parser::nextRawToken() {
  if (abandoned_) return Token{TokenType::Eof, "", current_.line};
  if (lookaheadCount_ == 0) return scanner_.scanToken();
  Token token = lookahead_[0];
  lookahead_[0] = lookahead_[1];
  lookaheadCount_--;
  return token;
}

// Looking ahead must not report scanner errors early: they are reported only when the
// token becomes current, as in clox.
const Token& Parser::peekAhead(int distance) {
  if (abandoned_) return current_;  // an Eof token
  while (lookaheadCount_ < distance) lookahead_[lookaheadCount_++] = scanner_.scanToken();
  return lookahead_[distance - 1];
}

void Parser::advance() {
  previous_ = current_;
  for (;;) {
    current_ = nextRawToken();
    if (current_.type != TokenType::Error) break;
    errorAtCurrent(current_.lexeme);
  }
}

bool Parser::match(TokenType type) {
  if (!check(type)) return false;
  advance();
  return true;
}

void Parser::consume(TokenType type, std::string_view message) {
  if (check(type)) {
    advance();
    return;
  }
  errorAtCurrent(message);
}

// -- Errors ------------------------------------------------------------------------

void Parser::errorAt(const Token& token, std::string_view message) {
  if (panicMode_ || abandoned_) return;
  panicMode_ = true;
  diagnostics_.errorAt(token, message);
}

void Parser::synchronize() {
  panicMode_ = false;
  while (current_.type != TokenType::Eof) {
    if (previous_.type == TokenType::Semicolon) return;
    switch (current_.type) {
      case TokenType::Class:
      case TokenType::Fun:
      case TokenType::Var:
      case TokenType::For:
      case TokenType::If:
      case TokenType::While:
      case TokenType::Print:
      case TokenType::Return:
        return;
      default:
        break;
    }
    advance();
  }
}

// Reports once, then pretends the input ends here: every loop of the parser stops at
// Eof, so the recursion unwinds without further errors or work.
void Parser::tooDeep() {
  if (abandoned_) return;
  errorAtCurrent("Too deeply nested.");
  abandoned_ = true;
  lookaheadCount_ = 0;
  current_ = Token{TokenType::Eof, "", current_.line};
}

// -- Nodes -------------------------------------------------------------------------

ParsedExpr Parser::finish(Expr* expr, int height) {
  if (height > kMaxNestingDepth) tooDeep();
  return {expr, height};
}

ParsedStmt Parser::finish(Stmt* stmt, int height) {
  if (height > kMaxNestingDepth) tooDeep();
  return {stmt, height};
}

// Stands in for an expression that could not be parsed, so the tree has no holes.
ParsedExpr Parser::placeholder(int line) { return {makeExpr<LiteralExpr>(ExprKind::Nil, line), 1}; }

// -- Declarations and statements ---------------------------------------------------

std::unique_ptr<Program> Parser::run() {
  FunctionNode* script = arena_.make<FunctionNode>();
  script->kind = FunctionKind::Script;
  script->line = 1;
  program_->script = script;
  resolver_.beginFunction(script);

  advance();
  while (!match(TokenType::Eof)) {
    ParsedStmt parsed = declaration(true);
    if (parsed.stmt) script->body.push_back(parsed.stmt);
  }
  resolver_.endFunction();
  return std::move(program_);
}

ParsedStmt Parser::declaration(bool topLevel) {
  Nesting nesting(*this);
  if (!nesting.ok()) return {nullptr, 0};
  ParsedStmt parsed;
  if (match(TokenType::Class)) {
    parsed = classDeclaration();
  } else if (check(TokenType::Fun) && peekAhead(1).type != TokenType::LeftParen) {
    // `fun (` starts a lambda, which is an expression statement.
    advance();
    parsed = funDeclaration();
  } else if (match(TokenType::Var)) {
    parsed = varDeclaration();
  } else {
    parsed = statement(topLevel);
  }
  if (panicMode_) synchronize();
  return parsed;
}

// `this.name = ...` in a class body: a field every instance will likely get, so
// the VM keeps it inside the instance (see Class::inlineSlots).
void Parser::noteField(ClassStmt* klass, std::string_view name) {
  std::vector<std::string_view>& fields = klass->assignedFields;
  if (fields.size() >= kMaxInlineSlots) return;  // more would not be inline anyway
  if (std::find(fields.begin(), fields.end(), name) == fields.end()) fields.push_back(name);
}

ParsedStmt Parser::classDeclaration() {
  consume(TokenType::Identifier, "Expect class name.");
  Token className = previous_;
  auto* stmt = makeStmt<ClassStmt>(StmtKind::Class, className.line);
  stmt->name = className;
  stmt->decl = resolver_.declare(className);
  // Initialized before the body, so methods can refer to their class.
  resolver_.markInitialized();

  resolver_.beginClass();
  classes_.push_back(stmt);
  bool hasSuperclass = false;
  if (match(TokenType::Less)) {
    consume(TokenType::Identifier, "Expect superclass name.");
    Token superName = previous_;
    auto* superclass = makeExpr<VariableExpr>(ExprKind::Variable, superName.line);
    superclass->name = superName;
    superclass->decl = resolver_.resolve(superName);
    stmt->superclass = superclass;
    if (className.lexeme == superName.lexeme) error("A class can't inherit from itself.");
    // `super` is a local of the function containing the class, in a scope around the
    // methods, which capture it.
    resolver_.beginScope();
    stmt->superDecl = resolver_.declareHidden(Token{TokenType::Super, "super", superName.line});
    resolver_.setHasSuperclass();
    hasSuperclass = true;
  }

  consume(TokenType::LeftBrace, "Expect '{' before class body.");
  int height = 1;
  while (!check(TokenType::RightBrace) && !check(TokenType::Eof)) height = std::max(height, method(stmt));
  consume(TokenType::RightBrace, "Expect '}' after class body.");

  if (hasSuperclass) resolver_.endScope();
  classes_.pop_back();
  resolver_.endClass();
  return finish(stmt, height + 1);
}

int Parser::method(ClassStmt* klass) {
  consume(TokenType::Identifier, "Expect method name.");
  Token name = previous_;
  FunctionKind kind = name.lexeme == "init" ? FunctionKind::Initializer : FunctionKind::Method;
  auto [function, height] = parseFunction(kind, name);
  klass->methods.push_back(function);
  return height;
}

ParsedStmt Parser::funDeclaration() {
  VarDecl* decl = parseVariable("Expect function name.");
  Token name = previous_;
  // Initialized before the body, so a local function can call itself.
  resolver_.markInitialized();
  auto [function, height] = parseFunction(FunctionKind::Function, name);
  auto* stmt = makeStmt<FunctionStmt>(StmtKind::Function, name.line);
  stmt->function = function;
  stmt->decl = decl;
  return finish(stmt, height + 1);
}

ParsedStmt Parser::varDeclaration() {
  VarDecl* decl = parseVariable("Expect variable name.");
  auto* stmt = makeStmt<VarStmt>(StmtKind::Var, previous_.line);
  stmt->name = previous_;
  stmt->decl = decl;
  int height = 1;
  if (match(TokenType::Equal)) {
    ParsedExpr initializer = expression();
    stmt->initializer = initializer.expr;
    height = initializer.height + 1;
  }
  consume(TokenType::Semicolon, "Expect ';' after variable declaration.");
  resolver_.markInitialized();
  return finish(stmt, height);
}

// Declares the name in previous_ even when it is not an identifier, as clox does: the
// resolver's state after an error must match clox's for the later errors to match.
VarDecl* Parser::parseVariable(std::string_view message) {
  consume(TokenType::Identifier, message);
  return resolver_.declare(previous_);
}

std::pair<FunctionNode*, int> Parser::parseFunction(FunctionKind kind, Token name) {
  FunctionNode* function = arena_.make<FunctionNode>();
  function->kind = kind;
  function->name = kind == FunctionKind::Lambda ? Token{TokenType::Identifier, "", name.line} : name;
  function->line = name.line;
  resolver_.beginFunction(function);

  consume(TokenType::LeftParen,
          kind == FunctionKind::Lambda ? "Expect '(' after 'fun'." : "Expect '(' after function name.");
  if (!check(TokenType::RightParen)) {
    do {
      if (function->params.size() == 255) errorAtCurrent("Can't have more than 255 parameters.");
      VarDecl* param = parseVariable("Expect parameter name.");
      resolver_.markInitialized();
      function->params.push_back(param);
    } while (match(TokenType::Comma));
  }
  consume(TokenType::RightParen, "Expect ')' after parameters.");
  consume(TokenType::LeftBrace, "Expect '{' before function body.");
  int height = block(function->body);

  resolver_.endFunction();
  return {function, height + 1};
}

ParsedStmt Parser::statement(bool topLevel) {
  if (match(TokenType::Print)) return printStatement();
  if (match(TokenType::For)) return forStatement();
  if (match(TokenType::If)) return ifStatement();
  if (match(TokenType::Return)) return returnStatement();
  if (match(TokenType::While)) return whileStatement();
  if (match(TokenType::Break)) return breakStatement();
  if (match(TokenType::Continue)) return continueStatement();
  if (match(TokenType::LeftBrace)) {
    auto* stmt = makeStmt<BlockStmt>(StmtKind::Block, previous_.line);
    resolver_.beginScope();
    int height = block(stmt->statements);
    resolver_.endScope();
    return finish(stmt, height + 1);
  }
  return expressionStatement(topLevel);
}

// The body of if/while/for: a statement nested one level deeper.
ParsedStmt Parser::controlBody() {
  Nesting nesting(*this);
  if (!nesting.ok()) return {makeStmt<BlockStmt>(StmtKind::Block, current_.line), 1};
  return statement(false);
}

int Parser::block(std::vector<Stmt*>& statements) {
  int height = 0;
  while (!check(TokenType::RightBrace) && !check(TokenType::Eof)) {
    ParsedStmt parsed = declaration(false);
    if (!parsed.stmt) continue;
    statements.push_back(parsed.stmt);
    height = std::max(height, parsed.height);
  }
  consume(TokenType::RightBrace, "Expect '}' after block.");
  return height;
}

ParsedStmt Parser::printStatement() {
  auto* stmt = makeStmt<PrintStmt>(StmtKind::Print, previous_.line);
  ParsedExpr value = expression();
  stmt->expr = value.expr;
  consume(TokenType::Semicolon, "Expect ';' after value.");
  return finish(stmt, value.height + 1);
}

ParsedStmt Parser::expressionStatement(bool topLevel) {
  ParsedExpr value = expression();
  if (topLevel && options_.replTrailingExpression && check(TokenType::Eof) && !panicMode_) {
    auto* stmt = makeStmt<PrintStmt>(StmtKind::Print, value.expr->line);
    stmt->expr = value.expr;
    return finish(stmt, value.height + 1);
  }
  auto* stmt = makeStmt<ExpressionStmt>(StmtKind::Expression, value.expr->line);
  stmt->expr = value.expr;
  consume(TokenType::Semicolon, "Expect ';' after expression.");
  return finish(stmt, value.height + 1);
}

ParsedStmt Parser::ifStatement() {
  auto* stmt = makeStmt<IfStmt>(StmtKind::If, previous_.line);
  consume(TokenType::LeftParen, "Expect '(' after 'if'.");
  ParsedExpr condition = expression();
  stmt->condition = condition.expr;
  // clox's wording (jlox says "after if condition").
  consume(TokenType::RightParen, "Expect ')' after condition.");
  ParsedStmt thenBranch = controlBody();
  stmt->thenBranch = thenBranch.stmt;
  int height = std::max(condition.height, thenBranch.height);
  if (match(TokenType::Else)) {
    ParsedStmt elseBranch = controlBody();
    stmt->elseBranch = elseBranch.stmt;
    height = std::max(height, elseBranch.height);
  }
  return finish(stmt, height + 1);
}

ParsedStmt Parser::whileStatement() {
  auto* stmt = makeStmt<WhileStmt>(StmtKind::While, previous_.line);
  consume(TokenType::LeftParen, "Expect '(' after 'while'.");
  ParsedExpr condition = expression();
  stmt->condition = condition.expr;
  consume(TokenType::RightParen, "Expect ')' after condition.");
  resolver_.beginLoop();
  ParsedStmt body = controlBody();
  resolver_.endLoop();
  stmt->body = body.stmt;
  return finish(stmt, std::max(condition.height, body.height) + 1);
}

ParsedStmt Parser::forStatement() {
  Token keyword = previous_;
  resolver_.beginScope();
  consume(TokenType::LeftParen, "Expect '(' after 'for'.");
  if (check(TokenType::Var) && peekAhead(1).type == TokenType::Identifier &&
      peekAhead(2).type == TokenType::In) {
    return forInStatement(keyword);
  }

  auto* stmt = makeStmt<ForStmt>(StmtKind::For, keyword.line);
  int height = 0;
  if (match(TokenType::Semicolon)) {
    // No initializer.
  } else {
    ParsedStmt initializer = match(TokenType::Var) ? varDeclaration() : expressionStatement(false);
    stmt->initializer = initializer.stmt;
    height = initializer.height;
  }
  if (!match(TokenType::Semicolon)) {
    ParsedExpr condition = expression();
    stmt->condition = condition.expr;
    height = std::max(height, condition.height);
    consume(TokenType::Semicolon, "Expect ';' after loop condition.");
  }
  if (!match(TokenType::RightParen)) {
    ParsedExpr increment = expression();
    stmt->increment = increment.expr;
    height = std::max(height, increment.height);
    consume(TokenType::RightParen, "Expect ')' after for clauses.");
  }
  resolver_.beginLoop();
  ParsedStmt body = controlBody();
  resolver_.endLoop();
  stmt->body = body.stmt;
  resolver_.endScope();
  return finish(stmt, std::max(height, body.height) + 1);
}

// Entered with `var name in` still ahead and the loop's scope open.
ParsedStmt Parser::forInStatement(const Token& keyword) {
  auto* stmt = makeStmt<ForInStmt>(StmtKind::ForIn, keyword.line);
  advance();  // var
  advance();  // the name
  stmt->name = previous_;
  advance();  // in
  // The iterable is resolved before the loop variable exists, so in
  // `for (var x in x)` the second x is the enclosing one.
  ParsedExpr iterable = expression();
  stmt->iterable = iterable.expr;
  consume(TokenType::RightParen, "Expect ')' after for clauses.");
  stmt->decl = resolver_.declare(stmt->name);
  resolver_.markInitialized();

  resolver_.beginLoop();
  ParsedStmt body = controlBody();
  resolver_.endLoop();
  stmt->body = body.stmt;
  resolver_.endScope();
  return finish(stmt, std::max(iterable.height, body.height) + 1);
}

ParsedStmt Parser::breakStatement() {
  auto* stmt = makeStmt<BreakStmt>(StmtKind::Break, previous_.line);
  stmt->keyword = previous_;
  resolver_.checkBreak(previous_);
  consume(TokenType::Semicolon, "Expect ';' after 'break'.");
  return finish(stmt, 1);
}

ParsedStmt Parser::continueStatement() {
  auto* stmt = makeStmt<ContinueStmt>(StmtKind::Continue, previous_.line);
  stmt->keyword = previous_;
  resolver_.checkContinue(previous_);
  consume(TokenType::Semicolon, "Expect ';' after 'continue'.");
  return finish(stmt, 1);
}

ParsedStmt Parser::returnStatement() {
  auto* stmt = makeStmt<ReturnStmt>(StmtKind::Return, previous_.line);
  stmt->keyword = previous_;
  // Checked before looking further: reading the next token may report a scanner error.
  resolver_.checkReturn(stmt->keyword);
  if (match(TokenType::Semicolon)) return finish(stmt, 1);
  resolver_.checkReturnValue(stmt->keyword);
  ParsedExpr value = expression();
  stmt->value = value.expr;
  consume(TokenType::Semicolon, "Expect ';' after return value.");
  return finish(stmt, value.height + 1);
}

// -- Expressions -------------------------------------------------------------------

ParsedExpr Parser::parsePrecedence(int precedence) {
  Nesting nesting(*this);
  if (!nesting.ok()) return placeholder(current_.line);
  advance();
  PrefixFn prefix = ruleFor(previous_.type).prefix;
  if (prefix == nullptr) {
    error("Expect expression.");
    return placeholder(previous_.line);
  }
  // Only a parse at the lowest precedence may see `=`: in `a + b = c` the `b` must not
  // become an assignment target.
  bool canAssign = precedence <= kPrecAssignment;
  ParsedExpr left = (this->*prefix)(canAssign);
  while (precedence <= ruleFor(current_.type).precedence) {
    advance();
    InfixFn infix = ruleFor(previous_.type).infix;
    left = (this->*infix)(left, canAssign);
  }
  if (canAssign && match(TokenType::Equal)) error("Invalid assignment target.");
  return left;
}

ParsedExpr Parser::namedVariable(Token name, bool canAssign) {
  VarDecl* decl = resolver_.resolve(name);
  if (canAssign && match(TokenType::Equal)) {
    auto* assign = makeExpr<AssignExpr>(ExprKind::Assign, name.line);
    assign->name = name;
    assign->decl = decl;
    ParsedExpr value = expression();
    assign->value = value.expr;
    return finish(assign, value.height + 1);
  }
  auto* variable = makeExpr<VariableExpr>(ExprKind::Variable, name.line);
  variable->name = name;
  variable->decl = decl;
  return finish(variable, 1);
}

ParsedExpr Parser::grouping(bool) {
  auto* group = makeExpr<GroupingExpr>(ExprKind::Grouping, previous_.line);
  ParsedExpr inner = expression();
  group->inner = inner.expr;
  consume(TokenType::RightParen, "Expect ')' after expression.");
  return finish(group, inner.height + 1);
}

ParsedExpr Parser::listLiteral(bool) {
  auto* list = makeExpr<ListExpr>(ExprKind::List, previous_.line);
  int height = 0;
  if (!check(TokenType::RightBracket)) {
    do {
      if (check(TokenType::RightBracket)) break;  // a trailing comma
      ParsedExpr element = expression();
      list->elements.push_back(element.expr);
      height = std::max(height, element.height);
    } while (match(TokenType::Comma));
  }
  consume(TokenType::RightBracket, "Expect ']' after list elements.");
  return finish(list, height + 1);
}

ParsedExpr Parser::mapLiteral(bool) {
  auto* map = makeExpr<MapExpr>(ExprKind::Map, previous_.line);
  int height = 0;
  if (!check(TokenType::RightBrace)) {
    do {
      if (check(TokenType::RightBrace)) break;  // a trailing comma
      ParsedExpr key = expression();
      consume(TokenType::Colon, "Expect ':' after map key.");
      ParsedExpr value = expression();
      map->entries.emplace_back(key.expr, value.expr);
      height = std::max({height, key.height, value.height});
    } while (match(TokenType::Comma));
  }
  consume(TokenType::RightBrace, "Expect '}' after map entries.");
  return finish(map, height + 1);
}

ParsedExpr Parser::unary(bool) {
  auto* unary = makeExpr<UnaryExpr>(ExprKind::Unary, previous_.line);
  unary->op = previous_;
  ParsedExpr operand = parsePrecedence(kPrecUnary);
  unary->operand = operand.expr;
  return finish(unary, operand.height + 1);
}

ParsedExpr Parser::number(bool) {
  auto* number = makeExpr<NumberExpr>(ExprKind::Number, previous_.line);
  number->value = parseNumber(previous_.lexeme);
  return finish(number, 1);
}

ParsedExpr Parser::string(bool) {
  auto* string = makeExpr<StringExpr>(ExprKind::String, previous_.line);
  string->value = std::string(previous_.lexeme.substr(1, previous_.lexeme.size() - 2));
  return finish(string, 1);
}

ParsedExpr Parser::literal(bool) {
  ExprKind kind = previous_.type == TokenType::True    ? ExprKind::True
                  : previous_.type == TokenType::False ? ExprKind::False
                                                       : ExprKind::Nil;
  return finish(makeExpr<LiteralExpr>(kind, previous_.line), 1);
}

ParsedExpr Parser::variable(bool canAssign) { return namedVariable(previous_, canAssign); }

ParsedExpr Parser::thisExpr(bool) {
  auto* expr = makeExpr<ThisExpr>(ExprKind::This, previous_.line);
  expr->keyword = previous_;
  expr->decl = resolver_.resolveThis(previous_);
  return finish(expr, 1);
}

ParsedExpr Parser::superExpr(bool) {
  auto* expr = makeExpr<SuperExpr>(ExprKind::Super, previous_.line);
  expr->keyword = previous_;
  bool valid = resolver_.checkSuper(expr->keyword);
  consume(TokenType::Dot, "Expect '.' after 'super'.");
  consume(TokenType::Identifier, "Expect superclass method name.");
  expr->method = previous_;
  if (valid) {
    int line = expr->keyword.line;
    expr->thisDecl = resolver_.resolve(Token{TokenType::This, "this", line});
    expr->superDecl = resolver_.resolve(Token{TokenType::Super, "super", line});
  }
  return finish(expr, 1);
}

ParsedExpr Parser::lambda(bool) {
  // In Lox `fun` never starts an expression: without the `(` of a lambda, report what
  // clox reports (the Lox tests have `if (x) fun f() {}` and the like).
  if (!check(TokenType::LeftParen)) {
    error("Expect expression.");
    return placeholder(previous_.line);
  }
  auto* expr = makeExpr<FunctionExpr>(ExprKind::Function, previous_.line);
  auto [function, height] = parseFunction(FunctionKind::Lambda, previous_);
  expr->function = function;
  return finish(expr, height + 1);
}

ParsedExpr Parser::binary(ParsedExpr left, bool) {
  auto* binary = makeExpr<BinaryExpr>(ExprKind::Binary, previous_.line);
  binary->op = previous_;
  binary->left = left.expr;
  // One level tighter on the right makes the operators left-associative.
  ParsedExpr right = parsePrecedence(ruleFor(binary->op.type).precedence + 1);
  binary->right = right.expr;
  return finish(binary, std::max(left.height, right.height) + 1);
}

ParsedExpr Parser::logical(ParsedExpr left, bool) {
  auto* logical = makeExpr<LogicalExpr>(ExprKind::Logical, previous_.line);
  logical->op = previous_;
  logical->left = left.expr;
  ParsedExpr right = parsePrecedence(ruleFor(logical->op.type).precedence + 1);
  logical->right = right.expr;
  return finish(logical, std::max(left.height, right.height) + 1);
}

ParsedExpr Parser::call(ParsedExpr left, bool) {
  std::vector<Expr*> args;
  int height = left.height;
  if (!check(TokenType::RightParen)) {
    do {
      ParsedExpr arg = expression();
      if (args.size() == 255) error("Can't have more than 255 arguments.");
      args.push_back(arg.expr);
      height = std::max(height, arg.height);
    } while (match(TokenType::Comma));
  }
  consume(TokenType::RightParen, "Expect ')' after arguments.");
  auto* call = makeExpr<CallExpr>(ExprKind::Call, previous_.line);
  call->callee = left.expr;
  call->args = std::move(args);
  return finish(call, height + 1);
}

ParsedExpr Parser::dot(ParsedExpr left, bool canAssign) {
  consume(TokenType::Identifier, "Expect property name after '.'.");
  Token name = previous_;
  if (canAssign && match(TokenType::Equal)) {
    auto* set = makeExpr<SetExpr>(ExprKind::Set, name.line);
    set->object = left.expr;
    set->name = name;
    ParsedExpr value = expression();
    set->value = value.expr;
    if (left.expr->kind == ExprKind::This && !classes_.empty()) noteField(classes_.back(), name.lexeme);
    return finish(set, std::max(left.height, value.height) + 1);
  }
  auto* get = makeExpr<GetExpr>(ExprKind::Get, name.line);
  get->object = left.expr;
  get->name = name;
  return finish(get, left.height + 1);
}

ParsedExpr Parser::index(ParsedExpr left, bool canAssign) {
  ParsedExpr subscript = expression();
  consume(TokenType::RightBracket, "Expect ']' after index.");
  int line = previous_.line;
  int height = std::max(left.height, subscript.height);
  if (canAssign && match(TokenType::Equal)) {
    auto* set = makeExpr<IndexSetExpr>(ExprKind::IndexSet, line);
    set->object = left.expr;
    set->index = subscript.expr;
    ParsedExpr value = expression();
    set->value = value.expr;
    return finish(set, std::max(height, value.height) + 1);
  }
  auto* get = makeExpr<IndexExpr>(ExprKind::Index, line);
  get->object = left.expr;
  get->index = subscript.expr;
  return finish(get, height + 1);
}

}  // namespace

std::unique_ptr<ast::Program> parse(std::string_view source, Diagnostics& diagnostics,
                                    const ParseOptions& options) {
  Parser parser(source, diagnostics, options);
  return parser.run();
}

}  // namespace kiln
