// strings: building strings with + and String(), split, join, indexOf, substr,
// replace, upper/lower, trim, startsWith/endsWith, indexing, equality.
const N = 300000;

function main() {
  const words = ["alpha", "beta", "gamma", "delta", "epsilon"];
  let total = 0;
  let buf = "";
  for (let i = 0; i < N; i = i + 1) {
    const w = words[i % 5];
    const num = String(i % 1000);
    const s = w + "-" + num + "," + words[(i + 2) % 5] + ",end";
    const parts = s.split(",");
    total = total + parts.length + parts[1].length;
    const joined = parts.join("/");
    total = total + joined.length;
    const idx = s.indexOf("-");
    total = total + idx + s.indexOf("zz");
    const head = s.substring(0, idx);
    if (head === w) total = total + 1;
    const r = s.replaceAll("end", "stop");
    total = total + r.length;
    if (r.endsWith("stop")) total = total + 1;
    if (s.startsWith(w)) total = total + 1;
    const u = head.toUpperCase();
    if (u.toLowerCase() === w) total = total + 1;
    const padded = "  " + u + " ";
    total = total + padded.trim().length;
    buf = buf + num[num.length - 1];
    if (buf.length >= 64) {
      total = total + buf.length + buf.indexOf("9");
      buf = "";
    }
  }
  console.log(String(total));
  console.log(buf);
}

main();
