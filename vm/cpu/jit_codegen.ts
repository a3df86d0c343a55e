// Code generation for the translator (vm/cpu/jit.ts): the JavaScript text of
// one guest instruction, and of a whole code page as one function.
//
// A page function runs `for (;;) switch (block)` over the blocks found on one
// 4 KiB page, so a loop that stays on its page never leaves the function
// (the shape DESIGN.md measured fastest). Inside, guest registers are JS
// locals (loaded from x[] on entry, written back at the one exit every
// return goes through, and before the few calls that may trap or read
// them: ecall, atomics, a misaligned jump), immediates are literals, x0
// writes vanish at compile time, and loads and stores check the TLB inline
// exactly as the interpreter does. On a TLB miss they call jitLoad/jitStore,
// which never trap: an access that would (or that reaches a device) sets
// h.jitRedo and the function exits before it, so the interpreter runs that
// instruction with everything exact and traps stay precise. Keeping the
// write-back out of the slow paths keeps page functions small enough for
// V8 to optimize (a page of translated AssemblyScript was 430 KB of source
// with a write-back at every load and store, and ran interpreted).
//
// Page function: (h, base, off, budget) => retired; on return h.pc is the
// next pc. It returns early (h.pc set) at: an offset with no block (sets
// h.jitMiss), a block that would overrun `budget`, a jump off the page, an
// instruction the translator leaves to the interpreter, a load or store the
// interpreter must run (sets h.jitRedo), a write to translated code (sets
// h.jitStop).
//
// Entry points: genInsn, genPage, Block, translatable.

import { INSNS } from '../isa/table.ts';
import { DECODE, ILLEGAL, SUBDECODE, immI, immS, immB, immJ, rdOf, rs1Of, rs2Of } from '../isa/decode.ts';

export interface Block {
  /** Byte offset of the first instruction in the page. */
  start: number;
  /** Instruction words. */
  insns: number[];
  /** Offset after the last instruction (a fallthrough target), if the block does not end in a jump. */
  next: number;
  /** True if the block stops before an instruction the interpreter must run. */
  toInterp: boolean;
}

const NAMES = INSNS.map((s) => s.name);

/** Name of the table entry for `insn`, or '' for the interpreter-only group and illegal words. */
export function insnName(insn: number): string {
  const d = DECODE[(insn & 0x7f) | ((insn >>> 5) & 0x380) | ((insn >>> 15) & 0x1fc00)];
  return d === ILLEGAL || d === SUBDECODE ? '' : NAMES[d];
}

const INTERP_ONLY = new Set(['csrrw', 'csrrs', 'csrrc', 'csrrwi', 'csrrsi', 'csrrci']);
const ENDS_BLOCK = new Set(['jal', 'jalr', 'beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu']);

/** ecall: translated as a call into the trap path (a resident kernel takes it without unwinding). */
const ECALL = 0x00000073;

/** Can the translator compile this instruction? (CSRs, the rest of SYSTEM, lr.w and illegal words go to the interpreter.) */
export function translatable(insn: number): boolean {
  if (insn === ECALL) return true;
  const n = insnName(insn);
  return n !== '' && !INTERP_ONLY.has(n);
}

export function endsBlock(insn: number): boolean {
  return insn === ECALL || ENDS_BLOCK.has(insnName(insn));
}

// Guest registers live in locals r1..r31 inside a page function (so V8 can
// keep them in host registers); WB writes the ones the page assigns back to
// x[] before every exit and every slow-path call, which may trap or read them.
const X = (r: number): string => (r === 0 ? '0' : `r${r}`);
let WB = '';
/** Reload every register the page uses from x[] (after a call that may have changed them). */
let RELOAD = '';
// Blocks are numbered densely so `switch (b)` compiles to a jump table; E maps
// a page offset (>> 2) to its block number, -1 where there is none.
let IDS = new Map<number, number>();

/** Code that leaves the page function (through its one write-back): h.pc = `toExpr`, `done` retired. */
const exitTo = (toExpr: string, done: string): string => `{ h.pc = ${toExpr}; ret = ${done}; break out; }`;

