// The flattened device tree the board hands to firmware and kernels in a1
// (as QEMU's virt does), and a small reader for DTBs.
//
// buildFdt(desc) lays the tree out like QEMU 7.2's virt DTB (dumped with
// `-M virt,dumpdtb=...`): the same node names, unit addresses, compatible
// strings, phandle wiring and interrupt numbers, generated from the board
// description, without the devices Tessera does not have (PCIe, fw-cfg,
// flash, RTC, PMU). The blob format is the Devicetree Specification v0.4,
// chapter 5: a 40-byte header (version 17, last compatible version 16), the
// memory reservation block, the structure block and the strings block.
//
// `riscv,isa` defaults to "rv32ima_zicsr_zifencei": the ISA manual's naming
// (single-letter extensions, then multi-letter ones separated by "_"), the
// form QEMU writes and Linux's ISA-string parser reads.
//
// parseFdt(blob) walks a DTB back into nodes whose properties are raw bytes;
// parseFdtBlob also returns the header fields and reservations. Anything
// malformed (short blob, bad magic, offsets outside the blob, unterminated
// names, unknown tokens, unbalanced nodes) raises an FdtError naming the
// problem and its byte offset. Every step of the walk moves forward, so a
// hostile blob cannot make it loop.
//
// Entry points: buildFdt, FdtBoard, encodeFdt, parseFdt, parseFdtBlob,
// FdtNode, FdtError, fdtFind, fdtCells, fdtString, fdtStrings.

export const FDT_MAGIC = 0xd00dfeed;
export const FDT_VERSION = 17;
export const FDT_LAST_COMP_VERSION = 16;
export const FDT_BEGIN_NODE = 1;
export const FDT_END_NODE = 2;
export const FDT_PROP = 3;
export const FDT_NOP = 4;
export const FDT_END = 9;
const HEADER_BYTES = 40;

export interface FdtRegion { base: number; size: number }
export interface FdtReservation { address: number; size: number }

/** What buildFdt needs to know about the board. */
export interface FdtBoard {
  model?: string;
  compatible?: string;
  memory: FdtRegion;
  cpu: { isa?: string; mmuType?: string; timebaseFrequency: number };
  clint: FdtRegion;
  plic: FdtRegion & { ndev: number };
  uart: FdtRegion & { irq: number; clockFrequency: number };
  virtio: (FdtRegion & { irq: number })[];
  /** The sifive_test finisher; also gets the syscon-poweroff/-reboot nodes. */
  test: FdtRegion;
  chosen?: { bootargs?: string; stdoutPath?: string };
  /** Memory reservation block entries. */
  reserved?: FdtReservation[];
  bootCpuid?: number;
  /** Free bytes after the strings block, for firmware that edits the tree in place. */
  padding?: number;
}

export interface FdtNode {
  name: string;
  props: Map<string, Uint8Array>;
  children: FdtNode[];
}

export interface FdtBlob {
  root: FdtNode;
  reserved: FdtReservation[];
  version: number;
  lastCompVersion: number;
  bootCpuid: number;
}

export class FdtError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FdtError';
  }
}

// --- building --------------------------------------------------------------

const PHANDLE = { cpu: 1, cpuIntc: 2, plic: 3, test: 4 } as const;
/** Local interrupt numbers on the cpu's riscv,cpu-intc (mip bits). */
const IRQ_M_SOFT = 3, IRQ_M_TIMER = 7, IRQ_S_EXT = 9, IRQ_M_EXT = 11;

function cells(...values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => dv.setUint32(i * 4, v >>> 0));
  return out;
}

function strings(...values: string[]): Uint8Array {
  return new TextEncoder().encode(values.map((s) => s + '\0').join(''));
}

/** A 64-bit value as two cells, high first. */
function cells64(v: number, what: string): number[] {
  if (!Number.isSafeInteger(v) || v < 0) throw new FdtError(`FDT: ${what} ${v} is not a non-negative integer`);
  return [Math.floor(v / 0x1_0000_0000), v % 0x1_0000_0000];
}

function reg(r: FdtRegion, what: string): Uint8Array {
  return cells(...cells64(r.base, `${what} base`), ...cells64(r.size, `${what} size`));
}

function node(name: string, props: [string, Uint8Array][], children: FdtNode[] = []): FdtNode {
  return { name, props: new Map(props), children };
}

const hexUnit = (base: number) => base.toString(16);

