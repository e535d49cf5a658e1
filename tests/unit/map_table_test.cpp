// Unit tests for MapTable (vm/map_table.h): the insertion-ordered hash table
// behind maps and class method tables. Strings here are hand-made String
// objects (no VM), which shows that keys compare by identity, not content.
#include "vm/map_table.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "vm/object.h"

namespace kiln {
namespace {

Value num(double d) { return Value::number(d); }

// Keys in insertion order, skipping tombstones.
std::vector<Value> keysOf(const MapTable& table) {
  std::vector<Value> keys;
  for (uint32_t i = 0; i < table.entryEnd(); i++) {
    if (!MapTable::isTombstone(table.entryAt(i))) keys.push_back(table.entryAt(i).key);
  }
  return keys;
}

// Builds a String object outside any heap; freed with the fixture.
class FakeStrings {
 public:
  String* make(std::string_view text, uint32_t hash) {
    void* memory = std::calloc(1, sizeof(String) + text.size() + 1);
    auto* s = new (memory) String();
    s->kind = ObjKind::String;
    s->hash = hash;
    s->length = uint32_t(text.size());
    std::memcpy(s->mutableChars(), text.data(), text.size());
    owned_.emplace_back(memory, &std::free);
    return s;
  }

 private:
  std::vector<std::unique_ptr<void, decltype(&std::free)>> owned_;
};

TEST(MapTable, EmptyTableFindsNothing) {
  MapTable table;
  Value out;
  EXPECT_EQ(table.size(), 0u);
  EXPECT_FALSE(table.get(num(1), &out));
  EXPECT_FALSE(table.contains(Value::nil()));
  EXPECT_FALSE(table.remove(num(1), &out));
  EXPECT_EQ(table.entryEnd(), 0u);
  EXPECT_EQ(table.externalBytes(), 0u);
}

TEST(MapTable, InsertThenOverwriteKeepsOneEntry) {
  MapTable table;
  EXPECT_TRUE(table.set(num(1), num(10)));
  EXPECT_FALSE(table.set(num(1), num(20)));  // not new
  EXPECT_EQ(table.size(), 1u);
  Value out;
  ASSERT_TRUE(table.get(num(1), &out));
  EXPECT_EQ(out.asNumber(), 20);
}

TEST(MapTable, OverwriteKeepsInsertionPosition) {
  MapTable table;
  table.set(num(1), num(0));
  table.set(num(2), num(0));
  table.set(num(3), num(0));
  table.set(num(1), num(99));
  std::vector<Value> keys = keysOf(table);
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_EQ(keys[0].asNumber(), 1);
  EXPECT_EQ(keys[1].asNumber(), 2);
  EXPECT_EQ(keys[2].asNumber(), 3);
}

TEST(MapTable, RemoveLeavesTombstoneThatIterationSkips) {
  MapTable table;
  table.set(num(1), num(10));
  table.set(num(2), num(20));
  table.set(num(3), num(30));
  Value old;
  ASSERT_TRUE(table.remove(num(2), &old));
  EXPECT_EQ(old.asNumber(), 20);
  EXPECT_FALSE(table.remove(num(2), &old));
  EXPECT_EQ(table.size(), 2u);
  EXPECT_EQ(table.entryEnd(), 3u);  // the tombstone is still there
  EXPECT_TRUE(MapTable::isTombstone(table.entryAt(1)));
  std::vector<Value> keys = keysOf(table);
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].asNumber(), 1);
  EXPECT_EQ(keys[1].asNumber(), 3);
  EXPECT_FALSE(table.contains(num(2)));
  EXPECT_TRUE(table.contains(num(3)));  // found past the tombstone
}

TEST(MapTable, ReinsertedKeyMovesToTheEnd) {
  MapTable table;
  table.set(num(1), num(0));
  table.set(num(2), num(0));
  table.remove(num(1), nullptr);
  table.set(num(1), num(0));
  std::vector<Value> keys = keysOf(table);
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].asNumber(), 2);
  EXPECT_EQ(keys[1].asNumber(), 1);
}

TEST(MapTable, GrowsToAHundredThousandEntriesInOrder) {
  MapTable table;
  constexpr int kCount = 100000;
  for (int i = 0; i < kCount; i++) EXPECT_TRUE(table.set(num(i), num(i * 2)));
  EXPECT_EQ(table.size(), uint32_t(kCount));
  for (int i = 0; i < kCount; i++) {
    Value out;
    ASSERT_TRUE(table.get(num(i), &out)) << i;
    ASSERT_EQ(out.asNumber(), i * 2);
  }
  EXPECT_FALSE(table.contains(num(kCount)));
  EXPECT_FALSE(table.contains(num(0.5)));

  // Remove the even keys: the odd ones keep their relative order.
  for (int i = 0; i < kCount; i += 2) ASSERT_TRUE(table.remove(num(i), nullptr));
  EXPECT_EQ(table.size(), uint32_t(kCount / 2));
  std::vector<Value> keys = keysOf(table);
  ASSERT_EQ(keys.size(), size_t(kCount / 2));
  for (size_t i = 0; i < keys.size(); i++) ASSERT_EQ(keys[i].asNumber(), double(2 * i + 1));

  // Inserting again (through rebuilds) keeps everything reachable.
  for (int i = 0; i < kCount; i += 2) table.set(num(i), num(-1));
  EXPECT_EQ(table.size(), uint32_t(kCount));
  for (int i = 0; i < kCount; i++) ASSERT_TRUE(table.contains(num(i))) << i;
}

