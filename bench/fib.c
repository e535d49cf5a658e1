/* fib: recursive calls and integer-valued arithmetic. */
#include <stdio.h>

#define N 35

static long fib(long n) {
  if (n < 2) return n;
  return fib(n - 1) + fib(n - 2);
}

int main(void) {
  printf("%ld\n", fib(N));
  return 0;
}
