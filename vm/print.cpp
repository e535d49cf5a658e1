// Value printing: the text of `print`, `str(x)` and list joins (format in
// vm/print.h). Containers print recursively; a container that is already being
// printed further up (a cycle) prints as [...] / {...}, and so does any
// container nested deeper than kMaxDepth, so printing never overflows the C++
// stack whatever the script built.
#include "vm/print.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>

#include "vm/limits.h"
#include "vm/object.h"
#include "vm/shape.h"

namespace kiln {

namespace {

constexpr int kMaxDepth = 128;

void appendNumber(std::string& out, double d) {
  if (d != d) {
    out += "nan";  // fmt would print a negative nan as "-nan"
    return;
  }
  char buffer[kIntegerTextSize];
  std::string_view digits = integerText(d, buffer);
  if (!digits.empty()) {
    out.append(digits);
    return;
  }
  // Integral values print as plain digits below 1e21 (as JavaScript does), so
  // large integers such as 2^63 stay exact; fmt covers the rest (fractions,
  // exponents, inf, -0).
  if (d == std::trunc(d) && std::fabs(d) < 1e21 && !(d == 0 && std::signbit(d))) {
    fmt::format_to(std::back_inserter(out), "{:.0f}", d);
    return;
  }
  fmt::format_to(std::back_inserter(out), "{}", d);
}

void appendFunctionName(std::string& out, const FunctionProto* proto) {
  if (proto->name != nullptr) {
    out += "<fn ";
    out += proto->name->view();
    out += '>';
  } else if (proto->functionKind == FunctionKind::Script) {
    out += "<script>";
  } else {
    out += "<fn>";
  }
}

class Printer {
 public:
  Printer(std::string& out, size_t limit) : out_(out), limit_(limit) {}

  // `quoted`: strings inside containers print with quotes. Stops adding once
  // the text is past the limit (the caller then gives up on it): a list that
  // holds the same list twice, nested n deep, prints 2^n leaves.
  void print(Value v, bool quoted) {
    if (out_.size() > limit_) return;
    if (v.isNumber()) {
      appendNumber(out_, v.asNumber());
    } else if (v.isNil()) {
      out_ += "nil";
    } else if (v.isBool()) {
      out_ += v.asBool() ? "true" : "false";
    } else if (v.isObj()) {
      printObject(v.asObj(), quoted);
    } else if (v.isUndefined()) {
      out_ += "<undefined>";  // internal markers should never reach a script
    } else {
      out_ += "<error>";
    }
  }

 private:
  void printObject(Obj* object, bool quoted) {
    switch (object->kind) {
      case ObjKind::String: {
        auto* string = static_cast<String*>(object);
        if (quoted) out_ += '"';
        out_ += string->view();
        if (quoted) out_ += '"';
        break;
      }
      case ObjKind::List:
        printList(static_cast<List*>(object));
        break;
      case ObjKind::Map:
        printMap(static_cast<Map*>(object));
        break;
      case ObjKind::Proto:
        appendFunctionName(out_, static_cast<FunctionProto*>(object));
        break;
      case ObjKind::Closure:
        appendFunctionName(out_, static_cast<Closure*>(object)->proto);
        break;
      case ObjKind::Native:
        out_ += "<native fn>";
        break;
      case ObjKind::BoundMethod:
        printObject(static_cast<BoundMethod*>(object)->method, quoted);
        break;
      case ObjKind::Class:
        out_ += static_cast<Class*>(object)->name->view();
        break;
      case ObjKind::Instance:
        out_ += static_cast<Instance*>(object)->shape->klass->name->view();
        out_ += " instance";
        break;
      case ObjKind::Upvalue:
        out_ += "<upvalue>";
        break;
      case ObjKind::Shape:
        out_ += "<shape>";
        break;
    }
  }

  // Enters a container; false when it must print as a placeholder instead.
  bool enter(const Obj* container) {
    if (depth_ == kMaxDepth) return false;
    for (int i = 0; i < depth_; i++) {
      if (path_[i] == container) return false;
    }
    path_[depth_++] = container;
    return true;
  }

  void printList(List* list) {
    if (!enter(list)) {
      out_ += "[...]";
      return;
    }
    out_ += '[';
    for (uint32_t i = 0; i < list->count && out_.size() <= limit_; i++) {
      if (i > 0) out_ += ", ";
      print(list->items[i], true);
    }
    out_ += ']';
    depth_--;
  }

  void printMap(Map* map) {
    if (!enter(map)) {
      out_ += "{...}";
      return;
    }
    out_ += '{';
    const MapTable& table = map->table;
    bool first = true;
    for (uint32_t i = 0; i < table.entryEnd() && out_.size() <= limit_; i++) {
      const MapEntry& entry = table.entryAt(i);
      if (MapTable::isTombstone(entry)) continue;
      if (!first) out_ += ", ";
      first = false;
      print(entry.key, true);
      out_ += ": ";
      print(entry.value, true);
    }
    out_ += '}';
    depth_--;
  }

  std::string& out_;
  size_t limit_;
  // The containers being printed, outermost first: a repeat is a cycle.
  const Obj* path_[kMaxDepth];
  int depth_ = 0;
};

}  // namespace

std::string numberToString(double d) {
  std::string out;
  appendNumber(out, d);
  return out;
}

void appendValue(std::string& out, Value v, size_t limit) {
  if (v.isNumber()) {
    appendNumber(out, v.asNumber());
    return;
  }
  Printer(out, limit).print(v, false);
  // Without this the text would grow until memory ran out.
  if (out.size() > limit) fatalLimit("text too long (a value prints as at most 512 MiB)");
}

std::string valueToString(Value v) {
  std::string out;
  appendValue(out, v);
  return out;
}

std::string_view integerText(double d, char (&buffer)[kIntegerTextSize]) {
  if (!(d == std::trunc(d) && std::fabs(d) < 9e18) || (d == 0 && std::signbit(d))) return {};
  fmt::format_int digits(static_cast<int64_t>(d));  // at most 20 characters
  std::memcpy(buffer, digits.data(), digits.size());
  return std::string_view(buffer, digits.size());
}

}  // namespace kiln
