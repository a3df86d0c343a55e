// The code generator's value cache: which temporary registers still hold a
// value computed earlier on the straight-line path (an address, a loaded
// word, a global), by a key naming the value, so computing it again costs
// nothing (local value numbering over the lazy operand stack).
//
// Keys name values, not registers: `l3.2` is local 3 after its second write,
// `#8` a constant, `sll(l3.2,#2)` an operator on keys, `lw[add(...)]4@7` a
// load at an offset with memory as of its 7th change. Staleness is handled
// where it arises: every register write passes through Code (emit.ts), which
// reports it here and the register's key is dropped; a label something
// jumps to (or a loop head) drops everything; a store ages memory keys; a
// call clobbers the caller-saved registers and ages memory and globals.
//
// Entry points: ValueCache.

import { K, type V } from './values.ts';

export class ValueCache {
  private readonly byKey = new Map<string, number>();
  private readonly regKey: (string | undefined)[] = new Array(32);
  private readonly localVer: number[];
  private memVer = 0;
  private globVer = 0;

  constructor(nlocals: number, private readonly calleeSaved: number) {
    this.localVer = new Array(nlocals).fill(0);
  }

  /** Register `r` was written: whatever it held is gone. */
  forget(r: number): void {
    const k = this.regKey[r];
    if (k === undefined) return;
    if (this.byKey.get(k) === r) this.byKey.delete(k);
    this.regKey[r] = undefined;
  }

  /** A label where paths join: nothing known survives. */
  forgetAll(): void {
    this.byKey.clear();
    this.regKey.fill(undefined);
  }

  /** A call clobbers the caller-saved registers and may change memory and globals. */
  call(): void {
    for (let r = 0; r < 32; r++) if (((this.calleeSaved >>> r) & 1) === 0) this.forget(r);
    this.memVer++;
    this.globVer++;
  }

  memoryWritten(): void { this.memVer++; }
  globalWritten(): void { this.globVer++; }
  localWritten(x: number): void { this.localVer[x]++; }

  localKey(x: number): string { return `l${x}.${this.localVer[x]}`; }
  globalKey(g: number): string { return `g${g}@${this.globVer}`; }

  /** The key of an operand's value, if it has one. */
  keyOf(v: V): string | undefined {
    const base = v.k === K.CONST ? `#${v.n}` : v.k === K.TEMP || v.k === K.LREG ? v.key : undefined;
    return base === undefined || !v.c ? base : `${base}+${v.c}`;
  }

  /** The key of a load `op` at operand `addr` + `off` (its pending addend joins the offset). */
  loadKey(op: string, addr: V, off: number): string | undefined {
    const base = this.keyOf({ k: addr.k, n: addr.n, key: addr.key });
    return base === undefined ? undefined : `${op}[${base}]${off + (addr.c ?? 0)}@${this.memVer}`;
  }

  /** The register holding `key`'s value, if any. */
  holder(key: string): number | undefined {
    return this.byKey.get(key);
  }

  /** Whether register `r` holds a value the cache knows (allocation prefers others). */
  holds(r: number): boolean {
    return this.regKey[r] !== undefined;
  }

  /** Register `r` now holds `key`'s value. */
  remember(r: number, key: string): void {
    this.forget(r);
    this.regKey[r] = key;
    this.byKey.set(key, r);
  }
}
