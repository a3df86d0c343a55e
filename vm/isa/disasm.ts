// Disassembler, driven by the instruction table.
//
// The base form (pseudo: false) prints exactly what the assembler reads back
// to the same word: `mnemonic op, op, op` with ABI register names, decimal
// immediates, absolute hex targets and CSR names. The friendly form
// (pseudo: true, used by `tessera disasm`, `--trace` and the debugger) prints
// the usual aliases: nop, li, mv, not, neg, j, ret, beqz, csrr, ...
//
// Entry points: disassemble(), DisasmOptions.

import { INSNS } from './table.ts';
import { lookupInsn, rdOf, rs1Of, rs2Of, immI, immS, immB, immU, immJ } from './decode.ts';
import { ABI_NAMES } from './regs.ts';
import { CSR_NAMES } from './csr_table.ts';

export interface DisasmOptions {
  pseudo?: boolean;
  /** Name for an address (e.g. `main+8`), shown after jump and branch targets. */
  symbolize?: (addr: number) => string | undefined;
}

const R = (n: number): string => ABI_NAMES[n];
const hex = (n: number): string => '0x' + (n >>> 0).toString(16);
const csrName = (n: number): string => CSR_NAMES.get(n) ?? hex(n);

function fenceSet(bits: number): string {
  const s = (bits & 8 ? 'i' : '') + (bits & 4 ? 'o' : '') + (bits & 2 ? 'r' : '') + (bits & 1 ? 'w' : '');
  return s === '' ? '0' : s;
}

function target(pc: number, off: number, o: DisasmOptions): string {
  const t = (pc + off) >>> 0;
  const sym = o.symbolize?.(t);
  return sym ? `${hex(t)} <${sym}>` : hex(t);
}

/** Text of instruction word `insn` at address `pc`; `.word 0x...` if it is not a valid instruction. */
export function disassemble(insn: number, pc = 0, o: DisasmOptions = {}): string {
  const idx = lookupInsn(insn);
  if (idx < 0) return `.word ${hex(insn)}`;
  const s = INSNS[idx];
  const rd = rdOf(insn), rs1 = rs1Of(insn), rs2 = rs2Of(insn);
  if (o.pseudo) {
    const p = pseudoForm(s.name, insn, pc, o);
    if (p !== undefined) return p;
  }
  const n = s.name;
  switch (s.format) {
    case 'R': return `${n} ${R(rd)}, ${R(rs1)}, ${R(rs2)}`;
    case 'I': return `${n} ${R(rd)}, ${R(rs1)}, ${immI(insn)}`;
    case 'SHIFT': return `${n} ${R(rd)}, ${R(rs1)}, ${rs2}`;
    case 'LOAD': return `${n} ${R(rd)}, ${immI(insn)}(${R(rs1)})`;
    case 'STORE': return `${n} ${R(rs2)}, ${immS(insn)}(${R(rs1)})`;
    case 'BRANCH': return `${n} ${R(rs1)}, ${R(rs2)}, ${target(pc, immB(insn), o)}`;
    case 'U': return `${n} ${R(rd)}, ${hex(immU(insn) >>> 12)}`;
    case 'JAL': return `${n} ${R(rd)}, ${target(pc, immJ(insn), o)}`;
    case 'JALR': return `${n} ${R(rd)}, ${immI(insn)}(${R(rs1)})`;
    case 'CSR': return `${n} ${R(rd)}, ${csrName(insn >>> 20)}, ${R(rs1)}`;
    case 'CSRI': return `${n} ${R(rd)}, ${csrName(insn >>> 20)}, ${rs1}`;
    case 'AMO': return `${n}${aqrl(insn)} ${R(rd)}, ${R(rs2)}, (${R(rs1)})`;
    case 'LR': return `${n}${aqrl(insn)} ${R(rd)}, (${R(rs1)})`;
    case 'FENCE': return fenceText(insn);
    case 'SFENCE': return `${n} ${R(rs1)}, ${R(rs2)}`;
    case 'NONE': return n;
  }
}

function aqrl(insn: number): string {
  const aq = (insn >>> 26) & 1, rl = (insn >>> 25) & 1;
  return aq && rl ? '.aqrl' : aq ? '.aq' : rl ? '.rl' : '';
}

function fenceText(insn: number): string {
  const fm = insn >>> 28, pred = (insn >>> 24) & 15, succ = (insn >>> 20) & 15;
  if (fm === 8 && pred === 3 && succ === 3) return 'fence.tso';
  return `fence ${fenceSet(pred)}, ${fenceSet(succ)}`;
}

// Aliases the GNU tools print, in the order objdump prefers them.
function pseudoForm(name: string, insn: number, pc: number, o: DisasmOptions): string | undefined {
  const rd = rdOf(insn), rs1 = rs1Of(insn), rs2 = rs2Of(insn), i = immI(insn);
  switch (name) {
    case 'addi':
      if (rd === 0 && rs1 === 0 && i === 0) return 'nop';
      if (rs1 === 0) return `li ${R(rd)}, ${i}`;
      if (i === 0) return `mv ${R(rd)}, ${R(rs1)}`;
      return undefined;
    case 'xori': return i === -1 ? `not ${R(rd)}, ${R(rs1)}` : undefined;
    case 'sub': return rs1 === 0 ? `neg ${R(rd)}, ${R(rs2)}` : undefined;
    case 'sltiu': return i === 1 ? `seqz ${R(rd)}, ${R(rs1)}` : undefined;
    case 'sltu': return rs1 === 0 ? `snez ${R(rd)}, ${R(rs2)}` : undefined;
    case 'jal':
      if (rd === 0) return `j ${target(pc, immJ(insn), o)}`;
      if (rd === 1) return `jal ${target(pc, immJ(insn), o)}`;
      return undefined;
    case 'jalr':
      if (rd === 0 && rs1 === 1 && i === 0) return 'ret';
      if (rd === 0 && i === 0) return `jr ${R(rs1)}`;
      if (rd === 1 && i === 0) return `jalr ${R(rs1)}`;
      return undefined;
    case 'beq': return rs2 === 0 ? `beqz ${R(rs1)}, ${target(pc, immB(insn), o)}` : undefined;
    case 'bne': return rs2 === 0 ? `bnez ${R(rs1)}, ${target(pc, immB(insn), o)}` : undefined;
    case 'csrrs': return rs1 === 0 ? `csrr ${R(rd)}, ${csrName(insn >>> 20)}` :
      rd === 0 ? `csrs ${csrName(insn >>> 20)}, ${R(rs1)}` : undefined;
    case 'csrrw': return rd === 0 ? `csrw ${csrName(insn >>> 20)}, ${R(rs1)}` : undefined;
    case 'csrrc': return rd === 0 ? `csrc ${csrName(insn >>> 20)}, ${R(rs1)}` : undefined;
    case 'csrrwi': return rd === 0 ? `csrwi ${csrName(insn >>> 20)}, ${rs1}` : undefined;
    case 'csrrsi': return rd === 0 ? `csrsi ${csrName(insn >>> 20)}, ${rs1}` : undefined;
    case 'csrrci': return rd === 0 ? `csrci ${csrName(insn >>> 20)}, ${rs1}` : undefined;
    case 'fence': return (insn >>> 20) === 0x0ff ? 'fence' : undefined;
    case 'sfence.vma':
      if (rs1 === 0 && rs2 === 0) return 'sfence.vma';
      return rs2 === 0 ? `sfence.vma ${R(rs1)}` : undefined;
    default: return undefined;
  }
}
