/* strings: building strings with concatenation and number formatting, split,
   join, indexOf, substr, replace, upper/lower, trim, startsWith/endsWith,
   indexing, equality. Every string operation allocates a fresh string, as the
   immutable strings of the other languages do. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 300000

static char *str_dup_n(const char *s, size_t n) {
  char *r = malloc(n + 1);
  memcpy(r, s, n);
  r[n] = '\0';
  return r;
}

static char *concat(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  char *r = malloc(la + lb + 1);
  memcpy(r, a, la);
  memcpy(r + la, b, lb + 1);
  return r;
}

/* Concatenates a and b and frees a. */
static char *concat_free(char *a, const char *b) {
  char *r = concat(a, b);
  free(a);
  return r;
}

static long index_of(const char *s, const char *needle) {
  const char *p = strstr(s, needle);
  return p == NULL ? -1 : (long)(p - s);
}

typedef struct {
  char **items;
  int count;
} List;

static List split(const char *s, const char *sep) {
  List l = {NULL, 0};
  int cap = 4;
  l.items = malloc(sizeof(char *) * cap);
  size_t seplen = strlen(sep);
  const char *start = s;
  for (;;) {
    const char *p = strstr(start, sep);
    if (l.count == cap) {
      cap = cap * 2;
      l.items = realloc(l.items, sizeof(char *) * cap);
    }
    if (p == NULL) {
      l.items[l.count++] = str_dup_n(start, strlen(start));
      break;
    }
    l.items[l.count++] = str_dup_n(start, (size_t)(p - start));
    start = p + seplen;
  }
  return l;
}

static void list_free(List *l) {
  for (int i = 0; i < l->count; i++) free(l->items[i]);
  free(l->items);
}

static char *join(List *l, const char *sep) {
  size_t seplen = strlen(sep), n = 0;
  for (int i = 0; i < l->count; i++) n += strlen(l->items[i]) + (i > 0 ? seplen : 0);
  char *r = malloc(n + 1), *p = r;
  for (int i = 0; i < l->count; i++) {
    if (i > 0) {
      memcpy(p, sep, seplen);
      p += seplen;
    }
    size_t k = strlen(l->items[i]);
    memcpy(p, l->items[i], k);
    p += k;
  }
  *p = '\0';
  return r;
}

static char *replace_all(const char *s, const char *from, const char *to) {
  size_t lf = strlen(from), lt = strlen(to);
  size_t count = 0;
  for (const char *p = strstr(s, from); p != NULL; p = strstr(p + lf, from)) count++;
  char *r = malloc(strlen(s) + count * lt - count * lf + 1), *o = r;
  const char *start = s;
  for (const char *p = strstr(s, from); p != NULL; p = strstr(start, from)) {
    memcpy(o, start, (size_t)(p - start));
    o += p - start;
    memcpy(o, to, lt);
    o += lt;
    start = p + lf;
  }
  strcpy(o, start);
  return r;
}

static char *to_upper(const char *s) {
  size_t n = strlen(s);
  char *r = malloc(n + 1);
  for (size_t i = 0; i <= n; i++) r[i] = (char)toupper((unsigned char)s[i]);
  return r;
}

static char *to_lower(const char *s) {
  size_t n = strlen(s);
  char *r = malloc(n + 1);
  for (size_t i = 0; i <= n; i++) r[i] = (char)tolower((unsigned char)s[i]);
  return r;
}

static char *trim(const char *s) {
  const char *b = s, *e = s + strlen(s);
  while (b < e && isspace((unsigned char)*b)) b++;
  while (e > b && isspace((unsigned char)e[-1])) e--;
  return str_dup_n(b, (size_t)(e - b));
}

static int starts_with(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

static int ends_with(const char *s, const char *p) {
  size_t ls = strlen(s), lp = strlen(p);
  return ls >= lp && strcmp(s + ls - lp, p) == 0;
}

int main(void) {
  const char *words[5] = {"alpha", "beta", "gamma", "delta", "epsilon"};
  long total = 0;
  char *buf = str_dup_n("", 0);
  char num[32];
  for (long i = 0; i < N; i = i + 1) {
    const char *w = words[i % 5];
    snprintf(num, sizeof num, "%ld", i % 1000);
    char *s = concat(w, "-");
    s = concat_free(s, num);
    s = concat_free(s, ",");
    s = concat_free(s, words[(i + 2) % 5]);
    s = concat_free(s, ",end");
    List parts = split(s, ",");
    total = total + parts.count + (long)strlen(parts.items[1]);
    char *joined = join(&parts, "/");
    total = total + (long)strlen(joined);
    long idx = index_of(s, "-");
    total = total + idx + index_of(s, "zz");
    char *head = str_dup_n(s, (size_t)idx);
    if (strcmp(head, w) == 0) total = total + 1;
    char *r = replace_all(s, "end", "stop");
    total = total + (long)strlen(r);
    if (ends_with(r, "stop")) total = total + 1;
    if (starts_with(s, w)) total = total + 1;
    char *u = to_upper(head);
    char *l = to_lower(u);
    if (strcmp(l, w) == 0) total = total + 1;
    char *padded = concat("  ", u);
    padded = concat_free(padded, " ");
    char *t = trim(padded);
    total = total + (long)strlen(t);
    char ch[2] = {num[strlen(num) - 1], '\0'};
    buf = concat_free(buf, ch);
    if (strlen(buf) >= 64) {
      total = total + (long)strlen(buf) + index_of(buf, "9");
      free(buf);
      buf = str_dup_n("", 0);
    }
    free(t);
    free(padded);
    free(l);
    free(u);
    free(r);
    free(head);
    free(joined);
    list_free(&parts);
    free(s);
  }
  printf("%ld\n%s\n", total, buf);
  free(buf);
  return 0;
}
