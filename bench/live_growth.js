// live_growth: builds a long-lived linked list far larger than any nursery,
// then walks it: nearly everything allocated survives.
const N = 2000000;

class Node {
  constructor(value, next) {
    this.value = value;
    this.next = next;
  }
}

function main() {
  let head = null;
  for (let i = 0; i < N; i = i + 1) head = new Node(i, head);
  let count = 0;
  let sum = 0;
  let node = head;
  while (node !== null) {
    sum = sum + (node.value % 7);
    count = count + 1;
    node = node.next;
  }
  console.log(count);
  console.log(sum);
}

main();
