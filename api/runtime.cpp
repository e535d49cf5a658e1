// The embedding API (include/kiln/kiln.h) on top of the VM: compiling and running
// source, reading and writing globals, calling script functions from C++ and
// exposing C++ functions to scripts (also in namespaces), the sandbox limits
// (step budget, time limit with api/watchdog.h, interrupt), errors as data,
// the output handler, and the --stats report.
//
// GC note: converting a HostValue string to a Value interns it, which may collect.
// Every Value built here is rooted in a HandleScope before the next allocation.
#include <fmt/format.h>
#include <sys/resource.h>

#include <exception>
#include <utility>

#include "api/watchdog.h"
#include "frontend/frontend.h"
#include "gc/handles.h"
#include "jit/jit.h"
#include "kiln/kiln.h"
#include "stdlib/stdlib.h"
#include "vm/disassembler.h"
#include "vm/print.h"
#include "vm/vm.h"

namespace kiln {

namespace {

VMOptions vmOptionsFrom(const RuntimeOptions& options) {
  VMOptions vmOptions;
  vmOptions.heap.stress = options.gcStress;
  vmOptions.heap.trace = options.gcTrace;
  vmOptions.heap.verify = options.gcVerify;
  vmOptions.heap.maxBytes = options.maxHeapBytes;
  vmOptions.heap.generational = options.generational;
  vmOptions.heap.youngBytes = options.youngBytes;
  vmOptions.heap.promotionAge = options.promotionAge;
  vmOptions.stats = options.stats;
  vmOptions.countSteps = options.maxSteps != 0;
  return vmOptions;
}

// May allocate (strings are interned): root the result before allocating again.
Value toValue(VM& vm, const HostValue& value) {
  if (value.isBool()) return Value::boolean(value.boolean());
  if (value.isNumber()) return Value::number(value.number());
  if (value.isString()) return Value::object(vm.intern(value.string()));
  return Value::nil();
}

// Never allocates on the heap.
HostValue toHostValue(Value value) {
  if (value.isNil()) return HostValue();
  if (value.isBool()) return HostValue(value.asBool());
  if (value.isNumber()) return HostValue(value.asNumber());
  if (isString(value)) return HostValue(std::string(as<String>(value)->view()));
  return HostValue(valueToString(value));
}

bool isCallable(Value value) {
  if (!value.isObj()) return false;
  switch (value.asObj()->kind) {
    case ObjKind::Closure:
    case ObjKind::Native:
    case ObjKind::Class:
    case ObjKind::BoundMethod:
      return true;
    default:
      return false;
  }
}

// The NativeFn behind every function registered with Runtime::defineFunction. Its
// Native's userData points to the HostFunction (owned by Runtime::Impl).
Value callHostFunction(VM& vm, Value* args, int argc) {
  if (!isKind(args[0], ObjKind::Native) || as<Native>(args[0])->userData == nullptr) {
    return vm.error("Host function called without its function object.");
  }
  auto* function = static_cast<HostFunction*>(as<Native>(args[0])->userData);

  Args hostArgs;
  hostArgs.reserve(argc);
  for (int i = 1; i <= argc; i++) hostArgs.push_back(toHostValue(args[i]));

  HostResult result;
  try {
    result = (*function)(hostArgs);
  } catch (const std::exception& e) {
    // An exception must not unwind through the interpreter loop.
    return vm.errorf("Host function threw an exception: {}", e.what());
  } catch (...) {
    return vm.error("Host function threw an exception.");
  }
  if (auto* error = std::get_if<HostError>(&result)) return vm.error(std::move(error->message));
  return toValue(vm, std::get<HostValue>(result));
}

std::string formatBytes(uint64_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  if (bytes < 1024 * 1024) return fmt::format("{:.1f} KiB ({} B)", bytes / 1024.0, bytes);
  return fmt::format("{:.1f} MiB ({} B)", bytes / (1024.0 * 1024.0), bytes);
}

// One line of the report: a label in a fixed-width column, then the value.
std::string reportLine(std::string_view label, std::string_view value) {
  return fmt::format("  {:<20} {}\n", label, value);
}

std::string formatCache(std::string_view name, const CacheCounters& counters) {
  uint64_t total = counters.hits + counters.misses;
  std::string rate = total == 0 ? "-" : fmt::format("{:.1f}%", 100.0 * double(counters.hits) / double(total));
  return fmt::format("  {:<20} {:>14} {:>14} {:>9}\n", name, counters.hits, counters.misses, rate);
}

}  // namespace

struct Runtime::Impl {
  // Declared before `vm` so the VM (and its Natives pointing here) goes first.
  std::vector<std::unique_ptr<HostFunction>> hostFunctions;
  VM vm;
  ErrorInfo error;  // the last run's error (kind None after a success)
  double timeoutSeconds;
  std::unique_ptr<Watchdog> watchdog;  // made by the first run with a time limit

