// Architectural constants of the hart, spelled as the privileged spec does:
// privilege levels, mstatus fields, interrupt bits, trap causes (with names,
// for traces and the debugger's `catch`).
//
// Entry points: PRV, MSTATUS, IRQ, CAUSE, CAUSE_NAMES, INTERRUPT_PRIORITY.

export const PRV = { U: 0, S: 1, M: 3 } as const;
export const PRV_NAMES: Readonly<Record<number, string>> = { 0: 'U', 1: 'S', 3: 'M' };

/** mstatus bits (RV32). */
export const MSTATUS = {
  SIE: 1 << 1,
  MIE: 1 << 3,
  SPIE: 1 << 5,
  UBE: 1 << 6,
  MPIE: 1 << 7,
  SPP: 1 << 8,
  MPP_SHIFT: 11,
  MPP: 3 << 11,
  FS: 3 << 13,
  XS: 3 << 15,
  MPRV: 1 << 17,
  SUM: 1 << 18,
  MXR: 1 << 19,
  TVM: 1 << 20,
  TW: 1 << 21,
  TSR: 1 << 22,
  SD: 1 << 31,
} as const;

const M = MSTATUS;
/** Bits of mstatus that software can write (no F/V/X extension state, little-endian only). */
export const MSTATUS_WRITABLE = M.SIE | M.MIE | M.SPIE | M.MPIE | M.SPP | M.MPP | M.MPRV | M.SUM | M.MXR | M.TVM | M.TW | M.TSR;
/** The bits of mstatus that sstatus shows. */
export const SSTATUS_MASK = M.SIE | M.SPIE | M.UBE | M.SPP | M.FS | M.XS | M.SUM | M.MXR | M.SD;
export const SSTATUS_WRITABLE = M.SIE | M.SPIE | M.SPP | M.SUM | M.MXR;

/** Interrupt numbers (bit positions in mip/mie, and the cause code). */
export const IRQ = { SSI: 1, MSI: 3, STI: 5, MTI: 7, SEI: 9, MEI: 11 } as const;
export const MIP_SSIP = 1 << IRQ.SSI;
export const MIP_MSIP = 1 << IRQ.MSI;
export const MIP_STIP = 1 << IRQ.STI;
export const MIP_MTIP = 1 << IRQ.MTI;
export const MIP_SEIP = 1 << IRQ.SEI;
export const MIP_MEIP = 1 << IRQ.MEI;
/** Interrupts that exist on this hart. */
export const MIP_ALL = MIP_SSIP | MIP_MSIP | MIP_STIP | MIP_MTIP | MIP_SEIP | MIP_MEIP;
/** The S-level interrupts, the only ones mideleg can delegate. */
export const MIP_S_LEVEL = MIP_SSIP | MIP_STIP | MIP_SEIP;
/** mip bits M-mode software may write (the M-level ones come from devices). */
export const MIP_WRITABLE = MIP_SSIP | MIP_STIP | MIP_SEIP;

/** Decreasing priority for simultaneous interrupts (privileged spec 3.1.9). */
export const INTERRUPT_PRIORITY: readonly number[] = [IRQ.MEI, IRQ.MSI, IRQ.MTI, IRQ.SEI, IRQ.SSI, IRQ.STI];

/** Synchronous exception causes. */
export const CAUSE = {
  MISALIGNED_FETCH: 0,
  FETCH_ACCESS: 1,
  ILLEGAL_INSTRUCTION: 2,
  BREAKPOINT: 3,
  MISALIGNED_LOAD: 4,
  LOAD_ACCESS: 5,
  MISALIGNED_STORE: 6,
  STORE_ACCESS: 7,
  USER_ECALL: 8,
  SUPERVISOR_ECALL: 9,
  MACHINE_ECALL: 11,
  FETCH_PAGE_FAULT: 12,
  LOAD_PAGE_FAULT: 13,
  STORE_PAGE_FAULT: 15,
} as const;

/** Exceptions medeleg can delegate (ecall from M never reaches S, so bit 11 is read-only 0). */
export const MEDELEG_WRITABLE = 0xb3ff;

export const INTERRUPT_FLAG = 0x80000000 | 0;

export const CAUSE_NAMES: Readonly<Record<number, string>> = {
  0: 'misaligned-fetch', 1: 'fetch-access-fault', 2: 'illegal-instruction', 3: 'breakpoint',
  4: 'misaligned-load', 5: 'load-access-fault', 6: 'misaligned-store', 7: 'store-access-fault',
  8: 'ecall-from-u', 9: 'ecall-from-s', 11: 'ecall-from-m',
  12: 'fetch-page-fault', 13: 'load-page-fault', 15: 'store-page-fault',
};

export const INTERRUPT_NAMES: Readonly<Record<number, string>> = {
  1: 'supervisor-software', 3: 'machine-software', 5: 'supervisor-timer',
  7: 'machine-timer', 9: 'supervisor-external', 11: 'machine-external',
};

/** Access kinds, used by the MMU and to pick fault causes. */
export const ACCESS = { FETCH: 0, LOAD: 1, STORE: 2 } as const;
export const PAGE_FAULT_CAUSE: readonly number[] = [CAUSE.FETCH_PAGE_FAULT, CAUSE.LOAD_PAGE_FAULT, CAUSE.STORE_PAGE_FAULT];
export const ACCESS_FAULT_CAUSE: readonly number[] = [CAUSE.FETCH_ACCESS, CAUSE.LOAD_ACCESS, CAUSE.STORE_ACCESS];
