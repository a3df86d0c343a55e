// virtio-blk over virtio-mmio, driven the way a driver does it (virtio 1.1
// section 3.1.1 initialisation, split virtqueues built in fake guest RAM),
// plus the file backend on a temporary file.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DmaMemory } from '../../vm/devices/device.ts';
import { FileBackend, MemoryBackend, VirtioBlk, type BlockBackend } from '../../vm/devices/virtio_blk.ts';
import { VirtioMmio } from '../../vm/devices/virtio_mmio.ts';

const RAM_BASE = 0x8000_0000;
const RAM_SIZE = 0x10_0000;

/** Guest RAM as the DMA engine sees it: anything outside [base, base+size) fails. */
class FakeRam implements DmaMemory {
  readonly bytes = new Uint8Array(RAM_SIZE);
  readonly dv = new DataView(this.bytes.buffer);
  private ok(pa: number, len: number): boolean {
    return Number.isSafeInteger(pa) && pa >= RAM_BASE && pa + len <= RAM_BASE + RAM_SIZE;
  }
  read(pa: number, len: number) { return this.ok(pa, len) ? this.bytes.slice(pa - RAM_BASE, pa - RAM_BASE + len) : undefined; }
  write(pa: number, data: Uint8Array) {
    if (!this.ok(pa, data.length)) return false;
    this.bytes.set(data, pa - RAM_BASE);
    return true;
  }
  read16(pa: number) { return this.ok(pa, 2) ? this.dv.getUint16(pa - RAM_BASE, true) : undefined; }
  read32(pa: number) { return this.ok(pa, 4) ? this.dv.getUint32(pa - RAM_BASE, true) : undefined; }
  write16(pa: number, v: number) { if (!this.ok(pa, 2)) return false; this.dv.setUint16(pa - RAM_BASE, v, true); return true; }
  write32(pa: number, v: number) { if (!this.ok(pa, 4)) return false; this.dv.setUint32(pa - RAM_BASE, v >>> 0, true); return true; }
}

// Register offsets and bits from the spec's tables (4.2.2, 2.1, 5.2), written out here.
const R = {
  Magic: 0x000, Version: 0x004, DeviceID: 0x008, VendorID: 0x00c, DevFeat: 0x010, DevFeatSel: 0x014,
  DrvFeat: 0x020, DrvFeatSel: 0x024, QueueSel: 0x030, QueueNumMax: 0x034, QueueNum: 0x038,
  QueueReady: 0x044, QueueNotify: 0x050, IntStatus: 0x060, IntAck: 0x064, Status: 0x070,
  DescLo: 0x080, DescHi: 0x084, DriverLo: 0x090, DriverHi: 0x094, DeviceLo: 0x0a0, DeviceHi: 0x0a4,
  Config: 0x100,
};
const ACK = 1, DRIVER = 2, DRIVER_OK = 4, FEATURES_OK = 8, NEEDS_RESET = 0x40;
const F_SEG_MAX = 1 << 2, F_RO = 1 << 5, F_BLK_SIZE = 1 << 6, F_FLUSH = 1 << 9, F_INDIRECT = 1 << 28;
const F_VERSION_1_HI = 1;   // bit 32
const NEXT = 1, WRITE = 2, INDIRECT = 4;
const T_IN = 0, T_OUT = 1, T_FLUSH = 4, T_GET_ID = 8;
const QSIZE = 8;
const DESC = RAM_BASE + 0x1000, AVAIL = RAM_BASE + 0x2000, USED = RAM_BASE + 0x3000;
const HEAP = RAM_BASE + 0x10000;

interface Buf { addr: number; len: number; flags?: number }

class Driver {
  readonly ram = new FakeRam();
  readonly irqLevels: boolean[] = [];
  readonly dev: VirtioMmio;
  private availIdx = 0;
  private nextDesc = 0;
  private heap = HEAP;

  constructor(readonly backend: BlockBackend, id = 'tessera-disk-0') {
    this.dev = new VirtioMmio(this.ram, { set: (l) => { this.irqLevels.push(l); } }, new VirtioBlk(backend, { id }));
  }

