// The `tessera` command line (cli/main.ts), driven as a user drives it: a
// child process per command, stdout, stderr and the exit code checked.
//   run     bad input gives one line on stderr naming the problem, exit 2,
//           never a stack trace; tohost; --max-insns; --trace
//   asm     errors as file:line:column; a program that runs
//   disasm  objdump-style lines
// The commands run as `node --import tsx cli/main.ts ...` (what the
// `tessera` bin does, minus npx); one test runs the bin script itself.

import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assemble } from '../../toolchain/asm/index.ts';
import { writeElf } from '../../toolchain/elf.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = join(ROOT, 'cli/main.ts');
const BIN = join(ROOT, 'cli/tessera.js');

interface Result { code: number; stdout: string; stderr: string }

/** Run a node script with tsx, in the repository, stdin empty; killed after 30 s. */
function node(args: string[]): Promise<Result> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('latin1').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', (e) => { clearTimeout(timer); fail(e); });
    child.on('close', (code, signal) => { clearTimeout(timer); done({ code: code ?? (signal ? -1 : 0), stdout, stderr }); });
  });
}
const tessera = (...args: string[]): Promise<Result> => node(['--import', 'tsx', MAIN, ...args]);

let dir = '';
const at = (name: string): string => join(dir, name);
const put = (name: string, data: string | Uint8Array): string => { writeFileSync(at(name), data); return at(name); };
const build = (name: string, source: string): string => put(name, assemble(source, { filename: `${name}.s` }).elf);

/** Power off through sifive_test: exit code 0. */
const PASS = 'li t0, 0x100000\n    li t1, 0x5555\n    sw t1, 0(t0)\n1:  j 1b\n';

const HELLO = `
    .globl _start
_start:
    la s0, msg
    li s1, 0x10000000
1:  lbu a0, 0(s0)
    beqz a0, 2f
    sb a0, 0(s1)               # THR (always ready on the virt board)
    addi s0, s0, 1
    j 1b
2:  ${PASS}
    .data
msg: .asciz "hello\\n"
`;

// --- hand-made ELF headers (not RISC-V ELF32 little-endian) ---

/** A minimal ELF64 RISC-V executable: header, one PT_LOAD, four bytes of code. */
function elf64(): Uint8Array {
  const b = new Uint8Array(64 + 56 + 4);
  const dv = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  dv.setUint16(16, 2, true); dv.setUint16(18, 243, true); dv.setUint32(20, 1, true);
  dv.setBigUint64(24, 0x80000000n, true); dv.setBigUint64(32, 64n, true);
  dv.setUint16(52, 64, true); dv.setUint16(54, 56, true); dv.setUint16(56, 1, true); dv.setUint16(58, 64, true);
  dv.setUint32(64, 1, true); dv.setUint32(68, 5, true); dv.setBigUint64(72, 120n, true);
  dv.setBigUint64(80, 0x80000000n, true); dv.setBigUint64(88, 0x80000000n, true);
  dv.setBigUint64(96, 4n, true); dv.setBigUint64(104, 4n, true); dv.setBigUint64(112, 0x1000n, true);
  dv.setUint32(120, 0x0000006f, true); // j .
  return b;
}

/** An ELF32 big-endian header (RISC-V machine number, big-endian fields). */
function elf32BigEndian(): Uint8Array {
  const b = new Uint8Array(52);
  const dv = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 1, 2, 1]);
  dv.setUint16(16, 2); dv.setUint16(18, 243); dv.setUint32(20, 1); dv.setUint32(24, 0x80000000);
  dv.setUint16(40, 52); dv.setUint16(42, 32); dv.setUint16(46, 40);
  return b;
}

/** A well-formed ELF32 little-endian executable whose e_machine says x86 (EM_386). */
function elf32X86(valid: Uint8Array): Uint8Array {
  const b = valid.slice();
  new DataView(b.buffer).setUint16(18, 3, true);
  return b;
}

function expectOneLineError(r: Result, problem: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n');
  expect(lines.length, `stderr: ${r.stderr}`).toBe(2); // one line and its newline
  expect(lines[1]).toBe('');
  expect(lines[0]).toMatch(/^tessera: /);
  expect(lines[0]).toMatch(problem);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error|Error:/);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
});
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

