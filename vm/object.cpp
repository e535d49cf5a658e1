// Per-kind collector hooks (tracing and destruction) and FunctionProto helpers.
#include "vm/object.h"

#include <cstdlib>

#include "gc/heap.h"
#include "vm/object_visit.h"
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

uint32_t FunctionProto::addCallSite() {
  // The C operand is 8 bits: sites past the 255th share the last slot (which
  // then usually reads as polymorphic).
  if (callTargets.size() < kMaxCallSites) callTargets.push_back(nullptr);
  return uint32_t(callTargets.size() - 1);
}

namespace {

// Adapts the marking Tracer to visitReferences().
struct MarkingVisitor {
  Tracer& tracer;
  void value(Value* slot) { tracer.markValue(*slot); }
  template <class T>
  void object(T** slot) {
    tracer.markObject(*slot);
  }
};

}  // namespace

void traceObject(Obj* object, Tracer& tracer) {
  MarkingVisitor visitor{tracer};
  visitReferences(object, visitor);
}

size_t destroyObject(Obj* object) {
  size_t external = 0;
  switch (object->kind) {
    case ObjKind::Proto:
      delete static_cast<FunctionProto*>(object)->compiled;
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
      external = instance->overflowCapacity() * sizeof(Value);
      std::free(instance->overflow);
      break;
    }
    case ObjKind::List: {
      auto* list = static_cast<List*>(object);
      if (!list->itemsInline()) {
        external = list->capacity * sizeof(Value);
        std::free(list->items);
      }
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
