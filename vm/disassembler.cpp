// Readable bytecode listings (`kiln --dump-bytecode`), and the opcode table that
// opcodes.def generates (names, formats, extension words) for every tier.
//
// A listing shows, per function: a header, one line per instruction (offset, source
// line or `|` when unchanged, name, operands, jump targets, and a `;` comment naming
// the constant, property or global involved), the upvalue descriptors, the constants,
// then the functions nested in the constants. It never trusts the bytecode: bad
// indices are printed as such, so a broken proto can still be inspected.
#include "vm/disassembler.h"

#include <fmt/format.h>

#include "vm/opcodes.h"
#include "vm/print.h"

namespace kiln {

const OpcodeInfo kOpcodeInfo[kOpcodeCount] = {
#define OPCODE(name, format, ext) {#name, Format::format, (ext) != 0},
#include "vm/opcodes.def"
#undef OPCODE
};

namespace {

// Which operands an instruction shows, as letters: A, B, C, x (Bx), s (sBx),
// j (sJ jump target), e (ext value), t (ext jump target).
struct Layout {
  const char* fields;
  enum Note { None, ConstBx, ConstExt, ConstB, ConstC, Global, Property } note;
};

Layout layoutOf(Opcode op) {
  switch (op) {
    case Opcode::Move:
      return {"AB", Layout::None};
    case Opcode::LoadK:
      return {"Ax", Layout::ConstBx};
    case Opcode::LoadKX:
      return {"Ae", Layout::ConstExt};
    case Opcode::LoadI:
      return {"As", Layout::None};
    case Opcode::LoadNil:
      return {"AB", Layout::None};
    case Opcode::LoadTrue:
    case Opcode::LoadFalse:
      return {"A", Layout::None};
    case Opcode::GetUpval:
    case Opcode::SetUpval:
      return {"Ax", Layout::None};
    case Opcode::CloseUpvals:
      return {"A", Layout::None};
    case Opcode::GetGlobal:
    case Opcode::SetGlobal:
    case Opcode::DefGlobal:
      return {"Ae", Layout::Global};
    case Opcode::AddK:
    case Opcode::SubK:
    case Opcode::MulK:
    case Opcode::DivK:
    case Opcode::ModK:
      return {"ABC", Layout::ConstC};
    case Opcode::Neg:
    case Opcode::BitNot:
    case Opcode::Not:
      return {"AB", Layout::None};
    case Opcode::Jump:
    case Opcode::Loop:
      return {"j", Layout::None};
    case Opcode::JumpIf:
    case Opcode::JumpIfNot:
      return {"At", Layout::None};
    case Opcode::JumpIfNotLt:
    case Opcode::JumpIfNotLe:
    case Opcode::JumpIfNotEq:
    case Opcode::JumpIfNotNe:
      return {"ABt", Layout::None};
    case Opcode::JumpIfNotLtK:
    case Opcode::JumpIfNotLeK:
    case Opcode::JumpIfNotGtK:
    case Opcode::JumpIfNotGeK:
    case Opcode::JumpIfNotEqK:
    case Opcode::JumpIfNotNeK:
      return {"ABt", Layout::ConstB};
    case Opcode::GetProp:
    case Opcode::SetProp:
      return {"ABe", Layout::Property};
    case Opcode::GetSuper:
      return {"ABCe", Layout::Property};
    case Opcode::NewList:
    case Opcode::NewMap:
      return {"Ax", Layout::None};
    case Opcode::ListPush:
      return {"AB", Layout::None};
    case Opcode::Class:
      return {"ABe", Layout::ConstExt};
    case Opcode::Inherit:
      return {"ABC", Layout::None};
    case Opcode::Method:
      return {"ABe", Layout::ConstExt};
    case Opcode::Call:
      return {"AB", Layout::None};
    case Opcode::Invoke:
      return {"ABe", Layout::Property};
    case Opcode::SuperInvoke:
      return {"ABCe", Layout::Property};
    case Opcode::Closure:
      return {"Ax", Layout::ConstBx};
    case Opcode::Return:
      return {"A", Layout::None};
    case Opcode::ReturnNil:
      return {"", Layout::None};
    case Opcode::ForIn:
      return {"At", Layout::None};
    case Opcode::Print:
      return {"A", Layout::None};
    default:
      return {"ABC", Layout::None};  // arithmetic, bitwise, comparisons, indexing
  }
}

std::string functionLabel(const FunctionProto* proto) {
  if (proto->functionKind == FunctionKind::Script) return "<script>";
  if (proto->name == nullptr) return "<fn>";
  return fmt::format("<fn {}>", proto->name->view());
}

std::string constantText(const FunctionProto* proto, uint64_t index) {
  if (index >= proto->constants.size()) return fmt::format("<bad constant {}>", index);
  Value v = proto->constants[index];
  if (isString(v)) return fmt::format("\"{}\"", as<String>(v)->view());
  if (isKind(v, ObjKind::Proto)) return functionLabel(as<FunctionProto>(v));
  return valueToString(v);
}

std::string propertyText(const FunctionProto* proto, uint64_t index) {
  if (index >= proto->propertyCaches.size() || proto->propertyCaches[index].name == nullptr) {
    return fmt::format("<bad property cache {}>", index);
  }
  return fmt::format(".{}", proto->propertyCaches[index].name->view());
}

// Appends the instruction at `pc` to `out`; returns the number of words it uses.
size_t disassembleInstruction(const FunctionProto* proto, size_t pc, std::string& out) {
  const std::vector<uint32_t>& code = proto->code;
  Instruction insn = code[pc];
  uint32_t opByte = insn & 0xff;

  int line = pc < proto->lines.size() ? proto->lines[pc] : -1;
  bool sameLine =
      pc > 0 && pc - 1 < proto->lines.size() && pc < proto->lines.size() && proto->lines[pc - 1] == line;
  if (sameLine) {
    out += fmt::format("{:04}    | ", pc);
  } else {
    out += fmt::format("{:04} {:4} ", pc, line);
  }
  if (opByte >= uint32_t(kOpcodeCount)) {
    out += fmt::format("<bad opcode {}>\n", opByte);
    return 1;
  }
  Opcode op = Opcode(opByte);
  const OpcodeInfo& info = kOpcodeInfo[opByte];
  const bool hasExt = info.hasExt && pc + 1 < code.size();
  const uint32_t ext = hasExt ? code[pc + 1] : 0;
  const size_t next = pc + (info.hasExt ? 2 : 1);

  Layout layout = layoutOf(op);
  std::string operands;
  for (const char* f = layout.fields; *f != '\0'; f++) {
    if (!operands.empty()) operands += ' ';
    switch (*f) {
      case 'A':
        operands += fmt::format("{}", argA(insn));
        break;
      case 'B':
        operands += fmt::format("{}", argB(insn));
        break;
      case 'C':
        operands += fmt::format("{}", argC(insn));
        break;
      case 'x':
        operands += fmt::format("{}", argBx(insn));
        break;
      case 's':
        operands += fmt::format("{}", argSBx(insn));
        break;
      case 'j':
        operands += fmt::format("{} -> {:04}", argSJ(insn), int64_t(pc) + 1 + argSJ(insn));
        break;
      case 'e':
        operands += fmt::format("[{}]", ext);
        break;
      case 't':
        operands += fmt::format("{} -> {:04}", int32_t(ext), int64_t(next) + int32_t(ext));
        break;
      default:
        break;
    }
  }

  std::string note;
  switch (layout.note) {
    case Layout::None:
      break;
    case Layout::ConstBx:
      note = constantText(proto, argBx(insn));
      break;
    case Layout::ConstExt:
      note = constantText(proto, ext);
      break;
    case Layout::ConstB:
      note = constantText(proto, argB(insn));
      break;
    case Layout::ConstC:
      note = constantText(proto, argC(insn));
      break;
    case Layout::Global:
      note = fmt::format("global #{}", ext);
      break;
    case Layout::Property:
      note = propertyText(proto, ext);
      break;
  }
  if (info.hasExt && !hasExt) note = "<missing extension word>";

  std::string text = fmt::format("{:<13} {}", info.name, operands);
  if (!note.empty()) {
    if (text.size() < 32) text.append(32 - text.size(), ' ');
    text += fmt::format(" ; {}", note);
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  out += text;
  out += '\n';
  return next - pc;
}

void disassembleFunction(const FunctionProto* proto, std::string& out) {
  if (proto->functionKind == FunctionKind::Script) {
    out += "== <script> ==\n";
  } else {
    out += fmt::format("== {} (arity {}, {} registers, {} constants) ==\n", functionLabel(proto),
                       proto->arity, proto->numRegisters, proto->constants.size());
  }
  for (size_t pc = 0; pc < proto->code.size();) pc += disassembleInstruction(proto, pc, out);

  if (!proto->upvalues.empty()) {
    out += "upvalues:\n";
    for (size_t i = 0; i < proto->upvalues.size(); i++) {
      const UpvalueDesc& u = proto->upvalues[i];
      out += fmt::format("  {:4}  {} {}\n", i, u.fromParentRegister ? "register" : "upvalue", u.index);
    }
  }
  if (!proto->constants.empty()) {
    out += "constants:\n";
    for (size_t i = 0; i < proto->constants.size(); i++) {
      out += fmt::format("  {:4}  {}\n", i, constantText(proto, i));
    }
  }
}

}  // namespace

std::string disassemble(const FunctionProto* proto) {
  // Nested functions are listed after their parent, depth first, with an explicit
  // stack: the listing of a deeply nested program must not recurse.
  std::string out;
  std::vector<const FunctionProto*> pending{proto};
  while (!pending.empty()) {
    const FunctionProto* current = pending.back();
    pending.pop_back();
    if (!out.empty()) out += '\n';
    disassembleFunction(current, out);
    for (size_t i = current->constants.size(); i-- > 0;) {
      Value v = current->constants[i];
      if (isKind(v, ObjKind::Proto)) pending.push_back(as<FunctionProto>(v));
    }
  }
  return out;
}

}  // namespace kiln
