// `tessera boot` (cli/boot_cmd.ts) in-process, through fake stdio, on the
// real default image (firmware/build.ts: pm, ds, rs, vfs, blk, mfs, tty,
// init; the shell and /bin on the disk): piped input is typed a line at a
// time at the shell's prompt; `shutdown` ends the run with exit 0; a bad
// image exits with the firmware's code after its line; --max-insns, --mem
// and a missing disk; on a TTY, Ctrl-A C opens the debugger with `info
// procs` and `info ipc` listing the servers, and Ctrl-A X quits; --gdb
// waits for gdb at the reset vector.

import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { BootError, ConsoleKeys, LineFeeder, bootDisk, type IdleSource } from '../../cli/boot_cmd.ts';
import { ResidentBoot } from '../../kernel/boot.ts';
import { firmwareElf, firmwareExit } from '../../firmware/build.ts';
import { FakeIo, SYSTEM_BANNER, Surgery, lf, runBoot, scratch, systemImage, waitFor } from './harness.ts';

const tmp = scratch('cmd');
const place = { cacheDir: tmp.path('cache') };
let image = '';

beforeAll(async () => {
  image = await systemImage(place, 'system.img');
}, 300_000); // a cold servers cache builds every server and program first

describe('piped input', () => {
  it('echo hi, then shutdown: each line typed at the prompt, exit 0 when the guest powers off', async () => {
    const r = await runBoot(image, 'echo hi\nshutdown\n', {}, place);
    expect(lf(r.out)).toBe(`${SYSTEM_BANNER}$ echo hi\nhi\n$ shutdown\n`);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('lines typed ahead are not echoed ahead of the output of the one before', async () => {
    // After cp, a line longer than the UART's 16-byte FIFO: the kernel goes
    // idle with the rest of it already raising the UART's interrupt. That
    // is not the system waiting for input: the next line waits for the prompt.
    const lines = ['echo one', 'echo two three four five six', 'pwd', 'mkdir /home/d', 'cp /bin/echo /home/d/g', 'mv /home/d/g /home/d/h', 'ls /home/d', 'shutdown'];
    const r = await runBoot(image, lines.map((l) => `${l}\n`).join(''), {}, place);
    expect(lf(r.out)).toBe(`${SYSTEM_BANNER}$ echo one\none\n$ echo two three four five six\ntwo three four five six\n$ pwd\n/\n` +
      '$ mkdir /home/d\n$ cp /bin/echo /home/d/g\n$ mv /home/d/g /home/d/h\n$ ls /home/d\nh\n$ shutdown\n');
    expect(r.code).toBe(0);
  });

  it('a last line without a newline is typed too; CR LF ends a line as LF does', async () => {
    const r = await runBoot(image, 'echo a\r\necho b', {}, place);
    expect(lf(r.out)).toBe(`${SYSTEM_BANNER}$ echo a\na\n$ echo b`);
    expect(r.code).toBe(125);
  });

  it('stdin that ends with the system waiting: exit 125 and one line saying so', async () => {
    const r = await runBoot(image, 'echo hi\n', {}, place);
    expect(lf(r.out)).toBe(`${SYSTEM_BANNER}$ echo hi\nhi\n$ `);
    expect(r.code).toBe(125);
    expect(r.err).toBe('tessera: stopped: the system waits for input and stdin has ended (type shutdown to power off)\n');
  });

  it('input that arrives after the prompt is typed then', async () => {
    const io = new FakeIo();
    const done = bootDisk(image, {}, io, place);
    await waitFor(() => io.out, /\$ $/);
    io.type('echo late\n');
    await waitFor(() => io.out, /late\r\n\$ $/);
    io.type('shutdown\n', true);
    expect(await done).toBe(0);
  });
});

describe('options and bad input', () => {
  it('--max-insns: exit 124 and a line on stderr', async () => {
    const r = await runBoot(image, 'echo hi\n', { maxInsns: 20_000 }, place);
    expect(r.code).toBe(124);
    expect(r.out).toBe('Tessera boot firmware\n');
    expect(r.err).toMatch(/^tessera: stopped: instruction limit reached after 20000 instructions \(--max-insns\)\n$/);
  });

  it('--mem too small for the load area: the firmware\'s line and code', async () => {
    const r = await runBoot(image, '', { mem: 16 * 1024 * 1024 }, place);
    expect(r.out).toBe('Tessera boot firmware\nfirmware: module pm: does not fit in RAM\n');
    expect(r.code).toBe(firmwareExit('MODULE_FIT'));
  });

  it('a bad image: the firmware\'s line on the console and its exit code', async () => {
    const s = new Surgery(new Uint8Array(readFileSync(image)));
    s.disk[s.dv.getUint32(446 + 8, true) * 512 + s.get(1, 'offset') + 7] ^= 0xff;
    const path = tmp.save('badcrc.img', s.disk);
    const r = await runBoot(path, 'echo hi\n', {}, place);
    expect(r.out).toBe('Tessera boot firmware\nfirmware: module ds: bad checksum\n');
    expect(r.code).toBe(firmwareExit('MODULE_CRC'));
    expect(r.code).toBe(35);
  });

  it('a disk that does not exist, or is not a whole number of sectors: one BootError line (exit 2 in tessera)', async () => {
    await expect(bootDisk(tmp.path('nope.img'), {}, new FakeIo(), place)).rejects.toThrow(BootError);
    await expect(bootDisk(tmp.path('nope.img'), {}, new FakeIo(), place)).rejects.toThrow(/^cannot open disk image '.*nope\.img': no such file$/);
    const odd = tmp.path('odd.img');
    writeFileSync(odd, new Uint8Array(1000));
    await expect(bootDisk(odd, {}, new FakeIo(), place)).rejects.toThrow(/size 1000 is not a multiple of 512/);
    await expect(bootDisk(tmp.dir, {}, new FakeIo(), place)).rejects.toThrow(/is not a regular file/);
  });
});

describe('the console on a terminal', () => {
  it('raw mode while the machine runs; Ctrl-A C opens the debugger with info procs and info ipc', async () => {
    const io = new FakeIo(true);
    const done = bootDisk(image, {}, io, place);
    await waitFor(() => io.out, /\$ $/);
    expect(io.raw).toEqual([true]);
    io.type('echo hi\r');
    await waitFor(() => io.out, /hi\r\n\$ $/);
    io.type('\x01c');
    await waitFor(() => io.out, /Tessera debugger: the machine is stopped at pc 0x[0-9a-f]+, U-mode/);
    expect(io.raw).toEqual([true, false]);
    io.type('info procs\n');
    await waitFor(() => io.out, /\(no process on the hart: the kernel is idle\)/);
    const procs = io.out.slice(io.out.indexOf('slot  endpoint'));
    expect(procs).toMatch(/^slot +endpoint +name +state +prio +flags +instret +pages +waiting for\n/);
    const row = (slot: number, name: string, prio: number, flags: string, wait: string): RegExp =>
      new RegExp(`\\n +${slot} +0x${(0x100 + slot).toString(16)} +${name} +receiving +${prio} +${flags} +\\d+ +\\d+ +${wait.replace(/[()]/g, '\\$&')}\\n`);
    expect(procs).toMatch(row(0, 'pm', 1, 'pm,sys,any', 'receive from ANY'));
    expect(procs).toMatch(row(1, 'ds', 1, 'sys,any', 'receive from ANY'));
    expect(procs).toMatch(row(2, 'rs', 1, 'sys,any', 'receive from ANY'));
    expect(procs).toMatch(row(3, 'vfs', 3, 'sys,any', 'receive from ANY'));
    expect(procs).toMatch(row(4, 'blk', 2, 'sys', 'receive from ANY'));
    expect(procs).toMatch(row(5, 'mfs', 3, 'sys,any', 'receive from ANY'));
    expect(procs).toMatch(row(6, 'tty', 2, 'sys', 'receive from ANY'));
    expect(procs).toMatch(row(7, 'init', 7, '-', 'receive from pm(0x100)'));
    expect(procs).toMatch(row(8, 'sh', 7, '-', 'receive from vfs(0x103)')); // its console read
    io.type('info ipc\n');
    await waitFor(() => io.out, /interrupt lines:\n +1 +blk\n +10 +tty\n/);
    expect(io.out).toMatch(/\nsh \(0x108, receiving\):\n  blocked: receive from vfs\(0x103\), message at 0x[0-9a-f]+\n/);
    // Booting used the IPC fast path (docs/kernel.md "The fast path").
    const fast = /\nfast path: (\d+) calls/.exec(io.out);
    expect(Number(fast?.[1])).toBeGreaterThan(0);
    io.type('info registers pc\n');
    await waitFor(() => io.out, /pc +0x[0-9a-f]{8}\n/);
    io.type('help info\n');
    await waitFor(() => io.out, /\n +info ipc +the kernel's IPC state/);
    expect(io.out).toMatch(/info breakpoints\|registers\|devices\|symbol\|address\|procs\|ipc \.\.\./);
    expect(io.out).toMatch(/\n +info procs +the kernel's process table/);
    io.type('quit\n');
    expect(await done).toBe(0);
  });

  it('the machine keeps the host\'s time while it waits for a key (a deterministic clock would race ahead)', async () => {
    const io = new FakeIo(true);
    const t0 = Date.now();
    const done = bootDisk(image, {}, io, place);
    await waitFor(() => io.out, /\$ $/);
    await new Promise((r) => setTimeout(r, 1000));
    io.type('uptime\r');
    await waitFor(() => io.out, /up [\d.]+ s, \d+ processes\r\n\$ $/);
    const up = Number(/up ([\d.]+) s/.exec(io.out)![1]);
    expect(up).toBeGreaterThanOrEqual(1);
    expect(up).toBeLessThanOrEqual((Date.now() - t0) / 1000 + 0.5);
    io.type('\x01x');
    expect(await done).toBe(130);
  });

  it('Ctrl-A X quits (exit 130) and gives the terminal back', async () => {
    const io = new FakeIo(true);
    const done = bootDisk(image, {}, io, place);
    await waitFor(() => io.out, /\$ $/);
    io.type('\x01x');
    expect(await done).toBe(130);
    expect(io.raw).toEqual([true, false]);
  });

  it('the debugger before the kernel runs (--debug): info procs says the firmware still runs', async () => {
    const io = new FakeIo();
    const done = bootDisk(image, { debug: true }, io, place);
    await waitFor(() => io.out, /waits at the reset vector/);
    io.type('info procs\nquit\n', true);
    expect(await done).toBe(0);
    expect(io.out).toContain('The kernel has not taken over yet (the firmware is running).');
  });
});

describe('--gdb', () => {
  /** One RSP exchange: send `$cmd#xx`, collect until a reply packet (or the connection closes). */
  const packet = (cmd: string): string => `$${cmd}#${([...cmd].reduce((s, c) => s + c.charCodeAt(0), 0) & 0xff).toString(16).padStart(2, '0')}`;

  it('waits for gdb at the reset vector with the firmware loaded; kill ends it (exit 137)', async () => {
    const io = new FakeIo();
    const done = bootDisk(image, { gdb: 0 }, io, place);
    await waitFor(() => io.err, /gdb stub listening on 127\.0\.0\.1:\d+\n/);
    const port = Number(/:(\d+)\n/.exec(io.err)![1]);
    const sock = connect(port, '127.0.0.1');
    let got = '';
    sock.setEncoding('latin1').on('data', (s: string) => { got += s; });
    const ask = async (cmd: string): Promise<string> => {
      got = '';
      sock.write(packet(cmd));
      await waitFor(() => got, /\$[^#]*#[0-9a-f]{2}/);
      return /\$([^#]*)#/.exec(got)![1];
    };
    expect(await ask('p20')).toBe('00100000'); // pc (register 32) = 0x1000, little-endian
    const fw = await firmwareElf(place);
    const { parseElf } = await import('../../toolchain/elf.ts');
    const text = parseElf(fw).segments.find((s) => s.paddr === 0x80000000)!.data.subarray(0, 8);
    expect(await ask('m80000000,8')).toBe(Buffer.from(text).toString('hex'));
    sock.write(packet('k'));
    expect(await done).toBe(137);
    sock.destroy();
  });
});

describe('the keyboards', () => {
  /** A machine that is idle when the test says, with input pending when it says. */
  const fakeMachine = (): IdleSource & { idle: boolean; pending: boolean } => {
    const m = {
      onIdle: undefined as (() => void) | undefined, idle: false, pending: false,
      isIdle: () => m.idle,
      board: { hasPendingInput: () => m.pending },
    };
    return m;
  };

  it('piped stdin: one line per idle moment, none while the last one is still being taken, end after the last', () => {
    const src = new PassThrough();
    const m = fakeMachine();
    const feeder = new LineFeeder(src, m);
    const got: string[] = [];
    feeder.on('data', (b: Buffer) => got.push(b.toString('latin1')));
    feeder.on('end', () => got.push('<end>'));
    feeder.resume();
    src.emit('data', Buffer.from('echo a\necho '));
    src.emit('data', Buffer.from('b\nlast'));
    expect(got).toEqual([]); // busy: nothing typed yet
    m.idle = true;
    m.onIdle!();
    expect(got).toEqual(['echo a\n']);
    m.pending = true;
    m.onIdle!();
    expect(got).toEqual(['echo a\n']); // the guest has not taken it all yet
    m.pending = false;
    m.onIdle!();
    expect(got).toEqual(['echo a\n', 'echo b\n']);
    src.emit('end');
    expect(got).toEqual(['echo a\n', 'echo b\n', 'last', '<end>']); // idle now: typed at once, then the end
    m.onIdle!();
    expect(got.length).toBe(4);
  });

  it('piped stdin: a line that comes while the system is idle is typed at once; end waits for the last line', () => {
    const src = new PassThrough();
    const m = fakeMachine();
    m.idle = true;
    const feeder = new LineFeeder(src, m);
    const got: string[] = [];
    feeder.on('data', (b: Buffer) => got.push(b.toString('latin1')));
    feeder.on('end', () => got.push('<end>'));
    feeder.resume();
    src.emit('data', Buffer.from('one\ntwo\n'));
    expect(got).toEqual(['one\n']);
    m.idle = false;
    src.emit('end');
    expect(got).toEqual(['one\n']);
    m.onIdle!(); // called, but the system is not idle (an interrupt waits, say): nothing typed
    expect(got).toEqual(['one\n']);
    m.idle = true;
    m.onIdle!();
    expect(got).toEqual(['one\n', 'two\n', '<end>']);
  });

  it('ResidentBoot.isIdle: the kernel\'s idle with an interrupt waiting to be taken is not idle', () => {
    let waiting = false;
    const m = {
      started: [], kernel: { current: undefined },
      board: { finished: undefined, hasPendingInput: () => false, hart: { wfi: true, interruptWaiting: () => waiting } },
    };
    const isIdle = (): boolean => ResidentBoot.prototype.isIdle.call(m as unknown as ResidentBoot);
    expect(isIdle()).toBe(true);
    waiting = true;
    expect(isIdle()).toBe(false);
  });

  it('a terminal: Ctrl-A C (even split over two reads) asks for the debugger and ends the console as Ctrl-A X would', () => {
    const src = new PassThrough();
    const out = new PassThrough();
    let debug = 0;
    const keys = new ConsoleKeys(src, out, () => { debug++; });
    const got: number[][] = [];
    keys.on('data', (b: Buffer) => got.push([...b]));
    keys.resume();
    src.emit('data', Buffer.from('ab\x01'));
    expect(got).toEqual([[0x61, 0x62]]); // the Ctrl-A is held until the next key
    src.emit('data', Buffer.from('c'));
    expect(debug).toBe(1);
    expect(got[1]).toEqual([0x01, 0x78]);
    src.emit('data', Buffer.from('\x01\x01\x01x\x01h'));
    expect(got[2]).toEqual([0x01, 0x01, 0x01, 0x78, 0x01, 0x68]); // the rest goes to runConsole as it was
    expect(debug).toBe(1);
    expect(out.read()?.toString()).toMatch(/C-a c +debugger prompt/);
  });
});
