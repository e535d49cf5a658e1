// Tokens produced by the scanner (frontend/scanner.h).
#pragma once

#include <string_view>

namespace kiln {

enum class TokenType : unsigned char {
  // Single-character tokens.
  LeftParen,
  RightParen,
  LeftBrace,
  RightBrace,
  LeftBracket,
  RightBracket,
  Comma,
  Dot,
  Minus,
  Plus,
  Semicolon,
  Slash,
  Star,
  Percent,
  Colon,
  Amp,
  Pipe,
  Caret,
  Tilde,
  // One or two character tokens.
  Bang,
  BangEqual,
  Equal,
  EqualEqual,
  Greater,
  GreaterEqual,
  GreaterGreater,
  Less,
  LessEqual,
  LessLess,
  // Literals.
  Identifier,
  String,
  Number,
  // Keywords (Lox's, plus break, continue, in).
  And,
  Break,
  Class,
  Continue,
  Else,
  False,
  For,
  Fun,
  If,
  In,
  Nil,
  Or,
  Print,
  Return,
  Super,
  This,
  True,
  Var,
  While,
  Error,
  Eof,
};

struct Token {
  TokenType type = TokenType::Eof;
  std::string_view lexeme;  // points into the source (or, for Error, the message)
  int line = 0;
};

}  // namespace kiln