TEST(MapTable, ChurnDoesNotGrowWithoutBound) {
  // Insert and remove different keys forever: tombstones are compacted away
  // instead of growing the table.
  MapTable table;
  for (int i = 0; i < 10; i++) table.set(num(-i - 1), num(0));
  size_t bytesAfterWarmup = 0;
  for (int i = 0; i < 200000; i++) {
    table.set(num(i), num(i));
    table.remove(num(i), nullptr);
    if (i == 1000) bytesAfterWarmup = table.externalBytes();
  }
  EXPECT_EQ(table.size(), 10u);
  EXPECT_LE(table.externalBytes(), bytesAfterWarmup);
  for (int i = 0; i < 10; i++) EXPECT_TRUE(table.contains(num(-i - 1)));
}

TEST(MapTable, NegativeZeroAndZeroAreOneKey) {
  MapTable table;
  table.set(num(-0.0), num(1));
  EXPECT_FALSE(table.set(num(0.0), num(2)));
  EXPECT_EQ(table.size(), 1u);
  Value out;
  ASSERT_TRUE(table.get(num(-0.0), &out));
  EXPECT_EQ(out.asNumber(), 2);
  EXPECT_EQ(hashValue(num(-0.0)), hashValue(num(0.0)));
  // The stored key is the canonical 0.
  EXPECT_FALSE(std::signbit(keysOf(table)[0].asNumber()));
}

TEST(MapTable, NanIsNeverFound) {
  MapTable table;
  Value out;
  EXPECT_FALSE(table.set(num(NAN), num(1)));  // callers reject nan; the table drops it
  EXPECT_EQ(table.size(), 0u);
  table.set(num(1), num(1));
  EXPECT_FALSE(table.get(num(NAN), &out));
  EXPECT_FALSE(table.contains(num(NAN)));
  EXPECT_FALSE(table.remove(num(NAN), &out));
}

TEST(MapTable, NilBoolsAndNumbersAreDistinctKeys) {
  MapTable table;
  table.set(Value::nil(), num(1));
  table.set(Value::boolean(false), num(2));
  table.set(Value::boolean(true), num(3));
  table.set(num(0), num(4));
  table.set(num(1), num(5));
  EXPECT_EQ(table.size(), 5u);
  Value out;
  ASSERT_TRUE(table.get(Value::boolean(false), &out));
  EXPECT_EQ(out.asNumber(), 2);
  ASSERT_TRUE(table.get(Value::nil(), &out));
  EXPECT_EQ(out.asNumber(), 1);
}

TEST(MapTable, StringKeysCompareByIdentity) {
  // Interning makes equal contents one object, so identity is the right test;
  // two objects with the same text (never made by the VM) are two keys.
  FakeStrings strings;
  String* a = strings.make("name", 1234);
  String* alsoName = strings.make("name", 1234);
  String* b = strings.make("other", 1234);  // same hash: a forced collision
  MapTable table;
  table.set(Value::object(a), num(1));
  table.set(Value::object(b), num(2));
  Value out;
  ASSERT_TRUE(table.get(Value::object(a), &out));
  EXPECT_EQ(out.asNumber(), 1);
  ASSERT_TRUE(table.get(Value::object(b), &out));
  EXPECT_EQ(out.asNumber(), 2);
  EXPECT_FALSE(table.contains(Value::object(alsoName)));
}

TEST(MapTable, ManyCollidingKeysStayReachable) {
  FakeStrings strings;
  std::vector<String*> keys;
  for (int i = 0; i < 500; i++) keys.push_back(strings.make("k", 42));
  MapTable table;
  for (size_t i = 0; i < keys.size(); i++) table.set(Value::object(keys[i]), num(double(i)));
  for (size_t i = 0; i < keys.size(); i += 3) table.remove(Value::object(keys[i]), nullptr);
  for (size_t i = 0; i < keys.size(); i++) {
    Value out;
    bool found = table.get(Value::object(keys[i]), &out);
    ASSERT_EQ(found, i % 3 != 0) << i;
    if (found) {
      ASSERT_EQ(out.asNumber(), double(i));
    }
  }
}

TEST(MapTable, ReserveAvoidsLaterGrowth) {
  MapTable table;
  table.reserve(1000);
  size_t reserved = table.externalBytes();
  EXPECT_GT(reserved, 0u);
  for (int i = 0; i < 1000; i++) table.set(num(i), num(i));
  EXPECT_EQ(table.externalBytes(), reserved);
}

}  // namespace
}  // namespace kiln