  rd(off: number) { return this.dev.read(off, 4) >>> 0; }
  wr(off: number, v: number) { this.dev.write(off, 4, v); }
  irq() { return this.irqLevels[this.irqLevels.length - 1] ?? false; }

  /** Steps 1-6 of 3.1.1; returns whether FEATURES_OK stuck. */
  negotiate(lo: number, hi: number): boolean {
    this.wr(R.Status, 0);
    this.wr(R.Status, ACK);
    this.wr(R.Status, ACK | DRIVER);
    this.wr(R.DrvFeatSel, 0);
    this.wr(R.DrvFeat, lo);
    this.wr(R.DrvFeatSel, 1);
    this.wr(R.DrvFeat, hi);
    this.wr(R.Status, ACK | DRIVER | FEATURES_OK);
    return (this.rd(R.Status) & FEATURES_OK) !== 0;
  }

  /** Full initialisation with one queue of QSIZE entries. */
  init(lo = F_SEG_MAX | F_BLK_SIZE | F_FLUSH | F_INDIRECT): void {
    expect(this.negotiate(lo, F_VERSION_1_HI)).toBe(true);
    this.wr(R.QueueSel, 0);
    expect(this.rd(R.QueueReady)).toBe(0);
    expect(this.rd(R.QueueNumMax)).toBeGreaterThanOrEqual(QSIZE);
    this.wr(R.QueueNum, QSIZE);
    this.wr(R.DescLo, DESC); this.wr(R.DescHi, 0);
    this.wr(R.DriverLo, AVAIL); this.wr(R.DriverHi, 0);
    this.wr(R.DeviceLo, USED); this.wr(R.DeviceHi, 0);
    this.wr(R.QueueReady, 1);
    this.wr(R.Status, ACK | DRIVER | FEATURES_OK | DRIVER_OK);
  }

  /** Forget the rings, as a driver does before setting the queue up again after a reset. */
  resetRings(): void {
    this.availIdx = 0;
    this.nextDesc = 0;
    this.ram.bytes.fill(0, DESC - RAM_BASE, HEAP - RAM_BASE);
  }

  alloc(len: number): number {
    const a = this.heap;
    this.heap += (len + 15) & ~15;
    return a;
  }

  /** Write a descriptor into `table` at `index`. */
  putDesc(table: number, index: number, b: Buf, next = 0): void {
    const at = table - RAM_BASE + 16 * index;
    this.ram.dv.setUint32(at, b.addr % 2 ** 32, true);
    this.ram.dv.setUint32(at + 4, Math.floor(b.addr / 2 ** 32), true);
    this.ram.dv.setUint32(at + 8, b.len >>> 0, true);
    this.ram.dv.setUint16(at + 12, b.flags ?? 0, true);
    this.ram.dv.setUint16(at + 14, next, true);
  }

  /** Put a chain in the descriptor table and make it available; returns the head. */
  submit(bufs: Buf[], notify = true): number {
    const head = this.nextDesc;
    bufs.forEach((b, i) => {
      const idx = (head + i) % QSIZE;
      const last = i === bufs.length - 1;
      this.putDesc(DESC, idx, { ...b, flags: (b.flags ?? 0) | (last ? 0 : NEXT) }, (idx + 1) % QSIZE);
    });
    this.nextDesc = (head + bufs.length) % QSIZE;
    this.makeAvailable(head, notify);
    return head;
  }

  makeAvailable(head: number, notify = true): void {
    this.ram.dv.setUint16(AVAIL - RAM_BASE + 4 + 2 * (this.availIdx % QSIZE), head, true);
    this.availIdx = (this.availIdx + 1) & 0xffff;
    this.ram.dv.setUint16(AVAIL - RAM_BASE + 2, this.availIdx, true);
    if (notify) this.wr(R.QueueNotify, 0);
  }

  setAvailFlags(f: number) { this.ram.dv.setUint16(AVAIL - RAM_BASE, f, true); }
  usedIdx() { return this.ram.dv.getUint16(USED - RAM_BASE + 2, true); }
  usedElem(i: number) {
    const at = USED - RAM_BASE + 4 + 8 * (i % QSIZE);
    return { id: this.ram.dv.getUint32(at, true), len: this.ram.dv.getUint32(at + 4, true) };
  }

