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
// Appends to `out` (avoids a copy when printing).
void appendValue(std::string& out, Value v);

// The text of d if it is an integer that prints as plain digits (magnitude
// below 9e18, not -0), written into `buffer`; empty otherwise. For hot callers
// (str(), string concatenation) that want the text without a std::string.
constexpr size_t kIntegerTextSize = 24;
std::string_view integerText(double d, char (&buffer)[kIntegerTextSize]);

}  // namespace kiln
