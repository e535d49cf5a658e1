// Unit tests for shapes (vm/shape.h): transitions are shared, lookups find slots,
// fields past the inline slots spill to the overflow array; instances get as
// many inline slots as their class body assigns `this` fields.
#include "vm/shape.h"

#include <gtest/gtest.h>

#include <string>

#include "frontend/frontend.h"
#include "gc/handles.h"
#include "vm/object_visit.h"
#include "vm/vm.h"

namespace kiln {
namespace {

// Interns the name before reading the handle: as one call's arguments, the
// order is unspecified, and an allocation (interning may collect) after
// h.get() would leave a stale pointer to an object the collector moved.
void setNamed(VM& vm, Handle<Instance>& h, const std::string& field, Value value) {
  String* name = vm.intern(field);
  vm.setField(h.get(), name, value);
}
bool getNamed(VM& vm, Handle<Instance>& h, const std::string& field, Value* out) {
  String* name = vm.intern(field);
  return vm.getField(h.get(), name, out);
}

TEST(Shape, InstancesBuiltInTheSameOrderShareOneShape) {
  VM vm;
  HandleScope scope(vm.heap());
  Handle<Class> klass = scope.make(vm.newClass(vm.intern("Point")));
  Handle<Instance> a = scope.make(vm.newInstance(klass.get()));
  Handle<Instance> b = scope.make(vm.newInstance(klass.get()));
  EXPECT_EQ(a->shape, b->shape);
  EXPECT_EQ(a->shape, klass->rootShape);
  setNamed(vm, a, "x", Value::number(1));
  setNamed(vm, a, "y", Value::number(2));
  setNamed(vm, b, "x", Value::number(3));
  setNamed(vm, b, "y", Value::number(4));
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
  setNamed(vm, a, "x", Value::number(1));
  setNamed(vm, a, "y", Value::number(2));
  setNamed(vm, b, "y", Value::number(20));
  setNamed(vm, b, "x", Value::number(10));
  EXPECT_NE(a->shape, b->shape);
  EXPECT_EQ(a->shape->find(vm.intern("x")), 0u);
  EXPECT_EQ(b->shape->find(vm.intern("x")), 1u);
  Value v;
  ASSERT_TRUE(getNamed(vm, b, "x", &v));
  EXPECT_EQ(v.asNumber(), 10);
  EXPECT_FALSE(getNamed(vm, b, "z", &v));
}

TEST(Shape, OverwritingAFieldKeepsTheShape) {
  VM vm;
  HandleScope scope(vm.heap());
  Handle<Class> klass = scope.make(vm.newClass(vm.intern("P")));
  Handle<Instance> a = scope.make(vm.newInstance(klass.get()));
  setNamed(vm, a, "x", Value::number(1));
  Shape* before = a->shape;
  setNamed(vm, a, "x", Value::number(5));
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
    setNamed(vm, a, "f" + std::to_string(i), Value::number(i * 10));
  }
  EXPECT_EQ(a->shape->fieldCount, uint32_t(kFields));
  EXPECT_EQ(a->inlineCount(), kDefaultInlineSlots);
  EXPECT_GE(a->overflowCapacity(), uint32_t(kFields) - kDefaultInlineSlots);
  for (int i = 0; i < kFields; i++) {
    Value v;
    ASSERT_TRUE(getNamed(vm, a, "f" + std::to_string(i), &v)) << i;
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
    setNamed(vm, a, "f" + std::to_string(i), Value::number(i));
    setNamed(vm, b, "f" + std::to_string(i), Value::number(i));
  }
  // Same chain so far. Now they diverge: a gets "x", b gets "y" (a sibling).
  setNamed(vm, a, "x", Value::number(100));
  setNamed(vm, b, "y", Value::number(200));
  setNamed(vm, a, "z", Value::number(300));
  ASSERT_NE(a->shape, b->shape);
  EXPECT_EQ(a->shape->parent->table, a->shape->table);  // shared along the chain
  EXPECT_NE(a->shape->table, b->shape->table);          // not with the sibling
  Value v;
  EXPECT_FALSE(getNamed(vm, b, "x", &v));
  EXPECT_FALSE(getNamed(vm, b, "z", &v));
  ASSERT_TRUE(getNamed(vm, b, "y", &v));
  EXPECT_EQ(v.asNumber(), 200);
  ASSERT_TRUE(getNamed(vm, a, "z", &v));
  EXPECT_EQ(v.asNumber(), 300);
  // A shape earlier in the chain does not see its descendants' fields.
  EXPECT_EQ(a->shape->parent->find(vm.intern("z")), Shape::kNotFound);
  EXPECT_EQ(a->shape->parent->find(vm.intern("f11")), 11u);
}

// Compiles and runs `source`, then returns the instance in global `name`.
static Instance* runAndGet(VM& vm, const std::string& source, const char* name) {
  Diagnostics diagnostics;
  FunctionProto* script = compileSource(vm, source, diagnostics);
  EXPECT_FALSE(diagnostics.hadError());
  if (script == nullptr) return nullptr;
  vm.compilerRoots().push_back(script);
  EXPECT_EQ(vm.run(script), InterpretResult::Ok);
  Value v = vm.global(vm.globalIndex(vm.intern(name))).value;
  EXPECT_TRUE(isInstance(v));
  return isInstance(v) ? as<Instance>(v) : nullptr;
}

TEST(InlineSlots, ClassBodySizesItsInstances) {
  VM vm;
  // Two distinct fields (x is assigned twice, in init and in a method).
  Instance* p = runAndGet(vm,
                          "class P { init(x, y) { this.x = x; this.y = y; } move() { this.x = this.x + 1; } }"
                          "var p = P(1, 2); p.move();",
                          "p");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->inlineCount(), 2u);
  EXPECT_EQ(objectSize(p), sizeof(Instance) + 2 * sizeof(Value));
  EXPECT_EQ(objectSize(p), 48u);
  EXPECT_EQ(p->overflow, nullptr);
  Value x;
  ASSERT_TRUE(vm.getField(p, vm.intern("x"), &x));
  EXPECT_EQ(x.asNumber(), 2);
}

