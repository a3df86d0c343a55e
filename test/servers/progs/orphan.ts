// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// orphan: fork a child that outlives its parent (it computes for a while,
// then exits 7); the parent prints the child's pid and exits at once, so pm
// gives the child to init, which must reap it.
import { fork, out } from "../../../servers/lib/posix";

let counter: i32 = 0;

export function main(): i32 {
  const pid = fork();
  if (pid == 0) {
    for (let i = 0; i < 3000000; i++) counter += i;
    return 7;
  }
  out("child " + pid.toString() + "\n");
  return 0;
}
