// The bytecode compiler: turns a parsed and resolved ast::Program into register
// bytecode (one FunctionProto per function, see vm/opcodes.def).
#pragma once

#include "frontend/ast.h"
#include "frontend/diagnostics.h"
#include "vm/object.h"

namespace kiln {

class VM;

// Compiles `program` (already resolved by the parser) into its top-level script
// prototype: FunctionKind::Script, arity 0, no name. Nested functions are reachable
// through the constants of their parents. Returns nullptr after recording every
// error in `diagnostics` (limits such as "Too many local variables in function.").
//
// May allocate (and so collect); the protos under construction are rooted in
// vm.compilerRoots() until the whole program is compiled.
FunctionProto* compileProgram(VM& vm, const ast::Program& program, Diagnostics& diagnostics);

}  // namespace kiln
