// The virtio-mmio transport (one 4 KiB slot of the virt board's eight at
// 0x1000_1000 + 0x1000*i, PLIC sources 1..8) and split virtqueues, per the
// virtio 1.1/1.2 specification: the modern register layout, Version 2
// (section 4.2.2), and split virtqueues (section 2.6, the 1.0 "virtqueue").
// QEMU 7.2 presents the legacy layout (Version 1) by default; Tessera chooses
// the modern one, which QEMU gives with virtio-mmio.force-legacy=false.
//
// A slot without a device (device undefined) reads MagicValue, Version 2,
// DeviceID 0 and VendorID, and 0 elsewhere, as QEMU's empty slots do.
//
// Behaviour worth knowing:
// - Control registers take 32-bit aligned accesses only (4.2.2.2); others
//   read 0 and are ignored. The config space at 0x100 takes any size.
// - FEATURES_OK sticks only if the driver accepted a subset of the offered
//   features including VIRTIO_F_VERSION_1; the driver re-reads Status to see.
// - Queue registers are ignored while the selected queue is ready.
// - A QueueNotify is handled synchronously, inside the MMIO write: every
//   available chain is walked, handed to the device and put in the used ring,
//   so a run is deterministic. The used-buffer interrupt is raised unless
//   the driver set VIRTQ_AVAIL_F_NO_INTERRUPT (no VIRTIO_F_EVENT_IDX).
// - Indirect descriptors (VIRTIO_F_INDIRECT_DESC) are supported.
// - Anything malformed the driver puts in guest memory (a ring or descriptor
//   outside RAM, a misaligned ring, a queue size that is not a power of 2, a
//   loop in a chain, a readable descriptor after a writable one, a chain
//   longer than 2^32-1 bytes, more available entries than the queue holds)
//   never throws out of write(): the device sets DEVICE_NEEDS_RESET (Status
//   bit 0x40), raises the configuration-change interrupt (InterruptStatus
//   bit 1), and ignores notifications until the driver resets it (2.1.1).
//
// Entry points: VirtioMmio (read, write, reset, save, restore), the
// VirtioDevice interface a device implements, DescChain (a walked chain with
// read/write helpers), VirtqError (what a device throws for a malformed
// request), VIRTIO_MMIO_REG and the status/feature/flag constants.

import type { Device, DmaMemory, IrqLine } from './device.ts';

export const VIRTIO_MMIO_SIZE = 0x1000;
export const VIRTIO_MMIO_MAGIC = 0x74726976;   // "virt"
export const VIRTIO_MMIO_VERSION = 2;
export const VIRTIO_VENDOR_QEMU = 0x554d4551;  // "QEMU"

export const VIRTIO_MMIO_REG = {
  MagicValue: 0x000, Version: 0x004, DeviceID: 0x008, VendorID: 0x00c,
  DeviceFeatures: 0x010, DeviceFeaturesSel: 0x014,
  DriverFeatures: 0x020, DriverFeaturesSel: 0x024,
  QueueSel: 0x030, QueueNumMax: 0x034, QueueNum: 0x038, QueueReady: 0x044,
  QueueNotify: 0x050, InterruptStatus: 0x060, InterruptACK: 0x064, Status: 0x070,
  QueueDescLow: 0x080, QueueDescHigh: 0x084,
  QueueDriverLow: 0x090, QueueDriverHigh: 0x094,
  QueueDeviceLow: 0x0a0, QueueDeviceHigh: 0x0a4,
  ConfigGeneration: 0x0fc, Config: 0x100,
} as const;

export const VIRTIO_STATUS_ACKNOWLEDGE = 1;
export const VIRTIO_STATUS_DRIVER = 2;
export const VIRTIO_STATUS_DRIVER_OK = 4;
export const VIRTIO_STATUS_FEATURES_OK = 8;
export const VIRTIO_STATUS_DEVICE_NEEDS_RESET = 0x40;
export const VIRTIO_STATUS_FAILED = 0x80;

export const VIRTIO_F_INDIRECT_DESC = 28;
export const VIRTIO_F_VERSION_1 = 32;

export const VIRTIO_INT_USED_BUFFER = 1;
export const VIRTIO_INT_CONFIG_CHANGE = 2;

export const VIRTQ_DESC_F_NEXT = 1;
export const VIRTQ_DESC_F_WRITE = 2;
export const VIRTQ_DESC_F_INDIRECT = 4;
export const VIRTQ_AVAIL_F_NO_INTERRUPT = 1;

const TWO_32 = 0x1_0000_0000;
const MAX_CHAIN_BYTES = 0xffff_ffff;   // the used ring's len is 32 bits

