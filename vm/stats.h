// Counters reported by `kiln --stats`. Counting happens only when stats are on:
// the interpreter is instantiated twice, with and without counting.
#pragma once

#include <cstdint>

namespace kiln {

struct CacheCounters {
  uint64_t hits = 0;
  uint64_t misses = 0;
};

struct VMStats {
  uint64_t instructions = 0;
  CacheCounters getProperty;
  CacheCounters setProperty;
  CacheCounters invoke;
  CacheCounters global;  // global cells are resolved at compile time: every access hits
};

}  // namespace kiln
