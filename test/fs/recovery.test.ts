// Recovery of the disk driver, twice over.
//
// The storage servers alone: a user program writes and reads a file
// through VFS (test/fs/progs/recovery_client.ts) while the test kills blk
// whenever mfs waits for its answer. The test then does what PM and RS do
// in the full system: the dead driver is gone (with no PM the kernel ends
// it, and mfs's sendrec fails with EDEADSRCDST), a fresh copy starts under a
// new endpoint, and RS (here rs_stub.ts, told by a kernel message) publishes
// it in ds and tells VFS. mfs, subscribed to "blk" in ds, sends the request
// again to the new driver; the program must never see an error, the file
// must be whole and the file system clean (image library and fsck.minix).
// The kills land where a crash hurts: after the device carried out a request
// (a write, then two reads) and before blk answered.
//
// The whole system (pm, ds, rs, vfs, blk, mfs, tty, init and the shell):
// `cp` copies a file while blk is killed the same way (the kernel's KILL:
// pm hears of it, rs restarts blk through pm, the second and third time
// after a backoff delay), and at the first kill a user process of the same
// pipeline is killed too, so pm has an exit to tell VFS while VFS waits on
// mfs, which waits for the new blk: pm must not wait for VFS, or rs could
// not get blk started again. Then `service restart blk` between commands;
// then shutdown, the copy whole, fsck.minix clean.

import { beforeAll, describe, expect, it } from 'vitest';
import { Board } from '../../vm/board.ts';
import { MemoryBackend, type BlockBackend } from '../../vm/devices/virtio_blk.ts';
import { Kernel } from '../../kernel/kernel.ts';
import { STATE, type Proc } from '../../kernel/proc.ts';
import { SIG, KCALL, NR_KCALLS } from '../../kernel/abi.ts';
import { sendKernelMessage } from '../../kernel/ipc.ts';
import { buildServer, buildTestProgram } from './build.ts';
import { FS_PRIVILEGES, fsckMinix, makeDisk, partition, results } from './system.ts';
import { MinixFs } from '../../toolchain/image/minixfs.ts';
import { buildSystem } from '../../servers/system.ts';
import { Session } from '../servers/session.ts';

const N = 600 * 1024;
const pattern = (len: number, seed: number): Buffer =>
  Buffer.from(Uint8Array.from({ length: len }, (_, i) => (i * 7 + seed + (i >> 9)) & 0xff));

let elf: Record<string, Uint8Array>;
beforeAll(async () => {
  const names = ['vfs', 'mfs', 'blk', 'ds'];
  const progs = ['pm_stub', 'rs_stub', 'recovery_client'];
  const built = await Promise.all([...names.map((n) => buildServer(n)), ...progs.map((p) => buildTestProgram(p))]);
  elf = Object.fromEntries([...names, ...progs].map((n, i) => [n, built[i]]));
});

interface Run { out: string; blkEps: Set<number>; disk: Uint8Array; killedIn: string[]; mfsWaited: boolean[] }

/** blk's privileges as the kernel keeps them, for a copy the test starts itself. */
function blkPrivileges(): Proc['priv'] {
  const p = FS_PRIVILEGES.blk;
  const kcalls = (p.kcalls as string[]).reduce((m, n) => m | (1 << ((KCALL as Record<string, number>)[n.toUpperCase()] - KCALL.FORK)), 0);
  expect(kcalls >>> NR_KCALLS).toBe(0);
  return { anyTarget: false, targets: new Set(), kcalls, irqs: new Set(p.irqs), mmio: [...(p.mmio ?? [])], system: true };
}

/**
 * The disk, seen by the device: every transfer calls `onIo` (kind 'read' or
 * 'write'), which may ask the board to stop at the next block boundary.
 */
class WatchedDisk implements BlockBackend {
  readonly size: number;
  readonly readOnly = false;
  constructor(private readonly inner: MemoryBackend, private readonly onIo: (kind: 'read' | 'write') => void) {
    this.size = inner.size;
  }
  read(offset: number, dst: Uint8Array): void { this.inner.read(offset, dst); this.onIo('read'); }
  write(offset: number, src: Uint8Array): void { this.inner.write(offset, src); this.onIo('write'); }
  flush(): void { this.inner.flush(); }
}

/**
 * Boot, then kill blk each time the device has carried out a request of the
 * next kind in `plan` (blk has the data but has not answered mfs yet), and
 * start a fresh copy; run to the end.
 */
