/* closures: creating closures (named and lambdas), calling them, upvalues
   that outlive their frame and upvalues shared by two closures.
   C has no closures: a closure is a heap struct {function pointer, pointer to
   a heap-allocated captured cell}; cells shared by two closures are
   reference-counted so they can be freed. */
#include <stdio.h>
#include <stdlib.h>

#define N 1500000

typedef struct Cell {
  long value;
  int refs;
} Cell;

typedef struct Closure {
  long (*fn)(struct Closure *self, long arg);
  Cell *cell;
} Closure;

static Cell *cell_new(long v) {
  Cell *c = malloc(sizeof(Cell));
  c->value = v;
  c->refs = 0;
  return c;
}

static Closure *closure_new(long (*fn)(Closure *, long), Cell *cell) {
  Closure *c = malloc(sizeof(Closure));
  c->fn = fn;
  c->cell = cell;
  cell->refs = cell->refs + 1;
  return c;
}

static void closure_free(Closure *c) {
  c->cell->refs = c->cell->refs - 1;
  if (c->cell->refs == 0) free(c->cell);
  free(c);
}

static long call(Closure *c, long arg) { return c->fn(c, arg); }

static long counter_inc(Closure *self, long unused) {
  (void)unused;
  self->cell->value = self->cell->value + 1;
  return self->cell->value;
}

static Closure *make_counter(void) { return closure_new(counter_inc, cell_new(0)); }

static long adder_fn(Closure *self, long x) { return x + self->cell->value; }

static Closure *make_adder(long n) { return closure_new(adder_fn, cell_new(n)); }

static long deposit_fn(Closure *self, long v) {
  self->cell->value = self->cell->value + v;
  return self->cell->value;
}

static long withdraw_fn(Closure *self, long v) {
  self->cell->value = self->cell->value - v;
  return self->cell->value;
}

static void make_account(long start, Closure **out) {
  Cell *balance = cell_new(start);
  out[0] = closure_new(deposit_fn, balance);
  out[1] = closure_new(withdraw_fn, balance);
}

static long apply(Closure *f, long x) { return call(f, x); }

int main(void) {
  Closure *adders[10];
  for (long i = 0; i < 10; i = i + 1) adders[i] = make_adder(i);
  long total = 0;
  for (long i = 0; i < N; i = i + 1) {
    Closure *c = make_counter();
    call(c, 0);
    call(c, 0);
    total = total + call(c, 0);
    Closure *add = make_adder(i % 10);
    total = total + call(add, i % 7);
    total = total + apply(adders[i % 10], 1);
    Closure *acct[2];
    make_account(i % 100, acct);
    call(acct[0], 5);
    total = total + call(acct[1], 3);
    closure_free(c);
    closure_free(add);
    closure_free(acct[0]);
    closure_free(acct[1]);
  }
  printf("%ld\n", total);
  for (int i = 0; i < 10; i = i + 1) closure_free(adders[i]);
  return 0;
}
