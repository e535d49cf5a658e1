/* fields: objects with many fields (more than fit inline); every step reads
   and writes most of them. Objects are heap-allocated structs. */
#include <stdio.h>
#include <stdlib.h>

#define STEPS 30000
#define COUNT 100

typedef struct {
  double x, y, z, vx, vy, vz, hits, age, energy;
} Particle;

static Particle *particle_new(long i) {
  Particle *p = malloc(sizeof(Particle));
  p->x = i * 7 % 1000;
  p->y = i * 13 % 1000;
  p->z = i * 29 % 1000;
  p->vx = i % 7 + 1;
  p->vy = i % 5 + 2;
  p->vz = i % 3 + 3;
  p->hits = 0;
  p->age = 0;
  p->energy = 0;
  return p;
}

static void step(Particle *p) {
  p->x = p->x + p->vx;
  if (p->x >= 1000) {
    p->x = p->x - 1000;
    p->hits = p->hits + 1;
  }
  p->y = p->y + p->vy;
  if (p->y >= 1000) {
    p->y = p->y - 1000;
    p->hits = p->hits + 1;
  }
  p->z = p->z + p->vz;
  if (p->z >= 1000) {
    p->z = p->z - 1000;
    p->hits = p->hits + 1;
  }
  p->age = p->age + 1;
  p->energy = p->energy + p->vx + p->vy - p->vz;
  double t = p->vx;
  p->vx = p->vy;
  p->vy = p->vz;
  p->vz = t;
}

int main(void) {
  Particle *ps[COUNT];
  for (long i = 0; i < COUNT; i = i + 1) ps[i] = particle_new(i);
  for (long s = 0; s < STEPS; s = s + 1) {
    for (int i = 0; i < COUNT; i = i + 1) step(ps[i]);
  }
  double sum = 0;
  for (int i = 0; i < COUNT; i = i + 1) {
    Particle *p = ps[i];
    sum = sum + p->x + p->y + p->z + p->hits + p->age + p->energy;
  }
  printf("%.0f\n", sum);
  for (int i = 0; i < COUNT; i = i + 1) free(ps[i]);
  return 0;
}
