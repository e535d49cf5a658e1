// The scanner: cuts source text into Tokens, one at a time, as the parser asks for
// them. It never fails: malformed input becomes Error tokens whose lexeme is the
// message ("Unexpected character.", "Unterminated string.") for the parser to report.
#pragma once

#include <string_view>

#include "frontend/token.h"

namespace kiln {

class Scanner {
 public:
  // `source` must outlive the scanner and every token it returns: lexemes point into it.
  explicit Scanner(std::string_view source) : source_(source) {}

  // Returns the next token. Once the input is exhausted, returns Eof forever.
  Token scanToken();

  // The line the scanner has reached (where the next token starts, at the earliest).
  int line() const { return line_; }

 private:
  bool atEnd() const { return current_ >= source_.size(); }
  char peek() const { return atEnd() ? '\0' : source_[current_]; }
  char peekNext() const { return current_ + 1 >= source_.size() ? '\0' : source_[current_ + 1]; }
  char advance() { return source_[current_++]; }
  bool match(char expected);

  void skipWhitespaceAndComments();
  Token make(TokenType type) const;
  Token errorToken(std::string_view message) const;
  Token string();
  Token number();
  Token identifierOrKeyword();

  std::string_view source_;
  size_t start_ = 0;    // first byte of the token being scanned
  size_t current_ = 0;  // next byte to read
  int line_ = 1;
};

}  // namespace kiln
