// Instruction encoding helpers, and the Opcode enum and operand table generated
// from opcodes.def.
#pragma once

#include <cstdint>

namespace kiln {

enum class Format : uint8_t { ABC, ABx, AsBx, sJ };

enum class Opcode : uint8_t {
#define OPCODE(name, format, a, b, c, ext) name,
#include "vm/opcodes.def"
#undef OPCODE
};

constexpr int kOpcodeCount = 0
#define OPCODE(name, format, a, b, c, ext) +1
#include "vm/opcodes.def"
#undef OPCODE
    ;

// What an operand of an instruction is (the letters of opcodes.def).
enum class OperandKind : uint8_t {
  None,           // _
  Register,       // R
  Constant,       // K
  Immediate,      // I: a signed number in the instruction
  Count,          // N: a count or size
  Jump,           // J: a relative jump offset
  PropertyCache,  // P
  Global,         // G
  Upvalue,        // U
};

namespace operand_letters {
constexpr OperandKind _ = OperandKind::None;
constexpr OperandKind R = OperandKind::Register;
constexpr OperandKind K = OperandKind::Constant;
constexpr OperandKind I = OperandKind::Immediate;
constexpr OperandKind N = OperandKind::Count;
constexpr OperandKind J = OperandKind::Jump;
constexpr OperandKind P = OperandKind::PropertyCache;
constexpr OperandKind G = OperandKind::Global;
constexpr OperandKind U = OperandKind::Upvalue;
}  // namespace operand_letters

struct OpcodeInfo {
  const char* name;
  Format format;
  bool hasExt;  // followed by an extension word
  OperandKind a, b, c, ext;
  // Words the instruction takes in the code (1, or 2 with an extension word).
  constexpr int words() const { return hasExt ? 2 : 1; }
  // A jump instruction: its target is the word after it plus the offset.
  constexpr bool jumps() const { return a == OperandKind::Jump || ext == OperandKind::Jump; }
};

inline constexpr OpcodeInfo kOpcodeInfo[kOpcodeCount] = {
#define OPCODE(name, format, a, b, c, ext)    \
  {#name,                                     \
   Format::format,                            \
   operand_letters::ext != OperandKind::None, \
   operand_letters::a,                        \
   operand_letters::b,                        \
   operand_letters::c,                        \
   operand_letters::ext},
#include "vm/opcodes.def"
#undef OPCODE
};

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

// The target of the jump instruction at `pc` (kOpcodeInfo[op].jumps()).
inline int64_t jumpTarget(const uint32_t* code, int64_t pc) {
  Instruction insn = code[pc];
  const OpcodeInfo& info = kOpcodeInfo[insn & 0xff];
  if (info.a == OperandKind::Jump) return pc + 1 + argSJ(insn);
  return pc + 2 + int32_t(code[pc + 1]);
}

}  // namespace kiln
