// MapTable: the insertion-ordered hash table behind Map objects and class
// method tables (see vm/map_table.h for the layout).
//
// Keys are normalized before hashing and comparing (-0 becomes 0), so after
// normalization two keys are equal exactly when their bits are equal: a probe
// compares one 64-bit word. A nan key is never stored by the VM (VM::mapSet
// rejects it) and lookups of nan answer "absent" without probing.
//
// The index uses linear probing at a load of at most 2/3; removed entries stay
// in the index (pointing at their tombstone) until the next rebuild, so probe
// chains are never broken. A rebuild happens when the entry array is full: it
// doubles the capacity, or, when more than half of the used entries are
// tombstones, only compacts (and may shrink).
#include "vm/map_table.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "vm/limits.h"
#include "vm/object.h"

namespace kiln {

namespace {

constexpr uint32_t kMinIndexCapacity = 8;
// The largest index we build: positions must fit in int32_t.
constexpr uint32_t kMaxIndexCapacity = uint32_t(1) << 30;

// A strong 64-bit finalizer (as in MurmurHash3's fmix64) for number keys: the
// bits of integral doubles differ only in their high bits, and the index takes
// the low bits.
inline uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}

// One multiply suffices for a 32-bit object hash: the high half of the product
// depends on every bit of it, and is folded into the low half. This is the
// class method lookup path, so it is kept cheap.
inline uint64_t mix32(uint32_t x) {
  uint64_t h = uint64_t(x) * 0x9e3779b97f4a7c15ull;
  return h ^ (h >> 32);
}

constexpr uint64_t kPositiveZeroBits = 0;
constexpr uint64_t kNegativeZeroBits = Value::kSignBit;

// Returns false for a key that can never be present (nan); otherwise stores
// the canonical key in *out.
inline bool normalizeKey(Value key, Value* out) {
  if (key.bits() == kNegativeZeroBits) {
    *out = Value::fromBits(kPositiveZeroBits);
    return true;
  }
  if (key.isNumber()) {
    double d = key.asNumber();
    if (d != d) return false;
  }
  *out = key;
  return true;
}

// Index capacity able to hold `entries` entries at a load of at most 2/3.
uint32_t indexCapacityFor(uint32_t entries) {
  uint64_t needed = uint64_t(entries) + (uint64_t(entries) + 1) / 2;
  uint64_t capacity = kMinIndexCapacity;
  while (capacity < needed) capacity <<= 1;
  if (capacity > kMaxIndexCapacity) fatalOutOfMemory();
  return uint32_t(capacity);
}

void* allocate(size_t bytes) {
  void* memory = std::malloc(bytes);
  if (memory == nullptr) fatalOutOfMemory();
  return memory;
}

}  // namespace

uint64_t hashValue(Value v) {
  if (v.isObj()) {
    // Strings: the content hash computed at interning; others: the identity hash.
    return mix32(identityHash(v.asObj()));
  }
  if (v.bits() == kNegativeZeroBits) return mix64(kPositiveZeroBits);
  return mix64(v.bits());
}

MapTable::~MapTable() {
  std::free(entries_);
  std::free(index_);
}

int32_t MapTable::findSlot(Value key, uint64_t hash) const {
  if (indexCapacity_ == 0) return -1;
  uint32_t mask = indexCapacity_ - 1;
  uint32_t slot = uint32_t(hash) & mask;
  for (;;) {
    int32_t position = index_[slot];
    if (position < 0) return -1;
    if (entries_[position].key.same(key)) return int32_t(slot);
    slot = (slot + 1) & mask;
  }
}

bool MapTable::get(Value key, Value* out) const {
  if (live_ == 0 || !normalizeKey(key, &key)) return false;
  int32_t slot = findSlot(key, hashValue(key));
  if (slot < 0) return false;
  *out = entries_[index_[slot]].value;
  return true;
}

