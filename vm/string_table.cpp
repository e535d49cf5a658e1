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
  uint64_t tail = 0;
  std::memcpy(&tail, s.data() + i, s.size() - i);
  h = (h ^ tail) * 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 29;
  return uint32_t(h) | (uint32_t(h) == 0);  // never 0: that means "no hash yet" (identityHash)
}

String* StringTable::find(std::string_view text, uint32_t hash) const {
  if (slots_.empty()) return nullptr;
  size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    String* s = slots_[i];
    if (s == nullptr) return nullptr;
    if (s->hash == hash && s->length == text.size() &&
        std::memcmp(s->chars(), text.data(), text.size()) == 0) {
      return s;
    }
  }
}

void StringTable::insert(String* s) {
  if ((count_ + 1) * 2 > slots_.size()) grow();
  size_t mask = slots_.size() - 1;
  size_t i = s->hash & mask;
  while (slots_[i] != nullptr) i = (i + 1) & mask;
  slots_[i] = s;
  count_++;
}

void StringTable::grow() {
  std::vector<String*> old = std::move(slots_);
  slots_.assign(old.empty() ? 256 : old.size() * 2, nullptr);
  count_ = 0;
  for (String* s : old) {
    if (s != nullptr) insert(s);
  }
}

void StringTable::removeUnmarked() {
  // Rebuild from the survivors: linear probing has no cheap deletion, and a
  // collection already costs time proportional to the heap.
  std::vector<String*> old = std::move(slots_);
  size_t size = old.size();
  while (size > 256 && count_ * 8 < size) size /= 2;  // shrink after mass death
  slots_.assign(size, nullptr);
  count_ = 0;
  for (String* s : old) {
    if (s != nullptr && (s->gcBits & kGcMarked)) insert(s);
  }
}

}  // namespace kiln
