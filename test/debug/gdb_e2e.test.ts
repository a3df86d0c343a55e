// The GDB stub end to end with the real client: gdb-multiarch runs one
// script (test/debug/gdb/session.gdb) against Tessera (the `--gdb` helper,
// in process) and against qemu-system-riscv32 -S -gdb, on the same program
// (test/debug/gdb/prog.s: a breakpoint on a symbol, stepi, registers, a
// watchpoint, Sv32 and S-mode, memory written through the translation), and
// both transcripts must read the same: the same stops, pcs, register and
// memory values. The `monitor` lines differ by nature (QEMU has no vtop), so
// they are cut out and Tessera's are checked against the page tables the
// program builds. The end differs too: QEMU 7.2's sifive_test exits without
// telling gdb, Tessera reports the exit (W00).
//
// gdb-multiarch (Debian package gdb-multiarch) and qemu-system-riscv32
// (qemu-system-misc) are required: without them this test fails, naming them.

import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemble } from '../../toolchain/asm/index.ts';
import { Board } from '../../vm/board.ts';
import { loadProgram } from '../../cli/run.ts';
import { serveGdb } from '../../cli/gdb_serve.ts';
import { QEMU, QEMU_ARGS } from '../isa/qemu.ts';
import { findOnPath } from '../isa/gnu.ts';

const GDB = 'gdb-multiarch';
const HERE = fileURLToPath(new URL('./gdb/', import.meta.url));
const SCRIPT = join(HERE, 'session.gdb');

function requireTools(): void {
  if (!findOnPath(GDB)) throw new Error(`${GDB} not found on PATH: install the Debian package gdb-multiarch`);
  if (!findOnPath(QEMU)) throw new Error(`${QEMU} not found on PATH: install the Debian package qemu-system-misc`);
}

