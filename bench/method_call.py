# method_call: method calls on polymorphic receivers (4 classes at one call
# site), inherited methods, and a super call.
N = 2000000


class Shape:
    def __init__(self, a, b):
        self.a = a
        self.b = b

    def weight(self):
        return self.a + self.b


class Square(Shape):
    def value(self, k):
        return self.a * k + 1


class Rect(Shape):
    def value(self, k):
        return self.a * self.b - k


class Tri(Shape):
    def value(self, k):
        return self.weight() + k


class BigSquare(Square):
    def value(self, k):
        return super().value(k) + 2


def main():
    shapes = [Square(3, 0), Rect(2, 5), Tri(4, 6), BigSquare(7, 0),
              Square(5, 1), Rect(1, 1), Tri(3, 3), BigSquare(1, 2)]
    n = len(shapes)
    total = 0
    for i in range(N):
        k = i % 10
        for j in range(n):
            total = total + shapes[j].value(k)
    print(total)


main()
