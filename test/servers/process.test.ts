// Processes and signals through the shell: ^C ends the foreground program
// (SIGINT to the console's foreground group; the shell ignores it), a
// program that faults is reported (the kernel's line, the shell's words,
// status 128 + the signal) and the shell goes on, a fork bomb meets pm's
// process limit (EAGAIN) and the system stays usable, orphans are reaped
// by init, kill's errors, sleep in machine time.

import { beforeAll, describe, expect, it } from 'vitest';
import type { BootImage } from '../../kernel/kernel.ts';
import { NR_PROCS } from '../../kernel/abi.ts';
import { buildTestSystem, Session } from './session.ts';

let images: BootImage[];
beforeAll(async () => { images = await buildTestSystem(); });

function booted(): Session {
  const s = new Session(images);
  expect(s.prompt(5_000_000)).toBe(true);
  return s;
}

/** The pids ps lists, by name. */
function psPids(s: Session, name: string): number[] {
  return [...s.command('ps').matchAll(/^\s*(\d+)\s.* (\S+)$/gm)].filter((m) => m[2] === name).map((m) => Number(m[1]));
}

describe('signals from the console', () => {
  let s: Session;
  beforeAll(() => { s = booted(); });

  it('^C ends a program that loops; the shell says nothing more and $? is 130', () => {
    const from = s.output().length;
    s.type('spin\n');
    expect(s.runUntil((o) => o.includes('spinning\n'), from)).toBe(true);
    s.runFor(2_000_000); // it really loops: still no prompt
    expect(s.output().slice(from)).toBe('spin\nspinning\n');
    s.type('\x03');
    expect(s.runUntil((o) => o.endsWith('$ '), from)).toBe(true);
    expect(s.output().slice(from)).toBe('spin\nspinning\n^C\n$ ');
    expect(s.command('echo $?')).toBe('130\n');
    expect(psPids(s, 'spin')).toEqual([]);
  });

  it('^C at the prompt gives a fresh prompt; the shell ignores SIGINT', () => {
    const before = psPids(s, 'sh');
    const from = s.output().length;
    s.type('echo abandoned\x03');
    expect(s.runUntil((o) => o.endsWith('^C\n$ '), from)).toBe(true);
    expect(s.output().slice(from)).toBe('echo abandoned^C\n$ ');
    expect(psPids(s, 'sh')).toEqual(before);
    expect(s.command('echo fine')).toBe('fine\n');
  });

  it('^\\ (SIGQUIT) ends a program too', () => {
    const from = s.output().length;
    s.type('spin\n');
    expect(s.runUntil((o) => o.includes('spinning\n'), from)).toBe(true);
    s.type('\x1c');
    expect(s.runUntil((o) => o.endsWith('$ '), from)).toBe(true);
    expect(s.output().slice(from)).toBe('spin\nspinning\n^\\\nQuit\n$ ');
    expect(s.command('echo $?')).toBe('131\n');
  });
});

describe('faults', () => {
  let s: Session;
  beforeAll(() => { s = booted(); });

  it('a program that touches unmapped memory: the kernel\'s line (with the program\'s name), "Segmentation fault", status 139', () => {
    const out = s.command('fault segv');
    expect(out).toMatch(/^faulting: segv\nkernel: fault \(endpoint \d+\) stopped: load page fault at pc 0x[0-9a-f]+, tval 0x70000000\nSegmentation fault\n$/);
    expect(s.command('echo $?')).toBe('139\n');
  });

  it('division by zero (a wasm trap): SIGFPE, status 136; unreachable: SIGILL, 132', () => {
    expect(s.command('fault div')).toMatch(/kernel: fault \(endpoint \d+\) stopped: wasm trap: integer divide by zero at pc 0x[0-9a-f]+\nFloating point exception\n$/);
    expect(s.command('echo $?')).toBe('136\n');
    expect(s.command('fault ill')).toMatch(/stopped: wasm trap: unreachable executed at pc 0x[0-9a-f]+\nIllegal instruction\n$/);
    expect(s.command('echo $?')).toBe('132\n');
  });

  it('the shell and the system go on: no zombie is left, the next program runs', () => {
    expect(s.command('ps')).not.toMatch(/ Z /);
    expect(s.command('exitcode 9; echo $?')).toBe('9\n');
  });
});

describe('the process limit', () => {
  it('a fork bomb gets EAGAIN from pm, ^C ends it all, and the system stays usable', () => {
    const s = booted();
    const from = s.output().length;
    s.type('forkbomb\n');
    expect(s.runUntil((o) => o.includes('forkbomb: fork: Resource temporarily unavailable\n'), from, 200_000_000)).toBe(true);
    // Every kernel slot pm gives out is taken, the last few stay free for services and exec.
    const living = s.kernel.procs.living().length;
    expect(living).toBeLessThan(NR_PROCS);
    expect(living).toBeGreaterThan(NR_PROCS - 12);
    s.type('\x03');
    expect(s.runUntil((o) => o.endsWith('$ '), from, 100_000_000)).toBe(true);
    expect(s.command('echo ok')).toBe('ok\n');
    s.command('sleep 0.1'); // init reaps the orphaned bombs (one waitpid each)
    const ps = s.command('ps');
    expect(ps).not.toMatch(/forkbomb/);
    expect(ps).not.toMatch(/ Z /);
    expect(s.kernel.procs.living().length).toBeLessThan(10);
    expect(s.command('exitcode 4; echo $?')).toBe('4\n');
  });
});

describe('pm', () => {
  let s: Session;
  beforeAll(() => { s = booted(); });

  it('an orphan goes to init, which reaps it', () => {
    const out = s.command('orphan');
    const child = Number(/^child (\d+)\n$/.exec(out)![1]);
    // The child computes for a while after its parent is gone; ps right away still shows it, with parent 1.
    expect(s.command('ps')).toMatch(new RegExp(`^\\s*${child}\\s+1\\s.* R orphan$`, 'm'));
    s.command('sleep 1');
    expect(s.command('ps')).not.toMatch(new RegExp(`^\\s*${child}\\s`, 'm'));
  });

  it('kill: a pid nobody has, and the protected processes', () => {
    expect(s.command('kill 29000; echo $?')).toBe('kill: (29000): No such process\n1\n');
    expect(s.command('kill -9 1; echo $?')).toBe('kill: (1): Operation not permitted\n1\n');
    const pmPid = psPids(s, 'pm')[0];
    expect(s.command(`kill ${pmPid}; echo $?`)).toBe(`kill: (${pmPid}): Operation not permitted\n1\n`);
    expect(s.command('kill -BOGUS 5; echo $?')).toBe('kill: unknown signal -BOGUS\n2\n');
  });

  it('sleep waits in machine time (10 MHz mtime); other commands take far less', () => {
    // Two uptimes on one command line: no idle time between them but the sleep's.
    const ms = (cmd: string): number => {
      const [a, b] = [...s.command(`uptime; ${cmd}; uptime`).matchAll(/^up (\d+)\.(\d{3}) s/gm)].map((m) => Number(m[1]) * 1000 + Number(m[2]));
      return b - a;
    };
    expect(ms('sleep 2')).toBeGreaterThanOrEqual(2000);
    expect(ms('sleep 0.3')).toBeGreaterThanOrEqual(300);
    expect(ms('sleep 0.3')).toBeLessThan(2000);
    expect(ms('true')).toBeLessThan(100);
    expect(s.command('sleep x')).toBe("sleep: invalid time 'x'\n");
    expect(s.command('uptime')).toMatch(/^up \d+\.\d{3} s, \d+ processes\n$/);
  });
});
