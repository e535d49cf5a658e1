// map_heavy: map inserts, updates, lookups (hits and misses), has() and
// removals, with string keys built at run time and sparse number keys.
const N = 1000000;
const SK = 5003;
const NK = 20011;

function main() {
  const m = new Map();
  const nm = new Map();
  let total = 0;
  for (let i = 0; i < N; i = i + 1) {
    const k = "key" + String(i % SK);
    const v = m.get(k);
    if (v === undefined) {
      m.set(k, 1);
    } else {
      m.set(k, v + 1);
    }
    nm.set((i % NK) * 97, i);
    if (i % 3 === 0) {
      const rk = "key" + String((i * 13) % SK);
      if (m.has(rk)) {
        total = total + m.get(rk);
        m.delete(rk);
      }
    }
    if (i % 5 === 0) {
      const rn = ((i * 11) % NK) * 97;
      if (nm.has(rn)) {
        total = total + nm.get(rn) % 1000;
        nm.delete(rn);
      }
    }
    if (nm.get(((i * 3) % NK) * 97) !== undefined) total = total + 1;
  }
  const keys = Array.from(m.keys());
  let sum = 0;
  for (const key of keys) sum = sum + m.get(key);
  const nkeys = Array.from(nm.keys());
  let nsum = 0;
  for (const key of nkeys) nsum = nsum + nm.get(key) % 1000 + key;
  console.log(String(total));
  console.log(String(keys.length));
  console.log(String(sum));
  console.log(String(nkeys.length));
  console.log(String(nsum));
}

main();
