// The `kiln` command: runs a script file, a -e string or the REPL, with flags
// for the execution tier (-X...), --stats, --dump-bytecode and --gc-stress.
//
//   kiln [options] [FILE [args...]]
//
// Everything from FILE on belongs to the script, so the command line is split by
// hand first and only the part before FILE goes to CLI11.
#include <mimalloc.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/compare.h"
#include "cli/repl.h"
#include "kiln/kiln.h"

namespace {

// Exit codes (BSD sysexits, as in Crafting Interpreters).
constexpr int kExitOk = 0;
constexpr int kExitUsage = 64;
constexpr int kExitCompileError = 65;
constexpr int kExitRuntimeError = 70;
constexpr int kExitCannotRead = 74;

constexpr const char* kUsage = "usage: kiln [options] [FILE [args...]]\n";

// CLI11 never sees FILE (see parseCommandLine), so the help states the usage itself.
class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_usage(const CLI::App*, std::string) const override { return kUsage; }
};

struct CommandLine {
  std::optional<std::string> file;
  std::optional<std::string> code;      // -e CODE
  std::vector<std::string> scriptArgs;  // after FILE (or after the options with -e)
  std::vector<std::string> extended;    // -X options without the -X
  bool stats = false;
  bool dumpBytecode = false;
  bool gcStress = false;
  bool gcTrace = false;
  bool gcVerify = false;
  std::string maxHeap;
  uint64_t maxSteps = 0;
  double timeout = 0;
  std::string youngSize;
  std::string collector;
  int promotionAge = 2;
  bool version = false;
  bool traceJit = false;
  bool dumpAsm = false;
  bool perfMap = false;
  bool compare = false;
};

// The tier chosen by the -X options.
struct TierChoice {
  bool jit = true;  // -Xjit (tiered) is the default
  uint32_t threshold = kiln::RuntimeOptions::kDefaultJitThreshold;
};

enum class ParseOutcome { Run, ExitOk, UsageError };

int usageError(const std::string& message) {
  std::fprintf(stderr, "kiln: %s\n%sTry 'kiln --help' for more information.\n", message.c_str(), kUsage);
  return kExitUsage;
}

// Options whose value may follow as the next argument ("--gc marksweep"): the
// scan for FILE below must not take that value for FILE. Keep in sync with the
// add_option calls of parseCommandLine.
bool takesSeparateValue(std::string_view arg) {
  for (std::string_view option : {"-e", "--eval", "-X", "--young-size", "--promotion-age", "--gc",
                                  "--max-heap", "--max-steps", "--timeout"}) {
    if (arg == option) return true;
  }
  return false;
}

