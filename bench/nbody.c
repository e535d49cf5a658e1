/* nbody: floating-point physics (Jovian planets, symplectic integrator);
   field reads/writes on a few objects and sqrt. */
#include <math.h>
#include <stdio.h>

#define STEPS 500000

#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24
#define NBODIES 5

typedef struct {
  double x, y, z, vx, vy, vz, mass;
} Body;

static Body body(double x, double y, double z, double vx, double vy, double vz, double mass) {
  Body b = {x, y, z, vx * DAYS_PER_YEAR, vy * DAYS_PER_YEAR, vz * DAYS_PER_YEAR, mass * SOLAR_MASS};
  return b;
}

static void offset_momentum(Body *bodies, int n) {
  double px = 0, py = 0, pz = 0;
  for (int i = 0; i < n; i = i + 1) {
    Body *b = &bodies[i];
    px = px + b->vx * b->mass;
    py = py + b->vy * b->mass;
    pz = pz + b->vz * b->mass;
  }
  bodies[0].vx = -px / SOLAR_MASS;
  bodies[0].vy = -py / SOLAR_MASS;
  bodies[0].vz = -pz / SOLAR_MASS;
}

static double energy(Body *bodies, int n) {
  double e = 0;
  for (int i = 0; i < n; i = i + 1) {
    Body *b = &bodies[i];
    e = e + 0.5 * b->mass * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
    for (int j = i + 1; j < n; j = j + 1) {
      Body *b2 = &bodies[j];
      double dx = b->x - b2->x;
      double dy = b->y - b2->y;
      double dz = b->z - b2->z;
      e = e - (b->mass * b2->mass) / sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

static void advance(Body *bodies, int n, double dt) {
  for (int i = 0; i < n; i = i + 1) {
    Body *b = &bodies[i];
    for (int j = i + 1; j < n; j = j + 1) {
      Body *b2 = &bodies[j];
      double dx = b->x - b2->x;
      double dy = b->y - b2->y;
      double dz = b->z - b2->z;
      double d2 = dx * dx + dy * dy + dz * dz;
      double mag = dt / (d2 * sqrt(d2));
      double bm = b->mass * mag;
      double b2m = b2->mass * mag;
      b->vx = b->vx - dx * b2m;
      b->vy = b->vy - dy * b2m;
      b->vz = b->vz - dz * b2m;
      b2->vx = b2->vx + dx * bm;
      b2->vy = b2->vy + dy * bm;
      b2->vz = b2->vz + dz * bm;
    }
  }
  for (int i = 0; i < n; i = i + 1) {
    Body *b = &bodies[i];
    b->x = b->x + dt * b->vx;
    b->y = b->y + dt * b->vy;
    b->z = b->z + dt * b->vz;
  }
}

int main(void) {
  Body bodies[NBODIES] = {
      body(0, 0, 0, 0, 0, 0, 1),
      body(4.84143144246472090, -1.16032004402742839, -0.103622044471123109,
           0.00166007664274403694, 0.00769901118419740425, -0.0000690460016972063023,
           0.000954791938424326609),
      body(8.34336671824457987, 4.12479856412430479, -0.403523417114321381,
           -0.00276742510726862411, 0.00499852801234917238, 0.0000230417297573763929,
           0.000285885980666130812),
      body(12.8943695621391310, -15.1111514016986312, -0.223307578892655734,
           0.00296460137564761618, 0.00237847173959480950, -0.0000296589568540237556,
           0.0000436624404335156298),
      body(15.3796971148509165, -25.9193146099879641, 0.179258772950371181,
           0.00268067772490389322, 0.00162824170038242295, -0.0000951592254519715870,
           0.0000515138902046611451)};
  offset_momentum(bodies, NBODIES);
  printf("%.0f\n", floor(energy(bodies, NBODIES) * 1000000000));
  for (long i = 0; i < STEPS; i = i + 1) advance(bodies, NBODIES, 0.01);
  printf("%.0f\n", floor(energy(bodies, NBODIES) * 1000000000));
  return 0;
}
