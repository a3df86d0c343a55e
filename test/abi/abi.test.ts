// The user ABI from both sides: a C program built with riscv64-unknown-elf-gcc
// (hello.c, crt0.S, tessera.ld, tessera.h) runs under `run --user` like an
// AssemblyScript one, and the three copies of the call numbers (abi.ts for
// the host, tessera.h for C, servers/lib/syscall.ts for AssemblyScript) agree.
// The ELF is built at test time; a missing compiler fails the test with the
// Debian package to install, never skips it. libgcc is linked by path
// (Debian's multilib picks the rv64 one for -march=rv32ima_zicsr_zifencei;
// test/c/README.md).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUserElf } from '../../cli/user_run.ts';
import { parseElf, PT_LOAD, PF } from '../../toolchain/elf.ts';
import { SYS, ERRNO, LAYOUT, IPC, MESSAGE } from '../../toolchain/wasm/abi.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const GCC = 'riscv64-unknown-elf-gcc';
const CFLAGS = ['-march=rv32ima_zicsr_zifencei', '-mabi=ilp32', '-O2', '-Wall', '-Werror', '-ffreestanding', '-nostdlib',
  '-nostartfiles', '-static', '-fno-asynchronous-unwind-tables'];

function gcc(args: string[]): string {
  const r = spawnSync(GCC, args, { cwd: HERE, encoding: 'utf8' });
  if (r.error) throw new Error(`${GCC} not found (${r.error.message}): install the Debian package gcc-riscv64-unknown-elf`);
  if (r.status !== 0) throw new Error(`${GCC} ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout.trim();
}

describe('a C program on the Tessera user ABI', () => {
  let dir = '';
  let elf: Uint8Array | undefined;
  let buildError: unknown;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-abi-'));
    try {
      const libgcc = gcc(['-march=rv32im', '-mabi=ilp32', '-print-libgcc-file-name']);
      const out = join(dir, 'hello.elf');
      gcc([...CFLAGS, '-T', 'tessera.ld', '-o', out, 'crt0.S', 'hello.c', libgcc]);
      elf = readFileSync(out);
    } catch (e) {
      buildError = e;
    }
  });
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });
  const built = (): Uint8Array => {
    if (buildError) throw buildError;
    return elf!;
  };

  it('links to the user layout: code from 0x10000, no writable code, all below the stack', () => {
    const f = parseElf(built());
    const loads = f.segments.filter((s) => s.type === PT_LOAD && s.memsz > 0);
    expect(loads.length).toBeGreaterThan(0);
    for (const s of loads) {
      expect(s.vaddr).toBeGreaterThanOrEqual(LAYOUT.nullGuardEnd);
      expect(s.vaddr + s.memsz).toBeLessThan(LAYOUT.stackTop - LAYOUT.stackSize);
      expect((s.flags & PF.X) !== 0 && (s.flags & PF.W) !== 0, `segment at ${s.vaddr.toString(16)} is W+X`).toBe(false);
    }
    expect(f.entry).toBe(loads[0].vaddr);
  });

  it('runs under run --user: write, brk, IPC answering -ENOSYS, libgcc, exit status', () => {
    const r = runUserElf(built(), { ramSize: 16 << 20 });
    // Expected values worked out here, independently of the machine.
    let sum = 0;
    for (let i = 0; i < 100; i++) sum += i * i;
    let check = 0;
    for (let i = 0; i < 16384; i++) check = (check ^ Math.imul(i, 2654435761)) >>> 0;
    const big = 0x0123456789abcdefn;
    expect(r.message).toBeUndefined();
    expect(r.stdout).toBe([
      'hello from C on Tessera',
      `sum of squares below 100: ${sum}`,
      `heap check: ${check}`,
      `brk past the limit: ${-ERRNO.ENOMEM}`,
      `i64: ${big / 1000003n} ${big % 1000003n}`,
      `sendrec without a kernel: ${-ERRNO.ENOSYS}`,
      `write to a bad fd: ${-ERRNO.EBADF}`,
      `write from unmapped memory: ${-ERRNO.EFAULT}`,
      '',
    ].join('\n'));
    expect(r.exitCode).toBe((sum % 200) + 1);
  });
});

describe('the call numbers agree in abi.ts, tessera.h and servers/lib', () => {
  const header = readFileSync(join(HERE, 'tessera.h'), 'utf8');
  const lib = readFileSync(join(ROOT, 'servers/lib/syscall.ts'), 'utf8') + readFileSync(join(ROOT, 'servers/lib/ipc.ts'), 'utf8');
  const cValue = (name: string): number => Number(new RegExp(`\\b${name} = (0x[0-9a-f]+|\\d+)`).exec(header)?.[1]);
  const asValue = (name: string): number => Number(new RegExp(`const ${name}: i32 = (0x[0-9a-f]+|\\d+)`).exec(lib)?.[1]);

  it('system calls', () => {
    for (const [name, num] of Object.entries(SYS)) {
      expect(cValue(`SYS_${name}`), `tessera.h SYS_${name}`).toBe(num);
      expect(asValue(`SYS_${name}`), `servers/lib SYS_${name}`).toBe(num);
    }
  });

  it('error numbers, ANY and the message size', () => {
    for (const name of ['EBADF', 'ENOMEM', 'EFAULT', 'EINVAL', 'ENOSYS'] as const) {
      expect(cValue(name), name).toBe(ERRNO[name]);
      expect(asValue(name), name).toBe(ERRNO[name]);
    }
    expect(cValue('ANY')).toBe(IPC.ANY);
    expect(asValue('ANY')).toBe(IPC.ANY);
    expect(asValue('MESSAGE_SIZE')).toBe(MESSAGE.size);
  });
});
