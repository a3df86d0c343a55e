// The options of the /bin programs as a MINIX or Linux user types them, in
// one session of the default image: mkdir -p, rm -r / -rf, cp -r, ls -R
// (with -l, -a), combined flags (-rf, -lR), "--" ending the options, and an
// unknown option refused with "PROG: invalid option -- 'x'", a usage line
// and status 2. A tree five levels deep is made, copied, listed and removed;
// after shutdown the host's image library finds it gone and util-linux
// fsck.minix -f finds the root file system clean.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DiskImage } from '../../toolchain/image/disk.ts';
import { fsckMinix } from '../fs/system.ts';
import { SystemDisk, byCommand, session, type Session } from './harness.ts';

const disk = new SystemDisk('binopt');
const lines = [
  'mkdir -p /tmp/a/b; echo $?',
  'mkdir -p /tmp/a/b; echo $?',
  'mkdir /tmp/a/b; echo $?',
  'echo x > /tmp/f; mkdir -p /tmp/f; echo $?',
  'mkdir -p /tmp/f/g; echo $?',
  'mkdir -q /tmp/q; echo $?',
  'mkdir -p /tmp/dash; cd /tmp/dash; mkdir -- -x; ls; rmdir -- -x; ls; echo $?; cd /',
  'ls -a /tmp/a',
  'ls -Ra /tmp/a',
  'ls -la /tmp/a',
  'ls -x /; echo $?',
  // The tree: five levels, a file at the bottom, a link beside the top, and a link out of it.
  'mkdir -p /tmp/t/1/2/3/4/5; echo deep > /tmp/t/1/2/3/4/5/f; echo top > /tmp/t/g; ln -s g /tmp/t/l',
  'mkdir /tmp/keep; echo kept > /tmp/keep/k; ln -s /tmp/keep /tmp/t/1/out',
  'ls -R /tmp/t',
  'cp -r /tmp/t /tmp/u; echo $?',
  'ls -lR /tmp/u',
  'cat /tmp/u/1/2/3/4/5/f /tmp/u/g /tmp/u/l /tmp/u/1/out/k',
  'mkdir /tmp/v; cp -R /tmp/t /tmp/v; ls /tmp/v /tmp/v/t /tmp/v/t/1/2/3/4/5',
  'cp -r /tmp/t /tmp/t/1; echo $?',
  'cp /tmp/t /tmp/w; echo $?',
  'cp -x /tmp/f /tmp/w; echo $?',
  'cp /tmp/f; echo $?',
  'rm /tmp/u; echo $?',
  'rm -r /tmp/u; echo $?; ls /tmp/u; echo $?',
  'rm -rf /tmp/v /tmp/nope; echo $?',
  'rm -r /tmp/nope; echo $?',
  'rm -r /tmp/a/.; echo $?',
  'rm -f -R /tmp/t; echo $?; ls /tmp; cat /tmp/keep/k',
  'rm -fr; echo $?',
  'rm; echo $?',
  'rm -z /tmp/f; echo $?; cat /tmp/f',
  'echo a-e > /tmp/h; grep -- -e /tmp/h',
  'grep -vc x /tmp/f /tmp/h',
  'grep -q x /tmp/f; echo $?',
  'wc -lw /tmp/f; wc -l -c -- /tmp/h',
  'cat -z /tmp/f; echo $?',
  'cat -- /tmp/f',
  'head -n 1 -- /tmp/h; head -- /tmp/f',
  'ln -s -- f /tmp/lf; cat /tmp/lf',
  'ln -z /tmp/f /tmp/g; echo $?',
  'mv -z /tmp/f /tmp/g; echo $?',
  'touch -z /tmp/g; echo $?',
  'rmdir -z /tmp/a; echo $?',
  'kill -z 1; echo $?',
  'kill -- 999; echo $?',
  'rm -rf /tmp/a /tmp/dash /tmp/keep; ls /tmp',
  'shutdown',
];

let image = '';
let s: Session;
let out: (line: string) => string;

beforeAll(async () => {
  image = await disk.copy('binopt.img');
  s = await session(image, lines, {}, disk.place);
  out = byCommand(lines, s);
}, 300_000);

const invalid = (prog: string, letter: string, usage: string, status = 2): string =>
  `${prog}: invalid option -- '${letter}'\nusage: ${usage}\n${status}\n`;

