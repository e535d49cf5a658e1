// Kiln's embedding API: the only header an embedding C++ program includes.
//
//   kiln::Runtime rt;
//   rt.defineFunction("twice", 1, [](const kiln::Args& a) { return kiln::HostValue(a[0].number() * 2); });
//   if (rt.run("print twice(21);") != kiln::Status::Ok) std::cerr << rt.lastError();
//
// A Runtime owns one VM: its heap, globals and interned strings. It is not
// thread-safe; use one Runtime per thread.
#pragma once

#include <cstddef>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace kiln {

class VM;

enum class Status {
  Ok,
  CompileError,  // the CLI exits with 65
  RuntimeError,  // the CLI exits with 70
};

struct RuntimeOptions {
  bool gcStress = false;           // collect at every allocation (slow; for testing)
  bool gcTrace = false;            // print one line per collection to stderr
  bool gcVerify = false;           // check the heap's invariants after every collection (testing)
  size_t maxHeapBytes = 0;         // heap limit; past it scripts fail with "Out of memory." (0: none)
  bool generational = true;        // false: the plain mark-sweep collector (for comparison)
  size_t youngBytes = 512u << 10;  // size of the young generation's semispaces
  int promotionAge = 2;            // scavenges a young object survives before promotion (1..3)
  bool stats = false;              // count instructions and inline-cache hits (see statsReport)
  // Execution tier: the JIT compiles a function once its calls plus loop
  // back-edges reach jitThreshold (0: before its first run). false: the
  // interpreter only (kiln -Xint), which never touches the JIT.
  bool jit = true;
  uint32_t jitThreshold = kDefaultJitThreshold;
  bool traceJit = false;  // a line per compile, OSR entry, deopt, invalidation (stderr)
  bool dumpAsm = false;   // the machine code of each compiled function (stderr)
  bool perfMap = false;   // write /tmp/perf-PID.map so `perf report` names compiled code
  static constexpr uint32_t kDefaultJitThreshold = 1000;
  // Sandbox limits, per run() or call() (a host function's callback into the
  // runtime shares the budget of the run it is part of). Past one, the script
  // stops with a runtime error whose kind (lastErrorKind) tells which limit.
  //
  // maxSteps: at most this many steps, a step being a call or a loop
  // iteration (each one polls the limits), in either tier. 0: no limit, and
  // then no step is counted at all: counting is compiled in only for a
  // runtime created with a limit (setMaxSteps can change it later).
  uint64_t maxSteps = 0;
  // timeoutSeconds: stop a run that takes longer ("Timed out."), checked at
  // the same points; 0: none. One watchdog thread per runtime, started by
  // the first run with a limit.
  double timeoutSeconds = 0;
};

// What stopped a script (Runtime::lastErrorKind).
enum class ErrorKind {
  None,         // the last run succeeded
  Compile,      // a compile error
  Runtime,      // a runtime error of the script, a native or a host function
  OutOfMemory,  // the heap limit (maxHeapBytes): "Out of memory."
  Interrupted,  // Runtime::interrupt(): "Interrupted."
  TimedOut,     // timeoutSeconds: "Timed out."
  StepLimit,    // maxSteps: "Step limit exceeded."
};

// The last error as data (Runtime::lastErrorInfo): what lastError() says as
// text, field by field.
struct ErrorInfo {
  struct Frame {
    std::string function;  // "script", "<fn>" for a lambda, or the function's name
    int line = 0;
  };
  struct CompileError {
    int line = 0;
    int column = 0;     // 1-based byte column of the token, 0 when unknown (scanner errors)
    std::string where;  // "at 'tok'", "at end", or empty
    std::string message;
  };
  ErrorKind kind = ErrorKind::None;
  std::string message;  // without location: "Undefined variable 'x'.", "Expect ';' after value."
  int line = 0;         // runtime errors: the innermost frame's line; compile errors: the first one's
  int column = 0;       // compile errors: the first one's column (0: unknown)
  std::vector<CompileError> compileErrors;  // every compile error, in order
  // Runtime errors: the stack trace, innermost frame first. A very deep trace
  // keeps its 50 innermost and 10 outermost frames; framesOmitted says how
  // many were left out between them (as the text's "[... N frames omitted ...]").
  std::vector<Frame> frames;
  size_t framesOmitted = 0;
  std::string text;  // lastError(): the CLI's text form
};

