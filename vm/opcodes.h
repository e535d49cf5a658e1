// Instruction encoding helpers and the Opcode enum generated from opcodes.def.
#pragma once

#include <cstdint>

namespace kiln {

enum class Format : uint8_t { ABC, ABx, AsBx, sJ };

enum class Opcode : uint8_t {
#define OPCODE(name, format, ext) name,
#include "vm/opcodes.def"
#undef OPCODE
};

constexpr int kOpcodeCount = 0
#define OPCODE(name, format, ext) +1
#include "vm/opcodes.def"
#undef OPCODE
    ;

struct OpcodeInfo {
  const char* name;
  Format format;
  bool hasExt;
};
extern const OpcodeInfo kOpcodeInfo[kOpcodeCount];

using Instruction = uint32_t;

constexpr int kMaxBx = 0xffff;
constexpr int kSBxBias = 32767;
constexpr int kMaxSJ = (1 << 23) - 1;

constexpr Instruction encodeABC(Opcode op, uint32_t a, uint32_t b, uint32_t c) {
  return uint32_t(op) | (a << 8) | (b << 16) | (c << 24);
}
constexpr Instruction encodeABx(Opcode op, uint32_t a, uint32_t bx) {
  return uint32_t(op) | (a << 8) | (bx << 16);
}
constexpr Instruction encodeAsBx(Opcode op, uint32_t a, int sbx) {
  return uint32_t(op) | (a << 8) | (uint32_t(sbx + kSBxBias) << 16);
}
constexpr Instruction encodeSJ(Opcode op, int sj) { return uint32_t(op) | (uint32_t(sj) << 8); }

constexpr Opcode opOf(Instruction i) { return Opcode(i & 0xff); }
constexpr uint32_t argA(Instruction i) { return (i >> 8) & 0xff; }
constexpr uint32_t argB(Instruction i) { return (i >> 16) & 0xff; }
constexpr uint32_t argC(Instruction i) { return i >> 24; }
constexpr uint32_t argBx(Instruction i) { return i >> 16; }
constexpr int argSBx(Instruction i) { return int(i >> 16) - kSBxBias; }
constexpr int argSJ(Instruction i) { return int32_t(i) >> 8; }

}  // namespace kiln