/** A malformed ring, descriptor or request: the device needs a reset. */
export class VirtqError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VirtqError';
  }
}

/** What a virtio device (virtio-blk, ...) gives the transport. */
export interface VirtioDevice {
  readonly deviceId: number;
  /** Offered feature bits as 32-bit words (word 0 = bits 0..31); the transport adds VERSION_1 and INDIRECT_DESC. */
  readonly features: readonly number[];
  readonly numQueues: number;
  readonly queueNumMax: number;
  configRead(offset: number, size: 1 | 2 | 4): number;
  configWrite(offset: number, size: 1 | 2 | 4, value: number): void;
  /**
   * Carry out one request; return the number of bytes written into the
   * chain's device-writable part (the used element's len). Throw VirtqError
   * for a request too malformed to answer.
   */
  process(queue: number, chain: DescChain): number;
  reset(): void;
}

export interface DescSegment { addr: number; len: number }

/** A walked descriptor chain: device-readable segments, then device-writable ones. */
export class DescChain {
  readonly readable: DescSegment[] = [];
  readonly writable: DescSegment[] = [];
  readableLength = 0;
  writableLength = 0;

  constructor(private readonly mem: DmaMemory, readonly head: number) {}

  /** `len` bytes from offset `offset` of the readable part. */
  read(offset: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    this.copy(this.readable, offset, len, (addr, at, n) => {
      const bytes = this.mem.read(addr, n);
      if (!bytes) throw new VirtqError(`descriptor buffer 0x${addr.toString(16)}+${n} is not RAM`);
      out.set(bytes, at);
    });
    return out;
  }

  /** Put `data` at offset `offset` of the writable part. */
  write(offset: number, data: Uint8Array): void {
    this.copy(this.writable, offset, data.length, (addr, at, n) => {
      if (!this.mem.write(addr, data.subarray(at, at + n))) {
        throw new VirtqError(`descriptor buffer 0x${addr.toString(16)}+${n} is not RAM`);
      }
    });
  }

  private copy(segs: DescSegment[], offset: number, len: number,
               move: (addr: number, at: number, n: number) => void): void {
    let skip = offset, at = 0;
    for (const s of segs) {
      if (at >= len) break;
      if (skip >= s.len) { skip -= s.len; continue; }
      const n = Math.min(s.len - skip, len - at);
      move(s.addr + skip, at, n);
      at += n;
      skip = 0;
    }
    if (at < len) throw new VirtqError(`request needs ${len} bytes at ${offset}, chain is shorter`);
  }
}

/** A queue's registers (addresses as written, low and high words) and the device's ring positions. */
interface QueueState {
  num: number; ready: boolean;
  descLo: number; descHi: number; driverLo: number; driverHi: number;
  deviceLo: number; deviceHi: number;
  lastAvail: number; usedIdx: number;
}

/** A queue's three areas as guest physical addresses. */
interface QueueAreas { desc: number; driver: number; device: number }

interface TransportState {
  status: number; deviceFeaturesSel: number; driverFeaturesSel: number;
  driverFeatures: number[]; queueSel: number; interruptStatus: number;
  queues: QueueState[]; error: string;
}

export class VirtioMmio implements Device {
  readonly name: string;
  private status = 0;
  private deviceFeaturesSel = 0;
  private driverFeaturesSel = 0;
  private driverFeatures = [0, 0];
  private queueSel = 0;
  private interruptStatus = 0;
  private queues: QueueState[] = [];
  /** Why DEVICE_NEEDS_RESET was set, for `info devices`. */
  private error = '';
  private irqLevel = false;
  private readonly offered: number[];

  constructor(private readonly mem: DmaMemory,
              private readonly irq: IrqLine,
              private readonly device?: VirtioDevice,
              name = 'virtio') {
    this.name = name;
    const words = device ? [...device.features] : [];
    while (words.length < 2) words.push(0);
    if (device) {
      words[0] = (words[0] | (1 << VIRTIO_F_INDIRECT_DESC)) >>> 0;
      words[1] = (words[1] | (1 << (VIRTIO_F_VERSION_1 - 32))) >>> 0;
    }
    this.offered = words.map((w) => w >>> 0);
    this.resetTransport();
  }

