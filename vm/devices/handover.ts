// The handover register: how boot firmware passes the machine to a resident
// host kernel (docs/boot.md). A 32-bit store of a boot-info block's physical
// address calls the board's handover hook; reads return 0, and with no hook
// the store is ignored (a bare-metal machine has nothing to hand over to).
//
// Entry points: Handover, HANDOVER_SIZE.

import type { Device } from './device.ts';

export const HANDOVER_SIZE = 0x1000;

export class Handover implements Device {
  readonly name = 'handover';
  /** The physical address last handed over, for `info devices`. */
  private last = 0;

  constructor(private readonly onHandover: (bootInfo: number) => void) {}

  read(): number {
    return 0;
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    if (offset !== 0 || size !== 4) return;
    this.last = value >>> 0;
    this.onHandover(this.last);
  }

  reset(): void {
    this.last = 0;
  }

  save(): unknown {
    return { last: this.last };
  }

  restore(state: unknown): void {
    this.last = (state as { last?: number }).last ?? 0;
  }

  describe(): string[] {
    return [`handover: ${this.last ? `boot info at 0x${this.last.toString(16)}` : 'no handover yet'}`];
  }
}
