// The standard library: global natives (clock, len, str, num, type), the Math
// object, and the built-in methods of lists, maps and strings.
//
// Every native follows the NativeFn convention of vm/object.h: args[0] is the
// callee (or the receiver of a built-in method), args[1..argc] the arguments,
// all rooted on the VM stack; errors are raised with vm.error()/vm.errorf().
#pragma once

#include <cmath>
#include <cstdint>
#include <span>

#include "vm/object.h"
#include "vm/value.h"

namespace kiln {

class VM;

// Installs everything below into `vm`. Call once, before running scripts.
void installStdlib(VM& vm);

// One per source file, called by installStdlib.
void installCoreNatives(VM& vm);    // stdlib/core.cpp
void installListMethods(VM& vm);    // stdlib/list.cpp
void installMapMethods(VM& vm);     // stdlib/map.cpp
void installStringMethods(VM& vm);  // stdlib/string.cpp
void installMath(VM& vm);           // stdlib/math.cpp
void installSystem(VM& vm);         // stdlib/system.cpp

// -- Helpers shared by the stdlib's own files ------------------------------------

// A function of a namespace object such as Math or System.
struct NamespaceFunction {
  const char* name;
  NativeFn fn;
  int arity;
};

// The namespace object named `name` (such as Math): the global's instance,
// or a new instance of a new class of that name, defined as the global. Null
// if the global exists and is not an instance. May collect: root the result.
Instance* namespaceObject(VM& vm, std::string_view name);

// Defines the global `className`: an instance of a class of that name whose
// fields are the given natives (and, optionally, more fields set by the caller
// through the returned handle index). Returns the instance.
Value defineNamespace(VM& vm, const char* className, std::span<const NamespaceFunction> functions);

enum class IndexCheck { Ok, NotInteger, OutOfRange };

// Reads an index argument: an integral number in [0, limit]. A negative limit
// (an empty range) rejects every integer as out of range.
inline IndexCheck readIndex(Value v, int64_t limit, int64_t* out) {
  if (!v.isNumber()) return IndexCheck::NotInteger;
  double d = v.asNumber();
  if (d != std::trunc(d)) return IndexCheck::NotInteger;  // nan too; +-inf are out of range
  if (d < 0 || d > double(limit)) return IndexCheck::OutOfRange;
  *out = int64_t(d);
  return IndexCheck::Ok;
}

}  // namespace kiln
