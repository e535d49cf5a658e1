/* loop: a tight numeric loop (arithmetic, floored modulo, comparison). */
#include <stdio.h>

#define N 20000000

int main(void) {
  long long sum = 0;
  long long x = 0;
  for (long long i = 0; i < N; i = i + 1) {
    x = (x * 31 + i) % 1000003;
    if (x > 500000) {
      sum = sum + x % 1000;
    } else {
      sum = sum - x % 100;
    }
  }
  printf("%lld\n%lld\n", sum, x);
  return 0;
}
