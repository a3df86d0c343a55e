// The text programs a MINIX user expects at the shell, in one session of the
// default image: tail (of files, of a pipe, -n 0, -N, several files under
// "==> f <==" headers), sort (-r, -n, -u, files merged, standard input),
// uniq (-c counts as "%7d "), and ls -d / -ld (a directory itself, not its
// contents). Unknown options are refused with "PROG: invalid option -- 'x'",
// the usage line and status 2.

import { beforeAll, describe, expect, it } from 'vitest';
import { SystemDisk, byCommand, session, type Session } from './harness.ts';

const disk = new SystemDisk('bintext');

/** Shell lines that write `lines` to `path`, one echo each. */
const write = (path: string, lines: readonly string[]): string =>
  lines.map((l, i) => `echo ${l} ${i == 0 ? '>' : '>>'} ${path}`).join('; ');

const twelve = Array.from({ length: 12 }, (_, i) => String(i + 1));
const mixed = ['pear', '10', 'apple', '9', 'Zebra', 'apple', '-3', 'banana', '100', 'x7'];
const runs = ['a', 'a', 'b', 'a', 'c', 'c', 'c', 'b'];

const lines = [
  write('/tmp/n', twelve),
  write('/tmp/m', mixed),
  write('/tmp/r', runs),
  'echo one > /tmp/one; echo x > /tmp/short',
  'tail /tmp/n',
  'tail -n 3 /tmp/n',
  'tail -n3 /tmp/n; tail -2 /tmp/n',
  'tail -n 0 /tmp/n; echo $?',
  'tail -n 999999999 /tmp/short; tail -n 20 /tmp/n | head -n 1',
  'cat /tmp/n | tail -n 4',
  'cat /tmp/n /tmp/n | tail',
  'tail -n 2 /tmp/n /tmp/short /tmp/one',
  'tail -n 1 /tmp/n /tmp/nope; echo $?',
  'tail -n x /tmp/n; echo $?',
  'tail -q /tmp/n; echo $?',
  'sort /tmp/m',
  'sort -r /tmp/m',
  'sort -n /tmp/m',
  'sort -nr /tmp/m',
  'sort -u /tmp/m /tmp/r',
  'cat /tmp/r | sort -ru',
  'sort -z /tmp/m; echo $?',
  'uniq /tmp/r',
  'uniq -c /tmp/r',
  'cat /tmp/r | sort | uniq -c',
  'uniq -x /tmp/r; echo $?',
  'mkdir /tmp/d; echo in > /tmp/d/f',
  'ls -d /tmp/d /tmp/n',
  'ls -ld /tmp/d',
  'cd /tmp/d; ls -d; cd /',
  'ls -d /tmp/nope; echo $?',
  'ls -q /tmp; echo $?',
  'shutdown',
];

let s: Session;
let out: (line: string) => string;

beforeAll(async () => {
  const image = await disk.copy('bintext.img');
  s = await session(image, lines, {}, disk.place);
  out = byCommand(lines, s);
}, 300_000);

const invalid = (prog: string, letter: string, usage: string): string =>
  `${prog}: invalid option -- '${letter}'\nusage: ${usage}\n2\n`;
const text = (ls: readonly string[]): string => ls.map((l) => `${l}\n`).join('');