/** Continue at page offset `target` (block number b, or -1 with off set for the miss exit). */
const goTo = (target: number): string => {
  const id = IDS.get(target);
  return id !== undefined ? `b = ${id};` : `off = ${target}; b = -1;`;
};

function jumpTo(target: number, done: number): string {
  if (target >= 0 && target < 4096) return `{ n += ${done}; ${goTo(target)} continue; }`;
  return exitTo(`(base + ${target}) | 0`, `n + ${done}`);
}

/** Slow-path preamble: registers, pc and the retired count made exact for a call that may trap. */
const sync = (pcOff: number, i: number): string => `${WB} h.pc = (base + ${pcOff}) | 0; h.inflight = n + ${i};`;

function genLoad(insn: number, pcOff: number, i: number, kind: 'i8' | 'u8' | 'i16' | 'u16' | 'i32'): string {
  const rd = rdOf(insn), rs1 = rs1Of(insn), imm = immI(insn);
  const size = kind === 'i32' ? 4 : kind === 'i16' || kind === 'u16' ? 2 : 1;
  const mask = size === 4 ? -4093 : size === 2 ? -4095 : -4096;
  const idx = size === 4 ? '(va + rOff[t]) >> 2' : size === 2 ? '(va + rOff[t]) >> 1' : '(va + rOff[t]) | 0';
  const slow = size === 4 ? 'h.jitLoad(va, 4)' : kind === 'i16' ? '(h.jitLoad(va, 2) << 16) >> 16'
    : kind === 'u16' ? 'h.jitLoad(va, 2)' : kind === 'i8' ? '(h.jitLoad(va, 1) << 24) >> 24' : 'h.jitLoad(va, 1)';
  return `va = (${X(rs1)} + ${imm}) | 0; t = (va >>> 12) & ${255};
  if (rTag[t] === (va & ${mask})) v = ${kind}[${idx}];
  else { v = ${slow}; if (h.jitRedo) ${exitTo(`(base + ${pcOff}) | 0`, `n + ${i}`)} }
  ${rd !== 0 ? `r${rd} = v;` : ''}`;
}

function genStore(insn: number, pcOff: number, i: number, size: 1 | 2 | 4): string {
  const rs1 = rs1Of(insn), rs2 = rs2Of(insn), imm = immS(insn);
  const mask = size === 4 ? -4093 : size === 2 ? -4095 : -4096;
  const arr = size === 4 ? 'i32' : size === 2 ? 'u16' : 'u8';
  const idx = size === 4 ? '(va + wOff[t]) >> 2' : size === 2 ? '(va + wOff[t]) >> 1' : '(va + wOff[t]) | 0';
  return `va = (${X(rs1)} + ${imm}) | 0; t = (va >>> 12) & 255;
  if (wTag[t] === (va & ${mask})) ${arr}[${idx}] = ${X(rs2)};
  else if ((t = h.jitStore(va, ${size}, ${X(rs2)})) !== 0) {
    if (t === 2) ${exitTo(`(base + ${pcOff}) | 0`, `n + ${i}`)}
    h.jitStop = true; ${exitTo(`(base + ${pcOff + 4}) | 0`, `n + ${i + 1}`)}
  }`;
}

const ALU_R: Readonly<Record<string, (a: string, b: string) => string>> = {
  add: (a, b) => `(${a} + ${b}) | 0`, sub: (a, b) => `(${a} - ${b}) | 0`,
  sll: (a, b) => `${a} << (${b} & 31)`, slt: (a, b) => `${a} < ${b} ? 1 : 0`,
  sltu: (a, b) => `(${a} >>> 0) < (${b} >>> 0) ? 1 : 0`, xor: (a, b) => `${a} ^ ${b}`,
  // Registers hold int32 values: an unsigned shift result is folded back with | 0.
  srl: (a, b) => `(${a} >>> (${b} & 31)) | 0`, sra: (a, b) => `${a} >> (${b} & 31)`,
  or: (a, b) => `${a} | ${b}`, and: (a, b) => `${a} & ${b}`,
  mul: (a, b) => `Math.imul(${a}, ${b})`, mulh: (a, b) => `mulh(${a}, ${b})`,
  mulhsu: (a, b) => `mulhsu(${a}, ${b})`, mulhu: (a, b) => `mulhu(${a}, ${b})`,
  div: (a, b) => `div(${a}, ${b})`, divu: (a, b) => `divu(${a}, ${b})`,
  rem: (a, b) => `rem(${a}, ${b})`, remu: (a, b) => `remu(${a}, ${b})`,
};

