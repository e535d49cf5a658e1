// The execution tiers a parameterized unit test runs in: the interpreter, the
// JIT compiling everything before its first run, and the JIT's default
// tiering (INSTANTIATE_TEST_SUITE_P(Tiers, Suite, kiln::testing::kTiers, kiln::testing::tierName)).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "kiln/kiln.h"

namespace kiln::testing {

struct Tier {
  const char* name;
  bool jit;
  uint32_t threshold;
  // The runtime options of this tier.
  RuntimeOptions options() const {
    RuntimeOptions o;
    o.jit = jit;
    o.jitThreshold = threshold;
    return o;
  }
};

inline const auto kTiers = ::testing::Values(Tier{"interpreter", false, 0}, Tier{"jit0", true, 0},
                                             Tier{"jitDefault", true, RuntimeOptions::kDefaultJitThreshold});

inline std::string tierName(const ::testing::TestParamInfo<Tier>& info) { return info.param.name; }

}  // namespace kiln::testing