function cpusNode(desc: FdtBoard): FdtNode {
  const intc = node('interrupt-controller', [
    ['#interrupt-cells', cells(1)],
    ['interrupt-controller', new Uint8Array(0)],
    ['compatible', strings('riscv,cpu-intc')],
    ['phandle', cells(PHANDLE.cpuIntc)],
  ]);
  const cpu = node('cpu@0', [
    ['phandle', cells(PHANDLE.cpu)],
    ['device_type', strings('cpu')],
    ['reg', cells(0)],
    ['status', strings('okay')],
    ['compatible', strings('riscv')],
    ['riscv,isa', strings(desc.cpu.isa ?? 'rv32ima_zicsr_zifencei')],
    ['mmu-type', strings(desc.cpu.mmuType ?? 'riscv,sv32')],
  ], [intc]);
  const cpuMap = node('cpu-map', [], [
    node('cluster0', [], [node('core0', [['cpu', cells(PHANDLE.cpu)]])]),
  ]);
  return node('cpus', [
    ['#address-cells', cells(1)],
    ['#size-cells', cells(0)],
    ['timebase-frequency', cells(desc.cpu.timebaseFrequency)],
  ], [cpu, cpuMap]);
}

function socNode(desc: FdtBoard): FdtNode {
  const children: FdtNode[] = [];
  children.push(node(`clint@${hexUnit(desc.clint.base)}`, [
    ['interrupts-extended', cells(PHANDLE.cpuIntc, IRQ_M_SOFT, PHANDLE.cpuIntc, IRQ_M_TIMER)],
    ['reg', reg(desc.clint, 'clint')],
    ['compatible', strings('sifive,clint0', 'riscv,clint0')],
  ]));
  children.push(node(`plic@${hexUnit(desc.plic.base)}`, [
    ['phandle', cells(PHANDLE.plic)],
    ['riscv,ndev', cells(desc.plic.ndev)],
    ['reg', reg(desc.plic, 'plic')],
    ['interrupts-extended', cells(PHANDLE.cpuIntc, IRQ_M_EXT, PHANDLE.cpuIntc, IRQ_S_EXT)],
    ['interrupt-controller', new Uint8Array(0)],
    ['compatible', strings('sifive,plic-1.0.0', 'riscv,plic0')],
    ['#address-cells', cells(0)],
    ['#interrupt-cells', cells(1)],
  ]));
  for (const v of desc.virtio) {
    children.push(node(`virtio_mmio@${hexUnit(v.base)}`, [
      ['interrupts', cells(v.irq)],
      ['interrupt-parent', cells(PHANDLE.plic)],
      ['reg', reg(v, 'virtio_mmio')],
      ['compatible', strings('virtio,mmio')],
    ]));
  }
  children.push(node(`test@${hexUnit(desc.test.base)}`, [
    ['phandle', cells(PHANDLE.test)],
    ['reg', reg(desc.test, 'test')],
    ['compatible', strings('sifive,test1', 'sifive,test0', 'syscon')],
  ]));
  children.push(node(`serial@${hexUnit(desc.uart.base)}`, [
    ['interrupts', cells(desc.uart.irq)],
    ['interrupt-parent', cells(PHANDLE.plic)],
    ['clock-frequency', cells(desc.uart.clockFrequency)],
    ['reg', reg(desc.uart, 'serial')],
    ['compatible', strings('ns16550a')],
  ]));
  return node('soc', [
    ['#address-cells', cells(2)],
    ['#size-cells', cells(2)],
    ['compatible', strings('simple-bus')],
    ['ranges', new Uint8Array(0)],
  ], children);
}

/** The syscon-poweroff / syscon-reboot nodes: Linux writes `value` to the test device. */
function sysconNode(name: string, compatible: string, value: number): FdtNode {
  return node(name, [
    ['value', cells(value)],
    ['offset', cells(0)],
    ['regmap', cells(PHANDLE.test)],
    ['compatible', strings(compatible)],
  ]);
}

/** The device tree of a board, as a DTB. */
export function buildFdt(desc: FdtBoard): Uint8Array {
  const stdout = desc.chosen?.stdoutPath ?? `/soc/serial@${hexUnit(desc.uart.base)}`;
  const root = node('', [
    ['#address-cells', cells(2)],
    ['#size-cells', cells(2)],
    ['compatible', strings(desc.compatible ?? 'riscv-virtio')],
    ['model', strings(desc.model ?? 'riscv-virtio,qemu')],
  ], [
    node('chosen', [
      ['bootargs', strings(desc.chosen?.bootargs ?? '')],
      ['stdout-path', strings(stdout)],
    ]),
    sysconNode('poweroff', 'syscon-poweroff', 0x5555),
    sysconNode('reboot', 'syscon-reboot', 0x7777),
    node(`memory@${hexUnit(desc.memory.base)}`, [
      ['device_type', strings('memory')],
      ['reg', reg(desc.memory, 'memory')],
    ]),
    cpusNode(desc),
    socNode(desc),
  ]);
  return encodeFdt(root, {
    reserved: desc.reserved, bootCpuid: desc.bootCpuid, padding: desc.padding,
  });
}

