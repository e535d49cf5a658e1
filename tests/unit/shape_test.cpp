// Unit tests for shapes (vm/shape.h): transitions are shared, lookups find slots,
// fields past the inline slots spill to the overflow array.
#include "vm/shape.h"

#include <gtest/gtest.h>

#include <string>

#include "gc/handles.h"
#include "vm/vm.h"

namespace kiln {
namespace {

TEST(Shape, InstancesBuiltInTheSameOrderShareOneShape) {
  VM vm;
  HandleScope scope(vm.heap());
  Handle<Class> klass = scope.make(vm.newClass(vm.intern("Point")));
  Handle<Instance> a = scope.make(vm.newInstance(klass.get()));
  Handle<Instance> b = scope.make(vm.newInstance(klass.get()));
  EXPECT_EQ(a->shape, b->shape);
  EXPECT_EQ(a->shape, klass->rootShape);
  vm.setField(a.get(), vm.intern("x"), Value::number(1));
  vm.setField(a.get(), vm.intern("y"), Value::number(2));
  vm.setField(b.get(), vm.intern("x"), Value::number(3));
  vm.setField(b.get(), vm.intern("y"), Value::number(4));
  EXPECT_EQ(a->shape, b->shape);
  EXPECT_EQ(a->shape->fieldCount, 2u);
  EXPECT_EQ(a->shape->klass, klass.get());
}

TEST(Shape, DifferentOrderGivesDifferentShapesWithTheRightSlots) {
  VM vm;
  HandleScope scope(vm.heap());
  Handle<Class> klass = scope.make(vm.newClass(vm.intern("P")));
  Handle<Instance> a = scope.make(vm.newInstance(klass.get()));
  Handle<Instance> b = scope.make(vm.newInstance(klass.get()));
  vm.setField(a.get(), vm.intern("x"), Value::number(1));
  vm.setField(a.get(), vm.intern("y"), Value::number(2));
  vm.setField(b.get(), vm.intern("y"), Value::number(20));
  vm.setField(b.get(), vm.intern("x"), Value::number(10));
  EXPECT_NE(a->shape, b->shape);
  EXPECT_EQ(a->shape->find(vm.intern("x")), 0u);
  EXPECT_EQ(b->shape->find(vm.intern("x")), 1u);
  Value v;
  ASSERT_TRUE(vm.getField(b.get(), vm.intern("x"), &v));
  EXPECT_EQ(v.asNumber(), 10);
  EXPECT_FALSE(vm.getField(b.get(), vm.intern("z"), &v));
}

TEST(Shape, OverwritingAFieldKeepsTheShape) {
  VM vm;
  HandleScope scope(vm.heap());
  Handle<Class> klass = scope.make(vm.newClass(vm.intern("P")));
  Handle<Instance> a = scope.make(vm.newInstance(klass.get()));
  vm.setField(a.get(), vm.intern("x"), Value::number(1));
  Shape* before = a->shape;
  vm.setField(a.get(), vm.intern("x"), Value::number(5));
  EXPECT_EQ(a->shape, before);
}

TEST(Shape, ManyFieldsSpillToOverflowAndUseTheLookupTable) {
  VMOptions options;
  options.heap.stress = true;  // every allocation collects: the handles must hold
  VM vm(options);
  HandleScope scope(vm.heap());
  Handle<Class> klass = scope.make(vm.newClass(vm.intern("Big")));
  Handle<Instance> a = scope.make(vm.newInstance(klass.get()));
  constexpr int kFields = 40;
  for (int i = 0; i < kFields; i++) {
    vm.setField(a.get(), vm.intern("f" + std::to_string(i)), Value::number(i * 10));
  }
  EXPECT_EQ(a->shape->fieldCount, uint32_t(kFields));
  EXPECT_GE(a->overflowCapacity, uint32_t(kFields) - kInlineSlots);
  for (int i = 0; i < kFields; i++) {
    Value v;
    ASSERT_TRUE(vm.getField(a.get(), vm.intern("f" + std::to_string(i)), &v)) << i;
    EXPECT_EQ(v.asNumber(), i * 10);
  }
}

TEST(Shape, ChainsShareOneLookupTableButSiblingsDoNot) {
  VM vm;
  HandleScope scope(vm.heap());
  Handle<Class> klass = scope.make(vm.newClass(vm.intern("P")));
  Handle<Instance> a = scope.make(vm.newInstance(klass.get()));
  Handle<Instance> b = scope.make(vm.newInstance(klass.get()));
  for (int i = 0; i < 12; i++) {
    vm.setField(a.get(), vm.intern("f" + std::to_string(i)), Value::number(i));
    vm.setField(b.get(), vm.intern("f" + std::to_string(i)), Value::number(i));
  }
  // Same chain so far. Now they diverge: a gets "x", b gets "y" (a sibling).
  vm.setField(a.get(), vm.intern("x"), Value::number(100));
  vm.setField(b.get(), vm.intern("y"), Value::number(200));
  vm.setField(a.get(), vm.intern("z"), Value::number(300));
  ASSERT_NE(a->shape, b->shape);
  EXPECT_EQ(a->shape->parent->table, a->shape->table);  // shared along the chain
  EXPECT_NE(a->shape->table, b->shape->table);          // not with the sibling
  Value v;
  EXPECT_FALSE(vm.getField(b.get(), vm.intern("x"), &v));
  EXPECT_FALSE(vm.getField(b.get(), vm.intern("z"), &v));
  ASSERT_TRUE(vm.getField(b.get(), vm.intern("y"), &v));
  EXPECT_EQ(v.asNumber(), 200);
  ASSERT_TRUE(vm.getField(a.get(), vm.intern("z"), &v));
  EXPECT_EQ(v.asNumber(), 300);
  // A shape earlier in the chain does not see its descendants' fields.
  EXPECT_EQ(a->shape->parent->find(vm.intern("z")), Shape::kNotFound);
  EXPECT_EQ(a->shape->parent->find(vm.intern("f11")), 11u);
}

}  // namespace
}  // namespace kiln
