// The MMIO bus: devices registered by base and size, found by physical address.
//
// RAM and ROM never come through here (the hart reaches them through the TLB
// and PhysMem); the bus answers only device addresses. An access that no
// device answers, or one that is not naturally aligned, is reported as
// undefined / false so the hart raises an access fault.
//
// Entry points: Bus.register, Bus.read, Bus.write, Bus.find, Bus.mappings.

import type { Device } from './devices/device.ts';

export interface Mapping {
  readonly base: number;
  readonly size: number;
  readonly device: Device;
}

export class Bus {
  private readonly maps: Mapping[] = [];
  private last: Mapping | undefined;

  register(base: number, size: number, device: Device): void {
    for (const m of this.maps) {
      if (base < m.base + m.size && m.base < base + size) {
        throw new Error(`device ${device.name} at 0x${base.toString(16)} overlaps ${m.device.name}`);
      }
    }
    this.maps.push({ base, size, device });
    this.maps.sort((a, b) => a.base - b.base);
  }

  find(pa: number): Mapping | undefined {
    const l = this.last;
    if (l !== undefined && pa >= l.base && pa < l.base + l.size) return l;
    for (const m of this.maps) {
      if (pa >= m.base && pa < m.base + m.size) return (this.last = m);
    }
    return undefined;
  }

  /** Value read (as an unsigned 32-bit number), or undefined for an access fault. */
  read(pa: number, size: 1 | 2 | 4): number | undefined {
    const m = this.find(pa);
    if (m === undefined || (pa & (size - 1)) !== 0 || pa + size > m.base + m.size) return undefined;
    const v = m.device.read(pa - m.base, size);
    return size === 4 ? v >>> 0 : v & (size === 1 ? 0xff : 0xffff);
  }

  /** False for an access fault. */
  write(pa: number, size: 1 | 2 | 4, value: number): boolean {
    const m = this.find(pa);
    if (m === undefined || (pa & (size - 1)) !== 0 || pa + size > m.base + m.size) return false;
    const v = size === 4 ? value >>> 0 : value & (size === 1 ? 0xff : 0xffff);
    m.device.write(pa - m.base, size, v);
    return true;
  }

  mappings(): readonly Mapping[] {
    return this.maps;
  }
}
