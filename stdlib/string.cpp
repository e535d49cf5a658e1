// Built-in string methods: substr indexOf split upper lower trim startsWith
// endsWith replace. The receiver is args[0]. Strings are byte strings: offsets
// and lengths count bytes (split("") alone keeps UTF-8 sequences together).
// Results are interned strings; a method that changes nothing returns its
// receiver.
//
// GC note: vm.intern() may collect, and a moving collector would move the
// receiver, so text is copied out of heap strings into a std::string before
// interning, and heap strings are re-read from args after every allocation.
#include <cmath>
#include <string>
#include <string_view>

#include "gc/handles.h"
#include "stdlib/stdlib.h"
#include "vm/object.h"
#include "vm/runtime.h"
#include "vm/vm.h"

namespace kiln {

namespace {

std::string_view receiverText(Value* args) { return as<String>(args[0])->view(); }

Value internCopy(VM& vm, std::string_view text) {
  std::string copy(text);
  return Value::object(vm.intern(copy));
}

Value stringSubstr(VM& vm, Value* args, int) {
  int64_t length = as<String>(args[0])->length;
  int64_t start = 0;
  IndexCheck startCheck = readIndex(args[1], length, &start);
  // The count may run past the end (it is clamped, even when huge or inf) but
  // must not be negative.
  bool countIsInteger = args[2].isNumber() && args[2].asNumber() == std::trunc(args[2].asNumber());
  if (startCheck == IndexCheck::NotInteger || !countIsInteger) {
    return vm.error("String index must be an integer.");
  }
  double countArgument = args[2].asNumber();
  if (startCheck == IndexCheck::OutOfRange || countArgument < 0) {
    return vm.error("String index out of range.");
  }
  int64_t count = countArgument > double(length - start) ? length - start : int64_t(countArgument);
  if (start == 0 && count == length) return args[0];
  return internCopy(vm, receiverText(args).substr(size_t(start), size_t(count)));
}

Value stringIndexOf(VM& vm, Value* args, int) {
  if (!isString(args[1])) return vm.error("indexOf() expects a string argument.");
  size_t found = receiverText(args).find(as<String>(args[1])->view());
  return Value::number(found == std::string_view::npos ? -1.0 : double(found));
}

// Length of the UTF-8 sequence starting at text[i] (1 for a stray or
// truncated byte, so malformed text still splits into single bytes).
size_t utf8SequenceLength(std::string_view text, size_t i) {
  unsigned char lead = static_cast<unsigned char>(text[i]);
  size_t length = lead >= 0xf0 && lead < 0xf8 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  if (lead >= 0xf8) length = 1;
  if (i + length > text.size()) return 1;
  for (size_t k = 1; k < length; k++) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return 1;
  }
  return length;
}

Value stringSplit(VM& vm, Value* args, int) {
  if (!isString(args[1])) return vm.error("split() expects a string argument.");
  HandleScope scope(vm.heap());
  Handle<List> result = scope.make(vm.newList());
  // Positions survive collections; the texts are re-read after each intern.
  size_t position = 0;
  if (as<String>(args[1])->length == 0) {
    while (position < receiverText(args).size()) {
      std::string_view text = receiverText(args);
      size_t length = utf8SequenceLength(text, position);
      Value piece = length == 1 ? Value::object(vm.charString(static_cast<unsigned char>(text[position])))
                                : internCopy(vm, text.substr(position, length));
      vm.listPush(result.get(), piece);
      position += length;
    }
    return result.value();
  }
  for (;;) {
    std::string_view text = receiverText(args);
    std::string_view separator = as<String>(args[1])->view();
    size_t found = text.find(separator, position);
    size_t end = found == std::string_view::npos ? text.size() : found;
    Value piece = internCopy(vm, text.substr(position, end - position));
    vm.listPush(result.get(), piece);
    if (found == std::string_view::npos) break;
    position = found + separator.size();
  }
  return result.value();
}

// Maps each byte through `convert`; returns the receiver when nothing changed.
template <char (*Convert)(char)>
Value mapBytes(VM& vm, Value* args) {
  std::string text(receiverText(args));
  bool changed = false;
  for (char& c : text) {
    char converted = Convert(c);
    changed |= converted != c;
    c = converted;
  }
  if (!changed) return args[0];
  return Value::object(vm.intern(text));
}

char asciiUpper(char c) { return c >= 'a' && c <= 'z' ? char(c - 'a' + 'A') : c; }
char asciiLower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

Value stringUpper(VM& vm, Value* args, int) { return mapBytes<asciiUpper>(vm, args); }
Value stringLower(VM& vm, Value* args, int) { return mapBytes<asciiLower>(vm, args); }

bool isAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

Value stringTrim(VM& vm, Value* args, int) {
  std::string_view text = receiverText(args);
  size_t begin = 0, end = text.size();
  while (begin < end && isAsciiSpace(text[begin])) begin++;
  while (end > begin && isAsciiSpace(text[end - 1])) end--;
  if (begin == 0 && end == text.size()) return args[0];
  return internCopy(vm, text.substr(begin, end - begin));
}

Value stringStartsWith(VM& vm, Value* args, int) {
  if (!isString(args[1])) return vm.error("startsWith() expects a string argument.");
  return Value::boolean(receiverText(args).starts_with(as<String>(args[1])->view()));
}

Value stringEndsWith(VM& vm, Value* args, int) {
  if (!isString(args[1])) return vm.error("endsWith() expects a string argument.");
  return Value::boolean(receiverText(args).ends_with(as<String>(args[1])->view()));
}

Value stringReplace(VM& vm, Value* args, int) {
  if (!isString(args[1]) || !isString(args[2])) return vm.error("replace() expects string arguments.");
  std::string_view text = receiverText(args);
  std::string_view target = as<String>(args[1])->view();
  std::string_view replacement = as<String>(args[2])->view();
  if (target.empty()) return vm.error("replace() needs a non-empty string to find.");

  size_t found = text.find(target);
  if (found == std::string_view::npos) return args[0];
  std::string result;
  size_t position = 0;
  for (uint64_t count = 0; found != std::string_view::npos; count++) {
    if (pollStop(vm, count)) return Value::error();
    result.append(text, position, found - position);
    result += replacement;
    position = found + target.size();
    found = text.find(target, position);
  }
  result.append(text, position);
  return Value::object(vm.intern(result));
}

}  // namespace

void installStringMethods(VM& vm) {
  vm.defineBuiltinMethod(ObjKind::String, "substr", stringSubstr, 2);
  vm.defineBuiltinMethod(ObjKind::String, "indexOf", stringIndexOf, 1);
  vm.defineBuiltinMethod(ObjKind::String, "split", stringSplit, 1);
  vm.defineBuiltinMethod(ObjKind::String, "upper", stringUpper, 0);
  vm.defineBuiltinMethod(ObjKind::String, "lower", stringLower, 0);
  vm.defineBuiltinMethod(ObjKind::String, "trim", stringTrim, 0);
  vm.defineBuiltinMethod(ObjKind::String, "startsWith", stringStartsWith, 1);
  vm.defineBuiltinMethod(ObjKind::String, "endsWith", stringEndsWith, 1);
  vm.defineBuiltinMethod(ObjKind::String, "replace", stringReplace, 2);
}

}  // namespace kiln