const ALU_I: Readonly<Record<string, (a: string, imm: number) => string>> = {
  addi: (a, i) => (a === '0' ? `${i}` : `(${a} + ${i}) | 0`),
  slti: (a, i) => `${a} < ${i} ? 1 : 0`, sltiu: (a, i) => `(${a} >>> 0) < ${i >>> 0} ? 1 : 0`,
  xori: (a, i) => `${a} ^ ${i}`, ori: (a, i) => `${a} | ${i}`, andi: (a, i) => `${a} & ${i}`,
  slli: (a, i) => `${a} << ${i & 31}`, srli: (a, i) => `(${a} >>> ${i & 31}) | 0`, srai: (a, i) => `${a} >> ${i & 31}`,
};

const BRANCH: Readonly<Record<string, (a: string, b: string) => string>> = {
  beq: (a, b) => `${a} === ${b}`, bne: (a, b) => `${a} !== ${b}`,
  blt: (a, b) => `${a} < ${b}`, bge: (a, b) => `${a} >= ${b}`,
  bltu: (a, b) => `(${a} >>> 0) < (${b} >>> 0)`, bgeu: (a, b) => `(${a} >>> 0) >= (${b} >>> 0)`,
};

/** JS for instruction `insn` at page offset `pcOff`, the `i`-th of a block of `len`. */
export function genInsn(insn: number, pcOff: number, i: number, len: number): string {
  // The trap may switch to another process: registers are written back first and never again.
  if (insn === ECALL) {
    // When the kernel hands the hart straight back (same process, same address space, nothing for
    // the board to see), go on in this function with the registers it may have changed reloaded.
    return `${sync(pcOff, i)} v = h.satp; ecall(h, (base + ${pcOff}) | 0);
  if (h.pc === ((base + ${pcOff + 4}) | 0) && h.satp === v && !h.jitStop && pcOff4ok) { ${RELOAD} n += ${i}; ${goTo(pcOff + 4)} continue; }
  return n + ${i};`.replace('pcOff4ok', pcOff + 4 < 4096 ? 'true' : 'false');
  }
  const name = insnName(insn);
  const rd = rdOf(insn), rs1 = rs1Of(insn), rs2 = rs2Of(insn);
  const misaligned = (target: string): string =>
    `{ ${sync(pcOff, i)} jumpFault(h, ${target}); }`;
  if (ALU_R[name]) return rd === 0 ? '' : `r${rd} = ${ALU_R[name](X(rs1), X(rs2))};`;
  if (ALU_I[name]) return rd === 0 ? '' : `r${rd} = ${ALU_I[name](X(rs1), immI(insn))};`;
  if (BRANCH[name]) {
    const t = pcOff + immB(insn);
    const taken = (t & 3) !== 0 ? misaligned(`(base + ${t}) | 0`) : jumpTo(t, len);
    return `if (${BRANCH[name](X(rs1), X(rs2))}) ${taken}\n  ${jumpTo(pcOff + 4, len)}`;
  }
  switch (name) {
    case 'lui': return rd === 0 ? '' : `r${rd} = ${insn & -4096};`;
    case 'auipc': return rd === 0 ? '' : `r${rd} = (base + ${pcOff + (insn & -4096)}) | 0;`;
    case 'jal': {
      const t = pcOff + immJ(insn);
      if ((t & 3) !== 0) return misaligned(`(base + ${t}) | 0`);
      return `${rd !== 0 ? `r${rd} = (base + ${pcOff + 4}) | 0;` : ''}\n  ${jumpTo(t, len)}`;
    }
    case 'jalr':
      return `t = (${X(rs1)} + ${immI(insn)}) & -2;
  if ((t & 3) !== 0) ${misaligned('t')}
  ${rd !== 0 ? `r${rd} = (base + ${pcOff + 4}) | 0;` : ''}
  n += ${len};
  if ((t & -4096) === base) { off = t & 4095; b = E[off >> 2]; continue; }
  ${exitTo('t', 'n')}`;
    case 'lb': return genLoad(insn, pcOff, i, 'i8');
    case 'lh': return genLoad(insn, pcOff, i, 'i16');
    case 'lw': return genLoad(insn, pcOff, i, 'i32');
    case 'lbu': return genLoad(insn, pcOff, i, 'u8');
    case 'lhu': return genLoad(insn, pcOff, i, 'u16');
    case 'sb': return genStore(insn, pcOff, i, 1);
    case 'sh': return genStore(insn, pcOff, i, 2);
    case 'sw': return genStore(insn, pcOff, i, 4);
    case 'fence': case 'fence.i':
      // Writes to translated code are caught as they happen, so fence.i has nothing left to do.
      return '';
    default: // sc.w and the AMOs
      return `${sync(pcOff, i)} v = h.atomic(${insn}); ${rd !== 0 ? `r${rd} = v;` : ''}
  if (h.jitStop) ${exitTo(`(base + ${pcOff + 4}) | 0`, `n + ${i + 1}`)}`;
  }
}