/** Serialise a tree (root name "") into a DTB. */
export function encodeFdt(root: FdtNode,
                          opts: { reserved?: FdtReservation[]; bootCpuid?: number; padding?: number } = {}): Uint8Array {
  const strTable = new StringTable();
  const struct: number[] = [];   // bytes
  const push32 = (v: number) => struct.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  const pushBytes = (b: Uint8Array) => {
    for (const x of b) struct.push(x);
    while (struct.length % 4) struct.push(0);
  };
  const emit = (n: FdtNode) => {
    push32(FDT_BEGIN_NODE);
    pushBytes(new TextEncoder().encode(n.name + '\0'));
    for (const [name, value] of n.props) {
      push32(FDT_PROP);
      push32(value.length);
      push32(strTable.offset(name));
      pushBytes(value);
    }
    n.children.forEach(emit);
    push32(FDT_END_NODE);
  };
  emit(root);
  push32(FDT_END);

  const reserved = opts.reserved ?? [];
  const rsvOff = HEADER_BYTES;
  const structOff = rsvOff + 16 * (reserved.length + 1);
  const stringsOff = structOff + struct.length;
  const strBytes = strTable.bytes();
  const total = stringsOff + strBytes.length + (opts.padding ?? 0);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  const header = [FDT_MAGIC, total, structOff, stringsOff, rsvOff, FDT_VERSION,
    FDT_LAST_COMP_VERSION, opts.bootCpuid ?? 0, strBytes.length, struct.length];
  header.forEach((v, i) => dv.setUint32(i * 4, v >>> 0));
  reserved.forEach((r, i) => {
    const [ah, al] = cells64(r.address, 'reservation address');
    const [sh, sl] = cells64(r.size, 'reservation size');
    [ah, al, sh, sl].forEach((v, j) => dv.setUint32(rsvOff + 16 * i + 4 * j, v));
  });
  out.set(struct, structOff);
  out.set(strBytes, stringsOff);
  return out;
}

class StringTable {
  private readonly map = new Map<string, number>();
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  offset(name: string): number {
    let off = this.map.get(name);
    if (off === undefined) {
      off = this.size;
      const b = new TextEncoder().encode(name + '\0');
      this.parts.push(b);
      this.size += b.length;
      this.map.set(name, off);
    }
    return off;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) { out.set(p, at); at += p.length; }
    return out;
  }
}

// --- reading ---------------------------------------------------------------

/** The tree of a DTB. */
export function parseFdt(blob: Uint8Array): FdtNode {
  return parseFdtBlob(blob).root;
}

/** A DTB's tree, header fields and memory reservations. */
export function parseFdtBlob(blob: Uint8Array): FdtBlob {
  if (!(blob instanceof Uint8Array)) throw new FdtError('FDT: not a byte array');
  if (blob.length < HEADER_BYTES) {
    throw new FdtError(`FDT: blob is ${blob.length} bytes, shorter than the ${HEADER_BYTES}-byte header`);
  }
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.length);
  const h = (i: number) => dv.getUint32(i * 4);
  if (h(0) !== FDT_MAGIC) {
    throw new FdtError(`FDT: bad magic 0x${h(0).toString(16).padStart(8, '0')} at offset 0 (expected 0xd00dfeed)`);
  }
  const total = h(1), structOff = h(2), stringsOff = h(3), rsvOff = h(4);
  const version = h(5), lastComp = h(6), bootCpuid = h(7), stringsSize = h(8);
  if (total > blob.length) throw new FdtError(`FDT: truncated: header totalsize ${total}, blob has ${blob.length} bytes`);
  if (version < 16 || lastComp > FDT_VERSION) {
    throw new FdtError(`FDT: unsupported version ${version} (last compatible ${lastComp})`);
  }
  const structSize = version >= 17 ? h(9) : total - structOff;
  checkBlock('structure block', structOff, structSize, total, 4);
  checkBlock('strings block', stringsOff, stringsSize, total, 1);
  checkBlock('memory reservation block', rsvOff, 16, total, 8);
  const reserved = parseReservations(dv, rsvOff, total);
  const root = walkStructure(blob, dv, structOff, structOff + structSize, stringsOff, stringsSize);
  return { root, reserved, version, lastCompVersion: lastComp, bootCpuid };
}

function checkBlock(what: string, off: number, size: number, total: number, align: number): void {
  if (off % align !== 0) throw new FdtError(`FDT: ${what} offset ${off} is not ${align}-byte aligned`);
  if (off < HEADER_BYTES || off + size > total) {
    throw new FdtError(`FDT: ${what} at ${off}+${size} lies outside the blob's ${total} bytes`);
  }
}