// A value crossing the boundary between C++ and scripts: nil, a boolean, a number
// or a string. Other script values (lists, instances, ...) arrive as their
// printed text.
class HostValue {
 public:
  HostValue() = default;
  HostValue(bool b) : v_(b) {}
  HostValue(double d) : v_(d) {}
  HostValue(int i) : v_(double(i)) {}
  HostValue(std::string s) : v_(std::move(s)) {}
  HostValue(const char* s) : v_(std::string(s)) {}

  bool isNil() const { return std::holds_alternative<std::monostate>(v_); }
  bool isBool() const { return std::holds_alternative<bool>(v_); }
  bool isNumber() const { return std::holds_alternative<double>(v_); }
  bool isString() const { return std::holds_alternative<std::string>(v_); }
  bool boolean() const { return std::get<bool>(v_); }
  double number() const { return std::get<double>(v_); }
  const std::string& string() const { return std::get<std::string>(v_); }

 private:
  std::variant<std::monostate, bool, double, std::string> v_;
};

using Args = std::vector<HostValue>;
// A host function may fail: return HostError{"message"} to raise a runtime error.
struct HostError {
  std::string message;
};
using HostResult = std::variant<HostValue, HostError>;
using HostFunction = std::function<HostResult(const Args&)>;

class Runtime {
 public:
  explicit Runtime(RuntimeOptions options = {});
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // Compiles and runs a script. Compile errors ("[line N] Error at ...") and
  // runtime errors (message plus stack trace) go to the error stream and to
  // lastError(). Globals persist between calls, so a REPL can run line by line.
  Status run(std::string_view source);
  // Like run(), but a final expression without ';' prints its value (the REPL).
  Status runReplLine(std::string_view source);
  // Compiles without running and returns the disassembly of every function
  // (compile errors are reported as by run(); the result is then empty).
  std::optional<std::string> dumpBytecode(std::string_view source);

  // Calls the global function `name` with `args`.
  std::optional<HostValue> call(std::string_view name, const Args& args);
  // Globals by name. Reading an undefined global gives std::nullopt.
  std::optional<HostValue> getGlobal(std::string_view name);
  void setGlobal(std::string_view name, const HostValue& value);
  // Defines a global native function. arity -1 accepts any number of arguments.
  void defineFunction(std::string_view name, int arity, HostFunction fn);
  // The same as a function of the namespace object `space` (`Game.spawn(x)`,
  // as `Math.sqrt`): the global `space` is created on first use; false, and
  // nothing defined, if it exists and is not an object.
  bool defineFunction(std::string_view space, std::string_view name, int arity, HostFunction fn);

  // Stops the script running now (at its next call or loop iteration, in
  // either tier) with "Interrupted."; with none running, nothing happens.
  // The one member function that is safe to call from another thread.
  void interrupt();
  // Changes the limits for the next runs (see RuntimeOptions). setMaxSteps
  // returns false, changing nothing, on a runtime created without a step
  // limit (it counts no steps).
  bool setMaxSteps(uint64_t steps);
  void setTimeout(double seconds);
  // What stopped the last run() or call(), if anything, and the whole error.
  ErrorKind lastErrorKind() const;
  const ErrorInfo& lastErrorInfo() const;

  // Where `print` writes instead of the output stream: `handler` gets each
  // printed value's text with its newline (null: the stream again). A handler
  // that does nothing leaves the runtime without output. An exception thrown
  // by it becomes a runtime error of the script.
  void setOutputHandler(std::function<void(std::string_view text)> handler);
  void setOutput(std::FILE* out);
  // Where errors are written as well as to lastError(); null: nowhere (a host
  // that reports them itself, from lastErrorInfo()).
  void setErrorOutput(std::FILE* err);
  const std::string& lastError() const;
  // A multi-line report of the counters (--stats): instructions, inline caches, GC.
  std::string statsReport() const;

  VM& vm();  // for Kiln's own tools and tests

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

const char* version();

}  // namespace kiln
