// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// init: the first user process, pid 1 (docs/servers.md, "init"). It puts
// the console on descriptors 0, 1 and 2 (in a system with VFS), starts the
// shell in a session of its own whose process group is the console's
// foreground group (so ^C reaches what the shell runs), and then waits
// forever: for orphans, which pm gives it when their parents die, and for
// the shell, which it starts again whenever it ends. A shell that keeps
// dying at once is started again more and more slowly (up to 10 s apart).
//
// Entry points: main.

import {
  fork, execv, exit, waitpid, setsid, getpid, tcsetpgrp, sleep, uptimeMs, err, hasVfs, open, dup2,
  close, strerror,
} from "../lib/posix";
import { mknod, mkdir } from "../lib/fs";
import { printErr } from "../lib/index";
import { O_RDWR, S_IFCHR, MAJOR_TTY } from "../lib/fs_proto";
import { TTY_CONSOLE } from "../lib/proto";

const SHELL: string = "/bin/sh";

/** Descriptors 0, 1, 2 on the console (VFS's /dev/console, made if the root has none). */
function openConsole(): void {
  if (!hasVfs()) return;
  let fd = open("/dev/console", O_RDWR);
  if (fd < 0) {
    mkdir("/dev", 0o755);
    mknod("/dev/console", S_IFCHR | 0o600, (MAJOR_TTY << 8) | TTY_CONSOLE);
    fd = open("/dev/console", O_RDWR);
  }
  if (fd < 0) {
    // Said on the kernel's console: there is no other.
    printErr("init: cannot open /dev/console: " + strerror(-fd) + "\n");
    return;
  }
  if (fd != 0) {
    dup2(fd, 0);
    close(fd);
  }
  dup2(0, 1);
  dup2(0, 2);
}

/** Start the shell: its pid, or -errno. */
function startShell(): i32 {
  const pid = fork();
  if (pid != 0) return pid;
  setsid();
  tcsetpgrp(0, getpid());
  const r = execv(SHELL, ["sh"]);
  err("init: cannot run " + SHELL + ": " + strerror(-r) + "\n");
  exit(127);
  return 0;
}

export function main(): i32 {
  openConsole();
  let shell = -1;
  let started: i64 = 0;
  let quick = 0;
  for (;;) {
    if (shell <= 0) {
      if (quick >= 3) {
        let delay = 100 << (quick - 3 < 7 ? quick - 3 : 7);
        sleep(delay < 10000 ? delay : 10000);
      }
      shell = startShell();
      started = uptimeMs();
      if (shell < 0) {
        quick++;
        continue;
      }
    }
    const pid = waitpid(-1, 0);
    if (pid < 0) {
      shell = -1; // no children at all: the shell is gone
      continue;
    }
    if (pid == shell) {
      quick = uptimeMs() - started < 1000 ? quick + 1 : 0;
      shell = -1;
    }
  }
  return 0;
}
