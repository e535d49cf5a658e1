// Unit tests for the standard library (stdlib/): every global native, the Math
// object and the list, map and string methods, called through the VM exactly as
// the interpreter calls them (VM::callValue; built-in methods through a bound
// method, so args[0] is the receiver). Each test runs twice: normally and with
// a collection at every allocation, which catches natives that hold an object
// across an allocation without rooting it.
#include "stdlib/stdlib.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "gc/handles.h"
#include "vm/object.h"
#include "vm/print.h"
#include "vm/vm.h"

namespace kiln {
namespace {

class StdlibTest : public ::testing::TestWithParam<bool> {
 protected:
  StdlibTest() : vm(options()), scope(vm.heap()), errors(std::tmpfile()) {
    vm.setErrorOutput(errors);
    installStdlib(vm);
  }
  ~StdlibTest() override { std::fclose(errors); }

  static VMOptions options() {
    VMOptions o;
    o.heap.stress = GetParam();
    // These tests keep Values in C++ locals between calls, which a moving
    // collector would not update: use the non-moving collector here. Natives
    // run under the moving nursery in the script tests (--gc-stress).
    o.heap.generational = false;
    return o;
  }

  // Every value a test builds stays rooted until the test ends.
  Value keep(Value v) {
    scope.makeValue(v);
    return v;
  }
  static Value n(double d) { return Value::number(d); }
  Value s(std::string_view text) { return keep(Value::object(vm.intern(text))); }
  Value list(std::initializer_list<Value> items) {
    Handle<List> l = scope.make(vm.newList());
    for (Value v : items) vm.listPush(l.get(), v);
    return l.value();
  }
  Value map(std::initializer_list<std::pair<Value, Value>> entries) {
    Handle<Map> m = scope.make(vm.newMap());
    for (auto [k, v] : entries) vm.mapSet(m.get(), k, v);
    return m.value();
  }

  // The result as text (strings quoted, so "1" and 1 differ), or
  // "error: <message>" when the call raised.
  std::string describe(InterpretResult status, Value result) {
    if (status != InterpretResult::Ok) {
      std::string message = vm.lastError();
      while (!message.empty() && message.back() == '\n') message.pop_back();
      return "error: " + message;
    }
    if (isString(result)) return "\"" + std::string(as<String>(result)->view()) + "\"";
    return valueToString(result);
  }

  std::string callValue(Value callee, const std::vector<Value>& args) {
    Value result;
    InterpretResult status = vm.callValue(callee, args, &result);
    return describe(status, result);  // before anything can allocate again
  }

  // Calls the global function `name`.
  std::string call(std::string_view name, const std::vector<Value>& args) {
    Value callee = vm.global(vm.globalIndex(vm.intern(name))).value;
    return callValue(callee, args);
  }

  // Calls the built-in method `name` on `receiver` (a list, map or string).
  std::string method(Value receiver, std::string_view name, const std::vector<Value>& args) {
    Native* native = vm.findBuiltinMethod(receiver.asObj()->kind, vm.intern(name));
    if (native == nullptr) return "no such method";
    Value bound = keep(Value::object(vm.newBoundMethod(receiver, native)));
    return callValue(bound, args);
  }

  // Calls Math.<name>.
  std::string math(std::string_view name, const std::vector<Value>& args) {
    Value field;
    if (!mathField(name, &field)) return "no such field";
    return callValue(field, args);
  }
  bool mathField(std::string_view name, Value* out) {
    Value math = vm.global(vm.globalIndex(vm.intern("Math"))).value;
    Handle<Instance> instance = scope.make(as<Instance>(math));
    String* key = vm.intern(name);
    return vm.getField(instance.get(), key, out);
  }

