/* binary_trees: allocation-heavy; builds and walks many short-lived complete
   binary trees while one long-lived tree stays alive. Uses malloc/free. */
#include <stdio.h>
#include <stdlib.h>

#define MAX_DEPTH 15
#define MIN_DEPTH 4

typedef struct Node {
  struct Node *left, *right;
} Node;

static Node *node_new(Node *left, Node *right) {
  Node *n = malloc(sizeof(Node));
  n->left = left;
  n->right = right;
  return n;
}

static Node *bottom_up(int depth) {
  if (depth > 0) {
    Node *l = bottom_up(depth - 1);
    Node *r = bottom_up(depth - 1);
    return node_new(l, r);
  }
  return node_new(NULL, NULL);
}

static long check(Node *node) {
  if (node->left == NULL) return 1;
  return 1 + check(node->left) + check(node->right);
}

static void release(Node *node) {
  if (node->left != NULL) {
    release(node->left);
    release(node->right);
  }
  free(node);
}

static long pow2(int n) {
  long r = 1;
  for (int i = 0; i < n; i = i + 1) r = r * 2;
  return r;
}

int main(void) {
  int maxDepth = MAX_DEPTH;
  if (MIN_DEPTH + 2 > maxDepth) maxDepth = MIN_DEPTH + 2;
  int stretch = maxDepth + 1;
  Node *t = bottom_up(stretch);
  printf("stretch tree of depth %d check: %ld\n", stretch, check(t));
  release(t);
  Node *longLived = bottom_up(maxDepth);
  for (int d = MIN_DEPTH; d <= maxDepth; d = d + 2) {
    long iters = pow2(maxDepth - d + MIN_DEPTH);
    long sum = 0;
    for (long i = 0; i < iters; i = i + 1) {
      t = bottom_up(d);
      sum = sum + check(t);
      release(t);
    }
    printf("%ld trees of depth %d check: %ld\n", iters, d, sum);
  }
  printf("long lived tree of depth %d check: %ld\n", maxDepth, check(longLived));
  release(longLived);
  return 0;
}
