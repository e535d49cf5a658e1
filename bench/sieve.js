// sieve: list-heavy; the sieve of Eratosthenes over a list of booleans built
// with push, indexed reads and writes, repeated REPS times.
const SIZE = 1000000;
const REPS = 10;

function sieve(n) {
  const flags = [];
  for (let i = 0; i <= n; i = i + 1) flags.push(true);
  flags[0] = false;
  flags[1] = false;
  for (let i = 2; i * i <= n; i = i + 1) {
    if (flags[i]) {
      for (let j = i * i; j <= n; j = j + i) flags[j] = false;
    }
  }
  let count = 0;
  for (let i = 0; i <= n; i = i + 1) {
    if (flags[i]) count = count + 1;
  }
  return count;
}

function main() {
  let total = 0;
  let count = 0;
  for (let r = 0; r < REPS; r = r + 1) {
    count = sieve(SIZE - r * 10007);
    total = total + count;
  }
  console.log(String(count));
  console.log(String(total));
}

main();
