// MapTable: an insertion-ordered hash table from Value to Value, used by Map
// objects and by class method tables.
//
// Layout (as in CPython's compact dict): entries in insertion order in one array,
// plus an open-addressed index of int32 positions into it. Removal leaves a
// tombstone entry that iteration skips; the table compacts when it rehashes.
// Keys compare with valuesEqual(): strings are interned (identity = content),
// numbers by value (0 and -0 are one key), other objects by identity. A nan key
// can never be found; callers reject it (VM::mapSet).
#pragma once

#include <cstddef>
#include <cstdint>

#include "vm/value.h"

namespace kiln {

struct MapEntry {
  Value key;  // Value::undefined() marks a removed entry (tombstone)
  Value value;
};

class MapTable {
 public:
  MapTable() = default;
  ~MapTable();
  MapTable(const MapTable&) = delete;
  MapTable& operator=(const MapTable&) = delete;

  void reserve(uint32_t count);
  // Returns true and sets *out when the key is present.
  bool get(Value key, Value* out) const;
  bool contains(Value key) const;
  // Inserts or overwrites. Returns true when the key was new.
  bool set(Value key, Value value);
  // Removes the key; returns true and sets *old when it was present.
  bool remove(Value key, Value* old);

  uint32_t size() const { return live_; }
  // Iteration in insertion order: positions 0..entryEnd()-1, skipping tombstones.
  uint32_t entryEnd() const { return used_; }
  const MapEntry& entryAt(uint32_t position) const { return entries_[position]; }
  // For the collector only: references may be updated in place (object keys
  // hash by their identity hash, which moves with the object, so no rehash).
  MapEntry& mutableEntryAt(uint32_t position) { return entries_[position]; }
  static bool isTombstone(const MapEntry& e) { return e.key.isUndefined(); }

  // Bytes of memory owned outside the object (for GC pacing).
  size_t externalBytes() const;

 private:
  int32_t findSlot(Value key, uint64_t hash) const;  // index slot, or -1
  void rebuild(uint32_t newCapacity);

  MapEntry* entries_ = nullptr;
  uint32_t used_ = 0;  // entries written (live + tombstones)
  uint32_t live_ = 0;
  uint32_t entryCapacity_ = 0;
  int32_t* index_ = nullptr;  // -1 = empty; size indexCapacity_ (a power of two)
  uint32_t indexCapacity_ = 0;
};

// Hash of a key consistent with valuesEqual (strings use their stored hash).
uint64_t hashValue(Value v);

}  // namespace kiln
