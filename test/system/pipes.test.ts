// Pipes and redirection in the default image's shell: > >> <, pipelines of
// two and three programs, a pipeline's status, data larger than a pipe's
// 4 KiB (also in one write, with the reader already waiting), descriptors
// to /dev/null, wc's options.

import { beforeAll, describe, expect, it } from 'vitest';
import { defaultPrograms } from '../../firmware/build.ts';
import { openFs } from '../../toolchain/image/disk.ts';
import { SystemDisk, byCommand, session, type Session } from './harness.ts';

const disk = new SystemDisk('pipes');

describe('redirection and pipes', () => {
  const lines = [
    'echo abc > /tmp/f',
    'cat /tmp/f | wc',
    'echo def >> /tmp/f; cat < /tmp/f',
    'echo over > /tmp/f; cat /tmp/f',
    'cat < /tmp/nosuch; echo $?',
    'echo one > /tmp/n; echo two >> /tmp/n; echo three >> /tmp/n',
    'cat /tmp/n | grep t | wc',
    'cat /tmp/n | grep t > /tmp/m; cat /tmp/m',
    'echo x | grep y; echo $?',
    'echo x | grep x; echo $?',
    'cat /bin/sh | wc',
    'cat /bin/sh > /dev/null; echo $?',
    'grep -c a < /tmp/n',
    'shutdown',
  ];
  let s: Session;
  let out: (line: string) => string;
  beforeAll(async () => {
    s = await session(await disk.copy('pipes.img'), lines, {}, disk.place);
    out = byCommand(lines, s);
  }, 300_000);

  it('> creates and truncates, >> appends, < reads; a missing input file is the shell\'s error', () => {
    expect(out('echo abc > /tmp/f')).toBe('');
    expect(out('echo def >> /tmp/f; cat < /tmp/f')).toBe('abc\ndef\n');
    expect(out('echo over > /tmp/f; cat /tmp/f')).toBe('over\n');
    expect(out('cat < /tmp/nosuch; echo $?')).toBe('sh: /tmp/nosuch: No such file or directory\n1\n');
    expect(out('grep -c a < /tmp/n')).toBe('0\n');
  });

  it('pipelines of two and three programs, one redirected; the last one\'s status is $?', () => {
    expect(out('cat /tmp/f | wc')).toBe('      1       1       4\n');
    expect(out('cat /tmp/n | grep t | wc')).toBe('      2       2      10\n');
    expect(out('cat /tmp/n | grep t > /tmp/m; cat /tmp/m')).toBe('two\nthree\n');
    expect(out('echo x | grep y; echo $?')).toBe('1\n');
    expect(out('echo x | grep x; echo $?')).toBe('x\n0\n');
  });

  it('more than a pipe holds goes through whole; /dev/null takes anything', async () => {
    const sh = (await defaultPrograms()).find((p) => p.name === 'sh')!.elf;
    const lines = Buffer.from(sh).toString('latin1').split('\n').length - 1;
    // servers/bin/wc.ts separates words by space, tab, LF and CR (not VT and FF, as isspace would).
    const words = Buffer.from(sh).toString('latin1').split(/[ \t\n\r]+/).filter((w) => w !== '').length;
    expect(out('cat /bin/sh | wc')).toBe(`${[lines, words, sh.length].map((n) => String(n).padStart(7)).join(' ')}\n`);
    expect(out('cat /bin/sh > /dev/null; echo $?')).toBe('0\n');
    expect(s.code).toBe(0);
  });
});

describe('wc options', () => {
  it('-c, -l, -lw and a file; a bad option is one message and status 1', async () => {
    const lines = [
      'echo abc > /tmp/f; echo de fg >> /tmp/f; cat /tmp/f | wc -c',
      'wc -l < /tmp/f',
      'wc -lw /tmp/f',
      'wc -c /tmp/f /tmp/f',
      'wc -x /tmp/f; echo $?',
      'shutdown',
    ];
    const s = await session(await disk.copy('wc.img'), lines, {}, disk.place);
    expect(s.outputs.slice(0, 5)).toEqual([
      '10\n',
      '2\n',
      '      2       3 /tmp/f\n',
      '     10 /tmp/f\n     10 /tmp/f\n     20 total\n',
      "wc: invalid option -- 'x'\nusage: wc [-lwc] [file...]\n1\n",
    ]);
  }, 300_000);
});

describe('one write larger than the pipe', () => {
  it('a 5000-byte line through a pipe: head writes it in one write, wc, already waiting, reads it all', async () => {
    const image = await disk.edited('long.img', (bytes) => {
      openFs(bytes).fs.writeFile('/home/long', new TextEncoder().encode('a'.repeat(5000) + '\nb\n'));
    });
    const lines = ['head -n 1 /home/long | wc', 'shutdown'];
    const s = await session(image, lines, {}, disk.place);
    expect(s.outputs[0]).toBe('      1       1    5001\n');
    expect(s.code).toBe(0);
  });
});
