// Test harness for the boot path: disk images built with the image library
// (toolchain/image) from the demo modules, byte surgery on them (the boot
// header and module table, with the table's CRC fixed up or not), the
// firmware booted in-process on a board with or without the resident
// kernel, and `tessera boot` (cli/boot_cmd.ts) driven through fake stdio.
// Also the real default image (firmware/build.ts: the servers, /bin),
// built once per test file into the file's scratch cache, and copies of it
// for tests that write.
//
// Entry points: scratch, goodModules, buildDisk, Surgery, bootInProcess,
// runBoot, FakeIo, waitFor, expectFirmwareLine, systemImage, lf,
// SYSTEM_BANNER.

import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, expect } from 'vitest';
import { Board, type StopReason } from '../../vm/board.ts';
import { MemoryBackend, type BlockBackend } from '../../vm/devices/virtio_blk.ts';
import { ResidentBoot } from '../../kernel/boot.ts';
import { loadProgram } from '../../cli/run.ts';
import { bootDisk, type BootFlags } from '../../cli/boot_cmd.ts';
import { buildImage } from '../../toolchain/image/mkimage.ts';
import { crc32, MODULE_FLAGS, type BootModule } from '../../toolchain/image/bootpart.ts';
import { defaultImage, demoModules, firmwareElf, firmwareErrors, type BuildPlace } from '../../firmware/build.ts';

export const MiB = 1024 * 1024;
/** The boot partition's first byte on our images (LBA 2048). */
export const PART = 2048 * 512;

