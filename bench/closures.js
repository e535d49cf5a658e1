// closures: creating closures (named and lambdas), calling them, upvalues
// that outlive their frame and upvalues shared by two closures.
const N = 1500000;

function makeCounter() {
  let count = 0;
  function inc() {
    count = count + 1;
    return count;
  }
  return inc;
}

function makeAdder(n) {
  return function (x) { return x + n; };
}

function makeAccount(start) {
  let balance = start;
  const deposit = function (v) {
    balance = balance + v;
    return balance;
  };
  const withdraw = function (v) {
    balance = balance - v;
    return balance;
  };
  return [deposit, withdraw];
}

function apply(f, x) {
  return f(x);
}

function main() {
  const adders = [];
  for (let i = 0; i < 10; i = i + 1) adders.push(makeAdder(i));
  let total = 0;
  for (let i = 0; i < N; i = i + 1) {
    const c = makeCounter();
    c();
    c();
    total = total + c();
    const add = makeAdder(i % 10);
    total = total + add(i % 7);
    total = total + apply(adders[i % 10], 1);
    const acct = makeAccount(i % 100);
    const deposit = acct[0];
    const withdraw = acct[1];
    deposit(5);
    total = total + withdraw(3);
  }
  console.log(String(total));
}

main();
