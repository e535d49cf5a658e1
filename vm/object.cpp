// Per-kind collector hooks (tracing and destruction) and FunctionProto helpers.
#include "vm/object.h"

#include <cstdlib>

#include "gc/heap.h"
#include "vm/shape.h"

namespace kiln {

uint32_t FunctionProto::addConstant(Value v) {
  // Numbers compare by bits (so 0 and -0 stay distinct constants); strings are
  // interned, so identity finds duplicates too.
  for (size_t i = 0; i < constants.size(); i++) {
    if (constants[i].same(v) && (v.isNumber() || isString(v))) return uint32_t(i);
  }
  constants.push_back(v);
  return uint32_t(constants.size() - 1);
}

uint32_t FunctionProto::addPropertyCache(String* propertyName) {
  PropertyCache cache;
  cache.name = propertyName;
  propertyCaches.push_back(cache);
  return uint32_t(propertyCaches.size() - 1);
}

static void traceTable(const MapTable& table, Tracer& tracer) {
  for (uint32_t i = 0; i < table.entryEnd(); i++) {
    const MapEntry& e = table.entryAt(i);
    if (MapTable::isTombstone(e)) continue;
    tracer.markValue(e.key);
    tracer.markValue(e.value);
  }
}

void traceObject(Obj* object, Tracer& tracer) {
  switch (object->kind) {
    case ObjKind::String:
      break;
    case ObjKind::Proto: {
      auto* proto = static_cast<FunctionProto*>(object);
      tracer.markObject(proto->name);
      for (Value v : proto->constants) tracer.markValue(v);
      // Caches hold their shapes and methods strongly: a stale entry can then
      // never match a new object that reuses a dead shape's address.
      for (const PropertyCache& cache : proto->propertyCaches) {
        tracer.markObject(cache.name);
        for (int i = 0; i < cache.count; i++) {
          tracer.markObject(cache.entries[i].shape);
          tracer.markObject(cache.entries[i].newShape);
          tracer.markObject(cache.entries[i].method);
        }
      }
      break;
    }
    case ObjKind::Closure: {
      auto* closure = static_cast<Closure*>(object);
      tracer.markObject(closure->proto);
      for (uint32_t i = 0; i < closure->upvalueCount; i++) tracer.markObject(closure->upvalues()[i]);
      break;
    }
    case ObjKind::Upvalue:
      tracer.markValue(static_cast<Upvalue*>(object)->closed);
      break;
    case ObjKind::Native:
      tracer.markObject(static_cast<Native*>(object)->name);
      break;
    case ObjKind::Class: {
      auto* klass = static_cast<Class*>(object);
      tracer.markObject(klass->name);
      tracer.markObject(klass->superclass);
      tracer.markObject(klass->rootShape);
      tracer.markValue(klass->initializer);
      traceTable(klass->methods, tracer);
      break;
    }
    case ObjKind::Instance: {
      auto* instance = static_cast<Instance*>(object);
      tracer.markObject(instance->klass);
      tracer.markObject(instance->shape);
      uint32_t n = instance->shape->fieldCount;
      for (uint32_t i = 0; i < n; i++) tracer.markValue(instance->slot(i));
      break;
    }
    case ObjKind::BoundMethod: {
      auto* bound = static_cast<BoundMethod*>(object);
      tracer.markValue(bound->receiver);
      tracer.markObject(bound->method);
      break;
    }
    case ObjKind::List: {
      auto* list = static_cast<List*>(object);
      for (uint32_t i = 0; i < list->count; i++) tracer.markValue(list->items[i]);
      break;
    }
    case ObjKind::Map:
      traceTable(static_cast<Map*>(object)->table, tracer);
      break;
    case ObjKind::Shape: {
      auto* shape = static_cast<Shape*>(object);
      tracer.markObject(shape->parent);
      tracer.markObject(shape->key);
      tracer.markObject(shape->klass);
      for (auto& [key, child] : shape->transitions) {
        tracer.markObject(key);
        tracer.markObject(child);
      }
      break;
    }
  }
}

size_t destroyObject(Obj* object) {
  size_t external = 0;
  switch (object->kind) {
    case ObjKind::Proto:
      static_cast<FunctionProto*>(object)->~FunctionProto();
      break;
    case ObjKind::Class: {
      auto* klass = static_cast<Class*>(object);
      external = klass->methods.externalBytes();
      klass->~Class();
      break;
    }
    case ObjKind::Instance: {
      auto* instance = static_cast<Instance*>(object);
      external = instance->overflowCapacity * sizeof(Value);
      std::free(instance->overflow);
      break;
    }
    case ObjKind::List: {
      auto* list = static_cast<List*>(object);
      external = list->capacity * sizeof(Value);
      std::free(list->items);
      break;
    }
    case ObjKind::Map: {
      auto* map = static_cast<Map*>(object);
      external = map->table.externalBytes();
      map->~Map();
      break;
    }
    case ObjKind::Shape: {
      auto* shape = static_cast<Shape*>(object);
      shape->~Shape();
      break;
    }
    default:
      break;
  }
  return external;
}

}  // namespace kiln
