// The global `Math`: an instance of a class named Math whose fields are the
// math natives (sqrt floor ceil abs sin cos exp log pow min max) and `pi`.
// Being an ordinary instance, `Math.sqrt(x)` is a field load plus a call, which
// the inline caches handle like any other monomorphic property access.
//
// Every argument must be a number, else "Math.<name>() expects number
// arguments." min and max take exactly two arguments.
#include <cmath>
#include <numbers>

#include "gc/handles.h"
#include "stdlib/stdlib.h"
#include "vm/object.h"
#include "vm/vm.h"

namespace kiln {

namespace {

// The natives are generated from one template per arity, with the operation
// and the name as template arguments: a NativeFn carries no user data.
template <double (*Op)(double), const char* Name>
Value unaryMath(VM& vm, Value* args, int) {
  if (!args[1].isNumber()) return vm.errorf("Math.{}() expects number arguments.", Name);
  return Value::number(Op(args[1].asNumber()));
}

template <double (*Op)(double, double), const char* Name>
Value binaryMath(VM& vm, Value* args, int) {
  if (!args[1].isNumber() || !args[2].isNumber()) {
    return vm.errorf("Math.{}() expects number arguments.", Name);
  }
  return Value::number(Op(args[1].asNumber(), args[2].asNumber()));
}

double mathSqrt(double x) { return std::sqrt(x); }
double mathFloor(double x) { return std::floor(x); }
double mathCeil(double x) { return std::ceil(x); }
double mathAbs(double x) { return std::fabs(x); }
double mathSin(double x) { return std::sin(x); }
double mathCos(double x) { return std::cos(x); }
double mathExp(double x) { return std::exp(x); }
double mathLog(double x) { return std::log(x); }
double mathPow(double x, double y) { return std::pow(x, y); }

// min and max propagate nan and order -0 below 0 (as JavaScript does), unlike
// std::fmin/fmax which drop a nan operand.
double mathMin(double x, double y) {
  if (x != x || y != y) return NAN;
  if (x == y) return std::signbit(x) ? x : y;
  return x < y ? x : y;
}
double mathMax(double x, double y) {
  if (x != x || y != y) return NAN;
  if (x == y) return std::signbit(x) ? y : x;
  return x > y ? x : y;
}

constexpr char kSqrt[] = "sqrt";
constexpr char kFloor[] = "floor";
constexpr char kCeil[] = "ceil";
constexpr char kAbs[] = "abs";
constexpr char kSin[] = "sin";
constexpr char kCos[] = "cos";
constexpr char kExp[] = "exp";
constexpr char kLog[] = "log";
constexpr char kPow[] = "pow";
constexpr char kMin[] = "min";
constexpr char kMax[] = "max";

constexpr NamespaceFunction kMathFunctions[] = {
    {kSqrt, unaryMath<mathSqrt, kSqrt>, 1}, {kFloor, unaryMath<mathFloor, kFloor>, 1},
    {kCeil, unaryMath<mathCeil, kCeil>, 1}, {kAbs, unaryMath<mathAbs, kAbs>, 1},
    {kSin, unaryMath<mathSin, kSin>, 1},    {kCos, unaryMath<mathCos, kCos>, 1},
    {kExp, unaryMath<mathExp, kExp>, 1},    {kLog, unaryMath<mathLog, kLog>, 1},
    {kPow, binaryMath<mathPow, kPow>, 2},   {kMin, binaryMath<mathMin, kMin>, 2},
    {kMax, binaryMath<mathMax, kMax>, 2},
};

}  // namespace

void installMath(VM& vm) {
  HandleScope scope(vm.heap());
  Handle<Instance> math = scope.make(as<Instance>(defineNamespace(vm, "Math", kMathFunctions)));
  Handle<String> pi = scope.make(vm.intern("pi"));
  vm.setField(math.get(), pi.get(), Value::number(std::numbers::pi));
}

}  // namespace kiln