// Parses argv into `line`. On --help prints the help; on errors prints a usage message.
ParseOutcome parseCommandLine(int argc, char** argv, CommandLine& line) {
  // Options end at the first argument that is not an option (FILE), or after "--".
  std::vector<char*> kilnArgs = {argv[0]};
  int first = 1;
  for (; first < argc; first++) {
    std::string_view arg = argv[first];
    if (arg == "--") {
      first++;
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') break;
    kilnArgs.push_back(argv[first]);
    if (takesSeparateValue(arg) && first + 1 < argc) kilnArgs.push_back(argv[++first]);
  }
  std::vector<std::string> positional(argv + first, argv + argc);

  CLI::App app("Kiln: a fast, embeddable runtime for a superset of Lox.", "kiln");
  app.formatter(std::make_shared<HelpFormatter>());
  app.footer(
      "FILE is the script to run; the arguments after it belong to the script.\n"
      "With neither FILE nor -e, kiln starts the REPL.\n"
      "Exit codes: 0 ok, 64 usage error, 65 compile error, 70 runtime error, 74 cannot read FILE.");
  std::string code;
  app.add_option("-e,--eval", code, "Run CODE instead of a file")->option_text("CODE");
  app.add_option("-X", line.extended,
                 "Execution tier: -Xint (interpreter only), -Xjit (tiered, the default), "
                 "-Xjit-threshold=N (compile after N calls + loop iterations; 0: before the first run)")
      ->allow_extra_args(false)
      ->option_text("OPTION");
  app.add_flag("--stats", line.stats, "Print counters (instructions, inline caches, GC, memory) at exit");
  app.add_flag("--dump-bytecode", line.dumpBytecode,
               "Print the bytecode of FILE or CODE instead of running it");
  app.add_flag("--gc-stress", line.gcStress, "Collect garbage at every allocation (slow; for testing)");
  app.add_flag("--gc-trace", line.gcTrace, "Print one line per garbage collection to stderr");
  app.add_flag("--gc-verify", line.gcVerify, "Check the heap's invariants after every collection (testing)");
  app.add_option("--young-size", line.youngSize,
                 "Size of each young-generation semispace, e.g. 2M (default 512K)")
      ->option_text("SIZE");
  app.add_option("--promotion-age", line.promotionAge,
                 "Scavenges a young object survives before promotion (1-3, default 2)")
      ->check(CLI::Range(1, 3))
      ->option_text("N");
  app.add_option("--gc", line.collector, "Collector: generational (default) or marksweep")
      ->check(CLI::IsMember({"generational", "marksweep"}))
      ->option_text("KIND");
  app.add_option("--max-heap", line.maxHeap, "Heap limit, e.g. 64M or 2G; past it: \"Out of memory.\"")
      ->option_text("SIZE");
  app.add_option("--max-steps", line.maxSteps,
                 "Step limit: at most N calls and loop iterations; past it: \"Step limit exceeded.\"")
      ->check(CLI::PositiveNumber)
      ->option_text("N");
  app.add_option("--timeout", line.timeout, "Time limit in seconds (e.g. 2.5); past it: \"Timed out.\"")
      ->check(CLI::PositiveNumber)
      ->option_text("SECONDS");
  app.add_flag("--trace-jit", line.traceJit,
               "Print a line per JIT compilation, OSR entry, deopt and invalidation to stderr");
  app.add_flag("--dump-asm", line.dumpAsm,
               "Print the machine code of each compiled function, with its bytecode");
  app.add_flag("--perf-map", line.perfMap, "Write /tmp/perf-PID.map so that perf names compiled functions");
  app.add_flag("--compare", line.compare,
               "Run FILE under -Xint and -Xjit, check both print the same, and print what each tier costs");
  app.add_flag("--version", line.version, "Print the version and exit");

  try {
    app.parse(int(kilnArgs.size()), kilnArgs.data());
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return ParseOutcome::ExitOk;
  } catch (const CLI::ParseError& e) {
    usageError(e.what());
    return ParseOutcome::UsageError;
  }

  if (app.count("-e") > 0) {
    line.code = code;
    line.scriptArgs = std::move(positional);  // as with `python -c`
  } else if (!positional.empty()) {
    line.file = positional.front();
    line.scriptArgs.assign(positional.begin() + 1, positional.end());
  }
  return ParseOutcome::Run;
}

// Reads the -X options into `tier`. Returns an exit code if kiln must stop.
std::optional<int> checkExtendedOptions(const std::vector<std::string>& extended, TierChoice& tier) {
  for (const std::string& option : extended) {
    std::string_view text = option;
    if (text == "int") {
      tier.jit = false;
      continue;
    }
    if (text == "jit") {
      tier.jit = true;
      continue;
    }
    constexpr std::string_view kThreshold = "jit-threshold=";
    if (text.substr(0, kThreshold.size()) == kThreshold) {
      std::string_view number = text.substr(kThreshold.size());
      unsigned long value = 0;
      auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
      if (number.empty() || error != std::errc() || end != number.data() + number.size() ||
          value > UINT32_MAX) {
        return usageError("-Xjit-threshold needs a non-negative integer, got '" + std::string(number) + "'");
      }
      tier.jit = true;
      tier.threshold = uint32_t(value);
      continue;
    }
    return usageError("unknown option '-X" + option + "'");
  }
  return std::nullopt;
}

// Reads a whole file as bytes. On failure returns nullopt with the reason in `error`.
std::optional<std::string> readFile(const std::string& path, std::string& error) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  // Sources are limited to 256 MiB (far beyond any real script), so an
  // endless file such as /dev/zero ends with an error instead of eating memory.
  constexpr size_t kMaxSourceBytes = size_t(1) << 28;
  std::string contents;
  char buffer[1 << 16];
  size_t count;
  while ((count = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
    contents.append(buffer, count);
    if (contents.size() > kMaxSourceBytes) {
      std::fclose(file);
      error = "file too large (the limit is 256 MiB)";
      return std::nullopt;
    }
  }
  int readError = std::ferror(file) ? errno : 0;  // e.g. EISDIR for a directory
  std::fclose(file);
  if (readError != 0) {
    error = std::strerror(readError);
    return std::nullopt;
  }
  return contents;
}

int exitCodeFor(kiln::Status status) {
  switch (status) {
    case kiln::Status::Ok:
      return kExitOk;
    case kiln::Status::CompileError:
      return kExitCompileError;
    case kiln::Status::RuntimeError:
      return kExitRuntimeError;
  }
  return kExitRuntimeError;
}

// "64M", "512k", "2G", "1048576" -> bytes; nullopt for anything else or zero.
std::optional<size_t> parseSize(const std::string& text) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') digits++;
  if (digits == 0 || digits > 15) return std::nullopt;
  size_t value = std::stoull(text.substr(0, digits));
  std::string suffix = text.substr(digits);
  size_t scale = 1;
  if (suffix == "k" || suffix == "K") {
    scale = size_t(1) << 10;
  } else if (suffix == "m" || suffix == "M") {
    scale = size_t(1) << 20;
  } else if (suffix == "g" || suffix == "G") {
    scale = size_t(1) << 30;
  } else if (!suffix.empty()) {
    return std::nullopt;
  }
  if (value == 0 || value > (size_t(1) << 50) / scale) return std::nullopt;
  return value * scale;
}

