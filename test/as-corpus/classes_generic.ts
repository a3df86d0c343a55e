// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Generic classes, static members, operator overloading and a linked list.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

class Node<T> {
  constructor(public value: T, public next: Node<T> | null = null) {}
}
class Stack<T> {
  static created: i32 = 0;
  head: Node<T> | null = null;
  size: i32 = 0;
  constructor() { Stack.created++; }
  push(v: T): void { this.head = new Node<T>(v, this.head); this.size++; }
  pop(): T {
    const h = this.head!;
    this.head = h.next;
    this.size--;
    return h.value;
  }
}
class V2 {
  constructor(public x: i32, public y: i32) {}
  @operator("+") add(o: V2): V2 { return new V2(this.x + o.x, this.y + o.y); }
  @operator("==") eq(o: V2): bool { return this.x == o.x && this.y == o.y; }
}

export function main(): i32 {
  const s = new Stack<i32>();
  for (let i = 0; i < 10; i++) s.push(i * i);
  let sum = 0;
  while (s.size > 0) sum = sum * 3 + s.pop();
  const t = new Stack<string>();
  t.push("a"); t.push("b");
  print(t.pop() + t.pop()); print(" ");
  printInt(sum); print(" "); printInt(Stack.created); print("\n");
  const v = new V2(1, 2) + new V2(3, 4);
  printInt(v.x); print(" "); printInt(v.y); print(" "); printInt(<i32>(v == new V2(4, 6))); print("\n");
  return 0;
}
