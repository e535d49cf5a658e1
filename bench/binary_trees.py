# binary_trees: allocation-heavy; builds and walks many short-lived complete
# binary trees while one long-lived tree stays alive.
MAX_DEPTH = 15
MIN_DEPTH = 4


class Node:
    def __init__(self, left, right):
        self.left = left
        self.right = right


def bottom_up(depth):
    if depth > 0:
        return Node(bottom_up(depth - 1), bottom_up(depth - 1))
    return Node(None, None)


def check(node):
    if node.left is None:
        return 1
    return 1 + check(node.left) + check(node.right)


def pow2(n):
    r = 1
    for i in range(n):
        r = r * 2
    return r


def main():
    max_depth = MAX_DEPTH
    if MIN_DEPTH + 2 > max_depth:
        max_depth = MIN_DEPTH + 2
    stretch = max_depth + 1
    print("stretch tree of depth " + str(stretch) + " check: " + str(check(bottom_up(stretch))))
    long_lived = bottom_up(max_depth)
    for d in range(MIN_DEPTH, max_depth + 1, 2):
        iters = pow2(max_depth - d + MIN_DEPTH)
        total = 0
        for i in range(iters):
            total = total + check(bottom_up(d))
        print(str(iters) + " trees of depth " + str(d) + " check: " + str(total))
    print("long lived tree of depth " + str(max_depth) + " check: " + str(check(long_lived)))


main()
