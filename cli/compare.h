// `kiln --compare FILE [args]`: runs FILE under -Xint and -Xjit and prints what
// each tier costs (see compare.cpp).
#pragma once

#include <string>
#include <vector>

namespace kiln::cli {

// `self` is the path of the running kiln executable. Returns the exit code:
// 0 when both tiers printed the same, 70 when they did not.
int runCompare(const std::string& self, const std::vector<std::string>& fileAndArgs);

}  // namespace kiln::cli
