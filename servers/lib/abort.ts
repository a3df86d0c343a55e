// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// AssemblyScript's abort() for Tessera programs: `tessera build` points asc's
// `abort` at tesseraAbort (asc --use abort=...), so an uncaught throw or a
// failed bounds check prints "abort: <message> at <file>:<line>:<column>" on
// standard error and ends the program with status 134 (EXIT_ABORT).
//
// Entry points: tesseraAbort (not exported: as an entry file of the build,
// an export would become a wasm export).

import { write, printInt, exit } from "./io";

const EXIT_ABORT: i32 = 134;
const STDERR: i32 = 2;

function tesseraAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  write(STDERR, "abort: ");
  write(STDERR, message !== null ? message : "(no message)");
  if (fileName !== null) {
    write(STDERR, " at ");
    write(STDERR, fileName);
    write(STDERR, ":");
    printInt(line, STDERR);
    write(STDERR, ":");
    printInt(column, STDERR);
  }
  write(STDERR, "\n");
  exit(EXIT_ABORT);
}