bool MapTable::contains(Value key) const {
  if (live_ == 0 || !normalizeKey(key, &key)) return false;
  return findSlot(key, hashValue(key)) >= 0;
}

bool MapTable::set(Value key, Value value) {
  // Callers reject nan keys; storing one anyway would make it unreachable, so
  // the entry is silently dropped rather than corrupting the table.
  if (!normalizeKey(key, &key)) return false;
  uint64_t hash = hashValue(key);
  int32_t slot = findSlot(key, hash);
  if (slot >= 0) {
    entries_[index_[slot]].value = value;
    return false;
  }
  if (used_ == entryCapacity_) {
    uint32_t tombstones = used_ - live_;
    if (tombstones > used_ / 2) {
      // Mostly tombstones: compact, keeping room to grow to twice the live size.
      rebuild(live_ * 2 > live_ + 1 ? live_ * 2 : live_ + 1);
    } else {
      rebuild(entryCapacity_ == 0 ? 1 : entryCapacity_ * 2);
    }
  }
  // The key is known to be absent: probe for the first empty index slot.
  uint32_t mask = indexCapacity_ - 1;
  uint32_t free = uint32_t(hash) & mask;
  while (index_[free] >= 0) free = (free + 1) & mask;
  index_[free] = int32_t(used_);
  entries_[used_].key = key;
  entries_[used_].value = value;
  used_++;
  live_++;
  return true;
}

bool MapTable::remove(Value key, Value* old) {
  if (live_ == 0 || !normalizeKey(key, &key)) return false;
  int32_t slot = findSlot(key, hashValue(key));
  if (slot < 0) return false;
  MapEntry& entry = entries_[index_[slot]];
  if (old != nullptr) *old = entry.value;
  // The index slot keeps pointing here so that probe chains through it stay
  // intact; the tombstone's key matches no real key.
  entry.key = Value::undefined();
  entry.value = Value::nil();
  live_--;
  // No compaction here: callers may be walking positions while removing. The
  // next insertion into a full table compacts (and shrinks) instead.
  return true;
}

void MapTable::reserve(uint32_t count) {
  if (count > entryCapacity_) rebuild(count);
}

size_t MapTable::externalBytes() const {
  return size_t(entryCapacity_) * sizeof(MapEntry) + size_t(indexCapacity_) * sizeof(int32_t);
}

// Rebuilds the table with room for at least `newCapacity` entries (and at least
// the live ones), dropping tombstones. Insertion order is preserved.
void MapTable::rebuild(uint32_t newCapacity) {
  if (newCapacity < live_) newCapacity = live_;
  uint32_t newIndexCapacity = indexCapacityFor(newCapacity);
  // Use all of the 2/3 of the index that the power-of-two rounding gave us.
  uint32_t newEntryCapacity = uint32_t(uint64_t(newIndexCapacity) * 2 / 3);

  auto* newEntries = static_cast<MapEntry*>(allocate(size_t(newEntryCapacity) * sizeof(MapEntry)));
  auto* newIndex = static_cast<int32_t*>(allocate(size_t(newIndexCapacity) * sizeof(int32_t)));
  std::memset(newIndex, 0xff, size_t(newIndexCapacity) * sizeof(int32_t));  // all -1

  uint32_t mask = newIndexCapacity - 1;
  uint32_t position = 0;
  for (uint32_t i = 0; i < used_; i++) {
    const MapEntry& entry = entries_[i];
    if (isTombstone(entry)) continue;
    uint32_t slot = uint32_t(hashValue(entry.key)) & mask;
    while (newIndex[slot] >= 0) slot = (slot + 1) & mask;
    newIndex[slot] = int32_t(position);
    newEntries[position++] = entry;
  }

  std::free(entries_);
  std::free(index_);
  entries_ = newEntries;
  index_ = newIndex;
  entryCapacity_ = newEntryCapacity;
  indexCapacity_ = newIndexCapacity;
  used_ = position;
  live_ = position;
}

}  // namespace kiln
