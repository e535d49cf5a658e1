# loop: a tight numeric loop (arithmetic, floored modulo, comparison).
N = 20000000


def main():
    total = 0
    x = 0
    for i in range(N):
        x = (x * 31 + i) % 1000003
        if x > 500000:
            total = total + x % 1000
        else:
            total = total - x % 100
    print(total)
    print(x)


main()
