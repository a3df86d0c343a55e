// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// uptime: how long the machine has run (machine time), in seconds with
// three decimals, and how many processes are alive.
import { uptimeMs, out } from "../lib/posix";
import { countProcesses } from "./ps";

export function main(): i32 {
  const ms = uptimeMs();
  const frac = (ms % 1000).toString();
  out("up " + (ms / 1000).toString() + "." + "000".substring(frac.length) + frac + " s, " +
    countProcesses().toString() + " processes\n");
  return 0;
}
