// The offsets of the VM's fields that compiled code reads and writes: the one
// place that turns the C++ layouts of vm/ into numbers for machine code.
// (offsetof on the object structs, which derive from Obj, is "conditionally
// supported" in C++; GCC and Clang support it for classes without virtual
// bases, which is all of them.)
#pragma once

#include <cstddef>
#include <cstdint>

#include "gc/heap.h"
#include "vm/object.h"
#include "vm/shape.h"
#include "vm/vm.h"

namespace kiln::jit::layout {

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"

// ExecutionState (compiled code keeps its address in a register).
constexpr int32_t kStackTop = int32_t(offsetof(ExecutionState, stackTop));
constexpr int32_t kStackCheck = int32_t(offsetof(ExecutionState, stackCheck));
constexpr int32_t kFrame = int32_t(offsetof(ExecutionState, frame));
constexpr int32_t kLastFrame = int32_t(offsetof(ExecutionState, lastFrame));
constexpr int32_t kOpenUpvalues = int32_t(offsetof(ExecutionState, openUpvalues));
constexpr int32_t kSafepointRequests = int32_t(offsetof(ExecutionState, safepointRequests));
constexpr int32_t kStepsLeft = int32_t(offsetof(ExecutionState, stepsLeft));

// CallFrame.
constexpr int32_t kFrameClosure = int32_t(offsetof(CallFrame, closure));
constexpr int32_t kFrameIp = int32_t(offsetof(CallFrame, ip));
constexpr int32_t kFrameBase = int32_t(offsetof(CallFrame, base));
constexpr int32_t kFrameNativeReturn = int32_t(offsetof(CallFrame, nativeReturn));
constexpr int32_t kFrameSize = int32_t(sizeof(CallFrame));

// Objects.
constexpr int32_t kObjNext = int32_t(offsetof(Obj, next));
constexpr int32_t kObjKind = int32_t(offsetof(Obj, kind));
constexpr int32_t kObjGcBits = int32_t(offsetof(Obj, gcBits));
constexpr int32_t kClosureProto = int32_t(offsetof(Closure, proto));
constexpr int32_t kClosureUpvalueCount = int32_t(offsetof(Closure, upvalueCount));
constexpr int32_t kClosureUpvalues = int32_t(sizeof(Closure));
constexpr int32_t kUpvalueLocation = int32_t(offsetof(Upvalue, location));
constexpr int32_t kUpvalueClosed = int32_t(offsetof(Upvalue, closed));
constexpr int32_t kUpvalueNextOpen = int32_t(offsetof(Upvalue, nextOpen));
constexpr int32_t kProtoJitEntry = int32_t(offsetof(FunctionProto, jitEntry));
constexpr int32_t kProtoArity = int32_t(offsetof(FunctionProto, arity));
constexpr int32_t kProtoNumRegisters = int32_t(offsetof(FunctionProto, numRegisters));
constexpr int32_t kCacheEntryShape = int32_t(offsetof(PropertyCacheEntry, shape));
constexpr int32_t kCacheEntryMethod = int32_t(offsetof(PropertyCacheEntry, method));
constexpr int32_t kCacheEntrySlot = int32_t(offsetof(PropertyCacheEntry, slot));
constexpr int32_t kCacheEntryAccess = int32_t(offsetof(PropertyCacheEntry, access));
constexpr int32_t kNativeFn = int32_t(offsetof(Native, fn));
constexpr int32_t kNativeArity = int32_t(offsetof(Native, arity));
constexpr int32_t kClassRootShape = int32_t(offsetof(Class, rootShape));
constexpr int32_t kClassInitializer = int32_t(offsetof(Class, initializer));
constexpr int32_t kClassInlineSlots = int32_t(offsetof(Class, inlineSlots));
constexpr int32_t kInstanceShape = int32_t(offsetof(Instance, shape));
constexpr int32_t kInstanceOverflow = int32_t(offsetof(Instance, overflow));
constexpr int32_t kInstanceSlots = int32_t(sizeof(Instance));
constexpr int32_t kListItems = int32_t(offsetof(List, items));
constexpr int32_t kListCount = int32_t(offsetof(List, count));
constexpr int32_t kListCapacity = int32_t(offsetof(List, capacity));
constexpr int32_t kGlobalValue = int32_t(offsetof(GlobalCell, value));

// The header word at kObjKind of a fresh young object, as Heap::make leaves
// it: the kind, no GC bits, `aux`, no identity hash yet. (Obj::next, the
// other header word, is null.)
static_assert(offsetof(Obj, gcBits) == offsetof(Obj, kind) + 1 &&
              offsetof(Obj, aux) == offsetof(Obj, kind) + 2 &&
              offsetof(Obj, hash) == offsetof(Obj, kind) + 4 && sizeof(Obj) == offsetof(Obj, kind) + 8);
constexpr uint64_t youngHeader(ObjKind kind, uint16_t aux = 0) {
  return uint64_t(kind) | uint64_t(aux) << 16;
}
constexpr int kHeaderAuxShift = 16;

#pragma GCC diagnostic pop

}  // namespace kiln::jit::layout
