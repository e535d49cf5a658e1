// The scanner. Lox's lexical rules, plus Kiln's extra punctuation
// ([ ] : % & | ^ ~ << >>) and keywords (break, continue, in).
//
// Lines are counted the way clox counts them: a token carries the line the scanner is
// on when the token ends, so a string spanning lines reports its last line and the Eof
// token after a final newline sits on the following line.
#include "frontend/scanner.h"

#include <array>

namespace kiln {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

struct Keyword {
  std::string_view text;
  TokenType type;
};

constexpr std::array<Keyword, 19> kKeywords = {{
    {"and", TokenType::And},     {"break", TokenType::Break},
    {"class", TokenType::Class}, {"continue", TokenType::Continue},
    {"else", TokenType::Else},   {"false", TokenType::False},
    {"for", TokenType::For},     {"fun", TokenType::Fun},
    {"if", TokenType::If},       {"in", TokenType::In},
    {"nil", TokenType::Nil},     {"or", TokenType::Or},
    {"print", TokenType::Print}, {"return", TokenType::Return},
    {"super", TokenType::Super}, {"this", TokenType::This},
    {"true", TokenType::True},   {"var", TokenType::Var},
    {"while", TokenType::While},
}};

}  // namespace

bool Scanner::match(char expected) {
  if (atEnd() || source_[current_] != expected) return false;
  current_++;
  return true;
}

void Scanner::skipWhitespaceAndComments() {
  for (;;) {
    switch (peek()) {
      case ' ':
      case '\r':
      case '\t':
        advance();
        break;
      case '\n':
        line_++;
        advance();
        break;
      case '/':
        if (peekNext() != '/') return;
        // The newline is left for the next iteration so it is counted.
        while (!atEnd() && peek() != '\n') advance();
        break;
      default:
        return;
    }
  }
}

Token Scanner::make(TokenType type) const {
  return Token{type, source_.substr(start_, current_ - start_), line_};
}

Token Scanner::errorToken(std::string_view message) const { return Token{TokenType::Error, message, line_}; }

Token Scanner::string() {
  while (!atEnd() && peek() != '"') {
    if (peek() == '\n') line_++;
    advance();
  }
  if (atEnd()) return errorToken("Unterminated string.");
  advance();  // the closing quote
  return make(TokenType::String);
}

Token Scanner::number() {
  while (isDigit(peek())) advance();
  // A dot belongs to the number only when a digit follows: `1.` is 1 then a dot.
  if (peek() == '.' && isDigit(peekNext())) {
    advance();
    while (isDigit(peek())) advance();
  }
  return make(TokenType::Number);
}

Token Scanner::identifierOrKeyword() {
  while (isAlpha(peek()) || isDigit(peek())) advance();
  std::string_view text = source_.substr(start_, current_ - start_);
  for (const Keyword& keyword : kKeywords) {
    if (keyword.text == text) return make(keyword.type);
  }
  return make(TokenType::Identifier);
}

Token Scanner::scanToken() {
  skipWhitespaceAndComments();
  start_ = current_;
  if (atEnd()) return make(TokenType::Eof);

  char c = advance();
  if (isAlpha(c)) return identifierOrKeyword();
  if (isDigit(c)) return number();

  switch (c) {
    case '(':
      return make(TokenType::LeftParen);
    case ')':
      return make(TokenType::RightParen);
    case '{':
      return make(TokenType::LeftBrace);
    case '}':
      return make(TokenType::RightBrace);
    case '[':
      return make(TokenType::LeftBracket);
    case ']':
      return make(TokenType::RightBracket);
    case ',':
      return make(TokenType::Comma);
    case '.':
      return make(TokenType::Dot);
    case '-':
      return make(TokenType::Minus);
    case '+':
      return make(TokenType::Plus);
    case ';':
      return make(TokenType::Semicolon);
    case '/':
      return make(TokenType::Slash);
    case '*':
      return make(TokenType::Star);
    case '%':
      return make(TokenType::Percent);
    case ':':
      return make(TokenType::Colon);
    case '&':
      return make(TokenType::Amp);
    case '|':
      return make(TokenType::Pipe);
    case '^':
      return make(TokenType::Caret);
    case '~':
      return make(TokenType::Tilde);
    case '!':
      return make(match('=') ? TokenType::BangEqual : TokenType::Bang);
    case '=':
      return make(match('=') ? TokenType::EqualEqual : TokenType::Equal);
    case '<':
      if (match('=')) return make(TokenType::LessEqual);
      return make(match('<') ? TokenType::LessLess : TokenType::Less);
    case '>':
      if (match('=')) return make(TokenType::GreaterEqual);
      return make(match('>') ? TokenType::GreaterGreater : TokenType::Greater);
    case '"':
      return string();
    default:
      return errorToken("Unexpected character.");
  }
}

}  // namespace kiln
