/* sieve: list-heavy; the sieve of Eratosthenes over a growable array of
   booleans built by appending, indexed reads and writes, repeated REPS times. */
#include <stdio.h>
#include <stdlib.h>

#define SIZE 1000000
#define REPS 10

typedef struct {
  char *data;
  long len, cap;
} List;

static void push(List *l, char v) {
  if (l->len == l->cap) {
    l->cap = l->cap == 0 ? 8 : l->cap * 2;
    l->data = realloc(l->data, (size_t)l->cap);
  }
  l->data[l->len++] = v;
}

static long sieve(long n) {
  List flags = {NULL, 0, 0};
  for (long i = 0; i <= n; i = i + 1) push(&flags, 1);
  flags.data[0] = 0;
  flags.data[1] = 0;
  for (long i = 2; i * i <= n; i = i + 1) {
    if (flags.data[i]) {
      for (long j = i * i; j <= n; j = j + i) flags.data[j] = 0;
    }
  }
  long count = 0;
  for (long i = 0; i <= n; i = i + 1) {
    if (flags.data[i]) count = count + 1;
  }
  free(flags.data);
  return count;
}

int main(void) {
  long total = 0;
  long count = 0;
  for (long r = 0; r < REPS; r = r + 1) {
    count = sieve(SIZE - r * 10007);
    total = total + count;
  }
  printf("%ld\n%ld\n", count, total);
  return 0;
}
