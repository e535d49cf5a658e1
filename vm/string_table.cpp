// The weak intern table (see vm/string_table.h).
#include "vm/string_table.h"

#include <cstring>

namespace kiln {

// A fast, well-mixed 32-bit hash of a string (8 bytes at a time).
uint32_t hashString(std::string_view s) {
  uint64_t h = 0x9e3779b97f4a7c15ull ^ s.size();
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  // The last 0-7 bytes as one little-endian word, without a memcpy call:
  // two overlapping loads (bytes loaded twice land in the same place).
  const char* p = s.data() + i;
  size_t rest = s.size() - i;
  uint64_t tail = 0;
  if (rest >= 4) {
    uint32_t low, high;
    std::memcpy(&low, p, 4);
    std::memcpy(&high, p + rest - 4, 4);
    tail = low | (uint64_t(high) << (8 * (rest - 4)));
  } else if (rest > 0) {
    tail = uint64_t(uint8_t(p[0])) | uint64_t(uint8_t(p[rest / 2])) << (8 * (rest / 2)) |
           uint64_t(uint8_t(p[rest - 1])) << (8 * (rest - 1));
  }
  h = (h ^ tail) * 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 29;
  return uint32_t(h) | (uint32_t(h) == 0);  // never 0: that means "no hash yet" (identityHash)
}

String* StringTable::find(std::string_view text, uint32_t hash) const {
  if (slots_.empty()) return nullptr;
  size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.string == nullptr) return nullptr;
    if (slot.hash == hash && slot.string->length == text.size() &&
        std::memcmp(slot.string->chars(), text.data(), text.size()) == 0) {
      return slot.string;
    }
  }
}

void StringTable::insert(String* s) {
  if ((count_ + 1) * 2 > slots_.size()) grow();
  size_t mask = slots_.size() - 1;
  size_t i = s->hash & mask;
  while (slots_[i].string != nullptr) i = (i + 1) & mask;
  slots_[i] = Slot{s, s->hash};
  count_++;
}

void StringTable::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 256 : old.size() * 2, Slot{nullptr, 0});
  count_ = 0;
  for (const Slot& slot : old) {
    if (slot.string != nullptr) insert(slot.string);
  }
}

void StringTable::removeUnmarked() {
  // Rebuild from the survivors: linear probing has no cheap deletion, and a
  // collection already costs time proportional to the heap.
  std::vector<Slot> old = std::move(slots_);
  size_t size = old.size();
  while (size > 256 && count_ * 8 < size) size /= 2;  // shrink after mass death
  slots_.assign(size, Slot{nullptr, 0});
  count_ = 0;
  for (const Slot& slot : old) {
    if (slot.string != nullptr && (slot.string->gcBits & kGcMarked)) insert(slot.string);
  }
}

}  // namespace kiln
