// What the baseline compiler knows about the frame's registers at the
// instruction it is compiling, and the xmm registers that hold copies of
// numbers. Two levels:
//
// - Facts (RegisterFacts): a register holds a number, or holds no object
//   (nil, true, false or a number), or holds an instance or a list. They hold from the instruction that
//   established them (a guard, an arithmetic result, an immediate load) until
//   the register is written. They survive calls for the registers a call
//   cannot write (below the callee's frame, not captured by a closure), and
//   flow along jumps (the facts at a jump target are those common to every
//   edge into it; at loop headers found by iteration, see compileFunction). A known number needs
//   no guard; a register holding no object needs no write barrier when stored.
// - Copies: a write-through cache of numbers in xmm registers within one
//   basic block. The frame slot is always written too, so the collector, the
//   deoptimizer and the interpreter never need the copy; it only saves loads.
//   Copies go at every jump target and at every call (calls clobber xmm).
#pragma once

#include <asmjit/x86.h>

#include <bitset>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#include "vm/object.h"

namespace kiln::jit {

struct RegisterFacts {
  std::bitset<256> number;
  std::bitset<256> nonObject;  // includes every register in `number`
  std::bitset<256> instance;   // an object's kind never changes
  std::bitset<256> list;

  bool operator==(const RegisterFacts&) const = default;
  RegisterFacts& operator&=(const RegisterFacts& other) {
    number &= other.number;
    nonObject &= other.nonObject;
    instance &= other.instance;
    list &= other.list;
    return *this;
  }
  void keepOnly(const std::bitset<256>& kept) {
    number &= kept;
    nonObject &= kept;
    instance &= kept;
    list &= kept;
  }
  void reset(uint32_t reg) {
    number.reset(reg);
    nonObject.reset(reg);
    instance.reset(reg);
    list.reset(reg);
  }
  // Register `to` now holds what `from` holds.
  void copy(uint32_t from, uint32_t to) {
    number[to] = number[from];
    nonObject[to] = nonObject[from];
    instance[to] = instance[from];
    list[to] = list[from];
  }
};

// Facts at loop headers (by bytecode pc).
using LoopFacts = std::unordered_map<uint32_t, RegisterFacts>;

class NumberCache {
 public:
  NumberCache() { clear(); }
  // Forgets everything: copies and facts.
  void clear() {
    dropCopies();
    facts_ = RegisterFacts();
  }
  // Forgets the xmm copies only (after a call): the facts stay true.
  void dropCopies() {
    for (int8_t& x : xmmOf_) x = -1;
    for (int& r : regOf_) r = -1;
  }
  // Keeps the facts of the registers in `kept` only, and no copies.
  void keepFactsOf(const std::bitset<256>& kept) {
    dropCopies();
    facts_.keepOnly(kept);
  }
  const RegisterFacts& facts() const { return facts_; }
  // At a jump target: exactly these facts, no copies.
  void startBlock(const RegisterFacts& facts) {
    dropCopies();
    facts_ = facts;
  }

  int lookup(uint32_t reg) const { return xmmOf_[reg]; }
  // The register is about to be written with something unknown.
  void forget(uint32_t reg) {
    if (xmmOf_[reg] >= 0) regOf_[xmmOf_[reg]] = -1;
    xmmOf_[reg] = -1;
    facts_.reset(reg);
  }
  // A move: `to` (forgotten first) gets the facts of `from`; not its copy.
  void copyFacts(uint32_t from, uint32_t to) {
    if (from == to) return;
    forget(to);
    facts_.copy(from, to);
  }
  void markNumber(uint32_t reg) {
    facts_.number.set(reg);
    facts_.nonObject.set(reg);
  }
  void markNonObject(uint32_t reg) { facts_.nonObject.set(reg); }
  bool knownNumber(uint32_t reg) const { return facts_.number.test(reg); }
  bool knownNonObject(uint32_t reg) const { return facts_.nonObject.test(reg); }
  // Instances and lists are tracked; other kinds are never known.
  void markKind(uint32_t reg, ObjKind kind) {
    if (kind == ObjKind::Instance) facts_.instance.set(reg);
    if (kind == ObjKind::List) facts_.list.set(reg);
  }
  bool knownKind(uint32_t reg, ObjKind kind) const {
    return (kind == ObjKind::Instance && facts_.instance.test(reg)) ||
           (kind == ObjKind::List && facts_.list.test(reg));
  }

  // The register now holds the number in `xmm` (and its slot the same bits).
  void bind(uint32_t reg, const asmjit::x86::Xmm& xmm) {
    forget(reg);
    markNumber(reg);
    int x = int(xmm.id());
    if (regOf_[x] >= 0) xmmOf_[regOf_[x]] = -1;
    regOf_[x] = int(reg);
    xmmOf_[reg] = int8_t(x);
  }
  // A register to hold a new value (xmm0 and xmm1 are scratch): round robin,
  // dropping what it cached, but never one pinned by the current instruction
  // (its operands must survive until it has computed its result).
  asmjit::x86::Xmm allocate() {
    int x = next_;
    while (pinned_ & (1u << x)) x = x == 15 ? 2 : x + 1;
    next_ = x == 15 ? 2 : x + 1;
    if (regOf_[x] >= 0) xmmOf_[regOf_[x]] = -1;
    regOf_[x] = -1;
    return asmjit::x86::xmm(uint32_t(x));
  }
  void pin(const asmjit::x86::Xmm& xmm) { pinned_ |= uint16_t(1u << xmm.id()); }
  void unpinAll() { pinned_ = 0; }
  // Every copy: (xmm register, frame register).
  std::vector<std::pair<asmjit::x86::Xmm, uint32_t>> bindings() const {
    std::vector<std::pair<asmjit::x86::Xmm, uint32_t>> pairs;
    for (int x = 0; x < 16; x++)
      if (regOf_[x] >= 0) pairs.emplace_back(asmjit::x86::xmm(uint32_t(x)), uint32_t(regOf_[x]));
    return pairs;
  }

 private:
  int8_t xmmOf_[256];
  int regOf_[16];
  RegisterFacts facts_;
  int next_ = 2;
  uint16_t pinned_ = 0;
};

}  // namespace kiln::jit
