// fields: objects with many fields (more than fit inline); every step reads
// and writes most of them.
const STEPS = 30000;
const COUNT = 100;

class Particle {
  constructor(i) {
    this.x = i * 7 % 1000;
    this.y = i * 13 % 1000;
    this.z = i * 29 % 1000;
    this.vx = i % 7 + 1;
    this.vy = i % 5 + 2;
    this.vz = i % 3 + 3;
    this.hits = 0;
    this.age = 0;
    this.energy = 0;
  }
}

function step(p) {
  p.x = p.x + p.vx;
  if (p.x >= 1000) {
    p.x = p.x - 1000;
    p.hits = p.hits + 1;
  }
  p.y = p.y + p.vy;
  if (p.y >= 1000) {
    p.y = p.y - 1000;
    p.hits = p.hits + 1;
  }
  p.z = p.z + p.vz;
  if (p.z >= 1000) {
    p.z = p.z - 1000;
    p.hits = p.hits + 1;
  }
  p.age = p.age + 1;
  p.energy = p.energy + p.vx + p.vy - p.vz;
  const t = p.vx;
  p.vx = p.vy;
  p.vy = p.vz;
  p.vz = t;
}

function main() {
  const ps = [];
  for (let i = 0; i < COUNT; i = i + 1) ps.push(new Particle(i));
  for (let s = 0; s < STEPS; s = s + 1) {
    for (let i = 0; i < COUNT; i = i + 1) step(ps[i]);
  }
  let sum = 0;
  for (let i = 0; i < COUNT; i = i + 1) {
    const p = ps[i];
    sum = sum + p.x + p.y + p.z + p.hits + p.age + p.energy;
  }
  console.log(String(sum));
}

main();
