// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Strings: concatenation, length, charCodeAt, substring, indexOf, comparison, repeat, split.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

export function main(): i32 {
  let s = "Tessera";
  s = s + " is " + "a multiserver OS";
  print(s); print("\n");
  printInt(s.length); print(" "); printInt(s.charCodeAt(3)); print(" "); printInt(s.indexOf("server")); print("\n");
  print(s.substring(4, 11)); print("|"); print(s.toUpperCase()); print("|"); print(s.slice(-2)); print("\n");
  printInt(<i32>(s == "Tessera is a multiserver OS")); printInt(<i32>("abc" < "abd")); printInt(<i32>s.startsWith("Tess")); print("\n");
  print("ab".repeat(5)); print("\n");
  const parts = "one,two,,three".split(",");
  printInt(parts.length); print(":");
  for (let i = 0; i < parts.length; i++) { print("["); print(parts[i]); print("]"); }
  print("\n");
  let acc = "";
  for (let i = 0; i < 10; i++) acc += String.fromCharCode(0x41 + i);
  print(acc); print(" "); print(acc.replaceAll("E", "-e-")); print("\n");
  print("  trim me  ".trim()); print("|"); print("x".padStart(4, "0")); print("\n");
  return 0;
}
