// Shape lookups and transitions (see vm/shape.h).
#include "vm/shape.h"

#include "vm/vm.h"

namespace kiln {

// Shapes with at most this many fields are searched by walking the parent chain;
// larger ones build a hash table once.
static constexpr uint32_t kLinearSearchLimit = 8;

uint32_t Shape::find(String* name) {
  if (fieldCount <= kLinearSearchLimit) {
    for (Shape* s = this; s->key != nullptr; s = s->parent) {
      if (s->key == name) return s->fieldCount - 1;
    }
    return kNotFound;
  }
  if (table == nullptr) {
    table = std::make_shared<std::unordered_map<String*, uint32_t>>();
    for (Shape* s = this; s->key != nullptr; s = s->parent) table->emplace(s->key, s->fieldCount - 1);
  }
  auto it = table->find(name);
  return it == table->end() || it->second >= fieldCount ? kNotFound : it->second;
}

Shape* shapeTransition(VM& vm, Shape* shape, String* key) {
  for (auto& [k, child] : shape->transitions) {
    if (k == key) return child;
  }
  // Root `shape` and `key` across the allocation: both are reachable from the
  // caller's rooted instance and the caller's constant or handle.
  Shape* child = vm.heap().make<Shape>(ObjKind::Shape, 0);
  child->parent = shape;
  child->key = key;
  child->klass = shape->klass;
  child->fieldCount = shape->fieldCount + 1;
  if (shape->table != nullptr && shape->transitions.empty()) {
    child->table = shape->table;  // the first child extends its parent's table
    child->table->emplace(key, child->fieldCount - 1);
  }
  shape->transitions.emplace_back(key, child);
  vm.heap().writeBarrier(shape, Value::object(child));
  return child;
}

}  // namespace kiln
