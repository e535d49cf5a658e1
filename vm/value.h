// Value: the 64-bit NaN-boxed representation of every Kiln value.
//
// A Value is an IEEE double, unless its bits are a quiet NaN with the pattern
// kQuietNan set: then the low bits hold a tag (nil, true, false and two internal
// markers) or, with the sign bit also set, a 48-bit pointer to a heap object.
// Arithmetic never produces a NaN with kQuietNan's extra bit (x86's default NaN
// is 0xfff8...), so every computed double stays a number.
#pragma once

#include <cstdint>
#include <cstring>

namespace kiln {

struct Obj;

class Value {
 public:
  static constexpr uint64_t kSignBit = 0x8000000000000000ull;
  static constexpr uint64_t kQuietNan = 0x7ffc000000000000ull;
  static constexpr uint64_t kObjectMask = kSignBit | kQuietNan;
  static constexpr uint64_t kTagNil = 1;
  static constexpr uint64_t kTagFalse = 2;
  static constexpr uint64_t kTagTrue = 3;
  // Internal markers, never visible to scripts:
  static constexpr uint64_t kTagUndefined = 4;  // an unset global cell
  static constexpr uint64_t kTagError = 5;      // a native signalled a runtime error

  constexpr Value() : bits_(kQuietNan | kTagNil) {}

  static Value number(double d) {
    Value v;
    std::memcpy(&v.bits_, &d, sizeof d);
    return v;
  }
  static constexpr Value nil() { return fromBits(kQuietNan | kTagNil); }
  static constexpr Value boolean(bool b) { return fromBits(kQuietNan | (b ? kTagTrue : kTagFalse)); }
  static constexpr Value undefined() { return fromBits(kQuietNan | kTagUndefined); }
  static constexpr Value error() { return fromBits(kQuietNan | kTagError); }
  static Value object(const Obj* o) { return fromBits(kObjectMask | reinterpret_cast<uint64_t>(o)); }
  static constexpr Value fromBits(uint64_t bits) {
    Value v;
    v.bits_ = bits;
    return v;
  }

  bool isNumber() const { return (bits_ & kQuietNan) != kQuietNan; }
  bool isNil() const { return bits_ == (kQuietNan | kTagNil); }
  bool isBool() const { return (bits_ | 1) == (kQuietNan | kTagTrue); }
  bool isTrue() const { return bits_ == (kQuietNan | kTagTrue); }
  bool isUndefined() const { return bits_ == (kQuietNan | kTagUndefined); }
  bool isError() const { return bits_ == (kQuietNan | kTagError); }
  // An object's bits are kObjectMask | pointer (pointer < 2^50): xor-ing the
  // mask away leaves the pointer, and anything else keeps some of the top bits.
  // One constant and no separate mask-and-compare (see isKind in object.h).
  bool isObj() const { return ((bits_ ^ kObjectMask) >> 50) == 0; }
  // Lox truthiness: nil and false are false, everything else is true.
  bool isFalsey() const { return bits_ == (kQuietNan | kTagNil) || bits_ == (kQuietNan | kTagFalse); }

  double asNumber() const {
    double d;
    std::memcpy(&d, &bits_, sizeof d);
    return d;
  }
  bool asBool() const { return bits_ == (kQuietNan | kTagTrue); }
  Obj* asObj() const { return reinterpret_cast<Obj*>(bits_ ^ kObjectMask); }  // only if isObj()

  constexpr uint64_t bits() const { return bits_; }
  // Identity (bitwise) comparison. Use valuesEqual() for Lox `==`.
  bool same(Value other) const { return bits_ == other.bits_; }

 private:
  uint64_t bits_;
};

static_assert(sizeof(Value) == 8);

// Lox equality: numbers compare as doubles (so nan != nan and 0 == -0); everything
// else by identity. Strings are interned, so identity is content equality.
inline bool valuesEqual(Value a, Value b) {
  if (a.isNumber() && b.isNumber()) return a.asNumber() == b.asNumber();
  return a.same(b);
}

}  // namespace kiln
