// The `kiln` REPL: reads entries line by line (continuing while brackets or a
// string are open), runs each with one Runtime so globals persist, and prints
// errors without ending the session. Ctrl-D (EOF) ends it with exit code 0.
#include "cli/repl.h"

#include <dlfcn.h>
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

// libedit, loaded only when the REPL runs on a terminal: scripts then start
// without mapping libedit and the libraries it pulls in (start-up time and
// memory are part of Kiln's performance bar). The signatures are libedit's
// readline-compatible API (editline/readline.h).
struct Editline {
  char* (*readline)(const char*);
  int (*add_history)(const char*);
  void (*using_history)();
  void (*stifle_history)(int);
  int (*read_history)(const char*);
  int (*write_history)(const char*);

  static std::optional<Editline> load() {
    void* library = dlopen("libedit.so.2", RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) return std::nullopt;
    Editline e;
    bool ok = resolve(library, "readline", &e.readline) && resolve(library, "add_history", &e.add_history) &&
              resolve(library, "using_history", &e.using_history) &&
              resolve(library, "stifle_history", &e.stifle_history) &&
              resolve(library, "read_history", &e.read_history) &&
              resolve(library, "write_history", &e.write_history);
    if (!ok) return std::nullopt;
    return e;
  }

 private:
  template <class F>
  static bool resolve(void* library, const char* name, F* out) {
    *out = reinterpret_cast<F>(dlsym(library, name));
    return *out != nullptr;
  }
};

// Line input: libedit with prompts and history on a terminal, plain lines
// otherwise (and on a terminal without libedit, plain lines with prompts).
class LineReader {
 public:
  LineReader() : interactive_(isatty(STDIN_FILENO)) {
    if (!interactive_) return;
    editline_ = Editline::load();
    if (!editline_) return;
    editline_->using_history();
    editline_->stifle_history(1000);
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
      historyPath_ = std::string(home) + "/.kiln_history";
      editline_->read_history(historyPath_.c_str());  // a missing file is fine
    }
  }

  ~LineReader() {
    if (editline_ && !historyPath_.empty()) editline_->write_history(historyPath_.c_str());
  }

  bool interactive() const { return interactive_; }

  std::optional<std::string> read(bool continuation) {
    const char* prompt = continuation ? "... " : "> ";
    if (!editline_) {
      if (interactive_) std::fputs(prompt, stdout);
      std::fflush(stdout);
      std::string line;
      if (!std::getline(std::cin, line)) return std::nullopt;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    std::fflush(stdout);
    char* raw = editline_->readline(prompt);
    if (raw == nullptr) return std::nullopt;
    std::string line(raw);
    std::free(raw);
    if (!isBlank(line)) editline_->add_history(line.c_str());
    return line;
  }

 private:
  bool interactive_;
  std::optional<Editline> editline_;
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
