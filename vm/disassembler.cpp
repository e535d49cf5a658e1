// Readable bytecode listings (`kiln --dump-bytecode`). The operands shown and the
// notes come from the operand kinds of vm/opcodes.def (kOpcodeInfo).
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

namespace {

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

}  // namespace

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
  const OpcodeInfo& info = kOpcodeInfo[opByte];
  const bool hasExt = info.hasExt && pc + 1 < code.size();
  const uint32_t ext = hasExt ? code[pc + 1] : 0;
  const size_t next = pc + (info.hasExt ? 2 : 1);

  // Operands in the order A, B (or Bx / sBx), C, ext, as opcodes.def describes
  // them; the first constant, global or property operand is named in a note.
  std::string operands;
  std::string note;
  auto add = [&](OperandKind kind, int64_t value, bool isExt) {
    if (kind == OperandKind::None) return;
    if (!operands.empty()) operands += ' ';
    if (kind == OperandKind::Jump) {
      int64_t from = isExt ? int64_t(next) : int64_t(pc) + 1;
      operands += fmt::format("{} -> {:04}", value, from + value);
      return;
    }
    operands += isExt ? fmt::format("[{}]", value) : fmt::format("{}", value);
    if (!note.empty()) return;
    if (kind == OperandKind::Constant) note = constantText(proto, uint64_t(value));
    if (kind == OperandKind::Global) note = fmt::format("global #{}", value);
    if (kind == OperandKind::PropertyCache) note = propertyText(proto, uint64_t(value));
  };
  switch (info.format) {
    case Format::ABC:
      add(info.a, argA(insn), false);
      add(info.b, argB(insn), false);
      add(info.c, argC(insn), false);
      break;
    case Format::ABx:
      add(info.a, argA(insn), false);
      add(info.b, argBx(insn), false);
      break;
    case Format::AsBx:
      add(info.a, argA(insn), false);
      add(info.b, argSBx(insn), false);
      break;
    case Format::sJ:
      add(info.a, argSJ(insn), false);
      break;
  }
  add(info.ext, info.ext == OperandKind::Jump ? int64_t(int32_t(ext)) : int64_t(ext), true);
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

namespace {

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