  header(type: number, sector: number): Buf {
    const a = this.alloc(16);
    this.ram.dv.setUint32(a - RAM_BASE, type, true);
    this.ram.dv.setUint32(a - RAM_BASE + 4, 0, true);
    this.ram.dv.setUint32(a - RAM_BASE + 8, sector % 2 ** 32, true);
    this.ram.dv.setUint32(a - RAM_BASE + 12, Math.floor(sector / 2 ** 32), true);
    return { addr: a, len: 16 };
  }

  data(len: number, writable: boolean, fill?: (i: number) => number): Buf {
    const a = this.alloc(len);
    if (fill) for (let i = 0; i < len; i++) this.ram.bytes[a - RAM_BASE + i] = fill(i);
    return { addr: a, len, flags: writable ? WRITE : 0 };
  }

  /** A status byte, preset to 0xff so a device that never writes it shows. */
  status(): Buf { return this.data(1, true, () => 0xff); }
  byte(b: Buf, i = 0) { return this.ram.bytes[b.addr - RAM_BASE + i]; }
  bytes(b: Buf) { return this.ram.bytes.slice(b.addr - RAM_BASE, b.addr - RAM_BASE + b.len); }
}

function disk(sectors = 16, readOnly = false): MemoryBackend {
  const d = new Uint8Array(sectors * 512);
  for (let i = 0; i < d.length; i++) d[i] = (i * 7 + (i >> 9)) & 0xff;
  return new MemoryBackend(d, readOnly);
}

describe('virtio-mmio registers', () => {
  it('identifies a modern block device with QEMU\'s vendor id', () => {
    const d = new Driver(disk());
    expect(d.rd(R.Magic)).toBe(0x74726976);
    expect(d.rd(R.Version)).toBe(2);
    expect(d.rd(R.DeviceID)).toBe(2);
    expect(d.rd(R.VendorID)).toBe(0x554d4551);
  });

  it('offers VERSION_1, SEG_MAX, BLK_SIZE, FLUSH, INDIRECT_DESC, and RO only for read-only disks', () => {
    const d = new Driver(disk());
    d.wr(R.DevFeatSel, 0);
    const lo = d.rd(R.DevFeat);
    expect(lo & (F_SEG_MAX | F_BLK_SIZE | F_FLUSH | F_INDIRECT)).toBe((F_SEG_MAX | F_BLK_SIZE | F_FLUSH | F_INDIRECT) >>> 0);
    expect(lo & F_RO).toBe(0);
    d.wr(R.DevFeatSel, 1);
    expect(d.rd(R.DevFeat) & F_VERSION_1_HI).toBe(1);
    d.wr(R.DevFeatSel, 2);
    expect(d.rd(R.DevFeat)).toBe(0);
    const ro = new Driver(disk(16, true));
    ro.wr(R.DevFeatSel, 0);
    expect(ro.rd(R.DevFeat) & F_RO).toBe(F_RO);
  });

  it('exposes capacity, seg_max and blk_size in the config space', () => {
    const d = new Driver(disk(40));
    expect(d.rd(R.Config + 0)).toBe(40);
    expect(d.rd(R.Config + 4)).toBe(0);
    expect(d.rd(R.Config + 0x0c)).toBe(254);
    expect(d.rd(R.Config + 0x14)).toBe(512);
    expect(d.dev.read(R.Config + 0x15, 1)).toBe(2);
  });

  it('keeps FEATURES_OK only for an offered subset that includes VERSION_1', () => {
    const d = new Driver(disk());
    expect(d.negotiate(F_FLUSH, 0)).toBe(false);                 // no VERSION_1
    expect(d.negotiate(F_FLUSH | (1 << 12), F_VERSION_1_HI)).toBe(false);   // bit 12 not offered
    expect(d.negotiate(F_FLUSH, F_VERSION_1_HI)).toBe(true);
  });

  it('presents an empty slot as DeviceID 0 and ignores writes to it', () => {
    const levels: boolean[] = [];
    const slot = new VirtioMmio(new FakeRam(), { set: (l) => { levels.push(l); } });
    expect(slot.read(R.Magic, 4)).toBe(0x74726976);
    expect(slot.read(R.Version, 4)).toBe(2);
    expect(slot.read(R.DeviceID, 4)).toBe(0);
    slot.write(R.Status, 4, ACK);
    slot.write(R.QueueNotify, 4, 0);
    expect(slot.read(R.Status, 4)).toBe(0);
    expect(slot.read(R.QueueNumMax, 4)).toBe(0);
    expect(levels).toEqual([]);
  });
});

