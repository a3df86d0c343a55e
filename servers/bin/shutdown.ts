// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// shutdown [CODE]: power the machine off (pm syncs the file systems first);
// the emulator exits with CODE (default 0).
import { argc, argv, shutdown, err, strerror } from "../lib/posix";

export function main(): i32 {
  const code = argc() > 1 ? I32.parseInt(argv(1)) : 0;
  const r = shutdown(code & 0xff);
  err("shutdown: " + strerror(-r) + "\n");
  return 1;
}
