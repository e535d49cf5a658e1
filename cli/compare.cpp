// `kiln --compare FILE [args]`: what each tier costs. Runs FILE in child
// processes of this same executable, under -Xint and under -Xjit (each with
// --stats), checks that both print exactly the same, and prints one table:
// wall time per tier and their ratio, JIT compile time and its share of the
// run, code bytes, deopts, GC pause time per tier, and the break-even point.
//
// Break-even (docs/performance.md, "kiln --compare"): the number of bytecode
// instructions after which the compiled code has paid for its compilation.
// With I the instructions the program executes (counted by a third, untimed
// -Xint --stats run), T_int and T_jit the wall times and C the compile time,
// the interpreter costs T_int / I per instruction and compiled code
// (T_jit - C) / I, so compiling pays off after C / (T_int / I - (T_jit - C) / I)
// instructions. It is shown with its share of this run's I.
#include "cli/compare.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <regex>
#include <string>
#include <vector>

extern char** environ;

namespace kiln::cli {

namespace {

struct ChildRun {
  std::string out;
  std::string err;
  int exitCode = -1;
  double seconds = 0;
};

// Runs `program` with `args`, capturing its stdout and stderr; false if it
// could not be started.
bool runChild(const std::string& program, const std::vector<std::string>& args, ChildRun& run) {
  int outPipe[2], errPipe[2];
  if (pipe(outPipe) != 0) return false;
  if (pipe(errPipe) != 0) return false;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, outPipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, errPipe[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, outPipe[0]);
  posix_spawn_file_actions_addclose(&actions, errPipe[0]);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  auto start = std::chrono::steady_clock::now();
  pid_t pid;
  int spawned = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(outPipe[1]);
  close(errPipe[1]);
  if (spawned != 0) {
    close(outPipe[0]);
    close(errPipe[0]);
    return false;
  }
  pollfd fds[2] = {{outPipe[0], POLLIN, 0}, {errPipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&run.out, &run.err};
  int open = 2;
  char buffer[1 << 16];
  while (open > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; i++) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, size_t(n));
      } else {
        close(fds[i].fd);
        fds[i].fd = -1;
        open--;
      }
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return true;
}

// The first number after `label` on a line of a --stats report (0 if absent).
double statNumber(const std::string& report, const std::string& pattern) {
  std::smatch match;
  if (std::regex_search(report, match, std::regex(pattern)) && match.size() > 1)
    return std::stod(match[1].str());
  return 0;
}

double gcPauseMs(const std::string& report) {
  return statNumber(report, R"(minor \(scavenge\)\s+\d+ collections, total pause ([0-9.]+) ms)") +
         statNumber(report, R"(major \(full\)\s+\d+ collections, total pause ([0-9.]+) ms)");
}

}  // namespace

int runCompare(const std::string& self, const std::vector<std::string>& fileAndArgs) {
  if (fileAndArgs.empty()) {
    std::fputs("kiln: --compare needs FILE\n", stderr);
    return 64;
  }
  auto argsFor = [&](std::vector<std::string> flags) {
    for (const std::string& a : fileAndArgs) flags.push_back(a);
    return flags;
  };
  // Timed runs without --stats (counting slows the interpreter), then one
  // run of each tier with --stats for the counters.
  ChildRun interpreted, compiled, interpretedStats, compiledStats;
  if (!runChild(self, argsFor({"-Xint"}), interpreted) || !runChild(self, argsFor({"-Xjit"}), compiled) ||
      !runChild(self, argsFor({"-Xint", "--stats"}), interpretedStats) ||
      !runChild(self, argsFor({"-Xjit", "--stats"}), compiledStats)) {
    std::fprintf(stderr, "kiln: --compare cannot start '%s': %s\n", self.c_str(), std::strerror(errno));
    return 70;
  }
  bool same = interpreted.out == compiled.out && interpreted.exitCode == compiled.exitCode &&
              interpreted.err == compiled.err && interpretedStats.out == compiledStats.out;
  std::string file = fileAndArgs.front();
  std::printf("kiln --compare %s\n", file.c_str());
  std::printf(
      "  output              %s\n",
      same ? "identical in both tiers" : "DIFFERENT (the JIT changed the program's behaviour: a bug)");
  if (interpreted.exitCode != 0) std::printf("  exit code           %d in -Xint\n", interpreted.exitCode);

  const std::string& jitReport = compiledStats.err;
  double compileMs = statNumber(jitReport, R"(compile time\s+([0-9.]+) ms total)");
  double codeBytes = statNumber(jitReport, R"(code\s+\d+ bytecode words -> .*\((\d+) B\))");
  double functions = statNumber(jitReport, R"(functions compiled\s+(\d+))");
  double deopts = statNumber(jitReport, R"(deopts\s+(\d+))");
  double instructions = statNumber(interpretedStats.err, R"(instructions\s+(\d+))");
  double tInt = interpreted.seconds * 1000, tJit = compiled.seconds * 1000;

  std::printf("\n  %-22s %14s %14s\n", "", "-Xint", "-Xjit");
  std::printf("  %-22s %11.1f ms %11.1f ms\n", "wall time", tInt, tJit);
  std::printf("  %-22s %14s %13.2fx\n", "speed-up", "", tJit > 0 ? tInt / tJit : 0);
  std::printf("  %-22s %11.1f ms %11.1f ms\n", "GC pauses", gcPauseMs(interpretedStats.err),
              gcPauseMs(compiledStats.err));
  std::printf("  %-22s %14s %11.3f ms (%.2f%% of the run)\n", "JIT compile time", "-", compileMs,
              tJit > 0 ? 100 * compileMs / tJit : 0);
  std::printf("  %-22s %14s %14.0f\n", "functions compiled", "-", functions);
  std::printf("  %-22s %14s %14.0f\n", "code bytes", "-", codeBytes);
  std::printf("  %-22s %14s %14.0f\n", "deopts", "-", deopts);
  std::printf("  %-22s %14.0f\n", "bytecode instructions", instructions);
  double perInstructionSaved = instructions > 0 ? (tInt - (tJit - compileMs)) / instructions : 0;
  if (perInstructionSaved > 0) {
    double breakEven = compileMs / perInstructionSaved;
    std::printf("  %-22s %.0f instructions (%.3f%% of this run)\n", "break-even after", breakEven,
                100 * breakEven / instructions);
  } else {
    std::printf("  %-22s never in this run (compiled code was not faster)\n", "break-even");
  }
  return same ? 0 : 70;
}

}  // namespace kiln::cli
