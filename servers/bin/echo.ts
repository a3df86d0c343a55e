// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// echo [-n] [words...]: the words, separated by spaces, then a newline
// (none with -n).
import { argc, argv, out } from "../lib/posix";

export function main(): i32 {
  let i = 1;
  let newline = true;
  if (argc() > 1 && argv(1) == "-n") {
    newline = false;
    i = 2;
  }
  let line = "";
  for (; i < argc(); i++) {
    line += argv(i);
    if (i + 1 < argc()) line += " ";
  }
  if (newline) line += "\n";
  out(line);
  return 0;
}