describe('virtio-blk requests', () => {
  it('reads sectors, fills the used ring and raises the used-buffer interrupt until ACKed', () => {
    const be = disk();
    const d = new Driver(be);
    d.init();
    const data = d.data(1024, true);
    const st = d.status();
    const head = d.submit([d.header(T_IN, 3), data, st]);
    expect(d.byte(st)).toBe(0);
    expect(d.bytes(data)).toEqual(be.data.slice(3 * 512, 5 * 512));
    expect(d.usedIdx()).toBe(1);
    expect(d.usedElem(0)).toEqual({ id: head, len: 1025 });
    expect(d.rd(R.IntStatus)).toBe(1);
    expect(d.irq()).toBe(true);
    d.wr(R.IntAck, 1);
    expect(d.rd(R.IntStatus)).toBe(0);
    expect(d.irq()).toBe(false);
  });

  it('writes sectors from a header split over two descriptors', () => {
    const be = disk();
    const d = new Driver(be);
    d.init();
    const hdr = d.header(T_OUT, 2);
    const data = d.data(512, false, (i) => 255 - (i & 0xff));
    const st = d.status();
    d.submit([{ addr: hdr.addr, len: 8 }, { addr: hdr.addr + 8, len: 8 }, data, st]);
    expect(d.byte(st)).toBe(0);
    expect(be.data.slice(1024, 1536)).toEqual(d.bytes(data));
    expect(be.data[1023]).toBe(disk().data[1023]);    // neighbours untouched
    expect(d.usedElem(0).len).toBe(1);
  });

  it('flushes the backend', () => {
    const be = disk();
    let flushes = 0;
    const spy: BlockBackend = {
      size: be.size, readOnly: false,
      read: (o, dst) => be.read(o, dst), write: (o, s) => be.write(o, s), flush: () => { flushes++; },
    };
    const d = new Driver(spy);
    d.init();
    const st = d.status();
    d.submit([d.header(T_FLUSH, 0), st]);
    expect(flushes).toBe(1);
    expect(d.byte(st)).toBe(0);
  });

  it('answers GET_ID with the 20-byte id, zero-padded', () => {
    const d = new Driver(disk(), 'disk-A');
    d.init();
    const id = d.data(20, true, () => 0xee);
    const st = d.status();
    d.submit([d.header(T_GET_ID, 0), id, st]);
    expect(d.byte(st)).toBe(0);
    const want = new Uint8Array(20);
    want.set([...'disk-A'].map((c) => c.charCodeAt(0)));
    expect(d.bytes(id)).toEqual(want);
    expect(d.usedElem(0).len).toBe(21);
  });

  it('fails requests past the end of the disk with IOERR and touches nothing', () => {
    const be = disk(16);
    const before = be.data.slice();
    const d = new Driver(be);
    d.init();
    const st1 = d.status();
    d.submit([d.header(T_IN, 16), d.data(512, true), st1]);
    const st2 = d.status();
    d.submit([d.header(T_OUT, 15), d.data(1024, false), st2]);   // last sector + one beyond
    const st3 = d.status();
    d.submit([d.header(T_IN, 2 ** 40), d.data(512, true), st3]);
    expect([d.byte(st1), d.byte(st2), d.byte(st3)]).toEqual([1, 1, 1]);
    expect(be.data).toEqual(before);
    expect(d.usedIdx()).toBe(3);
    expect(d.rd(R.Status) & NEEDS_RESET).toBe(0);
  });

  it('fails a write to a read-only disk with IOERR and an unknown type with UNSUPP', () => {
    const be = disk(16, true);
    const before = be.data.slice();
    const d = new Driver(be);
    d.init(F_RO | F_FLUSH);
    const st1 = d.status();
    d.submit([d.header(T_OUT, 0), d.data(512, false, () => 1), st1]);
    const st2 = d.status();
    d.submit([d.header(11, 0), d.data(16, false), st2]);
    expect(d.byte(st1)).toBe(1);
    expect(d.byte(st2)).toBe(2);
    expect(be.data).toEqual(before);
  });

  it('fails a transfer that is not whole sectors with IOERR', () => {
    const d = new Driver(disk());
    d.init();
    const st = d.status();
    d.submit([d.header(T_IN, 0), d.data(100, true), st]);
    expect(d.byte(st)).toBe(1);
  });

  it('follows an indirect descriptor table', () => {
    const be = disk();
    const d = new Driver(be);
    d.init();
    const table = d.alloc(48);
    const data = d.data(512, true);
    const st = d.status();
    d.putDesc(table, 0, { ...d.header(T_IN, 5), flags: NEXT }, 1);
    d.putDesc(table, 1, { ...data, flags: WRITE | NEXT }, 2);
    d.putDesc(table, 2, st);
    d.submit([{ addr: table, len: 48, flags: INDIRECT }]);
    expect(d.byte(st)).toBe(0);
    expect(d.bytes(data)).toEqual(be.data.slice(5 * 512, 6 * 512));
  });

  it('puts buffers in the used ring without an interrupt when the driver sets NO_INTERRUPT', () => {
    const d = new Driver(disk());
    d.init();
    d.setAvailFlags(1);
    d.submit([d.header(T_IN, 0), d.data(512, true), d.status()]);
    expect(d.usedIdx()).toBe(1);
    expect(d.rd(R.IntStatus)).toBe(0);
    expect(d.irq()).toBe(false);
  });

  it('handles several available chains in one notify, in order', () => {
    const d = new Driver(disk());
    d.init();
    const h1 = d.submit([d.header(T_IN, 0), d.data(512, true), d.status()], false);
    const h2 = d.submit([d.header(T_FLUSH, 0), d.status()], false);
    expect(d.usedIdx()).toBe(0);
    d.wr(R.QueueNotify, 0);
    expect(d.usedIdx()).toBe(2);
    expect(d.usedElem(0)).toEqual({ id: h1, len: 513 });
    expect(d.usedElem(1)).toEqual({ id: h2, len: 1 });
  });

  it('ignores notifications before DRIVER_OK', () => {
    const d = new Driver(disk());
    expect(d.negotiate(F_FLUSH, F_VERSION_1_HI)).toBe(true);
    d.wr(R.QueueNotify, 0);
    expect(d.rd(R.Status) & NEEDS_RESET).toBe(0);
    expect(d.irq()).toBe(false);
  });
});

