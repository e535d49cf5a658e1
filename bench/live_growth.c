/* live_growth: builds a long-lived linked list far larger than any nursery,
   then walks it: nearly everything allocated survives. Uses malloc/free. */
#include <stdio.h>
#include <stdlib.h>

#define N 2000000

typedef struct Node {
  long value;
  struct Node *next;
} Node;

int main(void) {
  Node *head = NULL;
  for (long i = 0; i < N; i++) {
    Node *n = malloc(sizeof(Node));
    n->value = i;
    n->next = head;
    head = n;
  }
  long count = 0, sum = 0;
  for (Node *node = head; node != NULL; node = node->next) {
    sum = sum + node->value % 7;
    count = count + 1;
  }
  printf("%ld\n%ld\n", count, sum);
  while (head != NULL) {
    Node *next = head->next;
    free(head);
    head = next;
  }
  return 0;
}
