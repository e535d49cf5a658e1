/* map_heavy: map inserts, updates, lookups (hits and misses), has() and
   removals, with string keys built at run time and sparse number keys.
   C has no map: two small chained hash tables (string keys with FNV-1a,
   double keys hashed by their bits), doubling when the load exceeds 3/4. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 1000000
#define SK 5003
#define NK 20011

typedef struct Entry {
  struct Entry *next;
  char *skey; /* string key, or NULL for a number key */
  double nkey;
  uint64_t hash;
  double value;
} Entry;

typedef struct {
  Entry **buckets;
  size_t cap, count;
} Map;

static uint64_t hash_str(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 1099511628211ULL;
  }
  return h;
}

static uint64_t hash_num(double d) {
  uint64_t b;
  memcpy(&b, &d, sizeof b);
  b ^= b >> 33;
  b *= 0xff51afd7ed558ccdULL;
  b ^= b >> 33;
  return b;
}

static void map_init(Map *m) {
  m->cap = 8;
  m->count = 0;
  m->buckets = calloc(m->cap, sizeof(Entry *));
}

static void map_grow(Map *m) {
  size_t ncap = m->cap * 2;
  Entry **nb = calloc(ncap, sizeof(Entry *));
  for (size_t i = 0; i < m->cap; i++) {
    Entry *e = m->buckets[i];
    while (e) {
      Entry *next = e->next;
      size_t idx = e->hash & (ncap - 1);
      e->next = nb[idx];
      nb[idx] = e;
      e = next;
    }
  }
  free(m->buckets);
  m->buckets = nb;
  m->cap = ncap;
}

/* Finds the link that points at the entry for the key (or at NULL). */
static Entry **map_slot(Map *m, const char *skey, double nkey, uint64_t h) {
  Entry **p = &m->buckets[h & (m->cap - 1)];
  while (*p) {
    Entry *e = *p;
    if (e->hash == h && (skey ? (e->skey && strcmp(e->skey, skey) == 0) : (!e->skey && e->nkey == nkey)))
      return p;
    p = &e->next;
  }
  return p;
}

static Entry *map_get(Map *m, const char *skey, double nkey) {
  uint64_t h = skey ? hash_str(skey) : hash_num(nkey);
  return *map_slot(m, skey, nkey, h);
}

static void map_set(Map *m, const char *skey, double nkey, double value) {
  uint64_t h = skey ? hash_str(skey) : hash_num(nkey);
  Entry **p = map_slot(m, skey, nkey, h);
  if (*p) {
    (*p)->value = value;
    return;
  }
  Entry *e = malloc(sizeof(Entry));
  e->next = NULL;
  e->skey = skey ? strdup(skey) : NULL;
  e->nkey = nkey;
  e->hash = h;
  e->value = value;
  *p = e;
  m->count++;
  if (m->count * 4 > m->cap * 3) map_grow(m);
}

static void map_remove(Map *m, const char *skey, double nkey) {
  uint64_t h = skey ? hash_str(skey) : hash_num(nkey);
  Entry **p = map_slot(m, skey, nkey, h);
  if (*p) {
    Entry *e = *p;
    *p = e->next;
    free(e->skey);
    free(e);
    m->count--;
  }
}

static void map_free(Map *m) {
  for (size_t i = 0; i < m->cap; i++) {
    Entry *e = m->buckets[i];
    while (e) {
      Entry *next = e->next;
      free(e->skey);
      free(e);
      e = next;
    }
  }
  free(m->buckets);
}

int main(void) {
  Map m, nm;
  map_init(&m);
  map_init(&nm);
  long total = 0;
  char k[32], rk[32];
  for (long i = 0; i < N; i = i + 1) {
    snprintf(k, sizeof k, "key%ld", i % SK);
    Entry *v = map_get(&m, k, 0);
    if (v == NULL) {
      map_set(&m, k, 0, 1);
    } else {
      map_set(&m, k, 0, v->value + 1);
    }
    map_set(&nm, NULL, (double)((i % NK) * 97), (double)i);
    if (i % 3 == 0) {
      snprintf(rk, sizeof rk, "key%ld", (i * 13) % SK);
      if (map_get(&m, rk, 0) != NULL) {
        total = total + (long)map_get(&m, rk, 0)->value;
        map_remove(&m, rk, 0);
      }
    }
    if (i % 5 == 0) {
      double rn = (double)(((i * 11) % NK) * 97);
      if (map_get(&nm, NULL, rn) != NULL) {
        total = total + (long)map_get(&nm, NULL, rn)->value % 1000;
        map_remove(&nm, NULL, rn);
      }
    }
    if (map_get(&nm, NULL, (double)(((i * 3) % NK) * 97)) != NULL) total = total + 1;
  }
  long sum = 0;
  for (size_t b = 0; b < m.cap; b++)
    for (Entry *e = m.buckets[b]; e; e = e->next) sum = sum + (long)e->value;
  long nsum = 0;
  for (size_t b = 0; b < nm.cap; b++)
    for (Entry *e = nm.buckets[b]; e; e = e->next) nsum = nsum + (long)e->value % 1000 + (long)e->nkey;
  printf("%ld\n%zu\n%ld\n%zu\n%ld\n", total, m.count, sum, nm.count, nsum);
  map_free(&m);
  map_free(&nm);
  return 0;
}
