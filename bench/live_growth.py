# live_growth: builds a long-lived linked list far larger than any nursery,
# then walks it: nearly everything allocated survives.
N = 2000000


class Node:
    def __init__(self, value, next):
        self.value = value
        self.next = next


def main():
    head = None
    for i in range(N):
        head = Node(i, head)
    count = 0
    total = 0
    node = head
    while node is not None:
        total = total + node.value % 7
        count = count + 1
        node = node.next
    print(count)
    print(total)


main()