function genBlock(b: Block): string {
  const len = b.insns.length;
  const body = b.insns.map((w, i) => `  ${genInsn(w, b.start + 4 * i, i, len)}`).join('\n');
  const last = b.insns[len - 1];
  let tail = '';
  if (!endsBlock(last)) {
    tail = b.toInterp || b.next >= 4096 ? `  n += ${len}; ${exitTo(`(base + ${b.next}) | 0`, 'n')}`
      : `  n += ${len}; ${goTo(b.next)} continue;`;
  }
  return `case ${IDS.get(b.start)}:
  if (n + ${len} > budget) ${exitTo(`(base + ${b.start}) | 0`, 'n')}
${body}
${tail}`;
}

/** Registers the page's instructions read and write (rd, rs1, rs2 fields of every word). */
function registerSets(blocks: Block[]): { used: number[]; written: number[] } {
  const used = new Set<number>(), written = new Set<number>();
  for (const b of blocks) {
    for (const w of b.insns) {
      const rd = rdOf(w);
      if (rd !== 0 && !/^(sb|sh|sw|beq|bne|blt|bge|bltu|bgeu|fence|fence\.i)$/.test(insnName(w))) written.add(rd);
      for (const r of [rs1Of(w), rs2Of(w), rd]) if (r !== 0) used.add(r);
    }
  }
  for (const r of written) used.add(r);
  return { used: [...used].sort((a, b) => a - b), written: [...written].sort((a, b) => a - b) };
}

/** Source of the factory that builds one page function from its blocks. */
export function genPage(blocks: Block[]): string {
  const { used, written } = registerSets(blocks);
  WB = written.map((r) => `x[${r}] = r${r};`).join(' ');
  RELOAD = used.map((r) => `r${r} = x[${r}];`).join(' ');
  IDS = new Map(blocks.map((bl, i) => [bl.start, i]));
  const load = used.map((r) => `r${r} = x[${r}]`).join(', ');
  const entries = blocks.map((bl, i) => `E[${bl.start >> 2}] = ${i};`).join(' ');
  return `const E = new Int16Array(1024).fill(-1); ${entries}
return function page(h, base, off, budget) {
  // The TLB arrays of the current set (a resident kernel switches sets between calls).
  const mmu = h.mmu, rTag = mmu.tag[1], rOff = mmu.off[1], wTag = mmu.tag[2], wOff = mmu.off[2];
  let n = 0, va = 0, t = 0, v = 0, ret = 0, b = E[off >> 2]${load ? ', ' + load : ''};
  out: for (;;) {
    switch (b) {
${blocks.map(genBlock).join('\n')}
    default:
      h.jitMiss = true;
      ${exitTo('(base + off) | 0', 'n')}
    }
  }
  ${WB}
  return ret;
};`;
}
