// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// kill [-SIGNAL] [--] pid...: send a signal (default SIGTERM; a number, or a
// name with or without SIG: -9, -KILL, -SIGINT) to each process. A
// negative pid names a process group. Exit status 1 if any failed.
import { argc, argv, kill, err } from "../lib/posix";
import { strerror } from "../lib/posix";
import { SIGTERM, SIGKILL, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGSEGV } from "../lib/proto";

function signalNumber(s: string): i32 {
  const name = s.startsWith("SIG") ? s.substring(3) : s;
  if (name == "TERM") return SIGTERM;
  if (name == "KILL") return SIGKILL;
  if (name == "INT") return SIGINT;
  if (name == "HUP") return SIGHUP;
  if (name == "QUIT") return SIGQUIT;
  if (name == "USR1") return SIGUSR1;
  if (name == "USR2") return SIGUSR2;
  if (name == "ALRM") return SIGALRM;
  if (name == "SEGV") return SIGSEGV;
  const n = I32.parseInt(name);
  return n > 0 && n < 32 ? n : -1;
}

export function main(): i32 {
  let i = 1;
  let sig = SIGTERM;
  if (argc() > 1 && argv(1) == "--") {
    i = 2;
  } else if (argc() > 1 && argv(1).startsWith("-") && argv(1).length > 1 && !isNumeric(argv(1).substring(1))) {
    sig = signalNumber(argv(1).substring(1));
    i = 2;
  } else if (argc() > 2 && argv(1).startsWith("-") && isNumeric(argv(1).substring(1))) {
    sig = signalNumber(argv(1).substring(1));
    i = 2;
  }
  if (sig < 0) {
    err("kill: unknown signal " + argv(1) + "\n");
    return 2;
  }
  if (i == 2 && argv(1) != "--" && i < argc() && argv(i) == "--") i++;
  if (i >= argc()) {
    err("usage: kill [-SIGNAL] pid...\n");
    return 2;
  }
  let status = 0;
  for (; i < argc(); i++) {
    const pid = I32.parseInt(argv(i));
    if (pid == 0 && argv(i) != "0") {
      err("kill: " + argv(i) + ": not a pid\n");
      status = 1;
      continue;
    }
    const r = kill(pid, sig);
    if (r < 0) {
      err("kill: (" + argv(i) + "): " + strerror(-r) + "\n");
      status = 1;
    }
  }
  return status;
}

function isNumeric(s: string): bool {
  if (s.length == 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}
