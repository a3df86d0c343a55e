// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// soak N: N requests to each of pm (getppid), ds (a lookup) and tty (an
// ioctl), then "soak done"; for checking that the servers' memory stays flat.
import { argc, argv, getppid, tcgetpgrp, out } from "../../../servers/lib/posix";
import { dsLookup } from "../../../servers/lib/server";

export function main(): i32 {
  const n = argc() > 1 ? I32.parseInt(argv(1)) : 1000;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    if (getppid() <= 0) bad++;
    if (dsLookup("tty") <= 0) bad++;
    if (tcgetpgrp(0) <= 0) bad++;
  }
  out("soak done, " + bad.toString() + " failed\n");
  return bad == 0 ? 0 : 1;
}
