// Unit tests for inline caches and type feedback (vm/inline_cache.h, the
// interpreter): cache states move empty -> monomorphic -> polymorphic ->
// megamorphic as receivers of new shapes arrive; invoke caches the method;
// setters cache shape transitions; slow paths record operand types.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "frontend/frontend.h"
#include "vm/opcodes.h"
#include "vm/vm.h"

namespace kiln {
namespace {

class InlineCacheTest : public ::testing::Test {
 protected:
  InlineCacheTest() : vm_(options()) { vm_.setOutput(devNull_); }
  ~InlineCacheTest() override { std::fclose(devNull_); }

  static VMOptions options() {
    VMOptions o;
    o.stats = true;
    return o;
  }

  // Compiles and runs `source`; the script stays rooted for inspection.
  FunctionProto* run(const std::string& source) {
    Diagnostics diagnostics;
    FunctionProto* script = compileSource(vm_, source, diagnostics);
    EXPECT_FALSE(diagnostics.hadError());
    if (script == nullptr) return nullptr;
    vm_.compilerRoots().push_back(script);
    EXPECT_EQ(vm_.run(script), InterpretResult::Ok);
    return script;
  }

  // The nested function named `name` in the script's constants.
  static FunctionProto* function(FunctionProto* script, const std::string& name) {
    for (Value v : script->constants) {
      if (isKind(v, ObjKind::Proto)) {
        auto* proto = as<FunctionProto>(v);
        if (proto->name != nullptr && proto->name->view() == name) return proto;
      }
    }
    return nullptr;
  }

  // The cache of the first instruction with opcode `op` in `proto`.
  static const PropertyCache* cacheOf(FunctionProto* proto, Opcode op) {
    for (size_t pc = 0; pc < proto->code.size(); pc++) {
      Opcode current = opOf(proto->code[pc]);
      if (current == op) return &proto->propertyCaches[proto->code[pc + 1]];
      if (kOpcodeInfo[int(current)].hasExt) pc++;
    }
    return nullptr;
  }