  explicit Impl(const RuntimeOptions& options)
      : vm(vmOptionsFrom(options)), timeoutSeconds(options.timeoutSeconds) {
    vm.setStepLimit(options.maxSteps);
  }

  // Around each run() and call(): the time limit of an outermost run (a host
  // function's callback runs within the time of the run that called it).
  class TimedRun {
   public:
    explicit TimedRun(Impl& impl) : impl_(impl), outermost_(impl.vm.idle()) {
      if (!outermost_) return;
      impl_.vm.clearTimeout();
      if (impl_.timeoutSeconds <= 0) return;
      if (!impl_.watchdog) impl_.watchdog = std::make_unique<Watchdog>(impl_.vm);
      impl_.watchdog->arm(impl_.timeoutSeconds);
    }
    ~TimedRun() {
      if (outermost_ && impl_.watchdog) impl_.watchdog->disarm();
    }
    TimedRun(const TimedRun&) = delete;
    TimedRun& operator=(const TimedRun&) = delete;

   private:
    Impl& impl_;
    bool outermost_;
  };

  // A Native calling `fn` (which the runtime keeps). May collect.
  Native* hostNative(std::string_view name, int arity, HostFunction fn);

  // After a failed run: what stopped it (ErrorCause in the VM's order).
  void noteRuntimeError() {
    static constexpr ErrorKind kByCause[] = {ErrorKind::Runtime, ErrorKind::OutOfMemory,
                                             ErrorKind::Interrupted, ErrorKind::TimedOut,
                                             ErrorKind::StepLimit};
    static_assert(int(ErrorCause::Script) == 0 && int(ErrorCause::OutOfMemory) == 1 &&
                  int(ErrorCause::Interrupted) == 2 && int(ErrorCause::TimedOut) == 3 &&
                  int(ErrorCause::StepLimit) == 4);
    error = ErrorInfo{};
    error.kind = kByCause[size_t(vm.pendingErrorCause())];
    error.message = vm.pendingError();
    for (const VM::TraceFrame& frame : vm.lastTrace()) error.frames.push_back({frame.function, frame.line});
    error.framesOmitted = vm.lastTraceOmitted();
    if (!error.frames.empty()) error.line = error.frames[0].line;
    error.text = vm.lastError();
  }
  void clearError() { error = ErrorInfo{}; }

  // Reports an error raised by the API itself (not by compiled code).
  void reportError(std::string message) {
    error = ErrorInfo{};
    error.kind = ErrorKind::Runtime;
    error.text = message + "\n";
    error.message = std::move(message);
    vm.writeError(error.text);
  }

  // Compiles `source`; on errors reports every diagnostic and returns nullptr.
  FunctionProto* compile(std::string_view source, bool replTrailingExpression) {
    clearError();
    Diagnostics diagnostics;
    CompileOptions options;
    options.replTrailingExpression = replTrailingExpression;
    FunctionProto* script = compileSource(vm, source, diagnostics, options);
    if (script != nullptr && !diagnostics.hadError()) return script;
    error.kind = ErrorKind::Compile;
    for (const std::string& line : diagnostics.messages()) {
      error.text += line;
      error.text += '\n';
    }
    for (const Diagnostic& d : diagnostics.entries())
      error.compileErrors.push_back({d.line, d.column, d.where, d.message});
    if (!error.compileErrors.empty()) {
      error.message = error.compileErrors[0].message;
      error.line = error.compileErrors[0].line;
      error.column = error.compileErrors[0].column;
    }
    vm.writeError(error.text);
    return nullptr;
  }

