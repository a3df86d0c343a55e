// The FDT generator and reader: dtc must decompile what buildFdt writes (the
// test fails if dtc, Debian's device-tree-compiler, is missing), the nodes
// must match QEMU 7.2's virt DTB (dumped from qemu-system-riscv32 here and
// read back with parseFdt), parseFdt must round-trip buildFdt's output, and
// malformed blobs must be refused with an FdtError, never a hang or a crash.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildFdt, encodeFdt, FdtError, fdtCells, fdtFind, fdtString, fdtStrings, parseFdt, parseFdtBlob,
  type FdtBoard, type FdtNode,
} from '../../vm/fdt.ts';

const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-fdt-'));
afterAll(() => fs.rmSync(tmpDir, { recursive: true, force: true }));

/** The virt board's layout (QEMU hw/riscv/virt.c memmap), written out here. */
const VIRT: FdtBoard = {
  memory: { base: 0x8000_0000, size: 128 * 1024 * 1024 },
  cpu: { timebaseFrequency: 10_000_000 },
  clint: { base: 0x0200_0000, size: 0x10000 },
  plic: { base: 0x0c00_0000, size: 0x60_0000, ndev: 96 },
  uart: { base: 0x1000_0000, size: 0x100, irq: 10, clockFrequency: 0x38_4000 },
  virtio: Array.from({ length: 8 }, (_, i) => ({ base: 0x1000_1000 + 0x1000 * i, size: 0x1000, irq: 1 + i })),
  test: { base: 0x10_0000, size: 0x1000 },
  chosen: { bootargs: 'console=ttyS0 root=/dev/vda2' },
  reserved: [{ address: 0x8000_0000, size: 0x20000 }],
};

function dtc(blob: Uint8Array, name: string): string {
  const file = path.join(tmpDir, name);
  fs.writeFileSync(file, blob);
  // No try/catch: a missing dtc (ENOENT) or a dtc error fails the test.
  return execFileSync('dtc', ['-I', 'dtb', '-O', 'dts', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const prop = (root: FdtNode, node: string, name: string) => {
  const n = fdtFind(root, node);
  if (!n) throw new Error(`no node ${node}`);
  const v = n.props.get(name);
  if (!v) throw new Error(`no property ${name} in ${node}`);
  return v;
};

describe('buildFdt through dtc', () => {
  const text = dtc(buildFdt(VIRT), 'virt.dtb');

  it('decompiles, with the reservation, header nodes and chosen', () => {
    expect(text).toMatch(/^\/dts-v1\/;/);
    expect(text).toContain('/memreserve/\t0x0000000080000000 0x0000000000020000;');
    expect(text).toContain('compatible = "riscv-virtio";');
    expect(text).toContain('model = "riscv-virtio,qemu";');
    expect(text).toMatch(/chosen \{[^}]*bootargs = "console=ttyS0 root=\/dev\/vda2";[^}]*stdout-path = "\/soc\/serial@10000000";/);
  });

  it('has the memory and cpu nodes', () => {
    expect(text).toMatch(/memory@80000000 \{\s*device_type = "memory";\s*reg = <0x00 0x80000000 0x00 0x8000000>;/);
    expect(text).toContain('timebase-frequency = <0x989680>;');
    expect(text).toContain('riscv,isa = "rv32ima_zicsr_zifencei";');
    expect(text).toContain('mmu-type = "riscv,sv32";');
    expect(text).toMatch(/interrupt-controller \{[^}]*compatible = "riscv,cpu-intc";/);
  });

  it('has the soc devices with their compatible strings and interrupts', () => {
    expect(text).toMatch(/clint@2000000 \{[^}]*interrupts-extended = <0x02 0x03 0x02 0x07>;[^}]*compatible = "sifive,clint0\\0riscv,clint0";/);
    expect(text).toMatch(/plic@c000000 \{[^}]*riscv,ndev = <0x60>;[^}]*interrupts-extended = <0x02 0x0b 0x02 0x09>;[^}]*compatible = "sifive,plic-1.0.0\\0riscv,plic0";/);
    expect(text).toMatch(/serial@10000000 \{[^}]*interrupts = <0x0a>;[^}]*compatible = "ns16550a";/);
    expect(text).toMatch(/test@100000 \{[^}]*compatible = "sifive,test1\\0sifive,test0\\0syscon";/);
    for (let i = 1; i <= 8; i++) {
      const base = (0x1000_0000 + 0x1000 * i).toString(16);
      expect(text).toMatch(new RegExp(`virtio_mmio@${base} \\{\\s*interrupts = <0x0${i}>;[^}]*compatible = "virtio,mmio";`));
    }
    expect(text).toMatch(/poweroff \{\s*value = <0x5555>;[^}]*compatible = "syscon-poweroff";/);
    expect(text).toMatch(/reboot \{\s*value = <0x7777>;[^}]*compatible = "syscon-reboot";/);
  });

  it('accepts trailing free space', () => {
    const padded = buildFdt({ ...VIRT, padding: 4096 });
    expect(padded.length).toBe(buildFdt(VIRT).length + 4096);
    expect(dtc(padded, 'padded.dtb')).toContain('riscv,ndev = <0x60>;');
  });
});