describe('mkdir -p', () => {
  it('makes the parents, and is quiet about a directory that exists', () => {
    expect(out('mkdir -p /tmp/a/b; echo $?')).toBe('0\n');
    expect(s.outputs[1]).toBe('0\n'); // the same line again
    expect(out('mkdir /tmp/a/b; echo $?')).toBe('mkdir: /tmp/a/b: File exists\n1\n');
  });

  it('a file in the way is still an error', () => {
    expect(out('echo x > /tmp/f; mkdir -p /tmp/f; echo $?')).toBe('mkdir: /tmp/f: File exists\n1\n');
    expect(out('mkdir -p /tmp/f/g; echo $?')).toBe('mkdir: /tmp/f/g: Not a directory\n1\n');
  });

  it('an unknown option is refused; "--" ends the options', () => {
    expect(out('mkdir -q /tmp/q; echo $?')).toBe(invalid('mkdir', 'q', 'mkdir [-p] dir...'));
    expect(out('mkdir -p /tmp/dash; cd /tmp/dash; mkdir -- -x; ls; rmdir -- -x; ls; echo $?; cd /')).toBe('-x\n0\n');
  });
});

describe('ls -R, -a, -l combined', () => {
  it('-a shows . and ..; -Ra lists each directory under a header', () => {
    expect(out('ls -a /tmp/a')).toBe('.\n..\nb\n');
    expect(out('ls -Ra /tmp/a')).toBe('/tmp/a:\n.\n..\nb\n\n/tmp/a/b:\n.\n..\n');
  });

  it('-la is long with the dot entries', () => {
    expect(out('ls -la /tmp/a')).toMatch(/^drwxr-xr-x +3 +\d+ \.\ndrwxrwxrwx +\d+ +\d+ \.\.\ndrwxr-xr-x +2 +\d+ b\n$/);
  });

  it('an unknown option is refused with status 2', () => {
    expect(out('ls -x /; echo $?')).toBe(invalid('ls', 'x', 'ls [-adlR] [path...]'));
  });

  it('-R goes down all five levels, depth first, not through links', () => {
    expect(out('ls -R /tmp/t')).toBe([
      '/tmp/t:', '1', 'g', 'l', '',
      '/tmp/t/1:', '2', 'out', '',
      '/tmp/t/1/2:', '3', '',
      '/tmp/t/1/2/3:', '4', '',
      '/tmp/t/1/2/3/4:', '5', '',
      '/tmp/t/1/2/3/4/5:', 'f', '',
    ].join('\n'));
  });
});

describe('cp -r', () => {
  it('copies the tree as a new name, links as links', () => {
    expect(out('cp -r /tmp/t /tmp/u; echo $?')).toBe('0\n');
    const dir = (name: string): string => `drwxr-xr-x +2 +\\d+ ${name}`;
    const dirUp = (name: string): string => `drwxr-xr-x +3 +\\d+ ${name}`;
    expect(out('ls -lR /tmp/u')).toMatch(new RegExp(`^${[
      '/tmp/u:', dirUp('1'), '-rw-r--r-- +1 +4 g', 'lrwxrwxrwx +1 +1 l -> g', '',
      '/tmp/u/1:', dirUp('2'), 'lrwxrwxrwx +1 +9 out -> /tmp/keep', '',
      '/tmp/u/1/2:', dirUp('3'), '',
      '/tmp/u/1/2/3:', dirUp('4'), '',
      '/tmp/u/1/2/3/4:', dir('5'), '',
      '/tmp/u/1/2/3/4/5:', '-rw-r--r-- +1 +5 f', '',
    ].join('\n')}$`));
    expect(out('cat /tmp/u/1/2/3/4/5/f /tmp/u/g /tmp/u/l /tmp/u/1/out/k')).toBe('deep\ntop\ntop\nkept\n');
  });

  it('into an existing directory under the source\'s name', () => {
    expect(out('mkdir /tmp/v; cp -R /tmp/t /tmp/v; ls /tmp/v /tmp/v/t /tmp/v/t/1/2/3/4/5'))
      .toBe('/tmp/v:\nt\n\n/tmp/v/t:\n1\ng\nl\n\n/tmp/v/t/1/2/3/4/5:\nf\n');
  });

  it('not into itself; not a directory without -r; bad options and operands', () => {
    expect(out('cp -r /tmp/t /tmp/t/1; echo $?')).toBe('cp: cannot copy /tmp/t into itself: Invalid argument\n1\n');
    expect(out('cp /tmp/t /tmp/w; echo $?')).toBe('cp: /tmp/t: Is a directory\n1\n');
    expect(out('cp -x /tmp/f /tmp/w; echo $?')).toBe(invalid('cp', 'x', 'cp [-r] src dst | cp [-r] src... dir'));
    expect(out('cp /tmp/f; echo $?')).toBe('cp: usage: cp src dst: Invalid argument\n2\n');
  });
});

