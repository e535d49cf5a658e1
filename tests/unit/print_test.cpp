// Unit tests for value printing (vm/print.h): number formatting, strings at top
// level and inside containers, nested and cyclic containers, and every object
// kind a script can see.
#include "vm/print.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "gc/handles.h"
#include "vm/object.h"
#include "vm/vm.h"

namespace kiln {
namespace {

TEST(NumberToString, IntegersPrintWithoutFraction) {
  EXPECT_EQ(numberToString(3.0), "3");
  EXPECT_EQ(numberToString(100), "100");
  EXPECT_EQ(numberToString(0), "0");
  EXPECT_EQ(numberToString(-0.0), "-0");
  EXPECT_EQ(numberToString(-42), "-42");
  EXPECT_EQ(numberToString(123456789012345.0), "123456789012345");
  EXPECT_EQ(numberToString(1e15), "1000000000000000");
  EXPECT_EQ(numberToString(9007199254740992.0), "9007199254740992");
}

TEST(NumberToString, FractionsUseTheShortestRoundTrip) {
  EXPECT_EQ(numberToString(0.1), "0.1");
  EXPECT_EQ(numberToString(123.456), "123.456");
  EXPECT_EQ(numberToString(-3.5), "-3.5");
  EXPECT_EQ(numberToString(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(numberToString(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(numberToString(0.0001), "0.0001");
}

TEST(NumberToString, LargeAndSmallUseExponents) {
  EXPECT_EQ(numberToString(1e21), "1e+21");
  EXPECT_EQ(numberToString(-1e21), "-1e+21");
  EXPECT_EQ(numberToString(1e-7), "1e-07");
  EXPECT_EQ(numberToString(5e-324), "5e-324");
  EXPECT_EQ(numberToString(std::numeric_limits<double>::max()), "1.7976931348623157e+308");
}

TEST(NumberToString, SpecialValues) {
  EXPECT_EQ(numberToString(std::numeric_limits<double>::quiet_NaN()), "nan");
  EXPECT_EQ(numberToString(-std::numeric_limits<double>::quiet_NaN()), "nan");
  EXPECT_EQ(numberToString(INFINITY), "inf");
  EXPECT_EQ(numberToString(-INFINITY), "-inf");
}

TEST(ValueToString, Scalars) {
  EXPECT_EQ(valueToString(Value::nil()), "nil");
  EXPECT_EQ(valueToString(Value::boolean(true)), "true");
  EXPECT_EQ(valueToString(Value::boolean(false)), "false");
  EXPECT_EQ(valueToString(Value::number(2.5)), "2.5");
}

TEST(ValueToString, AppendValueAppends) {
  std::string text = "x = ";
  appendValue(text, Value::number(7));
  EXPECT_EQ(text, "x = 7");
}

// Objects come from a real VM; everything is kept in handles, so the tests are
// also correct if a collection happens.
class PrintObjectsTest : public ::testing::Test {
 protected:
  Value string(std::string_view text) { return keep(Value::object(vm.intern(text))); }
  Value keep(Value v) {
    scope.makeValue(v);
    return v;
  }
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
  Value function(std::string_view name, FunctionKind kind) {
    Handle<FunctionProto> proto = scope.make(vm.newProto());
    proto->functionKind = kind;
    if (!name.empty()) proto->name = vm.intern(name);
    return keep(Value::object(vm.newClosure(proto.get())));
  }

  VM vm;
  HandleScope scope{vm.heap()};
};

TEST_F(PrintObjectsTest, StringsAreRawAtTopLevelAndQuotedInside) {
  Value s = string("hi");
  EXPECT_EQ(valueToString(s), "hi");
  EXPECT_EQ(valueToString(list({s})), "[\"hi\"]");
  EXPECT_EQ(valueToString(map({{s, s}})), "{\"hi\": \"hi\"}");
}

TEST_F(PrintObjectsTest, Lists) {
  EXPECT_EQ(valueToString(list({})), "[]");
  Value a = string("a");
  EXPECT_EQ(valueToString(list({Value::number(1), Value::number(2), a})), "[1, 2, \"a\"]");
  Value inner = list({Value::nil(), Value::boolean(true)});
  EXPECT_EQ(valueToString(list({inner, list({})})), "[[nil, true], []]");
}

TEST_F(PrintObjectsTest, MapsInInsertionOrder) {
  EXPECT_EQ(valueToString(map({})), "{}");
  Value a = string("a");
  Value m = map({{a, Value::number(1)}, {Value::number(2), Value::boolean(true)}});
  EXPECT_EQ(valueToString(m), "{\"a\": 1, 2: true}");
  as<Map>(m)->table.remove(a, nullptr);
  EXPECT_EQ(valueToString(m), "{2: true}");
  EXPECT_EQ(valueToString(map({{Value::number(1), list({m})}})), "{1: [{2: true}]}");
}

TEST_F(PrintObjectsTest, CyclesPrintAsEllipsis) {
  Value l = list({Value::number(1)});
  vm.listPush(as<List>(l), l);
  EXPECT_EQ(valueToString(l), "[1, [...]]");

  Value m = map({});
  Value self = string("self");
  vm.mapSet(as<Map>(m), self, m);
  EXPECT_EQ(valueToString(m), "{\"self\": {...}}");

  // A cycle through both kinds.
  Value outer = list({});
  Value middle = map({{Value::number(0), outer}});
  vm.listPush(as<List>(outer), middle);
  EXPECT_EQ(valueToString(outer), "[{0: [...]}]");
}

TEST_F(PrintObjectsTest, SharedButAcyclicContainersPrintFully) {
  Value shared = list({Value::number(1)});
  EXPECT_EQ(valueToString(list({shared, shared})), "[[1], [1]]");
}

// A list holding the same list twice, nested 60 deep, prints 2^60 leaves: the
// text must stop at the string limit (here a small one) instead of growing
// until memory runs out.
using PrintObjectsDeathTest = PrintObjectsTest;
TEST_F(PrintObjectsDeathTest, ExponentialTextStopsAtTheStringLimit) {
  Value v = list({});
  for (int i = 0; i < 60; i++) v = list({v, v});
  std::string text;
  EXPECT_EXIT(appendValue(text, v, 100000), testing::ExitedWithCode(70), "text too long");
  Value small = list({});
  for (int i = 0; i < 3; i++) small = list({small, small});
  appendValue(text, small, 100000);  // well under the limit: printed whole
  EXPECT_EQ(text, "[[[[], []], [[], []]], [[[], []], [[], []]]]");
}

TEST_F(PrintObjectsTest, VeryDeepNestingIsBounded) {
  Value v = list({});
  for (int i = 0; i < 100000; i++) v = list({v});
  std::string text = valueToString(v);  // must not overflow the C++ stack
  EXPECT_EQ(text.substr(0, 3), "[[[");
  EXPECT_NE(text.find("[...]"), std::string::npos);
}

TEST_F(PrintObjectsTest, Functions) {
  EXPECT_EQ(valueToString(function("add", FunctionKind::Function)), "<fn add>");
  EXPECT_EQ(valueToString(function("", FunctionKind::Lambda)), "<fn>");
  EXPECT_EQ(valueToString(function("", FunctionKind::Script)), "<script>");
  Value native = keep(Value::object(vm.newNative("clock", nullptr, 0)));
  EXPECT_EQ(valueToString(native), "<native fn>");
}

TEST_F(PrintObjectsTest, ClassesInstancesAndBoundMethods) {
  Handle<String> name = scope.make(vm.intern("Point"));
  Handle<Class> klass = scope.make(vm.newClass(name.get()));
  EXPECT_EQ(valueToString(klass.value()), "Point");
  Value instance = keep(Value::object(vm.newInstance(klass.get())));
  EXPECT_EQ(valueToString(instance), "Point instance");
  EXPECT_EQ(valueToString(list({instance})), "[Point instance]");

  Value method = function("norm", FunctionKind::Method);
  Value bound = keep(Value::object(vm.newBoundMethod(instance, method.asObj())));
  EXPECT_EQ(valueToString(bound), "<fn norm>");
  Value native = keep(Value::object(vm.newNative("push", nullptr, 1)));
  Value boundNative = keep(Value::object(vm.newBoundMethod(instance, native.asObj())));
  EXPECT_EQ(valueToString(boundNative), "<native fn>");
}

}  // namespace
}  // namespace kiln
