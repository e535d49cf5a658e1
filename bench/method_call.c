/* method_call: method calls on polymorphic receivers (4 classes at one call
   site), inherited methods, and a super call. Classes are modelled as structs
   with a pointer to a vtable of function pointers. */
#include <stdio.h>

#define N 2000000

typedef struct Shape Shape;
typedef struct {
  long (*value)(Shape *self, long k);
} VTable;

struct Shape {
  const VTable *vt;
  long a, b;
};

static long shape_weight(Shape *self) { return self->a + self->b; }

static long square_value(Shape *self, long k) { return self->a * k + 1; }
static long rect_value(Shape *self, long k) { return self->a * self->b - k; }
static long tri_value(Shape *self, long k) { return shape_weight(self) + k; }
static long bigsquare_value(Shape *self, long k) { return square_value(self, k) + 2; }

static const VTable SquareVT = {square_value};
static const VTable RectVT = {rect_value};
static const VTable TriVT = {tri_value};
static const VTable BigSquareVT = {bigsquare_value};

int main(void) {
  Shape shapes[8] = {
      {&SquareVT, 3, 0}, {&RectVT, 2, 5}, {&TriVT, 4, 6}, {&BigSquareVT, 7, 0},
      {&SquareVT, 5, 1}, {&RectVT, 1, 1}, {&TriVT, 3, 3}, {&BigSquareVT, 1, 2}};
  /* Keep the compiler from resolving the calls statically. */
  Shape *volatile table = shapes;
  Shape *s = table;
  int n = 8;
  long total = 0;
  for (long i = 0; i < N; i = i + 1) {
    long k = i % 10;
    for (int j = 0; j < n; j = j + 1) {
      total = total + s[j].vt->value(&s[j], k);
    }
  }
  printf("%ld\n", total);
  return 0;
}
