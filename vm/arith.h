// Number semantics shared by the interpreter, the compiler's constant folding and
// (later) the JIT, so that every tier computes exactly the same results.
#pragma once

#include <cmath>
#include <cstdint>

namespace kiln {

// Floored modulo, a - floor(a / b) * b computed exactly (as Lua does): the result
// has the sign of b; a zero result is +0; x % 0 is nan.
inline double floorMod(double a, double b) {
  // Integral operands (the common case in loops) avoid fmod, which is slow.
  if (std::fabs(a) < 9.0e15 && std::fabs(b) < 9.0e15) {
    int64_t x = int64_t(a), y = int64_t(b);
    if (double(x) == a && double(y) == b && y != 0) {
      int64_t r = x % y;
      if (r != 0 && ((r ^ y) < 0)) r += y;
      return double(r);
    }
  }
  double m = std::fmod(a, b);
  if (m != 0 && ((m < 0) != (b < 0))) m += b;
  return m == 0 ? 0.0 : m;
}

// The integer a bitwise operator works on: integral numbers that fit in int64.
inline bool numberToInt64(double d, int64_t* out) {
  if (d != std::floor(d) || !(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) return false;
  *out = int64_t(d);
  return true;
}

}  // namespace kiln