describe('virtio-blk malformed chains', () => {
  function expectNeedsReset(d: Driver) {
    expect(d.rd(R.Status) & NEEDS_RESET).toBe(NEEDS_RESET);
    expect(d.rd(R.IntStatus) & 2).toBe(2);
    expect(d.irq()).toBe(true);
    expect(d.usedIdx()).toBe(0);
  }

  it('sets DEVICE_NEEDS_RESET for a buffer outside RAM, without throwing', () => {
    const be = disk();
    const before = be.data.slice();
    const d = new Driver(be);
    d.init();
    expect(() => d.submit([d.header(T_OUT, 0), { addr: 0x1000, len: 512 }, d.status()])).not.toThrow();
    expectNeedsReset(d);
    expect(be.data).toEqual(before);
  });

  it('sets DEVICE_NEEDS_RESET for a length that runs off the end of RAM', () => {
    const d = new Driver(disk());
    d.init();
    d.submit([d.header(T_IN, 0), { ...d.data(512, true), len: 0xffffffff }, d.status()]);
    expectNeedsReset(d);
  });

  it('sets DEVICE_NEEDS_RESET for a loop in a chain', () => {
    const d = new Driver(disk());
    d.init();
    const hdr = d.header(T_IN, 0);
    d.putDesc(DESC, 0, { ...hdr, flags: NEXT }, 1);
    d.putDesc(DESC, 1, { ...d.data(512, true), flags: WRITE | NEXT }, 0);
    d.makeAvailable(0);
    expectNeedsReset(d);
  });

  it('sets DEVICE_NEEDS_RESET for a request without a status byte', () => {
    const d = new Driver(disk());
    d.init();
    d.submit([d.header(T_FLUSH, 0)]);
    expectNeedsReset(d);
  });

  it('ignores notifications while it needs a reset, and works again after one', () => {
    const d = new Driver(disk());
    d.init();
    d.submit([d.header(T_IN, 0), { addr: 0x10, len: 512, flags: WRITE }, d.status()]);
    expectNeedsReset(d);
    d.wr(R.Status, ACK | DRIVER | FEATURES_OK | DRIVER_OK);   // the driver cannot clear it
    expect(d.rd(R.Status) & NEEDS_RESET).toBe(NEEDS_RESET);
    d.submit([d.header(T_FLUSH, 0), d.status()]);          // a good request: still ignored
    expect(d.usedIdx()).toBe(0);
    d.wr(R.Status, 0);
    expect(d.rd(R.Status)).toBe(0);
    expect(d.rd(R.IntStatus)).toBe(0);
    expect(d.irq()).toBe(false);
    d.resetRings();
    d.init();
    const st = d.status();
    d.submit([d.header(T_FLUSH, 0), st]);
    expect(d.usedIdx()).toBe(1);
    expect(d.byte(st)).toBe(0);
  });
});