function parseReservations(dv: DataView, off: number, total: number): FdtReservation[] {
  const out: FdtReservation[] = [];
  for (let at = off; ; at += 16) {
    if (at + 16 > total) throw new FdtError(`FDT: memory reservation block at ${off} has no terminating entry`);
    const address = dv.getUint32(at) * 0x1_0000_0000 + dv.getUint32(at + 4);
    const size = dv.getUint32(at + 8) * 0x1_0000_0000 + dv.getUint32(at + 12);
    if (address === 0 && size === 0) return out;
    out.push({ address, size });
  }
}

/** A NUL-terminated string inside [start, end) and its byte length, or an error naming `what`. */
function cString(blob: Uint8Array, start: number, end: number, what: string): [string, number] {
  const nul = blob.subarray(start, end).indexOf(0);
  if (nul < 0) throw new FdtError(`FDT: unterminated ${what} at offset ${start}`);
  return [new TextDecoder().decode(blob.subarray(start, start + nul)), nul];
}

function walkStructure(blob: Uint8Array, dv: DataView, start: number, end: number,
                       stringsOff: number, stringsSize: number): FdtNode {
  const stack: FdtNode[] = [];
  let root: FdtNode | undefined;
  let at = start;
  const align = (n: number) => (n + 3) & ~3;
  for (;;) {
    if (at + 4 > end) throw new FdtError(`FDT: structure block ends at ${end} without FDT_END`);
    const token = dv.getUint32(at);
    const tokenAt = at;
    at += 4;
    if (token === FDT_NOP) continue;
    if (token === FDT_END) {
      if (!root || stack.length > 0) throw new FdtError(`FDT: FDT_END at offset ${tokenAt} inside an open node`);
      return root;
    }
    if (token === FDT_BEGIN_NODE) {
      if (root && stack.length === 0) throw new FdtError(`FDT: second root node at offset ${tokenAt}`);
      const [name, nameLen] = cString(blob, at, end, 'node name');
      at = align(at + nameLen + 1);
      const n: FdtNode = { name, props: new Map(), children: [] };
      if (stack.length > 0) stack[stack.length - 1].children.push(n);
      else root = n;
      stack.push(n);
    } else if (token === FDT_END_NODE) {
      if (stack.length === 0) throw new FdtError(`FDT: FDT_END_NODE at offset ${tokenAt} without an open node`);
      stack.pop();
    } else if (token === FDT_PROP) {
      if (stack.length === 0) throw new FdtError(`FDT: property at offset ${tokenAt} outside any node`);
      if (at + 8 > end) throw new FdtError(`FDT: property header at offset ${tokenAt} runs past the structure block`);
      const len = dv.getUint32(at), nameOff = dv.getUint32(at + 4);
      at += 8;
      if (at + len > end) throw new FdtError(`FDT: property value at offset ${at} (${len} bytes) runs past the structure block`);
      if (nameOff >= stringsSize) throw new FdtError(`FDT: property name offset ${nameOff} at ${tokenAt} is outside the strings block`);
      const [name] = cString(blob, stringsOff + nameOff, stringsOff + stringsSize, 'property name');
      stack[stack.length - 1].props.set(name, blob.slice(at, at + len));
      at = align(at + len);
    } else {
      throw new FdtError(`FDT: unknown token 0x${token.toString(16)} at offset ${tokenAt}`);
    }
  }
}

// --- helpers for readers -----------------------------------------------------

/** The node at an absolute path such as "/soc/serial@10000000", or undefined. */
export function fdtFind(root: FdtNode, path: string): FdtNode | undefined {
  let n: FdtNode | undefined = root;
  for (const part of path.split('/').filter((p) => p !== '')) {
    n = n.children.find((c) => c.name === part);
    if (!n) return undefined;
  }
  return n;
}

/** A property value as big-endian 32-bit cells. */
export function fdtCells(value: Uint8Array): number[] {
  if (value.length % 4 !== 0) throw new FdtError(`FDT: a ${value.length}-byte value is not a list of cells`);
  const dv = new DataView(value.buffer, value.byteOffset, value.length);
  const out: number[] = [];
  for (let i = 0; i < value.length; i += 4) out.push(dv.getUint32(i));
  return out;
}

/** A property value as a string list (NUL-separated). */
export function fdtStrings(value: Uint8Array): string[] {
  if (value.length === 0 || value[value.length - 1] !== 0) throw new FdtError('FDT: value is not a NUL-terminated string list');
  return new TextDecoder().decode(value.subarray(0, value.length - 1)).split('\0');
}

export function fdtString(value: Uint8Array): string {
  return fdtStrings(value)[0];
}