describe.concurrent('tessera run: bad input is one line on stderr and exit 2', () => {
  const valid = (): Uint8Array => assemble(`.globl _start\n_start:\n    ${PASS}`, { filename: 'v.s' }).elf;

  it('a text file', async () => {
    expectOneLineError(await tessera('run', put('notes.txt', 'just some text\nand more\n')), /not an ELF/);
  });

  it('an empty file', async () => {
    expectOneLineError(await tessera('run', put('empty.elf', '')), /not an ELF/);
  });

  it('an ELF cut inside its header', async () => {
    expectOneLineError(await tessera('run', put('cut-header.elf', valid().subarray(0, 40))), /truncated/);
  });

  it('an ELF cut inside its program', async () => {
    const v = valid();
    expectOneLineError(await tessera('run', put('cut-body.elf', v.subarray(0, 0x1002))), /truncated/);
  });

  it('an ELF64 file', async () => {
    expectOneLineError(await tessera('run', put('rv64.elf', elf64())), /ELF64/);
  });

  it('a big-endian ELF', async () => {
    expectOneLineError(await tessera('run', put('be.elf', elf32BigEndian())), /big-endian/);
  });

  it('an x86 ELF32', async () => {
    expectOneLineError(await tessera('run', put('x86.elf', elf32X86(valid()))), /x86/);
  });

  it('a host executable (the first 4 KiB of this very node binary: headers, cut short)', async () => {
    const fd = openSync(process.execPath, 'r');
    const head = new Uint8Array(4096);
    const n = readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
    expectOneLineError(await tessera('run', put('host-executable', head.subarray(0, n))), /ELF64|not RISC-V|not an ELF|truncated/);
  });

  it('a segment outside RAM', async () => {
    const elf = writeElf({
      entry: 0x40000000,
      sections: [{ name: '.text', addr: 0x40000000, data: new Uint8Array([0x6f, 0, 0, 0]), exec: true }],
    });
    expectOneLineError(await tessera('run', put('mmio.elf', elf)), /outside RAM/);
  });

  it('a segment running past the end of RAM', async () => {
    const elf = writeElf({
      entry: 0x87fff000,
      sections: [{ name: '.text', addr: 0x87fff000, data: new Uint8Array(0x2000), exec: true }],
    });
    expectOneLineError(await tessera('run', '--mem', '128M', put('past-end.elf', elf)), /outside RAM/);
  });

  it('a missing file', async () => {
    const missing = at('no-such-file.elf');
    const r = await tessera('run', missing);
    expectOneLineError(r, /ENOENT/);
    expect(r.stderr).toContain(missing);
  });

  it('a directory', async () => {
    mkdirSync(at('a-directory'), { recursive: true });
    expectOneLineError(await tessera('run', at('a-directory')), /cannot read|EISDIR/);
  });
});

