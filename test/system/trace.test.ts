// trace (servers/bin/trace.ts, pm's PM_TRACE_* in servers/pm/trace.ts): the
// name table held to the protocol files; in the default image, `trace CMD`
// prints CMD's messages with their names on stderr, leaves its stdout alone,
// writes to a file with -o and exits with CMD's status; usage errors; and,
// on a console the test types at, `trace -p` attaching to a running process
// and pm stopping the logs of a tracer that is killed (^C).

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { KCALL, TRACE_KIND, TRACE_RECORD_SIZE } from '../../kernel/abi.ts';
import { Board } from '../../vm/board.ts';
import type { BootImage } from '../../kernel/kernel.ts';
import { MemoryBackend } from '../../vm/devices/virtio_blk.ts';
import { buildSystem } from '../../servers/system.ts';
import { makeDisk } from '../fs/system.ts';
import { Session as Console } from '../servers/session.ts';
import { SystemDisk, byCommand, session, type Session } from './harness.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

/** The `export const NAME: i32 = VALUE;` lines of an AssemblyScript file, in order. */
function constants(file: string): [string, number][] {
  return [...read(file).matchAll(/^export const (\w+): [iu]32 = (-?(?:0x[0-9a-fA-F]+|\d+)|0o[0-7]+);/gm)]
    .map((m) => [m[1], Number(m[2])]);
}

/** The `case NAME: return "TEXT";` pairs of function `fn` in `src`. */
function cases(src: string, fn: string): [string, string][] {
  const start = src.indexOf(`export function ${fn}(`);
  expect(start, `${fn} is defined`).toBeGreaterThanOrEqual(0);
  const body = src.slice(start, src.indexOf('\n}\n', start));
  return [...body.matchAll(/case (\w+): return "(\w*)";/g)].map((m) => [m[1], m[2]]);
}

const isMessageType = (file: 'proto' | 'fs_proto', name: string): boolean => name === 'NOTIFY_MESSAGE' || name === 'SIGNAL_MESSAGE' || (file === 'proto'
  ? /^(PM|RS|DS)_/.test(name) && !/_(BASE|NCALLS|EP|NOREPLY)$/.test(name)
  : /^(VFS|REQ|BDEV|CDEV|FS)_/.test(name) && !/^(BDEV_SECTOR|BDEV_MAX_IO|BDEV_MINORS|CDEV_MAX_IO|CDEV_SUSPEND)$/.test(name));

/** Constants of the two files that are no message type (a new constant must be one or the other). */
const NOT_MESSAGES = /^(E[A-Z0-9]+|SIG\w*|NSIG|W\w+|O_\w+|S_IF\w+|SEEK_\w+|DT_\w+|TIOC\w+|TC\w+|TTY_\w+|PS_\w+|RSS?_?INFO\w*|RSS_\w+|PROCINFO_\w+|KC_\w+|GRANT_\w+|IRQCTL_\w+|GETINFO_\w+|NR_\w+|MAJOR_\w+|MINOR_\w+|NAME_\w+|PATH_MAX|OPEN_MAX|ARG_MAX|IMAGE_MAX|DIRENT_\w+|TRACE_\w+|\w+_EP|\w+_BASE|\w+_NCALLS|PM_NOREPLY|SYSTEM|CLOCK|HARDWARE|KERNEL|SUSPEND|BDEV_SECTOR|BDEV_MAX_IO|BDEV_MINORS|CDEV_MAX_IO|CDEV_SUSPEND)$/;

describe('trace\'s name table (servers/bin/trace_names.ts)', () => {
  const src = read('servers/bin/trace_names.ts');
  const files = { proto: constants('servers/lib/proto.ts'), fs_proto: constants('servers/lib/fs_proto.ts') };

  it('every message type of proto.ts and fs_proto.ts has its case, under its own name, and nothing else has one', () => {
    const want = new Map<string, number>();
    for (const [file, list] of Object.entries(files) as ['proto' | 'fs_proto', [string, number][]][]) {
      for (const [name, value] of list) {
        const message = isMessageType(file, name);
        expect([file, name, message || NOT_MESSAGES.test(name)], 'each constant is a message type or a known other kind').toEqual([file, name, true]);
        if (message) want.set(name, value);
      }
    }
    expect(want.size).toBeGreaterThan(90);
    const got = cases(src, 'messageName');
    for (const [name, text] of got) expect([name, text]).toEqual([name, name]);
    expect(got.map(([n]) => n).sort()).toEqual([...want.keys()].sort());
    // One name per number: the table is a function of m_type.
    expect(new Set(want.values()).size).toBe(want.size);
    expect(want.get('PM_TRACE_READ')).toBe(0x112);
  });

  it('every error number of either file has its name; the kernel calls are KCALL\'s, in order', () => {
    const errnos = new Map<string, number>();
    for (const list of Object.values(files)) for (const [n, v] of list) if (/^E[A-Z0-9]+$/.test(n)) errnos.set(n, v);
    const got = cases(src, 'errnoName');
    for (const [name, text] of got) expect([name, text]).toEqual([name, name]);
    expect(got.map(([n]) => n).sort()).toEqual([...errnos.keys()].sort());
    expect(new Set(errnos.values()).size).toBe(errnos.size);
    const table = /const KCALLS: string\[\] = \[([^\]]*)\]/.exec(src);
    expect(table).not.toBeNull();
    const names = [...table![1].matchAll(/"(\w+)"/g)].map((m) => m[1]);
    const kernel = Object.entries(KCALL).sort((a, b) => a[1] - b[1]);
    expect(kernel.map(([, v], i) => v - i)).toEqual(kernel.map(() => Number(/const KCALL_BASE: i32 = (0x[0-9a-f]+);/.exec(src)![1])));
    expect(names).toEqual(kernel.map(([k]) => k.toLowerCase()));
  });

  it('the record layout and kinds in proto.ts are the kernel\'s', () => {
    const proto = new Map(files.proto);
    expect(proto.get('TRACE_RECORD_SIZE')).toBe(TRACE_RECORD_SIZE);
    for (const [k, v] of Object.entries(TRACE_KIND)) expect([k, proto.get(`TRACE_${k}`)]).toEqual([k, v]);
  });
});