describe('buildFdt wiring', () => {
  const root = parseFdt(buildFdt(VIRT));
  const phandle = (node: string) => fdtCells(prop(root, node, 'phandle'))[0];

  it('points interrupts at the cpu intc and the PLIC by phandle', () => {
    const intc = phandle('/cpus/cpu@0/interrupt-controller');
    const plic = phandle('/soc/plic@c000000');
    expect(fdtCells(prop(root, '/soc/plic@c000000', 'interrupts-extended'))).toEqual([intc, 11, intc, 9]);
    expect(fdtCells(prop(root, '/soc/clint@2000000', 'interrupts-extended'))).toEqual([intc, 3, intc, 7]);
    expect(fdtCells(prop(root, '/soc/serial@10000000', 'interrupt-parent'))).toEqual([plic]);
    expect(fdtCells(prop(root, '/soc/virtio_mmio@10008000', 'interrupt-parent'))).toEqual([plic]);
    expect(fdtCells(prop(root, '/soc/serial@10000000', 'clock-frequency'))).toEqual([3686400]);
  });

  it('points the syscon nodes and the cpu-map at their targets', () => {
    const test = phandle('/soc/test@100000');
    expect(fdtCells(prop(root, '/poweroff', 'regmap'))).toEqual([test]);
    expect(fdtCells(prop(root, '/reboot', 'regmap'))).toEqual([test]);
    expect(fdtCells(prop(root, '/cpus/cpu-map/cluster0/core0', 'cpu'))).toEqual([phandle('/cpus/cpu@0')]);
    const all = new Set<number>();
    const walk = (n: FdtNode) => {
      const p = n.props.get('phandle');
      if (p) { const v = fdtCells(p)[0]; expect(all.has(v)).toBe(false); all.add(v); }
      n.children.forEach(walk);
    };
    walk(root);
    expect(all.size).toBe(4);
  });
});

