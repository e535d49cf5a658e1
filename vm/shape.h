// Shapes (hidden classes). An instance's field layout is its Shape: a path in a
// transition tree rooted at its class's root shape. Adding field `x` to an
// instance of shape S moves it to S's child for `x` (created once, then shared),
// so instances built by the same constructor share one shape, and an inline cache
// can check one pointer to know where a field lives. A shape also fixes the class,
// so a shape check covers method lookups too.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#include "vm/object.h"

namespace kiln {

class VM;

struct Shape : Obj {
  Shape* parent;  // null for a class's root shape
  String* key;    // the field this shape added (null for a root)
  Class* klass;
  uint32_t fieldCount;  // slots used by instances of this shape
  std::vector<std::pair<String*, Shape*>> transitions;
  // Field name -> slot, built on first lookup for every shape (small shapes walk).
  std::unordered_map<String*, uint32_t>* table = nullptr;

  static constexpr uint32_t kNotFound = UINT32_MAX;
  uint32_t find(String* name);
};

// The child of `shape` that adds `key` (allocates it the first time).
Shape* shapeTransition(VM& vm, Shape* shape, String* key);

}  // namespace kiln
