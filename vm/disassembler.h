// Readable bytecode listings for `kiln --dump-bytecode`.
#pragma once

#include <string>

#include "vm/object.h"

namespace kiln {

// Disassembles `proto` and, after it, every function nested in its constants.
std::string disassemble(const FunctionProto* proto);
// One instruction (the line of the listing for the instruction at `pc`), and
// the number of words it takes.
size_t disassembleInstruction(const FunctionProto* proto, size_t pc, std::string& out);

}  // namespace kiln
