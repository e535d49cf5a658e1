# sieve: list-heavy; the sieve of Eratosthenes over a list of booleans built
# with append, indexed reads and writes, repeated REPS times.
SIZE = 1000000
REPS = 10


def sieve(n):
    flags = []
    for i in range(n + 1):
        flags.append(True)
    flags[0] = False
    flags[1] = False
    i = 2
    while i * i <= n:
        if flags[i]:
            for j in range(i * i, n + 1, i):
                flags[j] = False
        i = i + 1
    count = 0
    for i in range(n + 1):
        if flags[i]:
            count = count + 1
    return count


def main():
    total = 0
    count = 0
    for r in range(REPS):
        count = sieve(SIZE - r * 10007)
        total = total + count
    print(count)
    print(total)


main()
