// Formats compile errors the way clox prints them, so Kiln's output can be compared
// line for line with the Lox test suite's expectations.
#include "frontend/diagnostics.h"

namespace kiln {

void Diagnostics::errorAt(const Token& token, std::string_view message) {
  Diagnostic entry{token.line, 0, "", std::string(message)};
  if (token.type == TokenType::Eof) {
    entry.where = "at end";
  } else if (token.type != TokenType::Error) {
    // Error tokens carry the message itself as their lexeme; they have no location.
    entry.where = "at '" + std::string(token.lexeme) + "'";
    entry.column = columnOf(token);
  }
  std::string text = "[line " + std::to_string(token.line) + "] Error";
  if (!entry.where.empty()) text += " " + entry.where;
  text += ": ";
  text += message;
  messages_.push_back(std::move(text));
  entries_.push_back(std::move(entry));
}

void Diagnostics::error(int line, std::string_view message) {
  std::string text = "[line " + std::to_string(line) + "] Error: ";
  text += message;
  messages_.push_back(std::move(text));
  entries_.push_back(Diagnostic{line, 0, "", std::string(message)});
}

int Diagnostics::columnOf(const Token& token) const {
  const char* at = token.lexeme.data();
  if (source_.empty() || at < source_.data() || at > source_.data() + source_.size()) return 0;
  size_t offset = size_t(at - source_.data());
  size_t lineStart = source_.rfind('\n', offset == 0 ? 0 : offset - 1);
  lineStart = lineStart == std::string_view::npos || offset == 0 ? 0 : lineStart + 1;
  return int(offset - lineStart) + 1;
}

}  // namespace kiln
