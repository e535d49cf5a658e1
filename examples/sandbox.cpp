// A host that runs untrusted rule scripts (see docs/embedding.md, "Sandbox
// limits" and "Errors as data"):
//   1. the rules see a `Rules` namespace of host functions (Rules.score),
//   2. `print` output is collected by the host instead of going to stdout,
//   3. each rule runs under a step budget and a time limit,
//   4. failures are reported from the structured error: kind, line, function.
#include <kiln/kiln.h>

#include <iostream>
#include <string>
#include <vector>

namespace {

const char* kindName(kiln::ErrorKind kind) {
  switch (kind) {
    case kiln::ErrorKind::None:
      return "ok";
    case kiln::ErrorKind::Compile:
      return "compile error";
    case kiln::ErrorKind::Runtime:
      return "runtime error";
    case kiln::ErrorKind::OutOfMemory:
      return "out of memory";
    case kiln::ErrorKind::Interrupted:
      return "interrupted";
    case kiln::ErrorKind::TimedOut:
      return "timed out";
    case kiln::ErrorKind::StepLimit:
      return "step limit";
  }
  return "?";
}

}  // namespace

int main() {
  kiln::RuntimeOptions options;
  options.maxSteps = 1'000'000;  // calls plus loop iterations per rule
  options.timeoutSeconds = 0.5;  // and at most half a second
  options.maxHeapBytes = 64 << 20;
  kiln::Runtime rt(options);
  rt.setErrorOutput(nullptr);  // the host reports errors itself, from lastErrorInfo()

  std::vector<std::string> log;
  rt.setOutputHandler([&log](std::string_view text) { log.emplace_back(text.substr(0, text.size() - 1)); });
  double total = 0;
  rt.defineFunction("Rules", "score", 1, [&total](const kiln::Args& args) -> kiln::HostResult {
    if (!args[0].isNumber()) return kiln::HostError{"Rules.score() expects a number."};
    total += args[0].number();
    return kiln::HostValue(total);
  });

  const std::vector<std::pair<std::string, std::string>> rules = {
      {"bonus", "fun bonus(n) { return n * 2; }\nRules.score(bonus(21));\nprint \"bonus applied\";"},
      {"typo", "fun check(x) {\n  return x + nil;\n}\ncheck(1);"},
      {"greedy", "var i = 0;\nwhile (true) i = i + 1;"},
      {"syntax", "Rules.score(1"},
  };
  for (const auto& [name, source] : rules) {
    kiln::Status status = rt.run(source);
    const kiln::ErrorInfo& error = rt.lastErrorInfo();
    std::cout << name << ": " << kindName(error.kind);
    if (status != kiln::Status::Ok) {
      std::cout << " at line " << error.line;
      if (!error.frames.empty()) std::cout << " in " << error.frames[0].function;
      std::cout << ": " << error.message;
    }
    std::cout << "\n";
  }
  std::cout << "score = " << total << "\n";
  for (const std::string& line : log) std::cout << "log: " << line << "\n";
  return 0;
}
