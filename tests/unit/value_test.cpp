// Unit tests for NaN-boxed values (vm/value.h).
#include "vm/value.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "vm/object.h"

namespace kiln {
namespace {

TEST(Value, NumbersRoundTrip) {
  for (double d : {0.0, -0.0, 1.5, -3.0, 1e308, 5e-324, std::numeric_limits<double>::infinity()}) {
    Value v = Value::number(d);
    ASSERT_TRUE(v.isNumber());
    EXPECT_FALSE(v.isObj());
    EXPECT_EQ(std::signbit(v.asNumber()), std::signbit(d));
    EXPECT_EQ(v.asNumber(), d);
  }
}

TEST(Value, ComputedNanStaysANumberAndIsNotEqualToItself) {
  volatile double zero = 0.0;
  Value nan = Value::number(zero / zero);
  EXPECT_TRUE(nan.isNumber());
  EXPECT_FALSE(valuesEqual(nan, nan));
  Value negativeNan = Value::number(-(zero / zero));
  EXPECT_TRUE(negativeNan.isNumber());
}

TEST(Value, ZeroAndNegativeZeroAreEqual) {
  EXPECT_TRUE(valuesEqual(Value::number(0.0), Value::number(-0.0)));
}

TEST(Value, SingletonsAreDistinct) {
  EXPECT_TRUE(Value::nil().isNil());
  EXPECT_TRUE(Value::boolean(true).isBool());
  EXPECT_TRUE(Value::boolean(false).isBool());
  EXPECT_FALSE(Value::nil().isBool());
  EXPECT_FALSE(Value::nil().isNumber());
  EXPECT_TRUE(Value::boolean(true).asBool());
  EXPECT_FALSE(Value::boolean(false).asBool());
  EXPECT_FALSE(valuesEqual(Value::nil(), Value::boolean(false)));
  EXPECT_TRUE(Value::undefined().isUndefined());
  EXPECT_TRUE(Value::error().isError());
  EXPECT_FALSE(Value::undefined().isNil());
}

TEST(Value, Truthiness) {
  EXPECT_TRUE(Value::nil().isFalsey());
  EXPECT_TRUE(Value::boolean(false).isFalsey());
  EXPECT_FALSE(Value::boolean(true).isFalsey());
  EXPECT_FALSE(Value::number(0).isFalsey());
}

TEST(Value, ObjectPointersRoundTrip) {
  alignas(16) static Obj object{};
  Value v = Value::object(&object);
  EXPECT_TRUE(v.isObj());
  EXPECT_FALSE(v.isNumber());
  EXPECT_FALSE(v.isNil());
  EXPECT_EQ(v.asObj(), &object);
}

}  // namespace
}  // namespace kiln