TEST(InlineSlots, FieldsAddedOutsideTheClassSpillToOverflow) {
  VM vm;
  Instance* p = runAndGet(vm,
                          "class P { init() { this.a = 1; } }"
                          "var p = P(); p.b = 2; p.c = 3;",
                          "p");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->inlineCount(), 1u);
  EXPECT_EQ(p->shape->fieldCount, 3u);
  ASSERT_NE(p->overflow, nullptr);
  EXPECT_EQ(p->overflowCapacity(), 4u);  // the smallest overflow array
  Value c;
  ASSERT_TRUE(vm.getField(p, vm.intern("c"), &c));
  EXPECT_EQ(c.asNumber(), 3);
}

TEST(InlineSlots, ClassWithoutThisFieldsGetsTheDefault) {
  VM vm;
  Instance* p = runAndGet(vm, "class Bag {} var p = Bag(); p.x = 1;", "p");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->inlineCount(), kDefaultInlineSlots);
}

TEST(InlineSlots, SubclassAddsItsFieldsToTheSuperclasses) {
  VM vm;
  Instance* c = runAndGet(vm,
                          "class A { init() { this.a = 1; this.b = 2; } }"
                          "class B < A { init() { super.init(); this.c = 3; } }"
                          "class C < B {}"  // no own fields: the superclass's count
                          "var c = C();",
                          "c");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->inlineCount(), 3u);
  EXPECT_EQ(c->overflow, nullptr);
}

TEST(InlineSlots, NestedClassesCountTheirOwnThis) {
  VM vm;
  Instance* inner = runAndGet(vm,
                              "class Outer { make() {"
                              "  class Inner { init() { this.i = 1; } }"
                              "  this.o1 = 1; this.o2 = 2; this.o3 = 3;"
                              "  return Inner(); } }"
                              "var inner = Outer().make();",
                              "inner");
  ASSERT_NE(inner, nullptr);
  EXPECT_EQ(inner->inlineCount(), 1u);
}

TEST(InlineSlots, AtMost32InlineTheRestInOverflow) {
  std::string body;
  for (int i = 0; i < 40; i++) body += "this.f" + std::to_string(i) + " = " + std::to_string(i) + ";";
  VMOptions options;
  options.heap.stress = true;  // moves the instance around while fields are added
  VM vm(options);
  Instance* w = runAndGet(vm, "class W { init() { " + body + " } } var w = W();", "w");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->inlineCount(), kMaxInlineSlots);
  EXPECT_EQ(w->shape->fieldCount, 40u);
  for (int i = 0; i < 40; i++) {
    Value v;
    ASSERT_TRUE(vm.getField(w, vm.intern("f" + std::to_string(i)), &v)) << i;
    EXPECT_EQ(v.asNumber(), i);
  }
}

}  // namespace
}  // namespace kiln
