// nbody: floating-point physics (Jovian planets, symplectic integrator);
// field reads/writes on a few objects and Math.sqrt.
const STEPS = 500000;

const PI = 3.141592653589793;
const SOLAR_MASS = 4 * PI * PI;
const DAYS_PER_YEAR = 365.24;

class Body {
  constructor(x, y, z, vx, vy, vz, mass) {
    this.x = x;
    this.y = y;
    this.z = z;
    this.vx = vx * DAYS_PER_YEAR;
    this.vy = vy * DAYS_PER_YEAR;
    this.vz = vz * DAYS_PER_YEAR;
    this.mass = mass * SOLAR_MASS;
  }
}

function makeBodies() {
  const sun = new Body(0, 0, 0, 0, 0, 0, 1);
  const jupiter = new Body(4.84143144246472090, -1.16032004402742839, -0.103622044471123109,
                           0.00166007664274403694, 0.00769901118419740425, -0.0000690460016972063023,
                           0.000954791938424326609);
  const saturn = new Body(8.34336671824457987, 4.12479856412430479, -0.403523417114321381,
                          -0.00276742510726862411, 0.00499852801234917238, 0.0000230417297573763929,
                          0.000285885980666130812);
  const uranus = new Body(12.8943695621391310, -15.1111514016986312, -0.223307578892655734,
                          0.00296460137564761618, 0.00237847173959480950, -0.0000296589568540237556,
                          0.0000436624404335156298);
  const neptune = new Body(15.3796971148509165, -25.9193146099879641, 0.179258772950371181,
                           0.00268067772490389322, 0.00162824170038242295, -0.0000951592254519715870,
                           0.0000515138902046611451);
  return [sun, jupiter, saturn, uranus, neptune];
}

function offsetMomentum(bodies) {
  let px = 0;
  let py = 0;
  let pz = 0;
  for (let i = 0; i < bodies.length; i = i + 1) {
    const b = bodies[i];
    px = px + b.vx * b.mass;
    py = py + b.vy * b.mass;
    pz = pz + b.vz * b.mass;
  }
  const sun = bodies[0];
  sun.vx = -px / SOLAR_MASS;
  sun.vy = -py / SOLAR_MASS;
  sun.vz = -pz / SOLAR_MASS;
}

function energy(bodies) {
  let e = 0;
  const n = bodies.length;
  for (let i = 0; i < n; i = i + 1) {
    const b = bodies[i];
    e = e + 0.5 * b.mass * (b.vx * b.vx + b.vy * b.vy + b.vz * b.vz);
    for (let j = i + 1; j < n; j = j + 1) {
      const b2 = bodies[j];
      const dx = b.x - b2.x;
      const dy = b.y - b2.y;
      const dz = b.z - b2.z;
      e = e - (b.mass * b2.mass) / Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

function advance(bodies, dt) {
  const n = bodies.length;
  for (let i = 0; i < n; i = i + 1) {
    const b = bodies[i];
    for (let j = i + 1; j < n; j = j + 1) {
      const b2 = bodies[j];
      const dx = b.x - b2.x;
      const dy = b.y - b2.y;
      const dz = b.z - b2.z;
      const d2 = dx * dx + dy * dy + dz * dz;
      const mag = dt / (d2 * Math.sqrt(d2));
      const bm = b.mass * mag;
      const b2m = b2.mass * mag;
      b.vx = b.vx - dx * b2m;
      b.vy = b.vy - dy * b2m;
      b.vz = b.vz - dz * b2m;
      b2.vx = b2.vx + dx * bm;
      b2.vy = b2.vy + dy * bm;
      b2.vz = b2.vz + dz * bm;
    }
  }
  for (let i = 0; i < n; i = i + 1) {
    const b = bodies[i];
    b.x = b.x + dt * b.vx;
    b.y = b.y + dt * b.vy;
    b.z = b.z + dt * b.vz;
  }
}

function main() {
  const bodies = makeBodies();
  offsetMomentum(bodies);
  console.log(String(Math.floor(energy(bodies) * 1000000000)));
  for (let i = 0; i < STEPS; i = i + 1) advance(bodies, 0.01);
  console.log(String(Math.floor(energy(bodies) * 1000000000)));
}

main();