/** The record lines of trace's output (every line of the form "A -> B  ..." / "A <- B  ..." / "A  notify from B"). */
const RECORD = /^\S+ (->|<-) \S+  \S|^\S+  notify from \S+/;
const records = (text: string): string[] => text.split('\n').filter((l) => RECORD.test(l));
const summary = (text: string): [number, number] => {
  const m = /^trace: (\d+) messages, (\d+) dropped$/m.exec(text);
  expect(m, `a summary line in ${JSON.stringify(text)}`).not.toBeNull();
  return [Number(m![1]), Number(m![2])];
};

describe('trace in the default image', () => {
  const disk = new SystemDisk('trace');
  const lines = [
    'trace echo hi',
    'trace echo hi > /tmp/o; echo $?',
    'cat /tmp/o',
    'echo abc > /tmp/a',
    'trace -o /tmp/t cat /tmp/a',
    'cat /tmp/t',
    'trace false; echo $?',
    'trace; echo $?',
    'trace -p 99999; echo $?',
    'trace -p zz; echo $?',
    'trace nosuchprog; echo $?',
    'trace -o /nodir/f echo; echo $?',
    'shutdown',
  ];
  let s: Session;
  let out: (line: string) => string;
  beforeAll(async () => {
    s = await session(await disk.copy('trace.img'), lines, {}, disk.place);
    out = byCommand(lines, s);
  }, 300_000);

  it('trace echo hi: hi, and echo\'s messages from its exec on, named, then the summary', () => {
    const text = out('trace echo hi');
    const all = text.split('\n');
    expect(all).toContain('hi');
    const recs = records(text);
    // The first record is the exec itself: nothing of trace's own child before it (the pipe it waited on, reading the image).
    expect(recs[0]).toMatch(/^echo -> pm  PM_EXEC p0=\d+ p1=\d+ p2=2$/);
    expect(recs).toEqual(expect.arrayContaining([
      expect.stringMatching(/^echo -> SYSTEM  setgrant p0=\d+ p1=\d+ p2=\S+$/),
      expect.stringMatching(/^echo <- SYSTEM  setgrant = 0$/),
      expect.stringMatching(/^echo -> pm  PM_GETARGS p0=\d+ p1=2048 p2=0$/),
      expect.stringMatching(/^echo <- pm  reply 8 p0=2 /),
      expect.stringMatching(/^echo -> ds  DS_LOOKUP /),
      expect.stringMatching(/^echo -> vfs  VFS_WRITE p0=1 p1=\d+ p2=3$/),
      expect.stringMatching(/^echo <- vfs  VFS_REPLY 3 /),
    ]));
    expect(recs.some((l) => /VFS_OPEN|VFS_READ|VFS_CLOSE/.test(l))).toBe(false);
    const [n, dropped] = summary(text);
    expect([n, dropped]).toEqual([recs.length, 0]);
    expect(all.filter((l) => l !== '' && l !== 'hi' && !RECORD.test(l))).toEqual([`trace: ${n} messages, 0 dropped`]);
  });

  it('the records go to stderr: stdout redirected holds only the command\'s output; the status is the command\'s', () => {
    const text = out('trace echo hi > /tmp/o; echo $?');
    expect(text.split('\n')).not.toContain('hi');
    expect(records(text)).toEqual(expect.arrayContaining([expect.stringMatching(/^echo -> vfs  VFS_WRITE p0=1 /)]));
    expect(text.endsWith('\n0\n')).toBe(true);
    expect(out('cat /tmp/o')).toBe('hi\n');
  });

  it('-o FILE: the records and the summary go to the file', () => {
    expect(out('trace -o /tmp/t cat /tmp/a')).toBe('abc\n');
    const text = out('cat /tmp/t');
    const recs = records(text);
    expect(recs).toEqual(expect.arrayContaining([
      expect.stringMatching(/^cat -> vfs  VFS_OPEN p0=\d+ p1=6 p2=0$/),
      expect.stringMatching(/^cat -> vfs  VFS_READ p0=\d+ p1=\d+ p2=4096$/),
      expect.stringMatching(/^cat <- vfs  VFS_REPLY 4 /),
      expect.stringMatching(/^cat <- vfs  VFS_REPLY 0 /),
      expect.stringMatching(/^cat -> vfs  VFS_WRITE p0=1 p1=\d+ p2=4$/),
    ]));
    expect(summary(text)).toEqual([recs.length, 0]);
  });

  it('exits with the command\'s status; usage, a bad pid, a missing program or file are clear errors', () => {
    expect(out('trace false; echo $?')).toMatch(/\ntrace: \d+ messages, 0 dropped\n1\n$/);
    expect(out('trace; echo $?')).toBe('usage: trace [-o FILE] COMMAND [ARG...]\n       trace [-o FILE] -p PID\n2\n');
    expect(out('trace -p 99999; echo $?')).toBe('trace: 99999: No such process\n1\n');
    expect(out('trace -p zz; echo $?')).toBe('trace: zz: not a pid\n2\n');
    expect(out('trace nosuchprog; echo $?')).toMatch(/^(.*\n)*trace: nosuchprog: not found\n(.*\n)*127\n$/);
    expect(out('trace -o /nodir/f echo; echo $?')).toBe('trace: /nodir/f: No such file or directory\n1\n');
    expect(s.code).toBe(0);
  });
});

