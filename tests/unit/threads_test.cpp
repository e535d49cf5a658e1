// One runtime per thread, many runtimes at once: 8 threads each run their own
// Runtime (the JIT compiling early, a small nursery so that collections are
// frequent) for about a second, over a script that allocates trees, closures,
// strings and maps, and every result is checked. Any state shared between
// runtimes by accident shows up as a wrong result or a crash, and as a race
// under ThreadSanitizer:
//   CC=clang-14 CXX=clang++-14 cmake -S . -B /tmp/build-tsan -DKILN_TSAN=ON
//   cmake --build /tmp/build-tsan --target kiln_unit_tests
//   /tmp/build-tsan/tests/kiln_unit_tests --gtest_filter='Threads*:*Interrupt*'
// (clean on 2026-12-06, with the interrupt and time-limit tests too).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "kiln/kiln.h"

namespace {

const char* const kWork = R"(
class Node {
  init(left, right) { this.left = left; this.right = right; }
}
fun tree(depth) {
  if (depth == 0) return Node(nil, nil);
  return Node(tree(depth - 1), tree(depth - 1));
}
fun count(node) {
  if (node.left == nil) return 1;
  return 1 + count(node.left) + count(node.right);
}
fun adder(n) { return fun (x) { return x + n; }; }
fun work(seed) {
  var total = count(tree(10));
  var m = {};
  for (var i = 0; i < 500; i = i + 1) {
    var key = "k" + str((i + seed) % 50);
    if (m[key] == nil) m[key] = 0;
    m[key] = m[key] + adder(i)(1);
  }
  for (var key in m.keys()) total = total + m[key];
  return total;
}
)";

// work(seed) computed by hand: 2047 tree nodes plus the sum of i + 1 for i < 500.
constexpr double kExpected = 2047 + 500.0 * 501 / 2;

TEST(Threads, EightRuntimesOnEightThreadsAtOnce) {
  constexpr int kThreads = 8;
  std::atomic<int> wrong{0};
  std::atomic<int> rounds{0};
  std::vector<std::thread> threads;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(1200);
  for (int t = 0; t < kThreads; t++) {
    threads.emplace_back([&, t] {
      kiln::RuntimeOptions options;
      options.jitThreshold = 50;
      options.youngBytes = 64 << 10;
      kiln::Runtime runtime(options);
      if (runtime.run(kWork) != kiln::Status::Ok) {
        wrong++;
        return;
      }
      for (int round = 0; std::chrono::steady_clock::now() < deadline || round < 3; round++) {
        std::optional<kiln::HostValue> result = runtime.call("work", {kiln::HostValue(t * 1000 + round)});
        if (!result || !result->isNumber() || result->number() != kExpected) wrong++;
        rounds++;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_GE(rounds.load(), kThreads * 3);
}

}  // namespace
