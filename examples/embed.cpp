// Embedding Kiln in a C++ program (see docs/embedding.md):
//   1. define host functions that scripts can call,
//   2. hand a value to scripts through a global,
//   3. run a script,
//   4. call a script function from C++ and read a global back,
//   5. see a host function's error become a script runtime error.
#include <kiln/kiln.h>

#include <cmath>
#include <iostream>
#include <string>

namespace {

// Prints the first line of the last error (the message without the stack trace).
void showError(const kiln::Runtime& rt) {
  const std::string& error = rt.lastError();
  std::cout << "error: " << error.substr(0, error.find('\n')) << "\n";
}

}  // namespace

int main() {
  kiln::Runtime rt;

  // A host function with a fixed arity. Returning HostError raises a runtime
  // error in the calling script.
  rt.defineFunction("hypot", 2, [](const kiln::Args& args) -> kiln::HostResult {
    if (!args[0].isNumber() || !args[1].isNumber()) {
      return kiln::HostError{"hypot() expects two numbers."};
    }
    return kiln::HostValue(std::hypot(args[0].number(), args[1].number()));
  });

  // A variadic host function (arity -1): counts its arguments and remembers the
  // longest string it was given, in state captured by the lambda.
  std::string longest;
  rt.defineFunction("note", -1, [&longest](const kiln::Args& args) -> kiln::HostResult {
    for (const kiln::HostValue& arg : args) {
      if (arg.isString() && arg.string().size() > longest.size()) longest = arg.string();
    }
    return kiln::HostValue(int(args.size()));
  });

  rt.setGlobal("greeting", "Hello from C++");

  const char* script = R"(
    print greeting;
    print hypot(3, 4);
    print note("short", "a longer string", 42);

    fun area(width, height) { return width * height; }

    var total = 0;
    for (var i = 1; i <= 10; i = i + 1) total = total + i;
    var summary = "total is " + str(total);
  )";
  if (rt.run(script) != kiln::Status::Ok) {
    showError(rt);
    return 1;
  }

  // Call a script function with arguments built from C++ values.
  if (std::optional<kiln::HostValue> area = rt.call("area", {6, 7})) {
    std::cout << "area(6, 7) = " << area->number() << "\n";
  } else {
    showError(rt);
  }

  // Read globals the script left behind.
  if (auto total = rt.getGlobal("total"); total && total->isNumber()) {
    std::cout << "total = " << total->number() << "\n";
  }
  if (auto summary = rt.getGlobal("summary"); summary && summary->isString()) {
    std::cout << "summary = " << summary->string() << "\n";
  }
  if (!rt.getGlobal("noSuchGlobal")) std::cout << "noSuchGlobal is not defined\n";
  std::cout << "longest note: " << longest << "\n";

  // Globals persist between runs, and a host error becomes a runtime error with
  // the script's stack trace (also written to stderr).
  if (rt.run("print hypot(\"three\", 4);") == kiln::Status::RuntimeError) showError(rt);

  return 0;
}
