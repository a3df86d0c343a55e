// CSR numbers and names of the machine (privileged spec 20211203, RV32).
//
// The number encodes the rules: bits 11:10 == 3 means read-only, bits 9:8 are
// the lowest privilege that may access it. The hart (vm/cpu/csr.ts) gives each
// CSR its behaviour; the assembler, disassembler and debugger read names here.
//
// Entry points: CSR (name -> number), CSR_NAMES (number -> name), csrNumber().

const base: Record<string, number> = {
  // Unprivileged counters
  cycle: 0xc00, time: 0xc01, instret: 0xc02,
  cycleh: 0xc80, timeh: 0xc81, instreth: 0xc82,
  // Supervisor
  sstatus: 0x100, sie: 0x104, stvec: 0x105, scounteren: 0x106, senvcfg: 0x10a,
  sscratch: 0x140, sepc: 0x141, scause: 0x142, stval: 0x143, sip: 0x144,
  satp: 0x180,
  // Machine information
  mvendorid: 0xf11, marchid: 0xf12, mimpid: 0xf13, mhartid: 0xf14, mconfigptr: 0xf15,
  // Machine trap setup and handling
  mstatus: 0x300, misa: 0x301, medeleg: 0x302, mideleg: 0x303, mie: 0x304,
  mtvec: 0x305, mcounteren: 0x306, menvcfg: 0x30a, mstatush: 0x310, menvcfgh: 0x31a,
  mcountinhibit: 0x320,
  mscratch: 0x340, mepc: 0x341, mcause: 0x342, mtval: 0x343, mip: 0x344,
  // Machine counters
  mcycle: 0xb00, minstret: 0xb02, mcycleh: 0xb80, minstreth: 0xb82,
};

for (let n = 3; n <= 31; n++) {
  base[`hpmcounter${n}`] = 0xc00 + n;
  base[`hpmcounter${n}h`] = 0xc80 + n;
  base[`mhpmcounter${n}`] = 0xb00 + n;
  base[`mhpmcounter${n}h`] = 0xb80 + n;
  base[`mhpmevent${n}`] = 0x320 + n;
}
for (let n = 0; n < 4; n++) base[`pmpcfg${n}`] = 0x3a0 + n;
for (let n = 0; n < 16; n++) base[`pmpaddr${n}`] = 0x3b0 + n;

export const CSR: Readonly<Record<string, number>> = base;

export const CSR_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(base).map(([name, num]) => [num, name]),
);

/** CSR number for a name, or -1. */
export function csrNumber(name: string): number {
  return CSR[name.toLowerCase()] ?? -1;
}

/** Lowest privilege level (0 U, 1 S, 3 M) allowed to access CSR `num`. */
export const csrPrivilege = (num: number): number => (num >>> 8) & 3;

/** True if writes to CSR `num` are illegal by its number. */
export const csrReadOnly = (num: number): boolean => ((num >>> 10) & 3) === 3;
