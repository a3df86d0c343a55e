// Booting the storage servers for test/fs: a board with a disk on
// virtio-blk slot 0, the resident kernel, and a boot list of built programs
// (servers and AssemblyScript test clients), each with the privileges its
// role needs, given straight through the kernel's boot-image entries.
// Also the disks themselves: an MBR with a boot partition (1) and a MINIX
// v3 partition (2), made with the host image library or by util-linux
// mkfs.minix, and fsck.minix run on partition 2.
//
// Entry points: FS_PRIVILEGES, bootFs, FsSystem, BootEntry, makeDisk,
// partition, fsckMinix, mkfsMinixDisk, results.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Board } from '../../vm/board.ts';
import { MemoryBackend } from '../../vm/devices/virtio_blk.ts';
import { Kernel, type BootImage } from '../../kernel/kernel.ts';
import { MEMMAP } from '../../vm/board.ts';
import { writeMbr, readMbr, SECTOR, MIB_SECTORS, PART_TYPE } from '../../toolchain/image/mbr.ts';
import { MinixFs } from '../../toolchain/image/minixfs.ts';

type Priv = Pick<BootImage, 'kcalls' | 'targets' | 'irqs' | 'mmio'>;

const COPIES = ['safecopyfrom', 'safecopyto', 'setgrant'];

/**
 * What each storage server needs (reported to the lead for
 * kernel/privileges.ts), and what the test clients get: grants for their
 * buffers, GETINFO to find the servers by name, sends to anyone. mfs's
 * "times" is its clock for time stamps.
 */
export const FS_PRIVILEGES: Record<'blk' | 'mfs' | 'vfs' | 'client' | 'ds', Priv> = {
  blk: {
    kcalls: ['devmap', 'umap', 'irqctl', 'safecopyfrom', 'safecopyto'], targets: [],
    irqs: Array.from({ length: MEMMAP.virtio.count }, (_, i) => MEMMAP.virtio.irq + i),
    mmio: [{ base: MEMMAP.virtio.base, size: MEMMAP.virtio.size * MEMMAP.virtio.count }],
  },
  mfs: { kcalls: [...COPIES, 'times'], targets: ['blk', 'ds'] },
  vfs: { kcalls: [...COPIES, 'getinfo'], targets: 'any' },
  client: { kcalls: ['setgrant', 'getinfo'], targets: 'any' },
  /** servers/ds (not ours): it reads the process table at start. */
  ds: { kcalls: ['getinfo', ...COPIES], targets: 'any' },
};

export interface BootEntry {
  name: string;
  elf: Uint8Array;
  /** A role in FS_PRIVILEGES (default: the name if it is one, else 'client'). */
  role?: keyof typeof FS_PRIVILEGES;
  /** Explicit privileges, overriding the role's. */
  priv?: Priv;
  priority?: number;
}

export interface FsSystem {
  board: Board;
  kernel: Kernel;
  disk: Uint8Array | undefined;
  /** Everything written to the console so far. */
  output: () => string;
  /** Run until `pred(output)` holds, the machine idles or stops, or `maxInsns` pass. */
  runUntil: (pred: (out: string) => boolean, maxInsns?: number) => string;
}

export function bootFs(entries: readonly BootEntry[], disk: Uint8Array | undefined, opts: { ramSize?: number } = {}): FsSystem {
  let out = '';
  const board = new Board({ ramSize: opts.ramSize ?? 64 << 20, disk: disk && new MemoryBackend(disk), output: () => {} });
  const kernel = new Kernel(board, { console: (t) => { out += t; } });
  const names = entries.map((e) => e.name);
  kernel.boot(entries.map((e) => {
    const role = e.role ?? (e.name in FS_PRIVILEGES ? e.name as keyof typeof FS_PRIVILEGES : 'client');
    const p = e.priv ?? FS_PRIVILEGES[role];
    const targets = p.targets === 'any' ? 'any' : (p.targets ?? []).filter((t) => names.includes(t));
    return { name: e.name, elf: e.elf, priority: e.priority ?? 5, ...p, targets };
  }));
  const runUntil = (pred: (o: string) => boolean, maxInsns = 200_000_000): string => {
    const step = 2_000_000;
    for (let done = 0; done < maxInsns && !pred(out); done += step) {
      const r = board.run(step);
      if (r.kind !== 'limit') break;
    }
    return out;
  };
  return { board, kernel, disk, output: () => out, runUntil };
}