  Status compileAndRun(std::string_view source, bool replTrailingExpression) {
    FunctionProto* script = compile(source, replTrailingExpression);
    if (script == nullptr) return Status::CompileError;
    TimedRun timed(*this);
    if (vm.run(script) == InterpretResult::Ok) {
      clearError();  // a failed callback of a host function inside it is not this run's error
      return Status::Ok;
    }
    noteRuntimeError();
    return Status::RuntimeError;
  }
};

Runtime::Runtime(RuntimeOptions options) : impl_(std::make_unique<Impl>(options)) {
  if (options.jit) {
    jit::JitOptions jitOptions;
    jitOptions.trace = options.traceJit;
    jitOptions.dumpAsm = options.dumpAsm;
    jitOptions.perfMap = options.perfMap;
    impl_->vm.setTierUp(jit::createJit(impl_->vm, jitOptions), options.jitThreshold);
  }
  installStdlib(impl_->vm);
}

Runtime::~Runtime() = default;

Status Runtime::run(std::string_view source) { return impl_->compileAndRun(source, false); }

Status Runtime::runReplLine(std::string_view source) { return impl_->compileAndRun(source, true); }

std::optional<std::string> Runtime::dumpBytecode(std::string_view source) {
  FunctionProto* script = impl_->compile(source, false);
  if (script == nullptr) return std::nullopt;
  return disassemble(script);
}

std::optional<HostValue> Runtime::call(std::string_view name, const Args& args) {
  VM& vm = impl_->vm;
  impl_->clearError();
  HandleScope scope(vm.heap());

  String* nameString = vm.intern(name);
  Value callee = vm.global(vm.globalIndex(nameString)).value;
  if (callee.isUndefined()) {
    impl_->reportError(fmt::format("Undefined variable '{}'.", name));
    return std::nullopt;
  }
  if (!isCallable(callee)) {
    impl_->reportError(
        fmt::format("Can only call functions and classes ('{}' is {}).", name, valueToString(callee)));
    return std::nullopt;
  }

  // Root the callee and every argument: converting a string argument allocates.
  ValueHandle calleeHandle = scope.makeValue(callee);
  std::vector<ValueHandle> argHandles;
  argHandles.reserve(args.size());
  for (const HostValue& arg : args) argHandles.push_back(scope.makeValue(toValue(vm, arg)));

  std::vector<Value> argValues;
  argValues.reserve(args.size());
  for (const ValueHandle& handle : argHandles) argValues.push_back(handle.get());

  Value result = Value::nil();
  Impl::TimedRun timed(*impl_);
  if (vm.callValue(calleeHandle.get(), argValues, &result) != InterpretResult::Ok) {
    impl_->noteRuntimeError();
    return std::nullopt;
  }
  impl_->clearError();  // as in run()
  return toHostValue(result);
}

std::optional<HostValue> Runtime::getGlobal(std::string_view name) {
  VM& vm = impl_->vm;
  Value value = vm.global(vm.globalIndex(vm.intern(name))).value;
  if (value.isUndefined()) return std::nullopt;
  return toHostValue(value);
}

void Runtime::setGlobal(std::string_view name, const HostValue& value) {
  VM& vm = impl_->vm;
  HandleScope scope(vm.heap());
  // Intern (and root) the name first so that defineGlobal finds it without allocating
  // while the new value is held only here.
  scope.makeValue(Value::object(vm.intern(name)));
  ValueHandle stored = scope.makeValue(toValue(vm, value));
  vm.defineGlobal(name, stored.get());
}

Native* Runtime::Impl::hostNative(std::string_view name, int arity, HostFunction fn) {
  Native* native = vm.newNative(name, callHostFunction, arity);
  hostFunctions.push_back(std::make_unique<HostFunction>(std::move(fn)));
  native->userData = hostFunctions.back().get();
  return native;
}

void Runtime::defineFunction(std::string_view name, int arity, HostFunction fn) {
  VM& vm = impl_->vm;
  HandleScope scope(vm.heap());
  scope.makeValue(Value::object(vm.intern(name)));  // see setGlobal
  Handle<Native> native = scope.make(impl_->hostNative(name, arity, std::move(fn)));
  vm.defineGlobal(name, native.value());
}

bool Runtime::defineFunction(std::string_view space, std::string_view name, int arity, HostFunction fn) {
  VM& vm = impl_->vm;
  HandleScope scope(vm.heap());
  Instance* existing = namespaceObject(vm, space);  // an existing one, or a new one as Math is
  if (existing == nullptr) return false;
  Handle<Instance> object = scope.make(existing);
  Handle<String> key = scope.make(vm.intern(name));
  Handle<Native> native = scope.make(impl_->hostNative(name, arity, std::move(fn)));
  vm.setField(object.get(), key.get(), native.value());
  return true;
}

void Runtime::interrupt() { impl_->vm.requestInterrupt(); }

bool Runtime::setMaxSteps(uint64_t steps) {
  if (!impl_->vm.options().countSteps) return false;
  impl_->vm.setStepLimit(steps);
  return true;
}

void Runtime::setTimeout(double seconds) { impl_->timeoutSeconds = seconds; }

ErrorKind Runtime::lastErrorKind() const { return impl_->error.kind; }

const ErrorInfo& Runtime::lastErrorInfo() const { return impl_->error; }

void Runtime::setOutputHandler(std::function<void(std::string_view)> handler) {
  impl_->vm.setOutputHandler(std::move(handler));
}

void Runtime::setOutput(std::FILE* out) { impl_->vm.setOutput(out); }

void Runtime::setErrorOutput(std::FILE* err) { impl_->vm.setErrorOutput(err); }

const std::string& Runtime::lastError() const { return impl_->error.text; }

std::string Runtime::statsReport() const {
  VM& vm = impl_->vm;
  const VMStats& counters = vm.stats();
  const HeapStats& heap = vm.heap().stats();

  std::string report = "-- kiln stats --\n";
  report += "interpreter\n";
  if (vm.options().stats) {
    report += reportLine("instructions", fmt::format("{}", counters.instructions));
    report += fmt::format("  {:<20} {:>14} {:>14} {:>9}\n", "inline caches", "hits", "misses", "hit rate");
    report += formatCache("  get property", counters.getProperty);
    report += formatCache("  set property", counters.setProperty);
    report += formatCache("  invoke", counters.invoke);
    report += formatCache("  global", counters.global);
  } else {
    report += "  instructions and inline caches are counted only with stats on\n";
  }

  if (const jit::JitStats* jitStats = jit::statsOf(vm.tierUp())) {
    report += "jit\n";
    report += reportLine("functions compiled",
                         fmt::format("{} ({} recompiles, {} invalidations)", jitStats->functionsCompiled,
                                     jitStats->recompiles, jitStats->invalidations));
    report += reportLine("code", fmt::format("{} bytecode words -> {}", jitStats->bytecodeWords,
                                             formatBytes(jitStats->codeBytes)));
    double wordsPerUs = jitStats->compileMsTotal > 0
                            ? double(jitStats->bytecodeWords) / (jitStats->compileMsTotal * 1000)
                            : 0;
    report +=
        reportLine("compile time", fmt::format("{:.3f} ms total, {:.3f} ms max, {:.1f} words/us",
                                               jitStats->compileMsTotal, jitStats->compileMsMax, wordsPerUs));
    report += reportLine("entries", fmt::format("{} from the interpreter, {} by OSR", jitStats->entries,
                                                jitStats->osrEntries));
    std::string deopts = fmt::format("{}", jitStats->deopts);
    for (int i = 0; i < jit::kDeoptReasonCount; i++) {
      if (jitStats->deoptsByReason[i] > 0)
        deopts +=
            fmt::format(", {} {}", jitStats->deoptsByReason[i], jit::deoptReasonText(jit::DeoptReason(i)));
    }
    report += reportLine("deopts", deopts);
  } else {
    report += "jit\n  off (-Xint)\n";
  }

  report += "garbage collector\n";
  report += reportLine("collector", vm.heap().options().generational ? "generational" : "mark-sweep");
  auto pauses = [&](const char* name, const PauseStats& p) {
    report += reportLine(
        name, fmt::format("{} collections, total pause {:.3f} ms, max pause {:.3f} ms, p99 {:.3f} ms",
                          p.count, p.totalMs, p.maxMs, p.percentileMs(99)));
  };
  if (vm.heap().options().generational) pauses("minor (scavenge)", heap.minor);
  pauses("major (full)", heap.major);
  report += reportLine("bytes allocated", formatBytes(heap.bytesAllocatedTotal));
  report += reportLine("bytes promoted", formatBytes(heap.bytesPromoted));
  if (vm.heap().options().generational)
    report += reportLine("bytes pretenured", formatBytes(heap.bytesPretenured));
  report += reportLine("memory returned",
                       fmt::format("by {} of {} full collections", heap.memoryReturns, heap.major.count));
  report += reportLine("live heap (old)", formatBytes(vm.heap().bytesAllocated()));
  report += reportLine("peak heap", formatBytes(heap.peakBytes));

  report += "process\n";
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) == 0) {
    // Linux reports ru_maxrss in kilobytes.
    report += reportLine("peak RSS", formatBytes(uint64_t(usage.ru_maxrss) * 1024));
  }
  return report;
}

VM& Runtime::vm() { return impl_->vm; }

const char* version() { return "0.1.0"; }

}  // namespace kiln
