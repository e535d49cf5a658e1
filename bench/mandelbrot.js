// mandelbrot: floating-point inner loop; counts the points of a SIZE x SIZE
// grid that stay bounded for ITER iterations and sums the escape counts.
const SIZE = 1000;
const ITER = 100;

function main() {
  let inside = 0;
  let total = 0;
  for (let y = 0; y < SIZE; y = y + 1) {
    const ci = 2.0 * y / SIZE - 1.0;
    for (let x = 0; x < SIZE; x = x + 1) {
      const cr = 2.0 * x / SIZE - 1.5;
      let zr = 0.0;
      let zi = 0.0;
      let zr2 = 0.0;
      let zi2 = 0.0;
      let i = 0;
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
  console.log(String(inside));
  console.log(String(total));
}

main();
