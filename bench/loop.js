// loop: a tight numeric loop (arithmetic, floored modulo, comparison).
const N = 20000000;

function main() {
  let sum = 0;
  let x = 0;
  for (let i = 0; i < N; i = i + 1) {
    x = (x * 31 + i) % 1000003;
    if (x > 500000) {
      sum = sum + x % 1000;
    } else {
      sum = sum - x % 100;
    }
  }
  console.log(String(sum));
  console.log(String(x));
}

main();
