// Shapes (hidden classes). An instance's field layout is its Shape: a path in a
// transition tree rooted at its class's root shape. Adding field `x` to an
// instance of shape S moves it to S's child for `x` (created once, then shared),
// so instances built by the same constructor share one shape, and an inline cache
// can check one pointer to know where a field lives. A shape also fixes the class,
// so a shape check covers method lookups too.
#pragma once

#include <cstdint>
#include <memory>
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
  // Field name -> slot for shapes with many fields (small shapes walk the chain).
  // A shape's first child shares its parent's table and adds its own key, so a
  // chain of shapes built field by field shares one table: entries with a slot
  // >= fieldCount belong to descendants and are ignored by find(). Siblings
  // (second and later transitions) build their own on first lookup.
  std::shared_ptr<std::unordered_map<String*, uint32_t>> table;

  static constexpr uint32_t kNotFound = UINT32_MAX;
  uint32_t find(String* name);
};

// The child of `shape` that adds `key` (allocates it the first time).
Shape* shapeTransition(VM& vm, Shape* shape, String* key);

}  // namespace kiln