  std::FILE* devNull_ = std::fopen("/dev/null", "w");
  VM vm_;
};

constexpr const char* kClasses = R"(
class A { init() { this.x = 1; } m() { return 1; } }
class B { init() { this.x = 2; } m() { return 2; } }
class C { init() { this.x = 3; } m() { return 3; } }
class D { init() { this.x = 4; } m() { return 4; } }
class E { init() { this.x = 5; } m() { return 5; } }
fun get(o) { return o.x; }
fun call(o) { return o.m(); }
)";

TEST_F(InlineCacheTest, OneReceiverShapeIsMonomorphic) {
  FunctionProto* script =
      run(std::string(kClasses) + "for (var i = 0; i < 10; i = i + 1) { get(A()); call(A()); }");
  const PropertyCache* get = cacheOf(function(script, "get"), Opcode::GetProp);
  ASSERT_NE(get, nullptr);
  EXPECT_EQ(get->state, CacheState::Monomorphic);
  EXPECT_EQ(get->count, 1);
  EXPECT_EQ(get->entries[0].method, nullptr);  // a field
  const PropertyCache* invoke = cacheOf(function(script, "call"), Opcode::Invoke);
  ASSERT_NE(invoke, nullptr);
  EXPECT_EQ(invoke->state, CacheState::Monomorphic);
  EXPECT_NE(invoke->entries[0].method, nullptr);  // the method itself: no bound method
  EXPECT_EQ(vm_.stats().getProperty.misses, 1u);
  EXPECT_EQ(vm_.stats().getProperty.hits, 9u);
  EXPECT_EQ(vm_.stats().invoke.misses, 1u);
  EXPECT_EQ(vm_.stats().invoke.hits, 9u);
}

TEST_F(InlineCacheTest, UpToFourShapesArePolymorphic) {
  FunctionProto* script = run(std::string(kClasses) +
                              "var os = [A(), B(), C(), D()];"
                              "for (var o in os) { get(o); call(o); get(o); }");
  const PropertyCache* get = cacheOf(function(script, "get"), Opcode::GetProp);
  EXPECT_EQ(get->state, CacheState::Polymorphic);
  EXPECT_EQ(get->count, 4);
  const PropertyCache* invoke = cacheOf(function(script, "call"), Opcode::Invoke);
  EXPECT_EQ(invoke->state, CacheState::Polymorphic);
  EXPECT_EQ(vm_.stats().getProperty.hits, 4u);  // the second get(o) of each hits
}

TEST_F(InlineCacheTest, AFifthShapeMakesTheSiteMegamorphic) {
  FunctionProto* script = run(std::string(kClasses) +
                              "var os = [A(), B(), C(), D(), E()];"
                              "var sum = 0;"
                              "for (var o in os) { sum = sum + get(o) + call(o); }"
                              "for (var o in os) { sum = sum + get(o) + call(o); }"
                              "print sum;");
  const PropertyCache* get = cacheOf(function(script, "get"), Opcode::GetProp);
  EXPECT_EQ(get->state, CacheState::Megamorphic);
  EXPECT_EQ(get->count, 0);
  const PropertyCache* invoke = cacheOf(function(script, "call"), Opcode::Invoke);
  EXPECT_EQ(invoke->state, CacheState::Megamorphic);
  // Megamorphic sites still compute the right results (checked via a global).
  Value sum = vm_.global(vm_.globalIndex(vm_.intern("sum"))).value;
  EXPECT_EQ(sum.asNumber(), 60);
}

TEST_F(InlineCacheTest, SetterCachesTheShapeTransition) {
  FunctionProto* script =
      run("class P {} fun make() { var p = P(); p.x = 1; p.y = 2; return p; }"
          "for (var i = 0; i < 5; i = i + 1) make();");
  FunctionProto* make = function(script, "make");
  const PropertyCache* setX = cacheOf(make, Opcode::SetProp);
  ASSERT_NE(setX, nullptr);
  EXPECT_EQ(setX->state, CacheState::Monomorphic);
  ASSERT_NE(setX->entries[0].newShape, nullptr);  // adds the field: a transition
  EXPECT_EQ(setX->entries[0].newShape->parent, setX->entries[0].shape);
  EXPECT_EQ(setX->entries[0].slot, 0u);
  EXPECT_EQ(vm_.stats().setProperty.misses, 2u);  // x and y, once each
  EXPECT_EQ(vm_.stats().setProperty.hits, 8u);
}

TEST_F(InlineCacheTest, AFieldShadowingAMethodChangesTheShapeSoTheCacheMisses) {
  FunctionProto* script =
      run("class K { m() { return \"method\"; } }"
          "fun call(o) { return o.m(); }"
          "var k = K(); var r1 = call(k);"
          "k.m = fun () { return \"field\"; };"
          "var r2 = call(k);");
  (void)script;
  Value r1 = vm_.global(vm_.globalIndex(vm_.intern("r1"))).value;
  Value r2 = vm_.global(vm_.globalIndex(vm_.intern("r2"))).value;
  EXPECT_EQ(as<String>(r1)->view(), "method");
  EXPECT_EQ(as<String>(r2)->view(), "field");
}

TEST_F(InlineCacheTest, ArithmeticFeedbackRecordsNonNumbersOnlyInSlowPaths) {
  FunctionProto* script =
      run("fun add(a, b) { return a + b; }"
          "add(1, 2); add(3, 4);");
  FunctionProto* add = function(script, "add");
  size_t addPc = 0;
  for (size_t pc = 0; pc < add->code.size(); pc++) {
    if (opOf(add->code[pc]) == Opcode::Add) addPc = pc;
  }
  EXPECT_EQ(add->feedback[addPc], 0);  // numbers only: nothing recorded
  run("add(\"a\", \"b\");");
  EXPECT_TRUE(add->feedback[addPc] & kFeedbackNonNumber);
  EXPECT_TRUE(add->feedback[addPc] & kFeedbackString);
}

TEST_F(InlineCacheTest, GlobalAccessesAreCountedAsHits) {
  run("var g = 1; fun f() { return g + g; } f();");
  EXPECT_GE(vm_.stats().global.hits, 3u);
  EXPECT_EQ(vm_.stats().global.misses, 0u);
}

}  // namespace
}  // namespace kiln
