// The `kiln` REPL: reads entries line by line (continuing while brackets or a
// string are open), runs each with one Runtime so globals persist, and prints
// errors without ending the session. Ctrl-D (EOF) ends it with exit code 0.
#include "cli/repl.h"

#include <editline/readline.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

#include "kiln/kiln.h"

namespace kiln::cli {

InputBalance scanInputBalance(std::string_view source) {
  InputBalance balance;
  for (size_t i = 0; i < source.size(); i++) {
    char c = source[i];
    if (balance.inString) {
      if (c == '"') balance.inString = false;  // Lox strings have no escapes
      continue;
    }
    switch (c) {
      case '"':
        balance.inString = true;
        break;
      case '/':
        if (i + 1 < source.size() && source[i + 1] == '/') {
          size_t end = source.find('\n', i);
          i = end == std::string_view::npos ? source.size() : end;
        }
        break;
      case '(':
      case '[':
      case '{':
        balance.depth++;
        break;
      case ')':
      case ']':
      case '}':
        balance.depth--;
        if (balance.depth < 0) balance.closedTooMany = true;
        break;
      default:
        break;
    }
  }
  return balance;
}

bool needsMoreInput(std::string_view source) {
  InputBalance balance = scanInputBalance(source);
  // Too many closing brackets can never balance: run it and let the parser say so.
  if (balance.closedTooMany) return false;
  return balance.depth > 0 || balance.inString;
}

namespace {

bool isBlank(std::string_view text) { return text.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// Line input: libedit with prompts and history on a terminal, plain lines otherwise.
class LineReader {
 public:
  LineReader() : interactive_(isatty(STDIN_FILENO)) {
    if (!interactive_) return;
    using_history();
    stifle_history(1000);
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
      historyPath_ = std::string(home) + "/.kiln_history";
      read_history(historyPath_.c_str());  // a missing file is fine
    }
  }

  ~LineReader() {
    if (interactive_ && !historyPath_.empty()) write_history(historyPath_.c_str());
  }

  bool interactive() const { return interactive_; }

  std::optional<std::string> read(bool continuation) {
    std::fflush(stdout);
    if (!interactive_) {
      std::string line;
      if (!std::getline(std::cin, line)) return std::nullopt;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    char* raw = readline(continuation ? "... " : "> ");
    if (raw == nullptr) return std::nullopt;
    std::string line(raw);
    std::free(raw);
    if (!isBlank(line)) add_history(line.c_str());
    return line;
  }

 private:
  bool interactive_;
  std::string historyPath_;
};

}  // namespace

int runRepl(Runtime& runtime) {
  LineReader reader;
  if (reader.interactive()) std::printf("kiln %s (interpreter). Ctrl-D exits.\n", version());

  std::string entry;
  while (std::optional<std::string> line = reader.read(!entry.empty())) {
    if (!entry.empty()) entry += '\n';
    entry += *line;
    if (needsMoreInput(entry)) continue;
    if (!isBlank(entry)) runtime.runReplLine(entry);  // errors are already printed
    entry.clear();
  }
  // EOF in the middle of an entry: run it anyway so that its error is reported.
  if (!isBlank(entry)) runtime.runReplLine(entry);
  if (reader.interactive()) std::printf("\n");
  std::fflush(stdout);
  return 0;
}

}  // namespace kiln::cli