describe('rm -r, -rf', () => {
  it('a directory needs -r; -r removes the tree', () => {
    expect(out('rm /tmp/u; echo $?')).toBe('rm: /tmp/u: Is a directory\n1\n');
    expect(out('rm -r /tmp/u; echo $?; ls /tmp/u; echo $?')).toBe('0\nls: /tmp/u: No such file or directory\n1\n');
  });

  it('-rf is quiet about missing names; -r alone is not', () => {
    expect(out('rm -rf /tmp/v /tmp/nope; echo $?')).toBe('0\n');
    expect(out('rm -r /tmp/nope; echo $?')).toBe('rm: /tmp/nope: No such file or directory\n1\n');
    expect(out('rm -fr; echo $?')).toBe('0\n');
    expect(out('rm; echo $?')).toBe('rm: missing operand: Invalid argument\n2\n');
  });

  it('will not remove . or ..; separate -f -R; a link out of the tree is removed, not followed', () => {
    expect(out('rm -r /tmp/a/.; echo $?')).toBe('rm: /tmp/a/.: Invalid argument\n1\n');
    expect(out('rm -f -R /tmp/t; echo $?; ls /tmp; cat /tmp/keep/k')).toBe('0\na\ndash\nf\nkeep\nkept\n');
  });

  it('an unknown option removes nothing', () => {
    expect(out('rm -z /tmp/f; echo $?; cat /tmp/f')).toBe(`${invalid('rm', 'z', 'rm [-fr] file...')}x\n`);
  });
});

describe('the other programs: "--", combined flags, unknown options', () => {
  it('grep', () => {
    expect(out('echo a-e > /tmp/h; grep -- -e /tmp/h')).toBe('a-e\n');
    expect(out('grep -vc x /tmp/f /tmp/h')).toBe('/tmp/f:0\n/tmp/h:1\n');
    expect(out('grep -q x /tmp/f; echo $?')).toBe(invalid('grep', 'q', 'grep [-v] [-c] STRING [file...]'));
  });

  it('wc (a bad option stays status 1, as GNU wc)', () => {
    expect(out('wc -lw /tmp/f; wc -l -c -- /tmp/h')).toBe('      1       1 /tmp/f\n      1       4 /tmp/h\n');
  });

  it('cat, head', () => {
    expect(out('cat -z /tmp/f; echo $?')).toBe(invalid('cat', 'z', 'cat [file...]'));
    expect(out('cat -- /tmp/f')).toBe('x\n');
    expect(out('head -n 1 -- /tmp/h; head -- /tmp/f')).toBe('a-e\nx\n');
  });

  it('ln, mv, touch, rmdir', () => {
    expect(out('ln -s -- f /tmp/lf; cat /tmp/lf')).toBe('x\n');
    expect(out('ln -z /tmp/f /tmp/g; echo $?')).toBe(invalid('ln', 'z', 'ln [-s] existing new'));
    expect(out('mv -z /tmp/f /tmp/g; echo $?')).toBe(invalid('mv', 'z', 'mv src dst'));
    expect(out('touch -z /tmp/g; echo $?')).toBe(invalid('touch', 'z', 'touch file...'));
    expect(out('rmdir -z /tmp/a; echo $?')).toBe(invalid('rmdir', 'z', 'rmdir dir...'));
  });

  it('kill: -NAME is a signal, so an unknown one is a bad signal; "--" before a pid', () => {
    expect(out('kill -z 1; echo $?')).toBe('kill: unknown signal -z\n2\n');
    expect(out('kill -- 999; echo $?')).toBe('kill: (999): No such process\n1\n');
  });

  it('what is left in /tmp', () => {
    expect(out('rm -rf /tmp/a /tmp/dash /tmp/keep; ls /tmp')).toBe('f\nh\nlf\n');
  });
});

describe('on the disk after shutdown', () => {
  it('the trees are gone, the rest is there, and fsck.minix -f is clean', () => {
    expect(s.code).toBe(0);
    expect(s.err).toBe('');
    const fs = DiskImage.open(image).fs;
    for (const gone of ['/tmp/t', '/tmp/u', '/tmp/v', '/tmp/a', '/tmp/keep']) expect(fs.lookup(gone), gone).toBeUndefined();
    expect(new TextDecoder().decode(fs.readFile('/tmp/h'))).toBe('a-e\n');
    expect(fs.readlink('/tmp/lf')).toBe('f');
    expect(fs.check()).toEqual([]);
    const r = fsckMinix(new Uint8Array(readFileSync(image)));
    expect(r.status, r.output).toBe(0);
  });
});