/**
 * A disk of `mib` MiB: MBR, a 1 MiB boot partition (1) and a MINIX v3 file
 * system on the rest (2); with `second`, partition 2 leaves 2 MiB at the end
 * for partition 3, a second MINIX v3 file system.
 */
export function makeDisk(mib = 8, populate?: (fs: MinixFs) => void, second?: (fs: MinixFs) => void): Uint8Array {
  const disk = new Uint8Array(mib << 20);
  const sectors = disk.length / SECTOR;
  const fsStart = 2 * MIB_SECTORS;
  const p3 = second ? 2 * MIB_SECTORS : 0;
  const parts = [
    { index: 1, type: PART_TYPE.TESSERA_BOOT, active: true, start: MIB_SECTORS, sectors: MIB_SECTORS },
    { index: 2, type: PART_TYPE.MINIX, active: false, start: fsStart, sectors: sectors - fsStart - p3 },
  ];
  if (second) parts.push({ index: 3, type: PART_TYPE.MINIX, active: false, start: sectors - p3, sectors: p3 });
  disk.set(writeMbr(parts, sectors), 0);
  const fs = MinixFs.mkfs(partition(disk, 2), { time: 1_700_000_000 });
  populate?.(fs);
  if (second) second(MinixFs.mkfs(partition(disk, 3), { time: 1_700_000_000 }));
  return disk;
}

/** The bytes of partition `index` (a view into the disk). */
export function partition(disk: Uint8Array, index: number): Uint8Array {
  const p = readMbr(disk).find((x) => x.index === index);
  if (!p) throw new Error(`no partition ${index}`);
  return disk.subarray(p.start * SECTOR, (p.start + p.sectors) * SECTOR);
}

/** A util-linux tool: from the PATH, or /usr/sbin (where Debian puts it, often outside a user's PATH). */
function tool(name: string): string {
  for (const path of [name, `/usr/sbin/${name}`]) {
    if (!spawnSync(path, ['--version']).error) return path;
  }
  throw new Error(`${name} is needed (apt package util-linux) and was found neither in the PATH nor in /usr/sbin`);
}

/** fsck.minix -f on partition 2: its exit status and output (0: clean). */
export function fsckMinix(disk: Uint8Array): { status: number; output: string } {
  const fsck = tool('fsck.minix');
  const dir = mkdtempSync(join(tmpdir(), 'tessera-fsck-'));
  try {
    const img = join(dir, 'part.img');
    writeFileSync(img, partition(disk, 2));
    const r = spawnSync(fsck, ['-f', img], { encoding: 'utf8' });
    return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A disk whose partition 2 was made by util-linux `mkfs.minix -3` (not by our library). */
export function mkfsMinixDisk(mib = 8): Uint8Array {
  const disk = makeDisk(mib);
  const part = partition(disk, 2);
  part.fill(0);
  const mkfs = tool('mkfs.minix');
  const dir = mkdtempSync(join(tmpdir(), 'tessera-mkfs-'));
  try {
    const img = join(dir, 'part.img');
    writeFileSync(img, part);
    execFileSync(mkfs, ['-3', img], { stdio: 'pipe' });
    part.set(readFileSync(img));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return disk;
}

/** The "key value" lines a test client printed, as a map (the last value of a key wins). */
export function results(out: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of out.split('\n')) {
    const i = line.indexOf(' ');
    if (i > 0) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}
