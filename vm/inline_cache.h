// Inline caches: one side-table entry per property site (GETPROP, SETPROP, INVOKE,
// GETSUPER, SUPERINVOKE), found through the instruction's extension word.
//
// States: empty -> monomorphic (1 entry) -> polymorphic (up to 4) -> megamorphic
// (the site stops caching and always does the full lookup).
#pragma once

#include <cstdint>

namespace kiln {

struct Shape;
struct String;
struct Obj;

constexpr int kPolymorphicEntries = 4;

enum class CacheState : uint8_t { Empty, Monomorphic, Polymorphic, Megamorphic };

// An entry with shape == nullptr caches a built-in method (method = the Native)
// for receivers whose ObjKind is `slot` (lists, maps, strings).
struct PropertyCacheEntry {
  Shape* shape;     // receiver shape the entry applies to
  Shape* newShape;  // SETPROP adding a field: the shape after the transition
  Obj* method;      // INVOKE / GETPROP of a method: the Closure found in the class
  uint32_t slot;    // field slot (when method == nullptr)
};

struct PropertyCache {
  String* name;
  CacheState state = CacheState::Empty;
  uint8_t count = 0;
  PropertyCacheEntry entries[kPolymorphicEntries];
};

}  // namespace kiln
