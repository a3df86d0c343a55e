// The target description the GDB stub gives gdb (qXfer:features:read), and
// the register numbering it implies for g/G/p/P.
//
// Laid out as QEMU 7.2 describes an RV32 `virt` hart without F/D, so one gdb
// script behaves the same on both machines: target.xml includes three
// features, in this order:
//   org.gnu.gdb.riscv.cpu      zero, ra, sp, ..., t6 (numbers 0-31), pc (32)
//   org.gnu.gdb.riscv.virtual  priv (33): the privilege mode, gdb's $priv
//   org.gnu.gdb.riscv.csr      each CSR the hart has, numbered 34 + csrno
// (gdb renumbers registers internally, e.g. its CSRs at 65 + csrno, but on the
// wire it uses the numbers here: the cpu registers by position, the CSRs by
// their explicit regnum attributes, as QEMU's dynamically built CSR feature
// does.) Like QEMU with pmu-num=0, the hpmcounter3..31 family is left out
// (they read as zero here); unlike QEMU 7.2, which drops them from the list
// for a reason of its own, the user counters cycle, time, instret and their
// high halves are described: the machine has them.
//
// Entry points: TARGET_FILES (annex name -> XML), REG, gdbRegister(n),
// CSR_REGS.

import { ABI_NAMES } from '../isa/regs.ts';
import { CSR_NAMES } from '../isa/csr_table.ts';

/** Wire numbers of the fixed registers, and where the CSRs start. */
export const REG = { PC: 32, PRIV: 33, CSR_BASE: 34 } as const;

/** What a register number names. */
export type GdbRegister =
  | { kind: 'x'; index: number }
  | { kind: 'pc' }
  | { kind: 'priv' }
  | { kind: 'csr'; csr: number };

/** gdb's names for the cpu feature (x8 is `fp`, as QEMU and gdb's own files name it). */
const CPU_NAMES: readonly string[] = ABI_NAMES.map((n, i) => (i === 8 ? 'fp' : n));

/** gdb's pointer types, which decide how it prints ra, sp, gp, tp, fp and pc. */
const CPU_TYPES: Readonly<Record<string, string>> = {
  ra: 'code_ptr', sp: 'data_ptr', gp: 'data_ptr', tp: 'data_ptr', fp: 'data_ptr', pc: 'code_ptr',
};

const HPM_COUNTER = /^m?hpmcounter\d+h?$/;

/** The CSRs described to gdb, by number. */
export const CSR_REGS: readonly { num: number; name: string }[] = [...CSR_NAMES]
  .filter(([, name]) => !HPM_COUNTER.test(name))
  .map(([num, name]) => ({ num, name }))
  .sort((a, b) => a.num - b.num);

const CSR_SET: ReadonlySet<number> = new Set(CSR_REGS.map((c) => c.num));

/** The register wire number `n` names, or undefined if gdb was told of no such register. */
export function gdbRegister(n: number): GdbRegister | undefined {
  if (!Number.isInteger(n) || n < 0) return undefined;
  if (n < 32) return { kind: 'x', index: n };
  if (n === REG.PC) return { kind: 'pc' };
  if (n === REG.PRIV) return { kind: 'priv' };
  const csr = n - REG.CSR_BASE;
  return CSR_SET.has(csr) ? { kind: 'csr', csr } : undefined;
}

/** Number of registers in the g packet: x0-x31 and pc (the cpu feature, as QEMU sends). */
export const G_REGS = 33;

const HEAD = '<?xml version="1.0"?>\n';

function cpuFeature(): string {
  const regs = [...CPU_NAMES, 'pc'].map((name) => {
    const type = CPU_TYPES[name] ?? 'int';
    return `  <reg name="${name}" bitsize="32" type="${type}"/>`;
  });
  return `${HEAD}<!DOCTYPE feature SYSTEM "gdb-target.dtd">\n<feature name="org.gnu.gdb.riscv.cpu">\n${regs.join('\n')}\n</feature>\n`;
}

function virtualFeature(): string {
  return `${HEAD}<!DOCTYPE feature SYSTEM "gdb-target.dtd">\n<feature name="org.gnu.gdb.riscv.virtual">\n` +
    `  <reg name="priv" bitsize="32" regnum="${REG.PRIV}"/>\n</feature>\n`;
}

function csrFeature(): string {
  const regs = CSR_REGS.map((c) => `  <reg name="${c.name}" bitsize="32" regnum="${REG.CSR_BASE + c.num}"/>`);
  return `${HEAD}<!DOCTYPE feature SYSTEM "gdb-target.dtd">\n<feature name="org.gnu.gdb.riscv.csr">\n${regs.join('\n')}\n</feature>\n`;
}

function targetXml(): string {
  return `${HEAD}<!DOCTYPE target SYSTEM "gdb-target.dtd">\n<target>\n  <architecture>riscv:rv32</architecture>\n` +
    '  <xi:include href="riscv-32bit-cpu.xml"/>\n  <xi:include href="riscv-32bit-virtual.xml"/>\n' +
    '  <xi:include href="riscv-csr.xml"/>\n</target>\n';
}

/** The annexes qXfer:features:read serves. */
export const TARGET_FILES: ReadonlyMap<string, string> = new Map([
  ['target.xml', targetXml()],
  ['riscv-32bit-cpu.xml', cpuFeature()],
  ['riscv-32bit-virtual.xml', virtualFeature()],
  ['riscv-csr.xml', csrFeature()],
]);
