// Compile-error reporting in Lox's format:
//   [line N] Error at 'tok': message
//   [line N] Error at end: message
//   [line N] Error: message            (scanner errors)
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "frontend/token.h"

namespace kiln {

// One compile error as data (what the formatted line says).
struct Diagnostic {
  int line = 0;
  int column = 0;     // 1-based byte column of the token, 0 when unknown (scanner errors)
  std::string where;  // "at 'tok'", "at end", or empty
  std::string message;
};

class Diagnostics {
 public:
  // The source the tokens point into, for columns (optional).
  void setSource(std::string_view source) { source_ = source; }
  // Reports an error located at `token` (Error tokens report without a location).
  void errorAt(const Token& token, std::string_view message);
  // Reports "[line N] Error: message".
  void error(int line, std::string_view message);

  bool hadError() const { return !messages_.empty(); }
  const std::vector<std::string>& messages() const { return messages_; }
  const std::vector<Diagnostic>& entries() const { return entries_; }
  void clear() {
    messages_.clear();
    entries_.clear();
  }

 private:
  int columnOf(const Token& token) const;
  std::vector<std::string> messages_;  // each a full line, without the newline
  std::vector<Diagnostic> entries_;    // the same errors as data
  std::string_view source_;
};

}  // namespace kiln
