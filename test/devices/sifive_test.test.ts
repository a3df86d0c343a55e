// The SiFive test finisher: each status code of QEMU 7.2's hw/misc/sifive_test.c.

import { describe, expect, it } from 'vitest';
import { SifiveTest } from '../../vm/devices/sifive_test.ts';

function setup() {
  const calls: [string, number][] = [];
  const t = new SifiveTest((kind, code) => { calls.push([kind, code]); });
  return { t, calls };
}

describe('sifive_test', () => {
  it('0x5555 passes with exit code 0', () => {
    const { t, calls } = setup();
    t.write(0, 4, 0x5555);
    expect(calls).toEqual([['pass', 0]]);
  });

  it('0x3333 fails with the exit code from the high 16 bits', () => {
    const { t, calls } = setup();
    t.write(0, 4, 0x00423333);
    t.write(0, 4, 0xffff3333);
    expect(calls).toEqual([['fail', 0x42], ['fail', 0xffff]]);
  });

  it('0x7777 requests a reset', () => {
    const { t, calls } = setup();
    t.write(0, 4, 0x7777);
    expect(calls).toEqual([['reset', 0]]);
  });

  it('ignores other values, other offsets and byte writes', () => {
    const { t, calls } = setup();
    t.write(0, 4, 0x1234);
    t.write(0, 4, 0x55550000);
    t.write(4, 4, 0x5555);
    t.write(0, 1, 0x55);
    expect(calls).toEqual([]);
  });

  it('takes a 16-bit write as a status with exit code 0', () => {
    const { t, calls } = setup();
    t.write(0, 2, 0x3333);
    expect(calls).toEqual([['fail', 0]]);
  });

  it('reads 0', () => {
    const { t } = setup();
    t.write(0, 4, 0x1234);
    expect(t.read(0, 4)).toBe(0);
    expect(t.read(8, 4)).toBe(0);
  });
});
