// virtio-blk end to end: test/board/virtio_blk_driver.s, a bare-metal
// driver built by our assembler, runs on Tessera (in process with a
// FileBackend, and through `tessera run --disk`) and on QEMU 7.2 with the
// modern virtio-mmio layout, each on its own copy of one 64 KiB image.
// All three must pass, print the transcript below (QEMU differs only in the
// slot line: it puts the disk in the last slot), and leave the image with
// the driver's pattern in sector 2 and every other byte as it was.
// Also: `tessera run --disk` with a missing or oddly sized image is one
// line on stderr and exit 2.
//
// QEMU is required: without qemu-system-riscv32 the QEMU tests fail with a
// message naming the Debian package, they do not skip.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assemble } from '../../toolchain/asm/index.ts';
import { runElfSync } from '../../cli/run.ts';
import { FileBackend } from '../../vm/devices/virtio_blk.ts';
import { QEMU, QEMU_ARGS } from '../isa/qemu.ts';
import { findOnPath } from '../isa/gnu.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const DRIVER = join(HERE, 'virtio_blk_driver.s');

const SECTOR = 512;
const SECTORS = 128;                       // a 64 KiB image
const TEXT0 = 'Tessera virtio-blk test: this is sector 0';
const TEXT1 = 'Tessera virtio-blk test: sector 1 here';
/** What the driver writes to sector 2 (its `pattern` label). */
const PATTERN = '<tessera virtio-blk pattern #2>\n'.repeat(16);
/** QEMU 7.2 virt: the first -device virtio-blk-device takes the last slot (0x1000_8000, IRQ 8). */
const QEMU_SLOT = 7;
const QEMU_DISK_ARGS = (img: string): string[] => [
  '-global', 'virtio-mmio.force-legacy=false',
  '-drive', `file=${img},if=none,format=raw,id=hd0`,
  '-device', 'virtio-blk-device,drive=hd0',
];

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every byte a function of its offset (so a stray write shows), and NUL-ended text in sectors 0 and 1. */
function makeDisk(): Uint8Array {
  const img = Uint8Array.from({ length: SECTORS * SECTOR }, (_, i) => (i * 7 + 3) & 0xff);
  img.set(latin1(TEXT0 + '\0'), 0);
  img.set(latin1(TEXT1 + '\0'), SECTOR);
  return img;
}

/** The driver's hash of a sector (FNV-1a, 32-bit). */
function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193);
  return h >>> 0;
}

const ORIGINAL = makeDisk();
const sector = (img: Uint8Array, n: number): Uint8Array => img.subarray(n * SECTOR, (n + 1) * SECTOR);

/** The whole UART transcript but the slot line. The lens are the used elements' (QEMU's convention). */
const TRANSCRIPT = [
  'virtio-blk: scanning 8 virtio-mmio slots',
  `capacity ${SECTORS} sectors`,
  `sector 0: ${TEXT0}`,
  `sector 0 fnv1a ${hex8(fnv1a(sector(ORIGINAL, 0)))} len 513`,
  'sector 1 completed by interrupt, source claimed and acked',
  `sector 1: ${TEXT1}`,
  `sector 1 fnv1a ${hex8(fnv1a(sector(ORIGINAL, 1)))} len 513`,
  'sector 2 written len 1',
  'flush len 1',
  'sector 2 read back: matches the pattern len 513',
  'id "" len 21',                          // neither machine sets a serial
  `read of sector ${SECTORS}: status 1 len 513`,
  'pass',
  '',
].join('\n');

const SLOT_LINE = /^slot (\d) irq (\d+)\n/m;
const withoutSlot = (out: string): string => out.replace(SLOT_LINE, '');
const slotOf = (out: string): number | undefined => {
  const m = SLOT_LINE.exec(out);
  return m ? Number(m[1]) : undefined;
};

/** "E_READ1 (16): reading sector 1 ... failed" for an exit code, from the driver's .equ lines. */
function explain(code: number): string {
  if (code === 0) return 'pass';
  const source = readFileSync(DRIVER, 'utf8');
  for (const m of source.matchAll(/^\.equ (E_\w+), (\d+)\s*#\s*(.*)$/gm)) {
    if (Number(m[2]) === code) return `${m[1]} (${code}): ${m[3]}`;
  }
  return `exit code ${code} (not a driver failure code)`;
}

/** The image after a run: sector 2 holds the pattern, the rest is untouched. */
function expectImage(path: string, who: string): void {
  const img = new Uint8Array(readFileSync(path));
  expect(img.length, `${who}: image size`).toBe(ORIGINAL.length);
  expect(Buffer.from(sector(img, 2)).toString('latin1'), `${who}: sector 2`).toBe(PATTERN);
  const expected = ORIGINAL.slice();
  expected.set(latin1(PATTERN), 2 * SECTOR);
  const first = img.findIndex((b, i) => b !== expected[i]);
  expect(first, `${who}: first changed byte outside sector 2`).toBe(-1);
}

interface Run { code: number; stdout: string; stderr: string }

/** Run a program to completion, stdin closed; SIGKILL after 30 s (code -1). */
function run(cmd: string, args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('latin1').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    const timer = setTimeout(() => { stderr += '[killed after 30 s]'; child.kill('SIGKILL'); }, 30_000);
    child.on('error', (e) => { clearTimeout(timer); fail(e); });
    child.on('close', (code) => { clearTimeout(timer); done({ code: code ?? -1, stdout, stderr }); });
  });
}

