// The SiFive test finisher of the virt board (0x0010_0000, 4 KiB): how a
// bare-metal program or a kernel ends the emulation. A write at offset 0
// carries a status in its low 16 bits and, for FAIL, an exit code in the
// high 16 bits:
//
//   0x5555  FINISHER_PASS   -> onFinish('pass', 0)
//   0x3333  FINISHER_FAIL   -> onFinish('fail', value >>> 16)
//   0x7777  FINISHER_RESET  -> onFinish('reset', 0)
//
// Any other status, any other offset, is ignored, and reads return 0, as in
// QEMU 7.2 (hw/misc/sifive_test.c). QEMU accepts 2- and 4-byte writes (a
// 2-byte write has exit code 0) and faults on a 1-byte access; here a 1-byte
// write is ignored. The Linux syscon-poweroff/syscon-reboot nodes in the FDT
// write 0x5555 and 0x7777 here.
//
// Entry points: SifiveTest, SIFIVE_TEST_SIZE, FINISHER_PASS/FAIL/RESET.

import type { Device } from './device.ts';

export const SIFIVE_TEST_SIZE = 0x1000;
export const FINISHER_FAIL = 0x3333;
export const FINISHER_PASS = 0x5555;
export const FINISHER_RESET = 0x7777;

export type FinishKind = 'pass' | 'fail' | 'reset';

export class SifiveTest implements Device {
  readonly name: string;

  constructor(private readonly onFinish: (kind: FinishKind, code: number) => void,
              name = 'test') {
    this.name = name;
  }

  read(_offset: number, _size: 1 | 2 | 4): number {
    return 0;
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    if (offset !== 0 || size === 1) return;
    const v = size === 2 ? value & 0xffff : value >>> 0;
    const status = v & 0xffff;
    switch (status) {
      case FINISHER_PASS: this.onFinish('pass', 0); break;
      case FINISHER_FAIL: this.onFinish('fail', v >>> 16); break;
      case FINISHER_RESET: this.onFinish('reset', 0); break;
      default: break;
    }
  }

  reset(): void {}
  save(): Record<string, never> { return {}; }
  restore(_state: unknown): void {}

  describe(): string[] {
    return ['write 0x5555 pass, 0x3333|code<<16 fail, 0x7777 reset at offset 0'];
  }
}