describe('tail', () => {
  it('the last ten lines, or N of them (-n N, -nN, -N)', () => {
    expect(out('tail /tmp/n')).toBe(text(twelve.slice(2)));
    expect(out('tail -n 3 /tmp/n')).toBe('10\n11\n12\n');
    expect(out('tail -n3 /tmp/n; tail -2 /tmp/n')).toBe('10\n11\n12\n11\n12\n');
    expect(out('tail -n 0 /tmp/n; echo $?')).toBe('0\n');
    expect(out('tail -n 999999999 /tmp/short; tail -n 20 /tmp/n | head -n 1')).toBe('x\n1\n');
  });

  it('reads a pipe', () => {
    expect(out('cat /tmp/n | tail -n 4')).toBe('9\n10\n11\n12\n');
    expect(out('cat /tmp/n /tmp/n | tail')).toBe(text([...twelve, ...twelve].slice(14)));
  });

  it('several files under headers; a missing one is an error', () => {
    expect(out('tail -n 2 /tmp/n /tmp/short /tmp/one')).toBe('==> /tmp/n <==\n11\n12\n\n==> /tmp/short <==\nx\n\n==> /tmp/one <==\none\n');
    expect(out('tail -n 1 /tmp/n /tmp/nope; echo $?')).toBe('==> /tmp/n <==\n12\ntail: /tmp/nope: No such file or directory\n1\n');
  });

  it('a bad count or option', () => {
    expect(out('tail -n x /tmp/n; echo $?')).toBe('tail: bad line count: x\n2\n');
    expect(out('tail -q /tmp/n; echo $?')).toBe(invalid('tail', 'q', 'tail [-n N | -N] [file...]'));
  });
});

describe('sort', () => {
  const bytes = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const lead = (l: string): number => { const m = /^-?\d+/.exec(l); return m ? Number(m[0]) : 0; };

  it('byte order, or reversed', () => {
    expect(out('sort /tmp/m')).toBe(text([...mixed].sort(bytes)));
    expect(out('sort /tmp/m')).toBe('-3\n10\n100\n9\nZebra\napple\napple\nbanana\npear\nx7\n');
    expect(out('sort -r /tmp/m')).toBe(text([...mixed].sort(bytes).reverse()));
  });

  it('-n by the leading integer (none counts 0, ties in byte order); -nr', () => {
    expect(out('sort -n /tmp/m')).toBe('-3\nZebra\napple\napple\nbanana\npear\nx7\n9\n10\n100\n');
    expect(out('sort -n /tmp/m')).toBe(text([...mixed].sort((a, b) => lead(a) - lead(b) || bytes(a, b))));
    expect(out('sort -nr /tmp/m')).toBe('100\n10\n9\nx7\npear\nbanana\napple\napple\nZebra\n-3\n');
  });

  it('-u: files merged, each line once; standard input', () => {
    expect(out('sort -u /tmp/m /tmp/r')).toBe(text([...new Set([...mixed, ...runs])].sort(bytes)));
    expect(out('cat /tmp/r | sort -ru')).toBe('c\nb\na\n');
  });

  it('an unknown option', () => {
    expect(out('sort -z /tmp/m; echo $?')).toBe(invalid('sort', 'z', 'sort [-r] [-n] [-u] [file...]'));
  });
});

describe('uniq', () => {
  it('drops adjacent duplicates; -c counts them', () => {
    expect(out('uniq /tmp/r')).toBe('a\nb\na\nc\nb\n');
    expect(out('uniq -c /tmp/r')).toBe('      2 a\n      1 b\n      1 a\n      3 c\n      1 b\n');
    expect(out('cat /tmp/r | sort | uniq -c')).toBe('      3 a\n      2 b\n      3 c\n');
  });

  it('an unknown option', () => {
    expect(out('uniq -x /tmp/r; echo $?')).toBe(invalid('uniq', 'x', 'uniq [-c] [file]'));
  });
});

describe('ls -d', () => {
  it('a directory itself, not its contents', () => {
    expect(out('ls -d /tmp/d /tmp/n')).toBe('/tmp/d\n/tmp/n\n');
    expect(out('ls -ld /tmp/d')).toMatch(/^drwxr-xr-x +2 +\d+ \/tmp\/d\n$/);
    expect(out('cd /tmp/d; ls -d; cd /')).toBe('.\n');
    expect(out('ls -d /tmp/nope; echo $?')).toBe('ls: /tmp/nope: No such file or directory\n1\n');
  });

  it('an unknown option is refused', () => {
    expect(out('ls -q /tmp; echo $?')).toBe(invalid('ls', 'q', 'ls [-adlR] [path...]'));
  });

  it('the session ended cleanly', () => {
    expect(s.code).toBe(0);
    expect(s.err).toBe('');
  });
});
