// The heap limit (--max-heap, RuntimeOptions::maxHeapBytes): a script that
// outgrows it fails with "Out of memory." and the runtime stays usable.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "kiln/kiln.h"

namespace {

class HeapLimitTest : public ::testing::Test {
 protected:
  static kiln::RuntimeOptions limited(size_t bytes) {
    kiln::RuntimeOptions options;
    options.maxHeapBytes = bytes;
    return options;
  }
  std::FILE* devNull_ = std::fopen("/dev/null", "w");
  ~HeapLimitTest() override { std::fclose(devNull_); }
};

TEST_F(HeapLimitTest, GrowingPastTheLimitIsARuntimeErrorAndTheRuntimeStaysUsable) {
  kiln::Runtime runtime(limited(8 << 20));
  runtime.setOutput(devNull_);
  runtime.setErrorOutput(devNull_);
  EXPECT_EQ(runtime.run("var keep = []; while (true) keep.push([1, 2, 3, 4]);"), kiln::Status::RuntimeError);
  EXPECT_EQ(runtime.lastError().rfind("Out of memory.\n[line 1] in script", 0), 0u) << runtime.lastError();
  // The failed script's data is still reachable through `keep`: drop it and go on.
  EXPECT_EQ(runtime.run("keep = nil; System.gc(); var small = [1, 2, 3]; var total = 0;"
                        "for (var x in small) total = total + x;"),
            kiln::Status::Ok);
  std::optional<kiln::HostValue> total = runtime.getGlobal("total");
  ASSERT_TRUE(total && total->isNumber());
  EXPECT_EQ(total->number(), 6);
}

TEST_F(HeapLimitTest, RecursionThatAllocatesIsStoppedToo) {
  kiln::Runtime runtime(limited(8 << 20));
  runtime.setOutput(devNull_);
  runtime.setErrorOutput(devNull_);
  EXPECT_EQ(runtime.run("fun grow(xs, n) { xs.push([n, n, n, n]); return grow(xs, n + 1); } grow([], 0);"),
            kiln::Status::RuntimeError);
  // Either limit may be reached first; both end the script cleanly.
  bool expected = runtime.lastError().rfind("Out of memory.", 0) == 0 ||
                  runtime.lastError().rfind("Stack overflow.", 0) == 0;
  EXPECT_TRUE(expected) << runtime.lastError();
  EXPECT_EQ(runtime.run("var ok = 1;"), kiln::Status::Ok);
}

TEST_F(HeapLimitTest, GarbageDoesNotCountAgainstTheLimit) {
  kiln::Runtime runtime(limited(8 << 20));
  runtime.setOutput(devNull_);
  // Allocates far more than the limit in total, but keeps little alive.
  EXPECT_EQ(runtime.run("for (var i = 0; i < 200000; i = i + 1) { var xs = [i, i, i, i, i, i]; }"),
            kiln::Status::Ok);
}

}  // namespace
