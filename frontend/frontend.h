// The front end's one entry point: source text -> a compiled top-level script.
#pragma once

#include <string_view>

#include "frontend/diagnostics.h"
#include "vm/object.h"

namespace kiln {

class VM;

struct CompileOptions {
  // REPL: a final expression statement without its ';' prints its value.
  bool replTrailingExpression = false;
};

// Scans, parses, resolves and compiles `source`. Returns the script's prototype,
// or nullptr with every error recorded in `diagnostics`.
FunctionProto* compileSource(VM& vm, std::string_view source, Diagnostics& diagnostics,
                             const CompileOptions& options = {});

}  // namespace kiln