describe('trace -p on a console', () => {
  let images: BootImage[];
  let c: Console;
  beforeAll(async () => {
    images = await buildSystem({ servers: ['pm', 'ds', 'rs', 'vfs', 'blk', 'mfs', 'tty', 'init'] });
    const disk = makeDisk(8, (fs) => { fs.mkdir('/bin'); fs.mkdir('/tmp'); });
    c = new Console(images, (opts) => new Board({ ...opts, disk: new MemoryBackend(disk) }));
    expect(c.prompt(50_000_000)).toBe(true);
  }, 300_000);

  it('attaches to a running process and follows it until it exits (status 0)', () => {
    // ps's own pid says which the next fork gets: sleep, the pipeline's first.
    const row = c.command('ps').split('\n').find((l) => / ps$/.test(l));
    expect(row).toBeDefined();
    const next = Number(row!.trim().split(/ +/)[0]) + 1;
    const text = c.command(`sleep 1 | trace -p ${next}; echo $?`);
    expect(text).toMatch(new RegExp(`^trace: attached to ${next} \\(sleep\\)\n`));
    const recs = records(text);
    expect(recs).toEqual(expect.arrayContaining([expect.stringMatching(/^sleep <- pm  reply 0 /)]));
    expect(summary(text)).toEqual([recs.length, 0]);
    expect(text.endsWith('\n0\n')).toBe(true);
    expect(c.kernel.traces.size).toBe(0);
  });

  it('a tracer killed by ^C leaves no log behind: pm stops it, and the process can be traced again', () => {
    const ps = c.command('ps').split('\n');
    const pidOf = (name: string): string => ps.find((l) => l.endsWith(` ${name}`))!.trim().split(/ +/)[0];
    // init waits quietly; rs hears CLOCK (its alarm) and its services (their answers to its pings).
    for (const [pid, name, seen] of [['1', 'init', 'attached'], [pidOf('rs'), 'rs', 'rs  notify from CLOCK '], ['1', 'init', 'attached']]) {
      const from = c.output().length;
      c.type(`trace -p ${pid}\n`);
      expect(c.runUntil((o) => o.includes(`trace: attached to ${pid} (${name})\n`) && o.includes(seen), from)).toBe(true);
      expect(c.kernel.traces.size).toBe(1);
      c.type('\x03');
      expect(c.runUntil((o) => o.endsWith('$ '), from)).toBe(true);
      expect(c.kernel.traces.size).toBe(0);
      if (name === 'rs') {
        const recs = records(c.output().slice(from));
        expect(recs).toEqual(expect.arrayContaining([
          expect.stringMatching(/^rs  notify from CLOCK p0=\S+ p1=\S+$/),
          expect.stringMatching(/^rs -> \w+  notify$/),
          expect.stringMatching(/^rs -> SYSTEM  setalarm p0=\S+ /),
        ]));
      }
    }
    // trace COMMAND ignores ^C itself: the command ends, trace reports its status.
    const from = c.output().length;
    c.type('trace sleep 5; echo $?\n');
    expect(c.runUntil((o) => o.includes('sleep -> pm  PM_SLEEP p0=5000 '), from)).toBe(true);
    c.type('\x03');
    expect(c.runUntil((o) => o.endsWith('$ '), from)).toBe(true);
    expect(c.output().slice(from)).toMatch(/\ntrace: \d+ messages, 0 dropped\n(\^C\n)?130\n\$ $/);
    expect(c.kernel.traces.size).toBe(0);
    // pm reads the logs: tracing it would log each read.
    expect(c.command(`trace -p ${pidOf('pm')}; echo $?`)).toBe(`trace: ${pidOf('pm')}: Operation not permitted\n1\n`);
  });
});
