# mandelbrot: floating-point inner loop; counts the points of a SIZE x SIZE
# grid that stay bounded for ITER iterations and sums the escape counts.
SIZE = 1000
ITER = 100


def main():
    inside = 0
    total = 0
    for y in range(SIZE):
        ci = 2.0 * y / SIZE - 1.0
        for x in range(SIZE):
            cr = 2.0 * x / SIZE - 1.5
            zr = 0.0
            zi = 0.0
            zr2 = 0.0
            zi2 = 0.0
            i = 0
            while i < ITER and zr2 + zi2 <= 4.0:
                zi = 2.0 * zr * zi + ci
                zr = zr2 - zi2 + cr
                zr2 = zr * zr
                zi2 = zi * zi
                i = i + 1
            if zr2 + zi2 <= 4.0:
                inside = inside + 1
            total = total + i
    print(inside)
    print(total)


main()
