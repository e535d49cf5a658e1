// Readable bytecode listings for `kiln --dump-bytecode`.
#pragma once

#include <string>

#include "vm/object.h"

namespace kiln {

// Disassembles `proto` and, after it, every function nested in its constants.
std::string disassemble(const FunctionProto* proto);

}  // namespace kiln
