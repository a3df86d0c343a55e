// The default image boots to a shell, and the /bin programs do their main
// jobs there: one session through `tessera boot`'s code path, each command's
// output checked, then `shutdown` (exit 0). The listing of /bin is held to
// the programs firmware/build.ts put there (servers/system.ts PROGRAMS).

import { beforeAll, describe, expect, it } from 'vitest';
import { defaultPrograms } from '../../firmware/build.ts';
import { BANNER, SystemDisk, byCommand, session, type Session } from './harness.ts';

const disk = new SystemDisk('shell');

describe('boot to a shell', () => {
  it('the banner, the modules, the prompt; echo; shutdown powers off with exit 0', async () => {
    const s = await session(await disk.copy('hello.img'), ['echo hi', 'shutdown'], {}, disk.place);
    expect(s.out).toBe(`${BANNER}$ echo hi\nhi\n$ shutdown\n`);
    expect(s.err).toBe('');
    expect(s.code).toBe(0);
  }, 300_000); // the first build of the servers, on a cold cache

  it('shutdown N powers off with exit N', async () => {
    const s = await session(await disk.copy('code.img'), ['shutdown 7'], {}, disk.place);
    expect(s.code).toBe(7);
  });
});

describe('the /bin programs', () => {
  const lines = [
    'ls /',
    'ls -l /bin',
    'ls -l /dev',
    'echo alpha beta > /tmp/a',
    'cat /tmp/a',
    'cat /tmp/a /tmp/a',
    'cat /nope; echo $?',
    'echo one > /tmp/n; echo two >> /tmp/n; echo three >> /tmp/n',
    'head -n 2 /tmp/n',
    'head -n 1 /tmp/n /tmp/a',
    'head -2 /tmp/n; head -n1 /tmp/n',
    'head -x /tmp/n; echo $?',
    'wc /tmp/n',
    'wc /tmp/n /tmp/a',
    'grep t /tmp/n',
    'grep -c t /tmp/n',
    'grep zz /tmp/n; echo $?',
    'mkdir /tmp/d',
    'mkdir /tmp/d; echo $?',
    'cp /tmp/a /tmp/d/b',
    'mv /tmp/d/b /tmp/d/c',
    'ls /tmp/d',
    'cat /tmp/d/c',
    'touch /tmp/t; ln /tmp/t /tmp/u',
    'ls -l /tmp',
    'rm /tmp/d/c /tmp/u',
    'rmdir /tmp/d',
    'ls /tmp',
    'rm /tmp/nope; echo $?',
    'ps',
    'uptime',
    'service list',
    'nosuchprogram; echo $?',
    'shutdown',
  ];
  let s: Session;
  let out: (line: string) => string;
  beforeAll(async () => {
    s = await session(await disk.copy('bin.img'), lines, {}, disk.place);
    out = byCommand(lines, s);
  }, 300_000);

  it('the session ends with the power-off, exit 0', () => {
    expect(s.code).toBe(0);
    expect(s.err).toBe('');
  });

  it('ls: the root, and ls -l of /bin lists every program with its size', async () => {
    expect(out('ls /')).toBe('bin\ndev\netc\nhome\ntmp\n');
    const progs = (await defaultPrograms()).sort((a, b) => (a.name < b.name ? -1 : 1));
    expect(out('ls -l /bin')).toBe(progs.map((p) => `-rwxr-xr-x   1 ${String(p.elf.length).padStart(8)} ${p.name}\n`).join(''));
    expect(out('ls -l /dev')).toBe('crw-------   1     4, 0 console\ncrw-rw-rw-   1     1, 2 null\ncrw-rw-rw-   1     1, 3 zero\n');
  });

  it('cat: files in order; a missing one is an error and status 1', () => {
    expect(out('echo alpha beta > /tmp/a')).toBe('');
    expect(out('cat /tmp/a')).toBe('alpha beta\n');
    expect(out('cat /tmp/a /tmp/a')).toBe('alpha beta\nalpha beta\n');
    expect(out('cat /nope; echo $?')).toBe('cat: /nope: No such file or directory\n1\n');
  });

  it('head -n, with a header per file when there are several', () => {
    expect(out('head -n 2 /tmp/n')).toBe('one\ntwo\n');
    expect(out('head -n 1 /tmp/n /tmp/a')).toBe('==> /tmp/n <==\none\n\n==> /tmp/a <==\nalpha\u0020beta\n');
    // The older forms a user types, as MINIX's and GNU's head take them.
    expect(out('head -2 /tmp/n; head -n1 /tmp/n')).toBe('one\ntwo\none\n');
    expect(out('head -x /tmp/n; echo $?')).toBe('head: bad line count\n2\n');
  });

  it('wc: lines, words, bytes; a total for several files', () => {
    expect(out('wc /tmp/n')).toBe('      3       3      14 /tmp/n\n');
    expect(out('wc /tmp/n /tmp/a')).toBe('      3       3      14 /tmp/n\n      1       2      11 /tmp/a\n      4       5      25 total\n');
  });

  it('grep: matching lines, -c counts them, no match is status 1', () => {
    expect(out('grep t /tmp/n')).toBe('two\nthree\n');
    expect(out('grep -c t /tmp/n')).toBe('2\n');
    expect(out('grep zz /tmp/n; echo $?')).toBe('1\n');
  });

  it('mkdir, cp, mv, touch, ln, rm, rmdir', () => {
    expect(out('mkdir /tmp/d')).toBe('');
    expect(out('mkdir /tmp/d; echo $?')).toBe('mkdir: /tmp/d: File exists\n1\n');
    expect(out('ls /tmp/d')).toBe('c\n');
    expect(out('cat /tmp/d/c')).toBe('alpha beta\n');
    // A directory's size is its entries' slots (64 bytes each), freed ones included, as MINIX keeps them.
    expect(out('ls -l /tmp')).toMatch(new RegExp(`^${[
      '-rw-r--r--   1       11 a', 'drwxr-xr-x   2 +(192|256) d', '-rw-r--r--   1       14 n',
      '-rw-r--r--   2        0 t', '-rw-r--r--   2        0 u', '',
    ].join('\n')}$`));
    expect(out('ls /tmp')).toBe('a\nn\nt\n');
    expect(out('rm /tmp/nope; echo $?')).toBe('rm: /tmp/nope: No such file or directory\n1\n');
  });

  it('ps: the servers, init, the shell and ps itself', () => {
    const rows = out('ps').trimEnd().split('\n');
    expect(rows[0]).toMatch(/^ +PID +PPID +PGRP +EP +S +NAME$/);
    const names = rows.slice(1).map((r) => r.trim().split(/ +/));
    expect(names.map((r) => r[5])).toEqual(['pm', 'ds', 'rs', 'vfs', 'blk', 'mfs', 'tty', 'init', 'sh', 'ps']);
    const pid = (n: string): string => names.find((r) => r[5] === n)![0];
    expect(pid('init')).toBe('1');
    expect(names.find((r) => r[5] === 'sh')![1]).toBe('1'); // init's child
    expect(names.find((r) => r[5] === 'ps')![1]).toBe(pid('sh'));
    for (const svc of ['vfs', 'blk', 'mfs', 'tty']) expect(names.find((r) => r[5] === svc)![1], svc).toBe(pid('rs'));
  });

  it('uptime; service list names the services rs watches; an unknown program is 127', () => {
    expect(out('uptime')).toMatch(/^up \d+\.\d{3} s, 10 processes\n$/);
    expect(out('service list')).toMatch(/^NAME +STATE +PID +ENDPOINT +RESTARTS\n(vfs|blk|mfs|tty) +up +\d+ +0x1[0-9a-f]{2} +0\n/);
    expect(out('service list').trimEnd().split('\n').slice(1).map((l) => l.split(/ +/)[0])).toEqual(['vfs', 'blk', 'mfs', 'tty']);
    expect(out('nosuchprogram; echo $?')).toMatch(/^sh: nosuchprogram: .*\n127\n$/);
  });
});