  read(offset: number, size: 1 | 2 | 4): number {
    const R = VIRTIO_MMIO_REG;
    if (offset >= R.Config) {
      return this.device ? this.device.configRead(offset - R.Config, size) : 0;
    }
    if (size !== 4 || (offset & 3) !== 0) return 0;
    switch (offset) {
      case R.MagicValue: return VIRTIO_MMIO_MAGIC;
      case R.Version: return VIRTIO_MMIO_VERSION;
      case R.DeviceID: return this.device ? this.device.deviceId : 0;
      case R.VendorID: return VIRTIO_VENDOR_QEMU;
    }
    if (!this.device) return 0;
    const q = this.queues[this.queueSel];
    switch (offset) {
      case R.DeviceFeatures: return this.offered[this.deviceFeaturesSel] ?? 0;
      case R.QueueNumMax: return q ? this.device.queueNumMax : 0;
      case R.QueueReady: return q?.ready ? 1 : 0;
      case R.InterruptStatus: return this.interruptStatus;
      case R.Status: return this.status;
      case R.ConfigGeneration: return 0;   // the config space never changes
      default: return 0;
    }
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    const R = VIRTIO_MMIO_REG;
    if (!this.device) return;
    if (offset >= R.Config) {
      this.device.configWrite(offset - R.Config, size, value);
      return;
    }
    if (size !== 4 || (offset & 3) !== 0) return;
    const v = value >>> 0;
    switch (offset) {
      case R.DeviceFeaturesSel: this.deviceFeaturesSel = v; break;
      case R.DriverFeaturesSel: this.driverFeaturesSel = v; break;
      case R.DriverFeatures:
        if (!(this.status & VIRTIO_STATUS_FEATURES_OK) && this.driverFeaturesSel < 2) {
          this.driverFeatures[this.driverFeaturesSel] = v;
        }
        break;
      case R.QueueSel: this.queueSel = v; break;
      case R.QueueNotify: this.notify(v); break;
      case R.InterruptACK:
        this.interruptStatus &= ~v;
        this.updateIrq();
        break;
      case R.Status: this.writeStatus(v & 0xff); break;
      default: this.writeQueueReg(offset, v); break;
    }
  }

  reset(): void {
    this.resetTransport();
  }

  save(): TransportState {
    return {
      status: this.status, deviceFeaturesSel: this.deviceFeaturesSel,
      driverFeaturesSel: this.driverFeaturesSel, driverFeatures: [...this.driverFeatures],
      queueSel: this.queueSel, interruptStatus: this.interruptStatus,
      queues: this.queues.map((q) => ({ ...q })), error: this.error,
    };
  }

  restore(state: unknown): void {
    const s = state as TransportState;
    if (typeof s !== 'object' || s === null || !Array.isArray(s.queues) ||
        s.queues.length !== this.queues.length) {
      throw new Error(`${this.name}: restore: not a virtio-mmio state for this device`);
    }
    this.status = s.status & 0xff;
    this.deviceFeaturesSel = s.deviceFeaturesSel >>> 0;
    this.driverFeaturesSel = s.driverFeaturesSel >>> 0;
    this.driverFeatures = [s.driverFeatures[0] >>> 0, s.driverFeatures[1] >>> 0];
    this.queueSel = s.queueSel >>> 0;
    this.interruptStatus = s.interruptStatus & 3;
    this.queues = s.queues.map((q) => ({ ...q }));
    this.error = String(s.error ?? '');
    this.updateIrq();
  }

  describe(): string[] {
    if (!this.device) return ['empty slot (DeviceID 0)'];
    const hex = (v: number) => '0x' + v.toString(16);
    const lines = [
      `DeviceID ${this.device.deviceId} Status ${hex(this.status)} ` +
        `InterruptStatus ${this.interruptStatus} features ${hex(this.driverFeatures[1])}_${hex(this.driverFeatures[0])}`,
    ];
    this.queues.forEach((q, i) => lines.push(
      `queue ${i}: ready ${q.ready ? 1 : 0} num ${q.num} desc ${hex(join64(q.descLo, q.descHi))} ` +
        `driver ${hex(join64(q.driverLo, q.driverHi))} device ${hex(join64(q.deviceLo, q.deviceHi))} ` +
        `avail ${q.lastAvail} used ${q.usedIdx}`));
    if (this.error) lines.push(`needs reset: ${this.error}`);
    return lines;
  }

  /** Whether the driver accepted feature `bit` (valid once FEATURES_OK is set). */
  hasFeature(bit: number): boolean {
    return ((this.driverFeatures[bit >>> 5] ?? 0) >>> (bit & 31) & 1) === 1;
  }

  // --- status and queue registers -------------------------------------------

