// The `kiln` REPL (started when neither FILE nor -e is given) and the input
// scanning it uses to decide whether a line is complete, kept here so that unit
// tests can check it.
#pragma once

#include <string_view>

namespace kiln {
class Runtime;
}

namespace kiln::cli {

struct InputBalance {
  int depth = 0;               // open ( [ { minus closing ones; negative if too many close
  bool inString = false;       // the input ends inside an unterminated string literal
  bool closedTooMany = false;  // at some point more brackets closed than opened
};

// Counts brackets in `source`, skipping string literals ("...", no escapes, as
// in the scanner) and // comments.
InputBalance scanInputBalance(std::string_view source);

// True when the REPL should read another line before running `source`: a bracket
// is still open or a (multi-line) string is not yet closed.
bool needsMoreInput(std::string_view source);

// Reads lines from stdin until EOF and runs each complete entry with
// Runtime::runReplLine, printing errors without stopping. Uses libedit with a
// history when stdin is a terminal, plain lines without prompts otherwise.
// Returns the process exit code.
int runRepl(Runtime& runtime);

}  // namespace kiln::cli