describe.concurrent('tessera asm and disasm', () => {
  it('asm reports a syntax error as file:line:column and exits 2', async () => {
    const src = put('bad.s', '    .globl _start\n_start:\n    frob a0, a1\n    addi a0, a0, 1\n');
    const r = await tessera('asm', src, '-o', at('bad.elf'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tessera: /);
    expect(r.stderr).toContain(`${src}:3:5: error:`); // line 3, the mnemonic at column 5
    expect(r.stderr).toMatch(/frob/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('asm then run: a program printing "hello" through the UART', async () => {
    const src = put('hello.s', HELLO);
    const out = at('hello.elf');
    const a = await tessera('asm', src, '-o', out);
    expect(a.code, a.stderr).toBe(0);
    expect(readFileSync(out).subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
    const r = await tessera('run', out);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hello\n');
    expect(r.code).toBe(0);
  });

  it('disasm prints objdump-style lines', async () => {
    const elf = build('dis.elf', `
      .globl _start
      _start:
          addi a0, zero, 5
          add a2, a0, a1
          beq a0, a1, _start
          j _start
          csrr a0, mhartid
          sw a2, -4(sp)
          lui t0, 0x10000
          ret
    `);
    const r = await tessera('disasm', elf);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('Disassembly of section .text:');
    expect(lines).toContain('80000000 <_start>:');
    // Words as the RISC-V spec (and GNU as) encode them; text in the friendly form.
    expect(lines.filter((l) => /^[0-9a-f]{8}:\t/.test(l))).toEqual([
      '80000000:\t00500513\tli a0, 5',
      '80000004:\t00b50633\tadd a2, a0, a1',
      '80000008:\tfeb50ce3\tbeq a0, a1, 0x80000000 <_start>',
      '8000000c:\tff5ff06f\tj 0x80000000 <_start>',
      '80000010:\tf1402573\tcsrr a0, mhartid',
      '80000014:\tfec12e23\tsw a2, -4(sp)',
      '80000018:\t100002b7\tlui t0, 0x10000',
      '8000001c:\t00008067\tret',
    ]);
  });
});

describe.concurrent('tessera run: how a run ends', () => {
  const tohost = (value: number): string => `
      .globl _start
      _start:
          la t0, tohost
          li t1, ${value}
          sw t1, 0(t0)
      1:  j 1b
          .data
          .balign 64
          .globl tohost
      tohost: .word 0, 0
  `;

  it('riscv-tests tohost: storing 1 passes (exit 0)', async () => {
    const r = await tessera('run', '--max-insns', '100000', build('tohost1.elf', tohost(1)));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
  });

  it('riscv-tests tohost: storing 7 fails test 3 (exit 3)', async () => {
    const r = await tessera('run', '--max-insns', '100000', build('tohost7.elf', tohost(7)));
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toBe('tessera: FAIL test 3\n');
  });

  it('--max-insns stops a program that loops forever: exit 124 and a message', async () => {
    const r = await tessera('run', '--max-insns', '5000', build('loop.elf', '.globl _start\n_start:\n    j _start\n'));
    expect(r.code).toBe(124);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^tessera: .*instruction limit.*5000/);
    expect(r.stderr.trim().split('\n').length).toBe(1);
  });

  it('--trace prints one line per retired instruction: mode, pc, word, disassembly, register written', async () => {
    const elf = build('trace.elf', `
      .globl _start
      _start:
          li a0, 5
          addi a1, a0, 3
          lui t0, 0x100
          li t1, 0x5555
          sw t1, 0(t0)
    `);
    const r = await tessera('run', '--trace', elf);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    // The reset ROM's six instructions (QEMU's layout: auipc, addi, csrr, lw, lw, jr), then ours;
    // `li t1, 0x5555` is lui + addi, and the powering-off store retires too.
    expect(lines.length).toBe(6 + 6);
    for (const l of lines) expect(l).toMatch(/^[MSU] [0-9a-f]{8}: [0-9a-f]{8} {2}\S.*$/);
    expect(lines[0]).toBe('M 00001000: 00000297  auipc t0, 0x0  t0=0x00001000');
    expect(lines[5]).toMatch(/^M 00001014: 00028067 {2}jr t0$/);
    expect(lines[6]).toBe('M 80000000: 00500513  li a0, 5  a0=0x00000005');
    expect(lines[7]).toBe('M 80000004: 00350593  addi a1, a0, 3  a1=0x00000008');
    expect(lines[8]).toBe('M 80000008: 001002b7  lui t0, 0x100  t0=0x00100000');
    expect(lines[10]).toMatch(/^M 80000010: 55530313 {2}.*t1=0x00005555$/);
    expect(lines[11]).toBe('M 80000014: 0062a023  sw t1, 0(t0)'); // a store writes no register
  });
});

describe('the tessera executable (cli/tessera.js)', () => {
  // cli/main.ts starts itself when process.argv[1] matches
  // /[\\/]cli[\\/](main|tessera)\.(ts|js)$/, and cli/tessera.js also calls
  // main(): run as `node cli/tessera.js ...`, every command runs twice.
  it('runs a command once', async () => {
    const elf = build('hello-bin.elf', HELLO);
    const r = await node([BIN, 'run', elf]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('hello\n');
  });
});