bool gcStressFromEnvironment() {
  const char* value = std::getenv("KILN_GC_STRESS");
  return value != nullptr && *value != '\0' && std::strcmp(value, "0") != 0;
}

int runCommandLine(const CommandLine& line, kiln::Runtime& runtime) {
  std::string source;
  if (line.code) {
    source = *line.code;
  } else if (line.file) {
    std::string error;
    std::optional<std::string> contents = readFile(*line.file, error);
    if (!contents) {
      std::fprintf(stderr, "kiln: cannot open '%s': %s\n", line.file->c_str(), error.c_str());
      return kExitCannotRead;
    }
    source = std::move(*contents);
  } else if (line.dumpBytecode) {
    return usageError("--dump-bytecode needs FILE or -e CODE");
  } else {
    return kiln::cli::runRepl(runtime);
  }

  if (line.dumpBytecode) {
    std::optional<std::string> listing = runtime.dumpBytecode(source);
    if (!listing) return kExitCompileError;
    std::fwrite(listing->data(), 1, listing->size(), stdout);
    return kExitOk;
  }
  return exitCodeFor(runtime.run(source));
}

// The kiln process owns its allocator. mimalloc decommits a freed page 25 ms
// after the fact, so a script that drops and rebuilds a big list over and over
// (bench/sieve.kn) page-faults its buffer in again each time: 35,000 faults and
// 70 ms of system time there, 4,400 faults with 250 ms. The collector gives
// memory back itself when the program drops most of its heap
// (docs/architecture.md), so the timer can wait longer. MIMALLOC_DECOMMIT_DELAY
// in the environment still decides when set.
void tuneAllocator() {
  constexpr long kDecommitDelayMs = 250;
  if (std::getenv("MIMALLOC_DECOMMIT_DELAY") == nullptr)
    mi_option_set(mi_option_decommit_delay, kDecommitDelayMs);
}

}  // namespace

int main(int argc, char** argv) {
  tuneAllocator();
  CommandLine line;
  switch (parseCommandLine(argc, argv, line)) {
    case ParseOutcome::Run:
      break;
    case ParseOutcome::ExitOk:
      return kExitOk;
    case ParseOutcome::UsageError:
      return kExitUsage;
  }
  if (line.version) {
    std::printf("kiln %s\n", kiln::version());
    return kExitOk;
  }
  if (line.compare) {
    if (!line.file) return usageError("--compare needs FILE");
    std::vector<std::string> fileAndArgs{*line.file};
    fileAndArgs.insert(fileAndArgs.end(), line.scriptArgs.begin(), line.scriptArgs.end());
    return kiln::cli::runCompare("/proc/self/exe", fileAndArgs);
  }
  TierChoice tier;
  if (std::optional<int> exitCode = checkExtendedOptions(line.extended, tier)) return *exitCode;

  kiln::RuntimeOptions options;
  options.jit = tier.jit;
  options.jitThreshold = tier.threshold;
  options.traceJit = line.traceJit;
  options.dumpAsm = line.dumpAsm;
  options.perfMap = line.perfMap;
  options.stats = line.stats;
  options.gcStress = line.gcStress || gcStressFromEnvironment();
  options.gcTrace = line.gcTrace;
  options.gcVerify = line.gcVerify;
  options.generational = line.collector != "marksweep";
  options.promotionAge = line.promotionAge;
  if (!line.youngSize.empty()) {
    std::optional<size_t> bytes = parseSize(line.youngSize);
    if (!bytes || *bytes < (64u << 10) || *bytes > (size_t(1) << 32)) {
      return usageError("--young-size needs a size from 64K to 4G, such as 4M");
    }
    options.youngBytes = *bytes;
  }
  if (!line.maxHeap.empty()) {
    std::optional<size_t> bytes = parseSize(line.maxHeap);
    if (!bytes) return usageError("--max-heap needs a size such as 64M, 512K or 2G");
    options.maxHeapBytes = *bytes;
  }
  options.maxSteps = line.maxSteps;
  options.timeoutSeconds = line.timeout;
  kiln::Runtime runtime(options);

  int exitCode = runCommandLine(line, runtime);
  std::fflush(stdout);
  if (line.stats) std::fputs(runtime.statsReport().c_str(), stderr);
  return exitCode;
}
