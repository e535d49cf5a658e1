// visitReferences(): the one description of which references each object kind
// holds. The marking collector reads them; the scavenger updates them in place,
// which is why the visitor receives the address of every reference, not its
// value. Also here: object sizes and the pointers an object holds into itself.
//
// A Visitor provides   void value(Value* slot)   and   void object(T** slot)
// (for any object type T; a slot may hold nullptr).
#pragma once

#include "vm/object.h"
#include "vm/shape.h"

namespace kiln {

// After `from` was copied to `to` (a moving collection), re-points the pointers
// an object holds into itself: a closed upvalue's `location`, a small list's
// inline `items`.
inline void relocateInteriorPointers(const Obj* from, Obj* to) {
  if (from->kind == ObjKind::List) {
    auto* list = static_cast<const List*>(from);
    if (list->itemsInline()) static_cast<List*>(to)->items = static_cast<List*>(to)->inlineItems();
  } else if (from->kind == ObjKind::Upvalue) {
    auto* upvalue = static_cast<const Upvalue*>(from);
    if (upvalue->location == &upvalue->closed)
      static_cast<Upvalue*>(to)->location = &static_cast<Upvalue*>(to)->closed;
  }
}

// Bytes of the object itself (with trailing data); inline for the scavenger.
inline size_t objectSize(const Obj* object) {
  switch (object->kind) {
    case ObjKind::String:
      return sizeof(String) + static_cast<const String*>(object)->length + 1;
    case ObjKind::Proto:
      return sizeof(FunctionProto);
    case ObjKind::Closure:
      return sizeof(Closure) + static_cast<const Closure*>(object)->upvalueCount * sizeof(Upvalue*);
    case ObjKind::Upvalue:
      return sizeof(Upvalue);
    case ObjKind::Native:
      return sizeof(Native);
    case ObjKind::Class:
      return sizeof(Class);
    case ObjKind::Instance:
      return sizeof(Instance) + static_cast<const Instance*>(object)->inlineCount() * sizeof(Value);
    case ObjKind::BoundMethod:
      return sizeof(BoundMethod);
    case ObjKind::List:
      return sizeof(List) + static_cast<const List*>(object)->inlineCapacity() * sizeof(Value);
    case ObjKind::Map:
      return sizeof(Map);
    case ObjKind::Shape:
      return sizeof(Shape);
  }
  return sizeof(Obj);
}

template <class Visitor>
void visitTable(MapTable& table, Visitor& visitor) {
  for (uint32_t i = 0; i < table.entryEnd(); i++) {
    MapEntry& e = table.mutableEntryAt(i);
    if (MapTable::isTombstone(e)) continue;
    visitor.value(&e.key);
    visitor.value(&e.value);
  }
}

template <class Visitor>
void visitReferences(Obj* object, Visitor& visitor) {
  switch (object->kind) {
    case ObjKind::String:
      break;
    case ObjKind::Proto: {
      auto* proto = static_cast<FunctionProto*>(object);
      visitor.object(&proto->name);
      for (Value& v : proto->constants) visitor.value(&v);
      for (FunctionProto*& target : proto->callTargets) visitor.object(&target);
      visitor.object(&proto->tenuredClosure);
      for (CompiledCode* code = proto->compiled; code != nullptr; code = code->retired) {
        for (Obj*& o : code->references) visitor.object(&o);
      }
      // Caches hold their shapes and methods strongly: a stale entry can then
      // never match a new object that reuses a dead shape's address.
      for (PropertyCache& cache : proto->propertyCaches) {
        visitor.object(&cache.name);
        for (int i = 0; i < cache.count; i++) {
          visitor.object(&cache.entries[i].shape);
          visitor.object(&cache.entries[i].newShape);
          visitor.object(&cache.entries[i].method);
        }
      }
      break;
    }
    case ObjKind::Closure: {
      auto* closure = static_cast<Closure*>(object);
      visitor.object(&closure->proto);
      for (uint32_t i = 0; i < closure->upvalueCount; i++) visitor.object(&closure->upvalues()[i]);
      break;
    }
    case ObjKind::Upvalue:
      visitor.value(&static_cast<Upvalue*>(object)->closed);
      break;
    case ObjKind::Native:
      visitor.object(&static_cast<Native*>(object)->name);
      break;
    case ObjKind::Class: {
      auto* klass = static_cast<Class*>(object);
      visitor.object(&klass->name);
      visitor.object(&klass->superclass);
      visitor.object(&klass->rootShape);
      visitor.value(&klass->initializer);
      visitTable(klass->methods, visitor);
      break;
    }
    case ObjKind::Instance: {
      auto* instance = static_cast<Instance*>(object);
      visitor.object(&instance->shape);
      uint32_t n = instance->shape->fieldCount;
      for (uint32_t i = 0; i < n; i++) visitor.value(&instance->slot(i));
      break;
    }
    case ObjKind::BoundMethod: {
      auto* bound = static_cast<BoundMethod*>(object);
      visitor.value(&bound->receiver);
      visitor.object(&bound->method);
      break;
    }
    case ObjKind::List: {
      auto* list = static_cast<List*>(object);
      for (uint32_t i = 0; i < list->count; i++) visitor.value(&list->items[i]);
      break;
    }
    case ObjKind::Map:
      visitTable(static_cast<Map*>(object)->table, visitor);
      break;
    case ObjKind::Shape: {
      auto* shape = static_cast<Shape*>(object);
      visitor.object(&shape->parent);
      visitor.object(&shape->key);
      visitor.object(&shape->klass);
      for (auto& [key, child] : shape->transitions) {
        visitor.object(&key);
        visitor.object(&child);
      }
      break;
    }
  }
}

}  // namespace kiln
