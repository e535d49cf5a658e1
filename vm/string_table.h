// The intern table: every string is interned, so string equality is identity.
// Open addressing over String pointers, each slot with a copy of its string's
// hash so that a probe touches the string only when the hashes agree; weak
// (entries for strings the collector did not mark are dropped at each
// collection).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "vm/object.h"

namespace kiln {

uint32_t hashString(std::string_view text);

class StringTable {
 public:
  String* find(std::string_view text, uint32_t hash) const;
  void insert(String* s);  // s must not be present
  // Drops every string not marked by the current collection.
  void removeUnmarked();
  size_t size() const { return count_; }

 private:
  void grow();

  struct Slot {
    String* string;  // nullptr = empty
    uint32_t hash;
  };
  std::vector<Slot> slots_;  // size is a power of two
  size_t count_ = 0;
};

}  // namespace kiln
