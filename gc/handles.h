// Handles root objects held by C++ code (natives, the embedding API) across
// allocations. A HandleScope releases every handle made inside it.
//
//   HandleScope scope(vm.heap());
//   Handle<List> list = scope.make(vm.newList());
//   String* s = vm.intern("x");   // may collect: `list` stays valid
//   list->...                     // always re-read through the handle
#pragma once

#include "gc/heap.h"

namespace kiln {

template <class T>
class Handle {
 public:
  Handle(Heap* heap, size_t index) : heap_(heap), index_(index) {}
  T* get() const { return static_cast<T*>(heap_->handles()[index_].asObj()); }
  T* operator->() const { return get(); }
  Value value() const { return heap_->handles()[index_]; }

 private:
  Heap* heap_;
  size_t index_;
};

// A rooted Value of any type.
class ValueHandle {
 public:
  ValueHandle(Heap* heap, size_t index) : heap_(heap), index_(index) {}
  Value get() const { return heap_->handles()[index_]; }
  void set(Value v) { heap_->handles()[index_] = v; }

 private:
  Heap* heap_;
  size_t index_;
};

class HandleScope {
 public:
  explicit HandleScope(Heap& heap) : heap_(heap), mark_(heap.handles().size()) {}
  ~HandleScope() { heap_.handles().resize(mark_); }
  HandleScope(const HandleScope&) = delete;
  HandleScope& operator=(const HandleScope&) = delete;

  template <class T>
  Handle<T> make(T* object) {
    heap_.handles().push_back(Value::object(object));
    return Handle<T>(&heap_, heap_.handles().size() - 1);
  }
  ValueHandle makeValue(Value v) {
    heap_.handles().push_back(v);
    return ValueHandle(&heap_, heap_.handles().size() - 1);
  }

 private:
  Heap& heap_;
  size_t mark_;
};

}  // namespace kiln
