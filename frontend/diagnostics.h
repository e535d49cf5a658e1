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

class Diagnostics {
 public:
  // Reports an error located at `token` (Error tokens report without a location).
  void errorAt(const Token& token, std::string_view message);
  // Reports "[line N] Error: message".
  void error(int line, std::string_view message);

  bool hadError() const { return !messages_.empty(); }
  const std::vector<std::string>& messages() const { return messages_; }
  void clear() { messages_.clear(); }

 private:
  std::vector<std::string> messages_;  // each a full line, without the newline
};

}  // namespace kiln