describe('buildFdt against QEMU 7.2 virt', () => {
  let cached: FdtNode | undefined;
  /** QEMU's own tree, dumped once; a missing QEMU fails these tests. */
  const qemuTree = () => {
    if (!cached) {
      const dump = path.join(tmpDir, 'qemu-virt.dtb');
      execFileSync('qemu-system-riscv32', ['-M', `virt,dumpdtb=${dump}`, '-bios', 'none', '-display', 'none'],
        { stdio: 'ignore' });
      cached = parseFdt(fs.readFileSync(dump));
    }
    return cached;
  };
  const ours = parseFdt(buildFdt(VIRT));

  it('has every node of ours in QEMU\'s tree, with the same compatible, reg and interrupts', () => {
    const qemu = qemuTree();
    const checked: string[] = [];
    const same = ['compatible', 'reg', 'interrupts', 'riscv,ndev', 'clock-frequency', 'device_type',
      'value', 'offset', '#address-cells', '#size-cells', '#interrupt-cells', 'mmu-type', 'timebase-frequency'];
    const walk = (n: FdtNode, p: string) => {
      const q = fdtFind(qemu, p || '/');
      expect(q, `QEMU has ${p}`).toBeDefined();
      for (const name of same) {
        const v = n.props.get(name);
        if (v && p !== '') expect([...(q!.props.get(name) ?? [])], `${p} ${name}`).toEqual([...v]);
      }
      checked.push(p);
      for (const c of n.children) walk(c, `${p}/${c.name}`);
    };
    walk(ours, '');
    expect(checked).toContain('/soc/virtio_mmio@10001000');
    expect(checked.length).toBeGreaterThan(15);
  });

  it('is a blob parseFdt reads from QEMU, too', () => {
    const qemu = qemuTree();
    expect(fdtStrings(prop(qemu, '/soc/plic@c000000', 'compatible'))).toEqual(['sifive,plic-1.0.0', 'riscv,plic0']);
    expect(fdtString(prop(qemu, '/chosen', 'stdout-path'))).toBe('/soc/serial@10000000');
  });
});

describe('parseFdt', () => {
  const blob = buildFdt(VIRT);

  it('round-trips what buildFdt wrote, byte for byte', () => {
    const parsed = parseFdtBlob(blob);
    expect(parsed.version).toBe(17);
    expect(parsed.lastCompVersion).toBe(16);
    expect(parsed.reserved).toEqual([{ address: 0x8000_0000, size: 0x20000 }]);
    expect(encodeFdt(parsed.root, { reserved: parsed.reserved, bootCpuid: parsed.bootCpuid })).toEqual(blob);
    expect(fdtString(prop(parsed.root, '/cpus/cpu@0', 'riscv,isa'))).toBe('rv32ima_zicsr_zifencei');
    expect(fdtCells(prop(parsed.root, '/memory@80000000', 'reg'))).toEqual([0, 0x8000_0000, 0, 0x800_0000]);
    expect(prop(parsed.root, '/soc/plic@c000000', 'interrupt-controller').length).toBe(0);
  });

  it('rejects a truncated blob', () => {
    expect(() => parseFdt(blob.subarray(0, blob.length - 10))).toThrow(/FDT: truncated: header totalsize \d+, blob has \d+ bytes/);
    expect(() => parseFdt(blob.subarray(0, 12))).toThrow(/shorter than the 40-byte header/);
  });

  it('rejects a bad magic', () => {
    const bad = blob.slice();
    bad[0] = 0xfe;
    expect(() => parseFdt(bad)).toThrow(FdtError);
    expect(() => parseFdt(bad)).toThrow(/bad magic 0xfe0dfeed/);
  });

  it('rejects an unknown token, a missing FDT_END and a block outside the blob', () => {
    const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.length);
    const structOff = dv(blob).getUint32(8);
    const structSize = dv(blob).getUint32(36);
    const tok = blob.slice();
    dv(tok).setUint32(structOff, 7);
    expect(() => parseFdt(tok)).toThrow(/unknown token 0x7 at offset/);
    const short = blob.slice();
    dv(short).setUint32(36, structSize - 4);
    expect(() => parseFdt(short)).toThrow(/without FDT_END/);
    const outside = blob.slice();
    dv(outside).setUint32(12, blob.length + 100);
    expect(() => parseFdt(outside)).toThrow(/strings block .* lies outside/);
  });

  it('only ever returns or throws FdtError on corrupted blobs', () => {
    let seed = 12345;
    const rand = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed; };
    for (let i = 0; i < 3000; i++) {
      const b = blob.slice();
      const flips = 1 + (rand() % 4);
      for (let j = 0; j < flips; j++) b[rand() % b.length] = rand() & 0xff;
      try {
        parseFdt(b);
      } catch (e) {
        expect(e).toBeInstanceOf(FdtError);
      }
    }
  });
});