/** Run gdb's batch session against 127.0.0.1:port; resolves with its stdout and stderr, merged. */
function runGdb(elf: string, port: number): Promise<string> {
  const args = ['-batch', '-nx', '-ex', 'set architecture riscv:rv32', '-ex', `target remote 127.0.0.1:${port}`, '-x', SCRIPT, elf];
  return new Promise((resolve, reject) => {
    const child = spawn(GDB, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', () => { clearTimeout(timer); resolve(out); });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function onTessera(elfBytes: Uint8Array, elf: string): Promise<{ transcript: string; exitCode: number; log: string[] }> {
  const board = new Board();
  const prog = loadProgram(board, elfBytes);
  const log: string[] = [];
  let gdb: Promise<string> | undefined;
  const exit = serveGdb(board, prog, 0, { log: (l) => log.push(l), onListening: (port) => { gdb = runGdb(elf, port); } });
  const exitCode = await exit;
  return { transcript: await gdb!, exitCode, log };
}

async function onQemu(elf: string): Promise<{ transcript: string; exitCode: number | null }> {
  const port = await freePort();
  // QEMU_ARGS with the UART not on stdio: the program prints nothing.
  const args = QEMU_ARGS.map((a, i) => (QEMU_ARGS[i - 1] === '-serial' ? 'none' : a));
  const qemu = spawn(QEMU, [...args, '-S', '-gdb', `tcp:127.0.0.1:${port}`, '-kernel', elf], { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => qemu.on('close', (code) => resolve(code)));
  try {
    // gdb retries the connection until QEMU listens (tcp auto-retry).
    const transcript = await runGdb(elf, port);
    const timer = setTimeout(() => qemu.kill('SIGKILL'), 5000);
    const exitCode = await exited;
    clearTimeout(timer);
    return { transcript, exitCode };
  } finally {
    qemu.kill('SIGKILL');
  }
}

/** The transcript up to @@END, without the monitor section; then the monitor section; then the end. */
function split(t: string): { common: string[]; monitor: string[]; end: string[] } {
  const lines = t.replace(/\r/g, '').split('\n');
  const b = lines.indexOf('@@MONITOR-BEGIN'), e = lines.indexOf('@@MONITOR-END'), end = lines.indexOf('@@END');
  expect(b, t).toBeGreaterThan(0);
  expect(e, t).toBeGreaterThan(b);
  expect(end, t).toBeGreaterThan(e);
  return {
    common: [...lines.slice(0, b), ...lines.slice(e + 1, end)].filter((l) => !l.startsWith('warning: ')),
    monitor: lines.slice(b + 1, e),
    end: lines.slice(end + 1),
  };
}

describe('gdb-multiarch against Tessera and QEMU', () => {
  it('the same script gives the same stops, registers and memory on both', async () => {
    requireTools();
    const dir = mkdtempSync(join(tmpdir(), 'tessera-gdb-'));
    try {
      const { elf: bytes, symbols } = assemble(readFileSync(join(HERE, 'prog.s'), 'utf8'), { filename: 'prog.s' });
      const elf = join(dir, 'prog.elf');
      writeFileSync(elf, bytes);
      const [tess, qemu] = await Promise.all([onTessera(bytes, elf), onQemu(elf)]);
      const t = split(tess.transcript), q = split(qemu.transcript);

      // Tessera: the listening line, no gdb errors, and the program ran to its end and passed.
      expect(tess.log[0]).toMatch(/^gdb stub listening on 127\.0\.0\.1:\d+$/);
      expect(tess.transcript).not.toMatch(/Error in sourced command file/);
      expect(t.end.join('\n')).toContain('[Inferior 1 (Remote target) exited normally]');
      expect(tess.exitCode).toBe(0);
      expect(qemu.exitCode).toBe(0);

      // The stops and values, independently of QEMU: the watchpoint shows the store's
      // effect at the instruction after it, gdb's writes through the mapping land in
      // `shared`, and S-mode is reported as priv 1.
      const common = t.common.join('\n');
      const afterStore = (symbols.get('loop')! + 0x20).toString(16);
      expect(common).toMatch(new RegExp(`Old value = 0\\nNew value = 3\\n0x${afterStore} in loop \\(\\)`));
      expect(common).toMatch(/Old value = 3\nNew value = 7/);
      expect(common).toContain(`Breakpoint 3, 0x${symbols.get('smode')!.toString(16)} in smode ()`);
      expect(common).toMatch(/0x40000000:\t0x00000000\t0x1234abcd\t0x55aa55aa\t0x00000000/);
      expect(common).toContain(`0x${symbols.get('shared')!.toString(16)}:\t0x00000000\t0x1234abcd\t0x55aa55aa`);
      expect(common).toMatch(/\$\d+ = 0x1234abce/);

      // Both machines: line for line the same.
      const firstDiff = t.common.findIndex((l, i) => l !== q.common[i]);
      expect({ firstDiff, tessera: t.common[firstDiff], qemu: q.common[firstDiff] }).toEqual({ firstDiff: -1, tessera: undefined, qemu: undefined });
      expect(t.common.length).toBe(q.common.length);
      expect(t.common.length).toBeGreaterThan(60);

      // monitor vtop: the identity megapage, and the 4 KiB page onto `shared`.
      const mon = t.monitor.join('\n');
      const root = symbols.get('pt_root')!, l0 = symbols.get('pt_l0')!, shared = symbols.get('shared')!;
      const h8 = (n: number) => '0x' + n.toString(16).padStart(8, '0');
      expect(mon).toContain(`PTE at ${h8(root + 0x200 * 4)} = 0x200000cf`);
      expect(mon).toMatch(/=> PA 0x80000000 .*megapage/);
      expect(mon).toContain(`PTE at ${h8(root + 0x100 * 4)}`);
      expect(mon).toContain(`PTE at ${h8(l0)} = ${h8(((shared >>> 12) << 10) | 0xc7)}`);
      expect(mon).toContain(`=> PA ${h8(shared + 4)}`);
      // QEMU has no vtop; what its monitor prints for it differs between runs (and may be nothing), so it is not compared.
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
