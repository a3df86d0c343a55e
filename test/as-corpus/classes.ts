// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Classes: fields, methods, constructors, inheritance with overridden (virtual) methods, instanceof.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

class Shape {
  constructor(public name: string) {}
  area(): i32 { return 0; }
  describe(): string { return this.name + " with area " + this.area().toString(); }
}
class Rect extends Shape {
  constructor(public w: i32, public h: i32) { super("rect"); }
  area(): i32 { return this.w * this.h; }
}
class Square extends Rect {
  constructor(side: i32) { super(side, side); this.name = "square"; }
}
class Circle extends Shape {
  constructor(public r: i32) { super("circle"); }
  area(): i32 { return (this.r * this.r * 355) / 113; }
}

export function main(): i32 {
  const shapes: Shape[] = [new Rect(3, 4), new Square(5), new Circle(10), new Shape("blob")];
  let total = 0;
  for (let i = 0; i < shapes.length; i++) {
    print(shapes[i].describe()); print("\n");
    total += shapes[i].area();
  }
  printInt(total); print(" ");
  printInt(<i32>(shapes[1] instanceof Rect)); printInt(<i32>(shapes[2] instanceof Rect)); print("\n");
  return 0;
}
