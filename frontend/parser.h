// The parser: source text -> the AST of frontend/ast.h, resolved (every variable bound
// to its declaration, see frontend/resolver.h) and checked for every compile error
// except the compiler's own limits.
//
// Errors are reported exactly as clox reports them: same messages, same order, and the
// same panic-mode recovery (after an error, nothing more is reported until the parser
// resynchronizes at a statement boundary).
//
// Line of each node: the line of its main token (the operator of a unary, binary or
// logical expression; the name of a variable, assignment, get or set; the keyword of
// this, super and of statements, but the name for var/fun/class declarations and the
// expression's line for expression statements; the `[` of a list, the `{` of a map,
// the `(` of a grouping; `fun` for a lambda), except that CallExpr, IndexExpr and
// IndexSetExpr carry the line of their closing `)` or `]`, which is where Lox reports
// the errors of a call.
#pragma once

#include <memory>
#include <string_view>

#include "frontend/ast.h"
#include "frontend/diagnostics.h"

namespace kiln {

struct ParseOptions {
  // REPL: a top-level expression statement that ends the input without its ';' becomes
  // a PrintStmt, so typing `1 + 2` prints 3.
  bool replTrailingExpression = false;
};

// Parses and resolves `source`. Always returns a Program, partial if there were errors;
// callers check diagnostics.hadError() before using it. Tokens in the tree point into
// `source`, which must outlive the Program.
std::unique_ptr<ast::Program> parse(std::string_view source, Diagnostics& diagnostics,
                                    const ParseOptions& options = {});

// Nesting deeper than this (in the parser's recursion or in the height of the tree it
// builds) is the compile error "Too deeply nested.", so no later pass that walks the
// tree recursively can overflow the C++ stack.
inline constexpr int kMaxNestingDepth = 1000;

}  // namespace kiln
