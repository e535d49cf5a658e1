// method_call: method calls on polymorphic receivers (4 classes at one call
// site), inherited methods, and a super call.
const N = 2000000;

class Shape {
  constructor(a, b) {
    this.a = a;
    this.b = b;
  }
  weight() {
    return this.a + this.b;
  }
}

class Square extends Shape {
  value(k) {
    return this.a * k + 1;
  }
}

class Rect extends Shape {
  value(k) {
    return this.a * this.b - k;
  }
}

class Tri extends Shape {
  value(k) {
    return this.weight() + k;
  }
}

class BigSquare extends Square {
  value(k) {
    return super.value(k) + 2;
  }
}

function main() {
  const shapes = [new Square(3, 0), new Rect(2, 5), new Tri(4, 6), new BigSquare(7, 0),
                  new Square(5, 1), new Rect(1, 1), new Tri(3, 3), new BigSquare(1, 2)];
  const n = shapes.length;
  let total = 0;
  for (let i = 0; i < N; i = i + 1) {
    const k = i % 10;
    for (let j = 0; j < n; j = j + 1) {
      total = total + shapes[j].value(k);
    }
  }
  console.log(String(total));
}

main();
