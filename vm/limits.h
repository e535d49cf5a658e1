// Size limits of the language (docs/language.md, "Limits") that end the
// process instead of raising a runtime error: past them the VM cannot hold the
// value at all.
#pragma once

namespace kiln {

// Prints "kiln: WHAT" to stderr and exits with the runtime-error code (70).
[[noreturn]] void fatalLimit(const char* what);
// "kiln: out of memory" (exit 70): the system allocator refused memory, or a
// reservation of address space failed. The one copy of that exit.
[[noreturn]] void fatalOutOfMemory();

}  // namespace kiln
