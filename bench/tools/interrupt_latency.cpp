// Interrupt latency of the embedding API: how long after Runtime::interrupt()
// (called from another thread) a running script has stopped and run()
// returned. The script is a hot loop that the JIT compiles (OSR) and that
// calls a function, so the interrupt lands in compiled code; the second
// measurement is under -Xint. Prints p50, p99 and the maximum over N
// interrupts (default 1000). Built by CMake as build/bench/interrupt_latency:
//
//   build/bench/interrupt_latency [N]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include "kiln/kiln.h"

namespace {

using Clock = std::chrono::steady_clock;

void measure(const char* label, bool jit, int count) {
  kiln::RuntimeOptions options;
  options.jit = jit;
  kiln::Runtime runtime(options);
  std::FILE* devNull = std::fopen("/dev/null", "w");
  runtime.setErrorOutput(devNull);
  runtime.run("fun step(x) { return (x * 31 + 7) % 1000003; }");
  std::vector<double> latencies;
  latencies.reserve(size_t(count));
  for (int i = 0; i < count; i++) {
    std::atomic<Clock::time_point::rep> sent{0};
    std::thread interrupter([&] {
      // Let the loop run (and, on the first rounds, get compiled) first.
      std::this_thread::sleep_for(std::chrono::microseconds(200 + (i * 37) % 300));
      sent.store(Clock::now().time_since_epoch().count());
      runtime.interrupt();
    });
    kiln::Status status = runtime.run("var x = 1; while (true) x = step(x);");
    auto stopped = Clock::now();
    interrupter.join();
    if (status != kiln::Status::RuntimeError || runtime.lastErrorKind() != kiln::ErrorKind::Interrupted) {
      std::fprintf(stderr, "%s: round %d was not interrupted\n", label, i);
      std::exit(1);
    }
    Clock::time_point at{Clock::duration(sent.load())};
    latencies.push_back(std::chrono::duration<double, std::milli>(stopped - at).count());
  }
  std::fclose(devNull);
  std::sort(latencies.begin(), latencies.end());
  auto percentile = [&](double p) { return latencies[std::min(latencies.size() - 1, size_t(p * latencies.size()))]; };
  std::printf("%-8s %d interrupts: p50 %.4f ms, p99 %.4f ms, max %.4f ms\n", label, count, percentile(0.5),
              percentile(0.99), latencies.back());
}

}  // namespace

int main(int argc, char** argv) {
  int count = argc > 1 ? std::atoi(argv[1]) : 1000;
  if (count <= 0) count = 1000;
  measure("-Xjit", true, count);
  measure("-Xint", false, count);
  return 0;
}