describe('virtio-blk state', () => {
  it('round-trips the transport through save/restore', () => {
    const be = disk();
    const a = new Driver(be);
    a.init();
    a.submit([a.header(T_FLUSH, 0), a.status()]);
    const snap = JSON.parse(JSON.stringify(a.dev.save()));
    const b = new Driver(be);
    b.dev.restore(snap);
    expect(b.rd(R.Status)).toBe(ACK | DRIVER | FEATURES_OK | DRIVER_OK);
    expect(b.rd(R.IntStatus)).toBe(1);
    expect(b.irq()).toBe(true);
    expect(() => b.dev.restore({})).toThrow(/not a virtio-mmio state/);
  });
});

describe('FileBackend', () => {
  const tmp: string[] = [];
  const tempFile = (bytes: Uint8Array) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-blk-'));
    const f = path.join(dir, 'disk.img');
    fs.writeFileSync(f, bytes);
    tmp.push(dir);
    return f;
  };
  afterEach(() => {
    for (const d of tmp.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('reads and writes a disk image file through virtio-blk', () => {
    const img = new Uint8Array(8 * 512);
    img.set([1, 2, 3, 4], 512 * 6);
    const file = tempFile(img);
    const be = new FileBackend(file);
    expect(be.size).toBe(4096);
    const d = new Driver(be);
    d.init();
    const rdata = d.data(512, true);
    d.submit([d.header(T_IN, 6), rdata, d.status()]);
    expect([...d.bytes(rdata).slice(0, 5)]).toEqual([1, 2, 3, 4, 0]);
    const wdata = d.data(512, false, (i) => i & 0xff);
    const st = d.status();
    d.submit([d.header(T_OUT, 1), wdata, st]);
    d.submit([d.header(T_FLUSH, 0), d.status()]);
    expect(d.byte(st)).toBe(0);
    be.close();
    const back = fs.readFileSync(file);
    expect(back.length).toBe(4096);
    expect([...back.subarray(512, 1024)]).toEqual([...d.bytes(wdata)]);
    expect([...back.subarray(6 * 512, 6 * 512 + 4)]).toEqual([1, 2, 3, 4]);
  });

  it('rejects an image whose size is not a multiple of 512, naming the file', () => {
    const file = tempFile(new Uint8Array(1000));
    expect(() => new FileBackend(file)).toThrow(/disk\.img: size 1000 is not a multiple of 512/);
  });

  it('rejects a missing file with a clear error', () => {
    expect(() => new FileBackend('/nonexistent/tessera.img')).toThrow(/tessera\.img: cannot open/);
  });

  it('refuses writes on a read-only image', () => {
    const file = tempFile(new Uint8Array(512));
    const be = new FileBackend(file, true);
    expect(be.readOnly).toBe(true);
    expect(() => be.write(0, new Uint8Array(512))).toThrow(/read-only/);
    be.close();
  });
});
