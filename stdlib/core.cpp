// The global natives every script sees (clock, len, str, num, type) and
// installStdlib(), which installs the whole standard library into a VM.
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <string>
#include <string_view>

#include "gc/handles.h"
#include "stdlib/stdlib.h"
#include "vm/object.h"
#include "vm/print.h"
#include "vm/vm.h"

namespace kiln {

namespace {

// Seconds since an arbitrary fixed point, as a double (like clox's clock()).
// Wall-clock time on a monotonic clock rather than clox's CPU time: benchmarks
// subtract two readings and compare them with other languages' timers.
Value nativeClock(VM&, Value*, int) {
  using namespace std::chrono;
  static const steady_clock::time_point start = steady_clock::now();
  return Value::number(duration<double>(steady_clock::now() - start).count());
}

Value nativeLen(VM& vm, Value* args, int) {
  Value v = args[1];
  if (v.isObj()) {
    switch (v.asObj()->kind) {
      case ObjKind::String:
        return Value::number(as<String>(v)->length);
      case ObjKind::List:
        return Value::number(as<List>(v)->count);
      case ObjKind::Map:
        return Value::number(as<Map>(v)->table.size());
      default:
        break;
    }
  }
  return vm.error("len() expects a string, list or map.");
}

Value nativeStr(VM& vm, Value* args, int) {
  if (isString(args[1])) return args[1];
  if (args[1].isNumber()) {
    char buffer[kIntegerTextSize];
    std::string_view digits = integerText(args[1].asNumber(), buffer);
    if (!digits.empty()) return Value::object(vm.intern(digits));  // no std::string on the common path
  }
  return Value::object(vm.intern(valueToString(args[1])));
}

bool isAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// A decimal number: [+-] digits [. digits] [(e|E) [+-] digits], where either the
// integer or the fraction digits may be missing (".5", "5."), but not both.
// Returns nil for anything else (hex, "inf", "nan", trailing junk, "").
Value parseNumber(std::string_view text) {
  while (!text.empty() && isAsciiSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && isAsciiSpace(text.back())) text.remove_suffix(1);
  size_t i = 0;
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);  // from_chars rejects '+'
  } else if (!text.empty() && text.front() == '-') {
    i++;
  }
  const size_t n = text.size();
  size_t digits = 0;
  while (i < n && isDigit(text[i])) i++, digits++;
  if (i < n && text[i] == '.') {
    i++;
    while (i < n && isDigit(text[i])) i++, digits++;
  }
  if (digits == 0) return Value::nil();
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    i++;
    if (i < n && (text[i] == '+' || text[i] == '-')) i++;
    size_t exponentDigits = 0;
    while (i < n && isDigit(text[i])) i++, exponentDigits++;
    if (exponentDigits == 0) return Value::nil();
  }
  if (i != n) return Value::nil();

  double d = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + n, d);
  if (ec == std::errc() && end == text.data() + n) return Value::number(d);
  // Out of range ("1e400", "1e-400"): from_chars leaves d unset, while strtod
  // gives the IEEE result (+-inf or +-0). The text is validated, so this is safe.
  return Value::number(std::strtod(std::string(text).c_str(), nullptr));
}

Value nativeNum(VM&, Value* args, int) {
  Value v = args[1];
  if (v.isNumber()) return v;
  if (isString(v)) return parseNumber(as<String>(v)->view());
  return Value::nil();
}

const char* typeName(Value v) {
  if (v.isNil()) return "nil";
  if (v.isBool()) return "bool";
  if (v.isNumber()) return "number";
  if (!v.isObj()) return "nil";  // internal markers never reach scripts
  switch (v.asObj()->kind) {
    case ObjKind::String:
      return "string";
    case ObjKind::List:
      return "list";
    case ObjKind::Map:
      return "map";
    case ObjKind::Closure:
    case ObjKind::Native:
    case ObjKind::BoundMethod:
    case ObjKind::Proto:
      return "function";
    case ObjKind::Class:
      return "class";
    case ObjKind::Instance:
      return "instance";
    case ObjKind::Upvalue:
    case ObjKind::Shape:
      break;
  }
  return "object";
}

Value nativeType(VM& vm, Value* args, int) { return Value::object(vm.intern(typeName(args[1]))); }

}  // namespace

void installCoreNatives(VM& vm) {
  vm.defineNative("clock", nativeClock, 0);
  vm.defineNative("len", nativeLen, 1);
  vm.defineNative("str", nativeStr, 1);
  vm.defineNative("num", nativeNum, 1);
  vm.defineNative("type", nativeType, 1);
}

Instance* namespaceObject(VM& vm, std::string_view name) {
  HandleScope scope(vm.heap());
  Handle<String> nameString = scope.make(vm.intern(name));
  Value existing = vm.global(vm.globalIndex(nameString.get())).value;
  if (!existing.isUndefined()) return isKind(existing, ObjKind::Instance) ? as<Instance>(existing) : nullptr;
  Handle<Class> klass = scope.make(vm.newClass(nameString.get()));
  Instance* object = vm.newInstance(klass.get());
  vm.defineGlobal(name, Value::object(object));  // the name is interned and its cell exists: no allocation
  return object;
}

Value defineNamespace(VM& vm, const char* className, std::span<const NamespaceFunction> functions) {
  // Every step allocates, so everything built so far stays in handles.
  HandleScope scope(vm.heap());
  Handle<Instance> object = scope.make(namespaceObject(vm, className));
  for (const NamespaceFunction& function : functions) {
    Handle<Native> native = scope.make(vm.newNative(function.name, function.fn, function.arity));
    Handle<String> key = scope.make(vm.intern(function.name));
    vm.setField(object.get(), key.get(), native.value());
  }
  return object.value();
}

void installStdlib(VM& vm) {
  installCoreNatives(vm);
  installListMethods(vm);
  installMapMethods(vm);
  installStringMethods(vm);
  installMath(vm);
  installSystem(vm);
}

}  // namespace kiln
