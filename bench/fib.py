# fib: recursive calls and integer-valued arithmetic.
N = 35


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


print(fib(N))
