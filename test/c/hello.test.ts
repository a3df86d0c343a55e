// The interoperability proof: a bare-metal C program built for QEMU's virt
// board with riscv64-unknown-elf-gcc (hello.c, crt0.S, virt.ld) runs under
// `tessera run` and prints exactly what qemu-system-riscv32 prints, with the
// same exit code. The ELF is built at test time in a temporary directory;
// a missing compiler or QEMU fails the test with the Debian package to
// install, never skips it.
//
// Build details (README.md in this folder): Debian's multilib list has no
// rv32ima_zicsr_zifencei/ilp32 entry, so `-lgcc` would pick the rv64 libgcc
// and the link would fail; we link the rv32im/ilp32 libgcc by path instead
// (same ABI, no compressed instructions).

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const GCC = 'riscv64-unknown-elf-gcc';
const QEMU = 'qemu-system-riscv32';
const TIMEOUT_MS = 20_000;

const CFLAGS = [
  '-march=rv32ima_zicsr_zifencei', '-mabi=ilp32', '-O2', '-Wall', '-ffreestanding',
  '-nostdlib', '-nostartfiles', '-fno-asynchronous-unwind-tables',
];

interface Run { exitCode: number; stdout: string; stderr: string; timedOut: boolean }

/** Run a command to completion (killed after TIMEOUT_MS); stdin is empty. */
function runCommand(cmd: string, args: string[], cwd = ROOT): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '', timedOut = false;
    child.stdout.setEncoding('latin1').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, TIMEOUT_MS);
    child.on('error', (e) => { clearTimeout(timer); fail(e); });
    child.on('close', (code) => { clearTimeout(timer); done({ exitCode: code ?? -1, stdout, stderr, timedOut }); });
  });
}

/** Throws naming the Debian package when `cmd` is not installed. */
function requireTool(cmd: string, pkg: string): void {
  const r = spawnSync(cmd, ['--version'], { encoding: 'utf8' });
  if (r.error) throw new Error(`${cmd} not found (${r.error.message}): install the Debian package ${pkg} (apt-get install ${pkg})`);
}

function gcc(args: string[]): string {
  const r = spawnSync(GCC, args, { cwd: HERE, encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`${GCC} ${args.join(' ')} failed:\n${r.error?.message ?? ''}${r.stderr}`);
  return r.stdout.trim();
}

/** Build hello.elf into `dir`; returns its path. */
function buildHello(dir: string): string {
  requireTool(GCC, 'gcc-riscv64-unknown-elf');
  const libgcc = gcc(['-march=rv32im', '-mabi=ilp32', '-print-libgcc-file-name']);
  const elf = join(dir, 'hello.elf');
  gcc([...CFLAGS, '-T', 'virt.ld', '-Wl,--no-warn-rwx-segments', '-o', elf, 'crt0.S', 'hello.c', libgcc]);
  return elf;
}

// What the program must compute, worked out here independently of both machines.
function primesBelow(n: number): number[] {
  const composite = new Uint8Array(n);
  const out: number[] = [];
  for (let i = 2; i < n; i++) {
    if (composite[i]) continue;
    out.push(i);
    for (let j = i * i; j < n; j += i) composite[j] = 1;
  }
  return out;
}
const factorial = (n: bigint): bigint => (n <= 1n ? 1n : n * factorial(n - 1n));

describe('bare-metal C program (riscv64-unknown-elf-gcc) on Tessera and QEMU', () => {
  let dir = '';
  let elf = '';
  let buildError: unknown;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-c-'));
    try {
      elf = buildHello(dir);
    } catch (e) {
      buildError = e; // reported by each test, so the failure names the package
    }
  });
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  const built = (): string => {
    if (buildError) throw buildError;
    return elf;
  };

  it('tessera run prints what QEMU prints and exits with the same code', async () => {
    const path = built();
    requireTool(QEMU, 'qemu-system-misc');
    const [ours, qemu] = await Promise.all([
      runCommand(process.execPath, ['--import', 'tsx', join(ROOT, 'cli/main.ts'), 'run', path]),
      runCommand(QEMU, ['-M', 'virt', '-bios', 'none', '-display', 'none', '-serial', 'stdio',
        '-monitor', 'none', '-kernel', path]),
    ]);
    expect(qemu.timedOut, `QEMU timed out; stderr: ${qemu.stderr}`).toBe(false);
    expect(ours.timedOut, `tessera run timed out; stderr: ${ours.stderr}`).toBe(false);
    expect(ours.stderr).toBe('');
    expect(ours.stdout).toBe(qemu.stdout);
    expect(ours.exitCode).toBe(qemu.exitCode);

    // Non-trivial: the output is the whole program's, with values computed here.
    const primes = primesBelow(2000);
    const sum = primes.reduce((a, b) => a + b, 0);
    const out = ours.stdout;
    expect(out.startsWith('hello from C on the virt board\n')).toBe(true);
    expect(out.endsWith('bye\n')).toBe(true);
    const facts = [15n, 16n, 17n, 18n, 19n, 20n].map((n) => factorial(n).toString()).join(' ');
    expect(out).toContain(`factorials: ${facts}\n`);
    const big = 0x0123456789abcdefn, neg = -9876543210123n;
    expect(out).toContain(`u64 ${big} / 1000003 = ${big / 1000003n} rem ${big % 1000003n}\n`);
    expect(out).toContain(`i64 ${neg} / 97 = ${neg / 97n} rem ${neg % 97n}\n`);
    expect(out).toContain(`i64 ${neg} * -123457 = ${neg * -123457n}\n`);
    expect(out).toContain(`hex ${BigInt.asUintN(64, big * 3n).toString(16).padStart(16, '0')} deadbeef ff\n`);
    // RISC-V M: INT_MIN / -1 = INT_MIN, rem 0; x / 0 = -1, x % 0 = x.
    expect(out).toContain('div edge: -2147483648 0 -1 17\n');
    expect(out).toContain('hanoi(10) = 1023 moves\n');
    expect(out).toContain(`primes below 2000: ${primes.length}\n`);
    expect(out).toContain(`sum of primes: ${sum}, checksum ${String.fromCharCode(65 + (sum % 26))}\n`);
    expect(ours.exitCode).toBe((sum % 200) + 1);
  });
});