/** A scratch folder for this test file, removed afterwards. */
export function scratch(tag: string): { dir: string; path: (name: string) => string; save: (name: string, bytes: Uint8Array) => string } {
  const dir = mkdtempSync(join(tmpdir(), `tessera-boot-${tag}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    path: (name) => join(dir, name),
    save: (name, bytes) => { const p = join(dir, name); writeFileSync(p, bytes); return p; },
  };
}

let modules: Promise<BootModule[]> | undefined;
/** The demo boot set (pm, init, tty), assembled once per test file. */
export function goodModules(): Promise<BootModule[]> {
  modules ??= demoModules();
  return modules;
}

let system: Promise<string> | undefined;
/**
 * The real default image, built once per test file in `place`'s cache
 * folder (the servers' ELFs come from their own cache, so this is quick
 * once they are built). With `copy`, a fresh copy of it under that name in
 * the same folder, for a test that writes.
 */
export async function systemImage(place: Required<Pick<BuildPlace, 'cacheDir'>>, copy?: string): Promise<string> {
  system ??= defaultImage({ cacheDir: place.cacheDir }).then((r) => r.path);
  const path = await system;
  if (copy === undefined) return path;
  const to = join(place.cacheDir, '..', copy);
  copyFileSync(path, to);
  return to;
}

/** The real system's first lines on the console (LF line ends). */
export const SYSTEM_BANNER = 'Tessera boot firmware\nfirmware: loaded 8 modules: pm ds rs vfs blk mfs tty init\n';

/** Console text with the terminal's CR LF as LF (tty sends CR LF; the firmware and the kernel LF). */
export const lf = (s: string): string => s.replace(/\r\n/g, '\n');

/** A small image (3 MiB: the boot partition at 1 MiB, a 1 MiB root file system) of these modules. */
export function buildDisk(mods: readonly BootModule[]): Uint8Array {
  return buildImage({ size: 3 * MiB, modules: mods.map((m) => ({ ...m })), time: 0 });
}

/** Edits of an image's boot partition. Entries count from 0 here. */
export class Surgery {
  readonly dv: DataView;
  constructor(readonly disk: Uint8Array) {
    this.dv = new DataView(disk.buffer, disk.byteOffset, disk.byteLength);
  }

  u32(at: number, v: number): this { this.dv.setUint32(at, v >>> 0, true); return this; }
  header(field: 'version' | 'count' | 'size' | 'crc', v: number): this {
    return this.u32(PART + { version: 8, count: 12, size: 16, crc: 20 }[field], v);
  }
  entry(i: number): number { return PART + 32 + 64 * i; }
  name(i: number, name: string | Uint8Array): this {
    const bytes = typeof name === 'string' ? new TextEncoder().encode(name) : name;
    this.disk.fill(0, this.entry(i), this.entry(i) + 32);
    this.disk.set(bytes, this.entry(i));
    return this;
  }
  field(i: number, f: 'offset' | 'size' | 'crc' | 'flags' | 'priority', v: number): this {
    return this.u32(this.entry(i) + { offset: 32, size: 36, crc: 40, flags: 44, priority: 48 }[f], v);
  }
  get(i: number, f: 'offset' | 'size'): number { return this.dv.getUint32(this.entry(i) + (f === 'offset' ? 32 : 36), true); }
  count(): number { return this.dv.getUint32(PART + 12, true); }
  /** The table's CRC made right again, so only the edit is wrong. */
  fixTable(): this {
    const n = this.count();
    return this.header('crc', crc32(this.disk.subarray(PART + 32, PART + 32 + 64 * n)));
  }
}

export interface InProcess { r: StopReason; text: string; machine?: ResidentBoot; board: Board }

let fw: Promise<Uint8Array> | undefined;
/** The firmware, assembled into this file's cache folder. */
export function firmware(place: BuildPlace): Promise<Uint8Array> {
  fw ??= firmwareElf(place);
  return fw;
}

/**
 * Power on a board with the firmware and `disk` (none: no virtio-blk at
 * all); with `kernel` false, a bare board with nobody behind the handover.
 * Runs until the guest finishes, idles or `maxInsns` retire.
 */
export async function bootInProcess(place: BuildPlace, disk: Uint8Array | BlockBackend | undefined,
  o: { kernel?: boolean; mem?: number; maxInsns?: number } = {}): Promise<InProcess> {
  const out: number[] = [];
  const backend = disk instanceof Uint8Array ? new MemoryBackend(disk) : disk;
  const opts = { disk: backend, ramSize: o.mem, output: (b: number) => { out.push(b); } };
  const machine = o.kernel === false ? undefined : new ResidentBoot(opts);
  const board = machine?.board ?? new Board(opts);
  loadProgram(board, await firmware(place));
  const r = board.run(o.maxInsns ?? 50_000_000);
  return { r, text: Buffer.from(out).toString('latin1'), machine, board };
}

/** The last line of the console says `line`, and firmware.s documents it (under `name`, with that exit code). */
export function expectFirmwareLine(text: string, name: string, line: string): void {
  const lines = text.split('\n').filter((l) => l !== '');
  expect(lines[lines.length - 1]).toBe(line);
  const e = firmwareErrors().find((x) => x.name === name);
  expect(e, `firmware.s has E_${name}`).toBeDefined();
  // The comment's N stands for a number, X for a module's name.
  const pattern = e!.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\bN\b/g, '(0x)?[0-9a-f]+').replace(/\bX\b/g, '\\S+');
  expect(line).toMatch(new RegExp(`^(firmware|kernel): ${pattern}$`));
}

/** stdio for bootDisk: stdin fed by the test (a TTY or not), stdout and stderr collected. */
export class FakeIo {
  readonly stdin = new PassThrough() as PassThrough & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  out = '';
  err = '';
  raw: boolean[] = [];

  constructor(tty = false) {
    if (tty) {
      this.stdin.isTTY = true;
      this.stdin.setRawMode = (raw: boolean) => { this.raw.push(raw); return this.stdin; };
    }
    this.stdout.setEncoding('latin1').on('data', (s: string) => { this.out += s; });
    this.stderr.setEncoding('utf8').on('data', (s: string) => { this.err += s; });
  }

  /** Type `text` on stdin (and end it, unless more is to come). */
  type(text: string, end = false): void {
    this.stdin.write(Buffer.from(text, 'latin1'));
    if (end) this.stdin.end();
  }
}

/** Resolve once `test` holds for `get()` (polled), or fail after `ms`. */
export async function waitFor(get: () => string, test: RegExp, ms = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!test.test(get())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${test} in:\n${get()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** `tessera boot PATH` in-process, stdin given up front (not a TTY); the exit code and the output. */
export async function runBoot(path: string, input: string, flags: BootFlags = {}, place: BuildPlace = {}): Promise<{ code: number; out: string; err: string }> {
  const io = new FakeIo();
  io.type(input, true);
  const code = await bootDisk(path, flags, io, place);
  await new Promise((r) => setImmediate(r));
  return { code, out: io.out, err: io.err };
}

export { MODULE_FLAGS };
