// How values print: the text `print` writes and `str(x)` returns.
//   numbers: integral values without a fraction (3, -0), others in the shortest
//            form that reads back exactly (0.1); nan, inf, -inf
//   strings: their text (quoted with "" when inside a list or map)
//   lists [1, 2, "a"]   maps {"a": 1, 2: true}   (cycles print as [...] / {...})
//   functions <fn name>, lambdas <fn>, natives <native fn>, classes their name,
//   instances "Name instance", bound methods like their function
#pragma once

#include <string>
#include <string_view>

#include "vm/value.h"

namespace kiln {

std::string valueToString(Value v);
std::string numberToString(double d);
// The longest text `print`, str() or join() may build (V8 caps every string at
// about this size). The text of a container can grow exponentially (a list
// holding the same list twice, nested n deep, prints 2^n leaves); at the 4 GiB
// string limit that took 106 s and 7.9 GB before stopping, at this one 9 s, 1 GB.
constexpr size_t kMaxTextBytes = size_t(512) << 20;
// Appends to `out` (avoids a copy when printing). Past `limit` bytes in all,
// the process stops with "kiln: text too long" (exit 70), as for the other
// size limits (docs/language.md, "Limits").
void appendValue(std::string& out, Value v, size_t limit = kMaxTextBytes);

// The text of d if it is an integer that prints as plain digits (magnitude
// below 9e18, not -0), written into `buffer`; empty otherwise. For hot callers
// (str() of a number) that want the text without a std::string.
constexpr size_t kIntegerTextSize = 24;
std::string_view integerText(double d, char (&buffer)[kIntegerTextSize]);

}  // namespace kiln