const tessera = (...args: string[]): Promise<Run> => run(process.execPath, ['--import', 'tsx', join(ROOT, 'cli/main.ts'), ...args]);

let dir = '';
let elfPath = '';
const at = (name: string): string => join(dir, name);

/** A fresh copy of the image for one machine. */
function diskCopy(name: string): string {
  writeFileSync(at(name), ORIGINAL);
  return at(name);
}

let qemu: Promise<Run> | undefined;
/** The driver on QEMU, started once and shared by the tests that need it. */
function onQemu(): Promise<Run> {
  qemu ??= (async () => {
    if (!findOnPath(QEMU)) {
      throw new Error(`${QEMU} not found on PATH: install the Debian package qemu-system-misc`);
    }
    return run(QEMU, [...QEMU_ARGS, ...QEMU_DISK_ARGS(diskCopy('qemu.img')), '-kernel', elfPath]);
  })();
  return qemu;
}

let inProcess: { exitCode: number; stdout: string; reason: string } | undefined;
/** The driver on Tessera in this process, through runElfSync and a FileBackend. */
function onTessera(): { exitCode: number; stdout: string; reason: string } {
  if (!inProcess) {
    const disk = new FileBackend(diskCopy('tessera.img'));
    try {
      inProcess = runElfSync(readFileSync(elfPath), { disk, maxInsns: 5_000_000 });
    } finally {
      disk.close();
    }
  }
  return inProcess;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-virtio-blk-'));
  elfPath = at('virtio_blk_driver.elf');
  const { elf } = assemble(readFileSync(DRIVER, 'utf8'), {
    filename: DRIVER,
    readFile: (p) => readFileSync(resolve(HERE, p), 'utf8'),
  });
  writeFileSync(elfPath, elf);
});

afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

describe('virtio-blk driver program', () => {
  it('passes on Tessera (runElfSync, FileBackend) and leaves the pattern in sector 2', () => {
    const r = onTessera();
    expect(r.exitCode, `${explain(r.exitCode)}; stop: ${r.reason}; output:\n${r.stdout}`).toBe(0);
    expect(slotOf(r.stdout), r.stdout).toBe(0);
    expect(r.stdout).toContain('slot 0 irq 1\n');
    expect(withoutSlot(r.stdout)).toBe(TRANSCRIPT);
    expectImage(at('tessera.img'), 'Tessera');
  });

  it('passes through `tessera run --disk` with the same output', async () => {
    const r = await tessera('run', '--disk', diskCopy('cli.img'), elfPath);
    expect(r.code, `${explain(r.code)}; stderr: ${r.stderr}; output:\n${r.stdout}`).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(onTessera().stdout);
    expectImage(at('cli.img'), 'tessera run');
  });

  it('passes on QEMU 7.2 (virtio-mmio.force-legacy=false), in the last slot', async () => {
    const r = await onQemu();
    expect(r.code, `${explain(r.code)}; QEMU stderr: ${r.stderr}; output:\n${r.stdout}`).toBe(0);
    expect(slotOf(r.stdout), r.stdout).toBe(QEMU_SLOT);
    expect(r.stdout).toContain(`slot ${QEMU_SLOT} irq ${QEMU_SLOT + 1}\n`);
    expectImage(at('qemu.img'), 'QEMU');
  });

  it('prints the same on QEMU as on Tessera, but for the slot line', async () => {
    const q = await onQemu();
    const t = onTessera();
    expect(withoutSlot(t.stdout)).toBe(withoutSlot(q.stdout));
    expect(withoutSlot(q.stdout)).toBe(TRANSCRIPT);
  });
});

describe('tessera run --disk with a bad image', () => {
  function expectOneLine(r: Run, problem: RegExp): void {
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^tessera: [^\n]*\n$/);
    expect(r.stderr).toMatch(problem);
    expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
  }

  it('a missing file', async () => {
    const path = at('no-such.img');
    expectOneLine(await tessera('run', '--disk', path, elfPath), new RegExp(`disk image ${escape(path)}.*(ENOENT|no such file)`));
  });

  it('a size that is not a multiple of 512 bytes', async () => {
    const path = at('odd.img');
    writeFileSync(path, ORIGINAL.subarray(0, 1000));
    expectOneLine(await tessera('run', '--disk', path, elfPath), new RegExp(`disk image ${escape(path)}: size 1000 is not a multiple of 512`));
  });
});
