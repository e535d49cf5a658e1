// Inline caches: one side-table entry per property site (GETPROP, SETPROP, INVOKE,
// GETSUPER, SUPERINVOKE), found through the instruction's extension word.
//
// States: empty -> monomorphic (1 entry) -> polymorphic (up to 4) -> megamorphic
// (the site stops caching and always does the full lookup).
//
// The interpreter tests entries[0] before anything else, so entries at or past
// `count` are always empty (shape == nullptr, which no instance has): caches
// start zeroed and a site turning megamorphic clears its entries. (The collector
// traces only the first `count` entries, so a stale pointer there could also
// match a new shape at a reused address.)
#pragma once

#include <cstdint>

namespace kiln {

struct Shape;
struct String;
struct Obj;

constexpr int kPolymorphicEntries = 4;

enum class CacheState : uint8_t { Empty, Monomorphic, Polymorphic, Megamorphic };

// What a hit does with an entry, decided when the entry is made so that the
// fast paths test one byte instead of `method`, `newShape` and the instance's
// inline slot count.
enum class CacheAccess : uint8_t {
  InlineField,       // the field is inside the instance: instance->inlineSlots()[slot]
  OverflowField,     // in the overflow array: instance->overflow[slot - inlineSlots]
  AddInlineField,    // SETPROP adding the field: move to newShape, then as InlineField
  AddOverflowField,  // same, then as OverflowField (the array may have to grow first)
  Method,            // a method found in the class: `method` is the Closure
  Builtin,           // shape == nullptr: built-in method (see PropertyCacheEntry)
};

// An entry with shape == nullptr caches a built-in method (method = the Native)
// for receivers whose ObjKind is `slot` (lists, maps, strings).
struct PropertyCacheEntry {
  Shape* shape = nullptr;     // receiver shape the entry applies to
  Shape* newShape = nullptr;  // SETPROP adding a field: the shape after the transition
  Obj* method = nullptr;      // INVOKE / GETPROP of a method: the Closure found in the class
  uint32_t slot = 0;          // field slot (fields), or ObjKind (built-ins)
  CacheAccess access = CacheAccess::Method;
  // Fields: the inline slot count of the instances of `shape` (all of them have
  // the same: see fieldEntry in vm/interpreter.cpp). Small: an entry is 32 bytes.
  uint8_t inlineSlots = 0;
};
static_assert(sizeof(PropertyCacheEntry) == 32);

struct PropertyCache {
  String* name = nullptr;
  CacheState state = CacheState::Empty;
  uint8_t count = 0;
  PropertyCacheEntry entries[kPolymorphicEntries] = {};
};

}  // namespace kiln