  private resetTransport(): void {
    this.status = 0;
    this.deviceFeaturesSel = 0;
    this.driverFeaturesSel = 0;
    this.driverFeatures = [0, 0];
    this.queueSel = 0;
    this.interruptStatus = 0;
    this.error = '';
    const n = this.device ? this.device.numQueues : 0;
    this.queues = [];
    for (let i = 0; i < n; i++) {
      this.queues.push({
        num: this.device!.queueNumMax, ready: false, descLo: 0, descHi: 0,
        driverLo: 0, driverHi: 0, deviceLo: 0, deviceHi: 0, lastAvail: 0, usedIdx: 0,
      });
    }
    this.device?.reset();
    this.updateIrq();
  }

  private writeStatus(v: number): void {
    if (v === 0) {
      this.resetTransport();
      return;
    }
    // DEVICE_NEEDS_RESET belongs to the device; the driver cannot set or clear it.
    let s = (v & ~VIRTIO_STATUS_DEVICE_NEEDS_RESET) | (this.status & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
    if ((s & VIRTIO_STATUS_FEATURES_OK) && !(this.status & VIRTIO_STATUS_FEATURES_OK) &&
        !this.featuresAcceptable()) {
      s &= ~VIRTIO_STATUS_FEATURES_OK;
    }
    this.status = s;
  }

  private featuresAcceptable(): boolean {
    for (let w = 0; w < 2; w++) {
      if ((this.driverFeatures[w] & ~this.offered[w]) !== 0) return false;
    }
    return this.hasFeature(VIRTIO_F_VERSION_1);
  }

  private writeQueueReg(offset: number, v: number): void {
    const R = VIRTIO_MMIO_REG;
    const q = this.queues[this.queueSel];
    if (!q) return;
    if (offset === R.QueueReady) {
      const ready = (v & 1) === 1;
      if (ready && !q.ready) { q.lastAvail = 0; q.usedIdx = 0; }
      q.ready = ready;
      return;
    }
    if (q.ready) return;   // the driver must not move a live queue (4.2.2.2)
    switch (offset) {
      case R.QueueNum: q.num = v; break;
      case R.QueueDescLow: q.descLo = v; break;
      case R.QueueDescHigh: q.descHi = v; break;
      case R.QueueDriverLow: q.driverLo = v; break;
      case R.QueueDriverHigh: q.driverHi = v; break;
      case R.QueueDeviceLow: q.deviceLo = v; break;
      case R.QueueDeviceHigh: q.deviceHi = v; break;
      default: break;
    }
  }

  private updateIrq(): void {
    const level = this.interruptStatus !== 0;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.irq.set(level);
    }
  }

  private needsReset(why: string): void {
    this.error = why;
    this.status |= VIRTIO_STATUS_DEVICE_NEEDS_RESET;
    this.interruptStatus |= VIRTIO_INT_CONFIG_CHANGE;
    this.updateIrq();
  }

  // --- split virtqueues ----------------------------------------------------

