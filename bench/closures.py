# closures: creating closures (named and lambdas), calling them, upvalues
# that outlive their frame and upvalues shared by two closures.
N = 1500000


def make_counter():
    count = 0

    def inc():
        nonlocal count
        count = count + 1
        return count
    return inc


def make_adder(n):
    return lambda x: x + n


def make_account(start):
    balance = start

    def deposit(v):
        nonlocal balance
        balance = balance + v
        return balance

    def withdraw(v):
        nonlocal balance
        balance = balance - v
        return balance
    return [deposit, withdraw]


def apply(f, x):
    return f(x)


def main():
    adders = []
    for i in range(10):
        adders.append(make_adder(i))
    total = 0
    for i in range(N):
        c = make_counter()
        c()
        c()
        total = total + c()
        add = make_adder(i % 10)
        total = total + add(i % 7)
        total = total + apply(adders[i % 10], 1)
        acct = make_account(i % 100)
        deposit = acct[0]
        withdraw = acct[1]
        deposit(5)
        total = total + withdraw(3)
    print(total)


main()
