// The machine code of one FunctionProto, as the JIT installs it: owned by the
// prototype (FunctionProto::compiled) and released with it. Code that was
// invalidated stays alive (retired) until the prototype dies, since frames
// lower on the VM stack may still return into it.
#pragma once

#include <asmjit/core.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "vm/object.h"

namespace kiln::jit {

struct CompiledFunction final : CompiledCode {
  CompiledFunction(asmjit::JitRuntime* runtime, void* code, size_t size)
      : runtime(runtime), code(code), size(size) {}
  ~CompiledFunction() override { runtime->release(code); }

  // The entry at a loop header (bytecode pc), for on-stack replacement.
  const void* loopEntry(uint32_t pc) const {
    for (const auto& [headerPc, address] : loopEntries)
      if (headerPc == pc) return address;
    return nullptr;
  }

  // The pc after the call whose continuation is at `address` (what the
  // interpreter's SAVE_IP stores: compiled calls leave the frame's ip stale),
  // or null when `address` is not one of this code's continuations.
  const uint32_t* callSiteIp(const FunctionProto* proto, const void* address) const {
    auto at =
        std::lower_bound(continuations.begin(), continuations.end(), std::make_pair(address, uint32_t(0)));
    if (at == continuations.end() || at->first != address) return nullptr;
    return proto->code.data() + at->second;
  }
  bool contains(const void* address) const {
    auto* start = static_cast<const char*>(code);
    return address >= start && address < start + size;
  }

  asmjit::JitRuntime* runtime;
  void* code;
  const void* entry = nullptr;  // the function's start
  size_t size;
  std::vector<std::pair<uint32_t, const void*>> loopEntries;
  std::vector<std::pair<const void*, uint32_t>> continuations;  // sorted by address
  // Guard failures per deopt site (indexed by the site numbers in the code).
  std::vector<uint32_t> deoptCounts;
  std::vector<uint32_t> deoptSitePcs;
  uint32_t recompiles = 0;  // how many compilations came before this one
};

}  // namespace kiln::jit