  VM vm;
  HandleScope scope;
  std::FILE* errors;
};

INSTANTIATE_TEST_SUITE_P(GcModes, StdlibTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "GcStress" : "Normal"; });

// -- Globals -------------------------------------------------------------------------

TEST_P(StdlibTest, ClockIsMonotonicSeconds) {
  Value clock = vm.global(vm.globalIndex(vm.intern("clock"))).value;
  Value first, second;
  ASSERT_EQ(vm.callValue(clock, {}, &first), InterpretResult::Ok);
  ASSERT_EQ(vm.callValue(clock, {}, &second), InterpretResult::Ok);
  ASSERT_TRUE(first.isNumber());
  EXPECT_GE(second.asNumber(), first.asNumber());
  EXPECT_EQ(call("clock", {n(1)}), "error: Expected 0 arguments but got 1.");
}

TEST_P(StdlibTest, Len) {
  EXPECT_EQ(call("len", {s("héllo")}), "6");  // bytes
  EXPECT_EQ(call("len", {s("")}), "0");
  EXPECT_EQ(call("len", {list({n(1), n(2)})}), "2");
  EXPECT_EQ(call("len", {map({{n(1), n(2)}})}), "1");
  EXPECT_EQ(call("len", {n(3)}), "error: len() expects a string, list or map.");
  EXPECT_EQ(call("len", {Value::nil()}), "error: len() expects a string, list or map.");
  EXPECT_EQ(call("len", {}), "error: Expected 1 arguments but got 0.");
}

TEST_P(StdlibTest, StrGivesThePrintText) {
  EXPECT_EQ(call("str", {n(3)}), "\"3\"");
  EXPECT_EQ(call("str", {n(0.5)}), "\"0.5\"");
  EXPECT_EQ(call("str", {Value::nil()}), "\"nil\"");
  EXPECT_EQ(call("str", {s("text")}), "\"text\"");
  EXPECT_EQ(call("str", {list({s("a"), n(1)})}), "\"[\"a\", 1]\"");
}

TEST_P(StdlibTest, NumParsesDecimalNumbers) {
  EXPECT_EQ(call("num", {s("12")}), "12");
  EXPECT_EQ(call("num", {s("-3.5")}), "-3.5");
  EXPECT_EQ(call("num", {s("1e3")}), "1000");
  EXPECT_EQ(call("num", {s("0.25")}), "0.25");
  EXPECT_EQ(call("num", {s("  42 \n")}), "42");
  EXPECT_EQ(call("num", {s("+7")}), "7");
  EXPECT_EQ(call("num", {s(".5")}), "0.5");
  EXPECT_EQ(call("num", {s("2.")}), "2");
  EXPECT_EQ(call("num", {s("1E-2")}), "0.01");
  EXPECT_EQ(call("num", {s("1e400")}), "inf");
  EXPECT_EQ(call("num", {s("-1e-400")}), "-0");
  EXPECT_EQ(call("num", {n(5)}), "5");
}

TEST_P(StdlibTest, NumRejectsEverythingElse) {
  for (const char* text : {"", "  ", "abc", "12abc", "1 2", "nan", "inf", "-inf", "infinity", "0x10", "1e",
                           "e5", ".", "-", "+-1", "--1", "1.2.3"}) {
    EXPECT_EQ(call("num", {s(text)}), "nil") << '"' << text << '"';
  }
  EXPECT_EQ(call("num", {Value::nil()}), "nil");
  EXPECT_EQ(call("num", {Value::boolean(true)}), "nil");
  EXPECT_EQ(call("num", {list({})}), "nil");
}

TEST_P(StdlibTest, Type) {
  EXPECT_EQ(call("type", {Value::nil()}), "\"nil\"");
  EXPECT_EQ(call("type", {Value::boolean(false)}), "\"bool\"");
  EXPECT_EQ(call("type", {n(1)}), "\"number\"");
  EXPECT_EQ(call("type", {s("x")}), "\"string\"");
  EXPECT_EQ(call("type", {list({})}), "\"list\"");
  EXPECT_EQ(call("type", {map({})}), "\"map\"");
  Value len = vm.global(vm.globalIndex(vm.intern("len"))).value;
  EXPECT_EQ(call("type", {len}), "\"function\"");
  Handle<Class> klass = scope.make(vm.newClass(vm.intern("Point")));
  EXPECT_EQ(call("type", {klass.value()}), "\"class\"");
  Value instance = keep(Value::object(vm.newInstance(klass.get())));
  EXPECT_EQ(call("type", {instance}), "\"instance\"");
  Native* push = vm.findBuiltinMethod(ObjKind::List, vm.intern("push"));
  Value bound = keep(Value::object(vm.newBoundMethod(list({}), push)));
  EXPECT_EQ(call("type", {bound}), "\"function\"");
}

// -- Math --------------------------------------------------------------------------------

TEST_P(StdlibTest, MathIsAnInstanceOfClassMath) {
  Value math = vm.global(vm.globalIndex(vm.intern("Math"))).value;
  EXPECT_EQ(valueToString(math), "Math instance");
  Value pi;
  ASSERT_TRUE(mathField("pi", &pi));
  EXPECT_EQ(pi.asNumber(), M_PI);
}

TEST_P(StdlibTest, MathFunctions) {
  EXPECT_EQ(math("sqrt", {n(16)}), "4");
  EXPECT_EQ(math("sqrt", {n(-1)}), "nan");
  EXPECT_EQ(math("floor", {n(-1.5)}), "-2");
  EXPECT_EQ(math("ceil", {n(1.2)}), "2");
  EXPECT_EQ(math("abs", {n(-3)}), "3");
  EXPECT_EQ(math("sin", {n(0)}), "0");
  EXPECT_EQ(math("cos", {n(0)}), "1");
  EXPECT_EQ(math("exp", {n(0)}), "1");
  EXPECT_EQ(math("log", {n(1)}), "0");
  EXPECT_EQ(math("log", {n(0)}), "-inf");
  EXPECT_EQ(math("pow", {n(2), n(10)}), "1024");
  EXPECT_EQ(math("min", {n(3), n(-1)}), "-1");
  EXPECT_EQ(math("max", {n(3), n(-1)}), "3");
  EXPECT_EQ(math("min", {n(0), n(-0.0)}), "-0");
  EXPECT_EQ(math("max", {n(-0.0), n(0)}), "0");
  EXPECT_EQ(math("max", {n(NAN), n(1)}), "nan");
}

TEST_P(StdlibTest, MathRejectsNonNumbers) {
  EXPECT_EQ(math("sqrt", {s("4")}), "error: Math.sqrt() expects number arguments.");
  EXPECT_EQ(math("pow", {n(2), Value::nil()}), "error: Math.pow() expects number arguments.");
  EXPECT_EQ(math("min", {n(1)}), "error: Expected 2 arguments but got 1.");
}

// -- Lists ----------------------------------------------------------------------------------

TEST_P(StdlibTest, ListPushAndPop) {
  Value l = list({});
  EXPECT_EQ(method(l, "push", {n(1)}), "nil");
  EXPECT_EQ(method(l, "push", {s("two")}), "nil");
  EXPECT_EQ(valueToString(l), "[1, \"two\"]");
  EXPECT_EQ(method(l, "pop", {}), "\"two\"");
  EXPECT_EQ(method(l, "pop", {}), "1");
  EXPECT_EQ(method(l, "pop", {}), "error: Can't pop from an empty list.");
}

TEST_P(StdlibTest, ListInsertAndRemove) {
  Value l = list({n(1), n(3)});
  EXPECT_EQ(method(l, "insert", {n(1), n(2)}), "nil");
  EXPECT_EQ(method(l, "insert", {n(0), n(0)}), "nil");
  EXPECT_EQ(method(l, "insert", {n(4), n(4)}), "nil");  // at the end
  EXPECT_EQ(valueToString(l), "[0, 1, 2, 3, 4]");
  EXPECT_EQ(method(l, "insert", {n(6), n(0)}), "error: List index out of range.");
  EXPECT_EQ(method(l, "insert", {n(-1), n(0)}), "error: List index out of range.");
  EXPECT_EQ(method(l, "insert", {n(1.5), n(0)}), "error: List index must be an integer.");
  EXPECT_EQ(method(l, "remove", {n(2)}), "2");
  EXPECT_EQ(method(l, "remove", {n(0)}), "0");
  EXPECT_EQ(valueToString(l), "[1, 3, 4]");
  EXPECT_EQ(method(l, "remove", {n(3)}), "error: List index out of range.");
  EXPECT_EQ(method(l, "remove", {s("0")}), "error: List index must be an integer.");
  EXPECT_EQ(method(l, "remove", {n(NAN)}), "error: List index must be an integer.");
  EXPECT_EQ(method(list({}), "remove", {n(0)}), "error: List index out of range.");
}

TEST_P(StdlibTest, ListInsertGrowsPastCapacity) {
  Value l = list({});
  for (int i = 0; i < 100; i++) ASSERT_EQ(method(l, "insert", {n(0), n(i)}), "nil");
  EXPECT_EQ(as<List>(l)->count, 100u);
  EXPECT_EQ(as<List>(l)->items[0].asNumber(), 99);
  EXPECT_EQ(as<List>(l)->items[99].asNumber(), 0);
}

TEST_P(StdlibTest, ListSearch) {
  Value l = list({n(1), s("a"), n(-0.0), Value::nil()});
  EXPECT_EQ(method(l, "contains", {s("a")}), "true");
  EXPECT_EQ(method(l, "contains", {n(0)}), "true");  // 0 == -0
  EXPECT_EQ(method(l, "contains", {s("b")}), "false");
  EXPECT_EQ(method(l, "indexOf", {s("a")}), "1");
  EXPECT_EQ(method(l, "indexOf", {Value::nil()}), "3");
  EXPECT_EQ(method(l, "indexOf", {n(NAN)}), "-1");
  EXPECT_EQ(method(l, "indexOf", {n(7)}), "-1");
}

TEST_P(StdlibTest, ListSlice) {
  Value l = list({n(0), n(1), n(2), n(3)});
  EXPECT_EQ(method(l, "slice", {n(1), n(3)}), "[1, 2]");
  EXPECT_EQ(method(l, "slice", {n(0), n(4)}), "[0, 1, 2, 3]");
  EXPECT_EQ(method(l, "slice", {n(2), n(2)}), "[]");
  EXPECT_EQ(method(l, "slice", {n(3), n(2)}), "error: Slice indices out of range.");
  EXPECT_EQ(method(l, "slice", {n(0), n(5)}), "error: Slice indices out of range.");
  EXPECT_EQ(method(l, "slice", {n(-1), n(2)}), "error: Slice indices out of range.");
  EXPECT_EQ(method(l, "slice", {n(0.5), n(2)}), "error: List index must be an integer.");
  EXPECT_EQ(valueToString(l), "[0, 1, 2, 3]");  // the receiver is unchanged
}

TEST_P(StdlibTest, ListJoin) {
  EXPECT_EQ(method(list({n(1), s("a"), Value::nil(), list({s("b")})}), "join", {s(", ")}),
            "\"1, a, nil, [\"b\"]\"");
  EXPECT_EQ(method(list({}), "join", {s("-")}), "\"\"");
  EXPECT_EQ(method(list({n(1), n(2)}), "join", {s("")}), "\"12\"");
  EXPECT_EQ(method(list({}), "join", {n(1)}), "error: join() expects a string argument.");
}

TEST_P(StdlibTest, ListMethodArity) {
  EXPECT_EQ(method(list({}), "push", {}), "error: Expected 1 arguments but got 0.");
}

// -- Maps ------------------------------------------------------------------------------------

TEST_P(StdlibTest, MapMethods) {
  Value a = s("a");
  Value m = map({{a, n(1)}, {n(2), s("two")}, {Value::boolean(true), Value::nil()}});
  EXPECT_EQ(method(m, "has", {a}), "true");
  EXPECT_EQ(method(m, "has", {Value::boolean(true)}), "true");  // present with a nil value
  EXPECT_EQ(method(m, "has", {s("b")}), "false");
  EXPECT_EQ(method(m, "has", {n(NAN)}), "false");
  EXPECT_EQ(method(m, "keys", {}), "[\"a\", 2, true]");
  EXPECT_EQ(method(m, "values", {}), "[1, \"two\", nil]");
  EXPECT_EQ(method(m, "remove", {n(2)}), "\"two\"");
  EXPECT_EQ(method(m, "remove", {n(2)}), "nil");
  EXPECT_EQ(method(m, "keys", {}), "[\"a\", true]");
  EXPECT_EQ(method(map({}), "keys", {}), "[]");
}

TEST_P(StdlibTest, MapNanKeyIsRejectedBySet) {
  Handle<Map> m = scope.make(vm.newMap());
  EXPECT_FALSE(vm.mapSet(m.get(), n(NAN), n(1)));
  EXPECT_EQ(m->table.size(), 0u);
}

// -- Strings -------------------------------------------------------------------------------

TEST_P(StdlibTest, StringSubstr) {
  Value text = s("hello");
  EXPECT_EQ(method(text, "substr", {n(1), n(3)}), "\"ell\"");
  EXPECT_EQ(method(text, "substr", {n(0), n(5)}), "\"hello\"");
  EXPECT_EQ(method(text, "substr", {n(3), n(100)}), "\"lo\"");  // clamped
  EXPECT_EQ(method(text, "substr", {n(3), n(INFINITY)}), "\"lo\"");
  EXPECT_EQ(method(text, "substr", {n(5), n(1)}), "\"\"");
  EXPECT_EQ(method(text, "substr", {n(6), n(1)}), "error: String index out of range.");
  EXPECT_EQ(method(text, "substr", {n(-1), n(1)}), "error: String index out of range.");
  EXPECT_EQ(method(text, "substr", {n(0), n(-1)}), "error: String index out of range.");
  EXPECT_EQ(method(text, "substr", {n(0.5), n(1)}), "error: String index must be an integer.");
  EXPECT_EQ(method(text, "substr", {n(0), s("1")}), "error: String index must be an integer.");
}

TEST_P(StdlibTest, StringIndexOf) {
  Value text = s("banana");
  EXPECT_EQ(method(text, "indexOf", {s("nan")}), "2");
  EXPECT_EQ(method(text, "indexOf", {s("x")}), "-1");
  EXPECT_EQ(method(text, "indexOf", {s("")}), "0");
  EXPECT_EQ(method(text, "indexOf", {n(1)}), "error: indexOf() expects a string argument.");
}

TEST_P(StdlibTest, StringSplit) {
  EXPECT_EQ(method(s("a,b,"), "split", {s(",")}), "[\"a\", \"b\", \"\"]");
  EXPECT_EQ(method(s("a, b, c"), "split", {s(", ")}), "[\"a\", \"b\", \"c\"]");
  EXPECT_EQ(method(s("abc"), "split", {s(",")}), "[\"abc\"]");
  EXPECT_EQ(method(s(""), "split", {s(",")}), "[\"\"]");
  EXPECT_EQ(method(s("abc"), "split", {s("")}), "[\"a\", \"b\", \"c\"]");
  EXPECT_EQ(method(s("hé!"), "split", {s("")}), "[\"h\", \"é\", \"!\"]");  // UTF-8 kept whole
  EXPECT_EQ(method(s(""), "split", {s("")}), "[]");
  EXPECT_EQ(method(s("a"), "split", {Value::nil()}), "error: split() expects a string argument.");
}

TEST_P(StdlibTest, StringCaseAndTrim) {
  EXPECT_EQ(method(s("Hello, World é"), "upper", {}), "\"HELLO, WORLD é\"");
  EXPECT_EQ(method(s("Hello, World"), "lower", {}), "\"hello, world\"");
  EXPECT_EQ(method(s(" \t x y \r\n"), "trim", {}), "\"x y\"");
  EXPECT_EQ(method(s("   "), "trim", {}), "\"\"");
  EXPECT_EQ(method(s("xy"), "trim", {}), "\"xy\"");
}

TEST_P(StdlibTest, StringStartsAndEndsWith) {
  Value text = s("kiln.kn");
  EXPECT_EQ(method(text, "startsWith", {s("kiln")}), "true");
  EXPECT_EQ(method(text, "startsWith", {s("kn")}), "false");
  EXPECT_EQ(method(text, "endsWith", {s(".kn")}), "true");
  EXPECT_EQ(method(text, "endsWith", {s("")}), "true");
  EXPECT_EQ(method(text, "endsWith", {n(1)}), "error: endsWith() expects a string argument.");
  EXPECT_EQ(method(text, "startsWith", {n(1)}), "error: startsWith() expects a string argument.");
}

TEST_P(StdlibTest, StringReplace) {
  EXPECT_EQ(method(s("a-b-c"), "replace", {s("-"), s("+")}), "\"a+b+c\"");
  EXPECT_EQ(method(s("aaa"), "replace", {s("aa"), s("b")}), "\"ba\"");
  EXPECT_EQ(method(s("abc"), "replace", {s("x"), s("y")}), "\"abc\"");
  EXPECT_EQ(method(s("abc"), "replace", {s("b"), s("")}), "\"ac\"");
  EXPECT_EQ(method(s("abc"), "replace", {s(""), s("y")}),
            "error: replace() needs a non-empty string to find.");
  EXPECT_EQ(method(s("abc"), "replace", {s("a"), n(1)}), "error: replace() expects string arguments.");
}

TEST_P(StdlibTest, StringResultsAreInterned) {
  Value piece = keep([&] {
    Value result;
    Native* substr = vm.findBuiltinMethod(ObjKind::String, vm.intern("substr"));
    Value bound = keep(Value::object(vm.newBoundMethod(s("hello"), substr)));
    EXPECT_EQ(vm.callValue(bound, {n(0), n(4)}, &result), InterpretResult::Ok);
    return result;
  }());
  EXPECT_TRUE(piece.same(Value::object(vm.intern("hell"))));
}

}  // namespace
}  // namespace kiln
