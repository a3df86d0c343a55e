// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// forkbomb: every process forks as fast as it can; when pm refuses
// (EAGAIN) the process says so once and waits for a signal. The shell's ^C
// (SIGINT to the foreground group) ends them all.
import { fork, getpid, out, strerror, sleep } from "../../../servers/lib/posix";

export function main(): i32 {
  const first = getpid();
  for (;;) {
    const pid = fork();
    if (pid < 0) {
      if (getpid() == first) out("forkbomb: fork: " + strerror(-pid) + "\n");
      for (;;) sleep(1000000);
    }
  }
  return 0;
}
