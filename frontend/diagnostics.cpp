// Formats compile errors the way clox prints them, so Kiln's output can be compared
// line for line with the Lox test suite's expectations.
#include "frontend/diagnostics.h"

namespace kiln {

void Diagnostics::errorAt(const Token& token, std::string_view message) {
  std::string text = "[line " + std::to_string(token.line) + "] Error";
  if (token.type == TokenType::Eof) {
    text += " at end";
  } else if (token.type != TokenType::Error) {
    // Error tokens carry the message itself as their lexeme; they have no location.
    text += " at '";
    text += token.lexeme;
    text += "'";
  }
  text += ": ";
  text += message;
  messages_.push_back(std::move(text));
}

void Diagnostics::error(int line, std::string_view message) {
  std::string text = "[line " + std::to_string(line) + "] Error: ";
  text += message;
  messages_.push_back(std::move(text));
}

}  // namespace kiln