  private notify(index: number): void {
    const q = this.queues[index];
    if (!q || !q.ready || !(this.status & VIRTIO_STATUS_DRIVER_OK) ||
        (this.status & VIRTIO_STATUS_DEVICE_NEEDS_RESET)) {
      return;
    }
    try {
      this.processQueue(index, q);
    } catch (e) {
      // Only VirtqError is expected; anything else from a device is a bug
      // there, but the guest must still not be able to crash the host.
      this.needsReset(`queue ${index}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private processQueue(index: number, q: QueueState): void {
    const a = checkQueueLayout(q, this.device!.queueNumMax);
    const availIdx = this.read16(a.driver + 2, 'avail.idx');
    const waiting = (availIdx - q.lastAvail) & 0xffff;
    if (waiting > q.num) throw new VirtqError(`avail.idx ${availIdx} is ${waiting} ahead of the device, queue holds ${q.num}`);
    let used = 0;
    while (q.lastAvail !== availIdx) {
      const head = this.read16(a.driver + 4 + 2 * (q.lastAvail % q.num), 'avail.ring');
      const chain = this.walkChain(a.desc, q.num, head);
      const len = this.device!.process(index, chain);
      const elem = a.device + 4 + 8 * (q.usedIdx % q.num);
      if (!this.mem.write32(elem, head) || !this.mem.write32(elem + 4, len >>> 0)) {
        throw new VirtqError(`used ring 0x${elem.toString(16)} is not RAM`);
      }
      q.usedIdx = (q.usedIdx + 1) & 0xffff;
      q.lastAvail = (q.lastAvail + 1) & 0xffff;
      if (!this.mem.write16(a.device + 2, q.usedIdx)) throw new VirtqError('used.idx is not RAM');
      used++;
    }
    if (used > 0 && !(this.read16(a.driver, 'avail.flags') & VIRTQ_AVAIL_F_NO_INTERRUPT)) {
      this.interruptStatus |= VIRTIO_INT_USED_BUFFER;
      this.updateIrq();
    }
  }

  private read16(pa: number, what: string): number {
    const v = this.mem.read16(pa);
    if (v === undefined) throw new VirtqError(`${what} at 0x${pa.toString(16)} is not RAM`);
    return v;
  }

  /** Follow a chain from `head`, direct or through one indirect table (2.6.5). */
  private walkChain(descTable: number, num: number, head: number): DescChain {
    const chain = new DescChain(this.mem, head);
    let table = descTable, tableSize = num, idx = head, seen = 0, indirect = false;
    for (;;) {
      if (idx >= tableSize) throw new VirtqError(`descriptor index ${idx} outside a table of ${tableSize}`);
      // More descriptors than the table has means the chain loops.
      if (++seen > tableSize) throw new VirtqError(`descriptor chain from ${head} loops`);
      const d = this.readDesc(table + 16 * idx);
      if (d.flags & VIRTQ_DESC_F_INDIRECT) {
        if (indirect) throw new VirtqError('nested indirect descriptor');
        if (!this.hasFeature(VIRTIO_F_INDIRECT_DESC)) throw new VirtqError('indirect descriptor not negotiated');
        if ((d.flags & VIRTQ_DESC_F_NEXT) || d.len === 0 || d.len % 16 !== 0) {
          throw new VirtqError(`bad indirect descriptor (len ${d.len}, flags ${d.flags})`);
        }
        table = d.addr; tableSize = d.len / 16; idx = 0; seen = 0; indirect = true;
        continue;
      }
      this.addSegment(chain, d);
      if (!(d.flags & VIRTQ_DESC_F_NEXT)) return chain;
      idx = d.next;
    }
  }

  private addSegment(chain: DescChain, d: Desc): void {
    const writable = (d.flags & VIRTQ_DESC_F_WRITE) !== 0;
    if (!writable && chain.writable.length > 0) throw new VirtqError('device-readable descriptor after a device-writable one');
    if (chain.readableLength + chain.writableLength + d.len > MAX_CHAIN_BYTES) {
      throw new VirtqError('descriptor chain longer than 2^32-1 bytes');
    }
    if (!Number.isFinite(d.addr)) throw new VirtqError('descriptor address beyond 2^53');
    // Probe both ends now, so a bad buffer is caught before the request has
    // any effect; the copy itself still checks every byte range it touches.
    if (d.len > 0 && (!this.mem.read(d.addr, 1) || !this.mem.read(d.addr + d.len - 1, 1))) {
      throw new VirtqError(`descriptor buffer 0x${d.addr.toString(16)}+${d.len} is not RAM`);
    }
    const seg = { addr: d.addr, len: d.len };
    if (writable) { chain.writable.push(seg); chain.writableLength += d.len; }
    else { chain.readable.push(seg); chain.readableLength += d.len; }
  }

  private readDesc(pa: number): Desc {
    const b = this.mem.read(pa, 16);
    if (!b) throw new VirtqError(`descriptor at 0x${pa.toString(16)} is not RAM`);
    const dv = new DataView(b.buffer, b.byteOffset, 16);
    return {
      addr: join64(dv.getUint32(0, true), dv.getUint32(4, true)),
      len: dv.getUint32(8, true),
      flags: dv.getUint16(12, true),
      next: dv.getUint16(14, true),
    };
  }
}

interface Desc { addr: number; len: number; flags: number; next: number }

/** The split-virtqueue rules of 2.6: size a power of 2, alignments 16/2/4. */
function checkQueueLayout(q: QueueState, max: number): QueueAreas {
  if (q.num === 0 || q.num > max || (q.num & (q.num - 1)) !== 0) {
    throw new VirtqError(`QueueNum ${q.num} is not a power of 2 in 1..${max}`);
  }
  const a = { desc: join64(q.descLo, q.descHi), driver: join64(q.driverLo, q.driverHi),
              device: join64(q.deviceLo, q.deviceHi) };
  if (!Number.isFinite(a.desc) || !Number.isFinite(a.driver) || !Number.isFinite(a.device)) {
    throw new VirtqError('virtqueue area beyond 2^53');
  }
  if (a.desc % 16 !== 0 || a.driver % 2 !== 0 || a.device % 4 !== 0) {
    throw new VirtqError('virtqueue area misaligned (descriptors 16, driver 2, device 4)');
  }
  return a;
}

/**
 * A 64-bit guest address as a number; beyond 2^53 it becomes Infinity, which
 * no DmaMemory accepts, so it fails like any other address outside RAM.
 */
function join64(lo: number, hi: number): number {
  return hi >= 0x20_0000 ? Infinity : hi * TWO_32 + lo;
}
