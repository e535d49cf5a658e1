/* mandelbrot: floating-point inner loop; counts the points of a SIZE x SIZE
   grid that stay bounded for ITER iterations and sums the escape counts. */
#include <stdio.h>

#define SIZE 1000
#define ITER 100

int main(void) {
  long inside = 0;
  long total = 0;
  for (int y = 0; y < SIZE; y = y + 1) {
    double ci = 2.0 * y / SIZE - 1.0;
    for (int x = 0; x < SIZE; x = x + 1) {
      double cr = 2.0 * x / SIZE - 1.5;
      double zr = 0.0, zi = 0.0, zr2 = 0.0, zi2 = 0.0;
      int i = 0;
      while (i < ITER && zr2 + zi2 <= 4.0) {
        zi = 2.0 * zr * zi + ci;
        zr = zr2 - zi2 + cr;
        zr2 = zr * zr;
        zi2 = zi * zi;
        i = i + 1;
      }
      if (zr2 + zi2 <= 4.0) inside = inside + 1;
      total = total + i;
    }
  }
  printf("%ld\n%ld\n", inside, total);
  return 0;
}