function run(plan: readonly ('read' | 'write')[]): Run {
  const disk = makeDisk(8);
  let out = '';
  let armed = false;
  let due: 'read' | 'write' | undefined;
  let board: Board;
  let kernel: Kernel;
  const mfsWaits = (): boolean => {
    const blk = kernel.procs.byName('blk'), mfs = kernel.procs.byName('mfs');
    return blk !== undefined && mfs !== undefined && mfs.state === STATE.RECEIVING && mfs.ipc.peer === blk.endpoint;
  };
  // A request of mfs's (not the new driver's own reading of the MBR) of the planned kind.
  const watched = new WatchedDisk(new MemoryBackend(disk), (kind) => {
    if (armed && due === undefined && kind === plan[killedIn.length] && mfsWaits()) { due = kind; board.stop(); }
  });
  board = new Board({ ramSize: 64 << 20, disk: watched, output: () => {} });
  // (declared before the hook above runs: the hook only fires once the kernel has booted)
  kernel = new Kernel(board, { console: (t) => { out += t; } });
  const client = { kcalls: ['setgrant', 'getinfo'], targets: 'any' as const };
  kernel.boot([
    { name: 'pm', elf: elf.pm_stub, ...client },
    { name: 'ds', elf: elf.ds, ...FS_PRIVILEGES.ds, priority: 1 },
    { name: 'rs', elf: elf.rs_stub, ...client, priority: 1 },
    { name: 'vfs', elf: elf.vfs, ...FS_PRIVILEGES.vfs, priority: 3 },
    { name: 'mfs', elf: elf.mfs, kcalls: FS_PRIVILEGES.mfs.kcalls, targets: ['blk', 'ds'], priority: 3 },
    { name: 'blk', elf: elf.blk, ...FS_PRIVILEGES.blk, priority: 2 },
    { name: 'client', elf: elf.recovery_client, ...client, priority: 7 },
  ]);
  const blkEps = new Set<number>();
  const killedIn: string[] = [];
  const mfsWaited: boolean[] = [];
  for (let step = 0; step < 10_000 && !out.includes('done\n') && !out.includes('FAIL'); step++) {
    armed = out.includes('writing') && killedIn.length < plan.length;
    const stop = board.run(1_000_000);
    const blk = kernel.procs.byName('blk');
    if (blk) blkEps.add(blk.endpoint);
    if (due !== undefined && blk) {
      // Mid-operation: the device did the work, blk has not answered; mfs waits on it.
      mfsWaited.push(mfsWaits());
      killedIn.push(due);
      due = undefined;
      kernel.stop(blk, SIG.SIGKILL, -1, 0, 0, 'killed by the test');
      expect(kernel.procs.byName('blk')).toBeUndefined();
      const fresh = kernel.spawn('blk', elf.blk);
      if (typeof fresh === 'string') throw new Error(fresh);
      fresh.priority = 2;
      fresh.priv = blkPrivileges();
      kernel.ready(fresh);
      sendKernelMessage(kernel, kernel.procs.byName('rs')!, Int32Array.of(0, 0x7e57, fresh.endpoint, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
      continue;
    }
    if (stop.kind !== 'limit' && stop.kind !== 'idle' && stop.kind !== 'break') break;
  }
  return { out, blkEps, disk, killedIn, mfsWaited };
}

describe('blk dies in the middle of file operations', () => {
  let res: Run;
  beforeAll(() => { res = run(['write', 'read', 'read']); });

  it('was killed while mfs waited on it, and came back under new endpoints', () => {
    expect(res.killedIn, res.out).toEqual(['write', 'read', 'read']);
    expect(res.mfsWaited).toEqual([true, true, true]);
    expect(res.blkEps.size).toBe(4);
    expect(res.out.match(/rs: blk is back at \d+ \(ds 0, vfs -?\d+\)/g)?.length).toBe(3);
  });

  it('the program saw no error: every write and read completed, the data read back is right', () => {
    expect(res.out, res.out).toContain('done\n');
    const r = results(res.out);
    expect(r.has('writeerr')).toBe(false);
    expect(r.get('written')).toBe(String(N));
    expect(r.get('read')).toBe(String(N));
    expect(r.get('same')).toBe('1');
    expect(r.get('sync1')).toBe('0');
    expect(r.get('sync2')).toBe('0');
  });

  it('the file on disk is whole and the file system clean', () => {
    const fs = MinixFs.open(partition(res.disk, 2));
    expect(Buffer.from(fs.readFile('/survivor.bin')).equals(pattern(N, 77))).toBe(true);
    expect(fs.check()).toEqual([]);
    const f = fsckMinix(res.disk);
    expect(f.status, f.output).toBe(0);
  });
});

describe('the whole system: blk dies under cp', () => {
  const SIZE = 2 << 20;
  const plan = ['read', 'write', 'read'] as const;
  let s: Session;
  let disk: Uint8Array;
  const killedIn: string[] = [];
  const killTimes: number[] = [];
  let typed = 0;
  let sleeperKilled = false;

  beforeAll(async () => {
    const images = await buildSystem({ servers: ['pm', 'ds', 'rs', 'vfs', 'blk', 'mfs', 'tty', 'init'] });
    disk = makeDisk(16, (fs) => {
      fs.mkdir('/bin');
      fs.mkdir('/tmp');
      fs.writeFile('/big', pattern(SIZE, 5));
    });
    let armed = false;
    let due: string | undefined;
    const mfsWaits = (): boolean => {
      const blk = s.kernel.procs.byName('blk'), mfs = s.kernel.procs.byName('mfs');
      return blk !== undefined && mfs !== undefined && mfs.state === STATE.RECEIVING && mfs.ipc.peer === blk.endpoint;
    };
    const watched = new WatchedDisk(new MemoryBackend(disk), (kind) => {
      if (armed && due === undefined && kind === plan[killedIn.length] && mfsWaits()) { due = kind; s.board.stop(); }
    });
    s = new Session(images, (opts) => new Board({ ...opts, disk: watched }));
    expect(s.prompt(50_000_000)).toBe(true);
    typed = s.output().length;
    s.type('sleep 30 | cp /big /tmp/copy; echo status $?\n');
    const done = (): boolean => /status \d+\n\$ $/.test(s.output().slice(typed));
    for (let step = 0; step < 2000 && !done(); step++) {
      armed = killedIn.length < plan.length;
      s.board.run(1_000_000);
      if (due === undefined) continue;
      const blk = s.kernel.procs.byName('blk')!;
      killedIn.push(due);
      killTimes.push(s.kernel.now());
      due = undefined;
      s.kernel.stop(blk, SIG.SIGKILL, -1, 0, 0, 'killed by the test');
      const sleeper = s.kernel.procs.byName('sleep');
      if (!sleeperKilled && sleeper !== undefined) {
        s.kernel.stop(sleeper, SIG.SIGKILL, -1, 0, 0, 'killed by the test');
        sleeperKilled = true;
      }
    }
  });

  it('blk was killed while mfs waited on it, at a read and a write; the pipeline\'s sleep too', () => {
    expect(killedIn, s.output()).toEqual([...plan]);
    expect(sleeperKilled).toBe(true);
    const out = s.output().slice(typed);
    expect(out.match(/kernel: blk \(endpoint \d+\) stopped: killed by the test/g)).toHaveLength(3);
    // The second and third deaths came within a second of the first: rs waited 10 and 20 ms.
    expect([...out.matchAll(/rs: blk died \(signal 9\), restarting in (\d+) ms\n/g)].map((m) => Number(m[1]))).toEqual([0, 10, 20]);
  });

  it('cp saw no error, and the system goes on: rs has blk up, at its boot priority', () => {
    expect(s.output().slice(typed)).toMatch(/\nstatus 0\n\$ $/);
    expect(s.command('service list')).toMatch(/^blk +up +\d+ +0x[0-9a-f]+ *3$/m);
    expect(s.kernel.procs.byName('blk')!.priority).toBe(2);
    expect(s.command('ls -l /tmp/copy')).toBe(`-rw-r--r--   1  ${SIZE} /tmp/copy\n`);
  });

  it('service restart blk between commands; shutdown syncs through the new driver', () => {
    expect(s.command('service restart blk; echo x > /tmp/after; sync; cat /tmp/after')).toBe(
      'rs: blk died (signal 9), restarting in 0 ms\nx\n');
    s.type('shutdown\n');
    s.runUntil(() => s.board.finished !== undefined, 0, 100_000_000);
    expect(s.board.finished).toEqual({ kind: 'pass', code: 0 });
  });

  it('the copy on disk is whole and the file system clean', () => {
    const fs = MinixFs.open(partition(disk, 2));
    expect(Buffer.from(fs.readFile('/tmp/copy')).equals(pattern(SIZE, 5))).toBe(true);
    expect(new TextDecoder().decode(fs.readFile('/tmp/after'))).toBe('x\n');
    expect(fs.check()).toEqual([]);
    const f = fsckMinix(disk);
    expect(f.status, f.output).toBe(0);
  });
});
