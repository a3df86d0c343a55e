// The one RV32IMA + Zicsr + Zifencei (+ privileged) instruction table.
//
// Every consumer reads this list: the hart's decoder (vm/isa/decode.ts builds
// its lookup from it), the disassembler, and the assembler (toolchain/asm).
// An entry is a match/mask pair over the 32-bit word, as in the spec's opcode
// map, plus the operand format that says which fields carry which operands.
//
// Entry points: INSNS, OP (name -> index), Format.

/** Operand layouts. The names say how the assembler and disassembler spell them. */
export type Format =
  | 'R'      // rd, rs1, rs2
  | 'I'      // rd, rs1, imm12
  | 'SHIFT'  // rd, rs1, shamt (5 bits on RV32)
  | 'LOAD'   // rd, imm12(rs1)
  | 'STORE'  // rs2, imm12(rs1)
  | 'BRANCH' // rs1, rs2, pc-relative target
  | 'U'      // rd, imm20
  | 'JAL'    // rd, pc-relative target
  | 'JALR'   // rd, imm12(rs1)
  | 'CSR'    // rd, csr, rs1
  | 'CSRI'   // rd, csr, uimm5
  | 'AMO'    // rd, rs2, (rs1)   with optional .aq/.rl
  | 'LR'     // rd, (rs1)         with optional .aq/.rl
  | 'FENCE'  // pred, succ
  | 'SFENCE' // rs1, rs2
  | 'NONE';  // no operands

export interface InsnSpec {
  readonly name: string;
  readonly match: number;
  readonly mask: number;
  readonly format: Format;
  /** Extension the instruction belongs to (for documentation and tests). */
  readonly ext: 'I' | 'M' | 'A' | 'Zicsr' | 'Zifencei' | 'Priv';
}

// Field masks.
const OPC = 0x7f;
const F3 = 0x7 << 12;
const F7 = 0x7f << 25;
const F5 = 0x1f << 27; // AMO funct5; bits 26:25 are aq/rl
const RS2 = 0x1f << 20;
const RS1 = 0x1f << 15;
const RD = 0x1f << 7;
const ALL = 0xffffffff | 0;

const op = (o: number, f3 = 0, f7 = 0): number => (o | (f3 << 12) | (f7 << 25)) | 0;

function e(name: string, format: Format, ext: InsnSpec['ext'], match: number, mask: number): InsnSpec {
  return { name, format, ext, match: match | 0, mask: mask | 0 };
}

/** Major opcodes (bits 6:0). */
export const OPCODE = {
  LOAD: 0x03, MISC_MEM: 0x0f, OP_IMM: 0x13, AUIPC: 0x17, STORE: 0x23, AMO: 0x2f,
  OP: 0x33, LUI: 0x37, BRANCH: 0x63, JALR: 0x67, JAL: 0x6f, SYSTEM: 0x73,
} as const;

const O = OPCODE;
const amo = (name: string, f5: number): InsnSpec =>
  e(name, 'AMO', 'A', O.AMO | (2 << 12) | (f5 << 27), OPC | F3 | F5);

export const INSNS: readonly InsnSpec[] = [
  // RV32I
  e('lui', 'U', 'I', O.LUI, OPC),
  e('auipc', 'U', 'I', O.AUIPC, OPC),
  e('jal', 'JAL', 'I', O.JAL, OPC),
  e('jalr', 'JALR', 'I', op(O.JALR, 0), OPC | F3),
  e('beq', 'BRANCH', 'I', op(O.BRANCH, 0), OPC | F3),
  e('bne', 'BRANCH', 'I', op(O.BRANCH, 1), OPC | F3),
  e('blt', 'BRANCH', 'I', op(O.BRANCH, 4), OPC | F3),
  e('bge', 'BRANCH', 'I', op(O.BRANCH, 5), OPC | F3),
  e('bltu', 'BRANCH', 'I', op(O.BRANCH, 6), OPC | F3),
  e('bgeu', 'BRANCH', 'I', op(O.BRANCH, 7), OPC | F3),
  e('lb', 'LOAD', 'I', op(O.LOAD, 0), OPC | F3),
  e('lh', 'LOAD', 'I', op(O.LOAD, 1), OPC | F3),
  e('lw', 'LOAD', 'I', op(O.LOAD, 2), OPC | F3),
  e('lbu', 'LOAD', 'I', op(O.LOAD, 4), OPC | F3),
  e('lhu', 'LOAD', 'I', op(O.LOAD, 5), OPC | F3),
  e('sb', 'STORE', 'I', op(O.STORE, 0), OPC | F3),
  e('sh', 'STORE', 'I', op(O.STORE, 1), OPC | F3),
  e('sw', 'STORE', 'I', op(O.STORE, 2), OPC | F3),
  e('addi', 'I', 'I', op(O.OP_IMM, 0), OPC | F3),
  e('slti', 'I', 'I', op(O.OP_IMM, 2), OPC | F3),
  e('sltiu', 'I', 'I', op(O.OP_IMM, 3), OPC | F3),
  e('xori', 'I', 'I', op(O.OP_IMM, 4), OPC | F3),
  e('ori', 'I', 'I', op(O.OP_IMM, 6), OPC | F3),
  e('andi', 'I', 'I', op(O.OP_IMM, 7), OPC | F3),
  // On RV32 the shift amount is 5 bits: funct7 covers imm[11:5], so shamt[5]=1 is illegal.
  e('slli', 'SHIFT', 'I', op(O.OP_IMM, 1, 0x00), OPC | F3 | F7),
  e('srli', 'SHIFT', 'I', op(O.OP_IMM, 5, 0x00), OPC | F3 | F7),
  e('srai', 'SHIFT', 'I', op(O.OP_IMM, 5, 0x20), OPC | F3 | F7),
  e('add', 'R', 'I', op(O.OP, 0, 0x00), OPC | F3 | F7),
  e('sub', 'R', 'I', op(O.OP, 0, 0x20), OPC | F3 | F7),
  e('sll', 'R', 'I', op(O.OP, 1, 0x00), OPC | F3 | F7),
  e('slt', 'R', 'I', op(O.OP, 2, 0x00), OPC | F3 | F7),
  e('sltu', 'R', 'I', op(O.OP, 3, 0x00), OPC | F3 | F7),
  e('xor', 'R', 'I', op(O.OP, 4, 0x00), OPC | F3 | F7),
  e('srl', 'R', 'I', op(O.OP, 5, 0x00), OPC | F3 | F7),
  e('sra', 'R', 'I', op(O.OP, 5, 0x20), OPC | F3 | F7),
  e('or', 'R', 'I', op(O.OP, 6, 0x00), OPC | F3 | F7),
  e('and', 'R', 'I', op(O.OP, 7, 0x00), OPC | F3 | F7),
  e('fence', 'FENCE', 'I', op(O.MISC_MEM, 0), OPC | F3),
  e('ecall', 'NONE', 'I', 0x00000073, ALL),
  e('ebreak', 'NONE', 'I', 0x00100073, ALL),
  // Zifencei
  e('fence.i', 'NONE', 'Zifencei', op(O.MISC_MEM, 1), OPC | F3),
  // Zicsr
  e('csrrw', 'CSR', 'Zicsr', op(O.SYSTEM, 1), OPC | F3),
  e('csrrs', 'CSR', 'Zicsr', op(O.SYSTEM, 2), OPC | F3),
  e('csrrc', 'CSR', 'Zicsr', op(O.SYSTEM, 3), OPC | F3),
  e('csrrwi', 'CSRI', 'Zicsr', op(O.SYSTEM, 5), OPC | F3),
  e('csrrsi', 'CSRI', 'Zicsr', op(O.SYSTEM, 6), OPC | F3),
  e('csrrci', 'CSRI', 'Zicsr', op(O.SYSTEM, 7), OPC | F3),
  // RV32M
  e('mul', 'R', 'M', op(O.OP, 0, 0x01), OPC | F3 | F7),
  e('mulh', 'R', 'M', op(O.OP, 1, 0x01), OPC | F3 | F7),
  e('mulhsu', 'R', 'M', op(O.OP, 2, 0x01), OPC | F3 | F7),
  e('mulhu', 'R', 'M', op(O.OP, 3, 0x01), OPC | F3 | F7),
  e('div', 'R', 'M', op(O.OP, 4, 0x01), OPC | F3 | F7),
  e('divu', 'R', 'M', op(O.OP, 5, 0x01), OPC | F3 | F7),
  e('rem', 'R', 'M', op(O.OP, 6, 0x01), OPC | F3 | F7),
  e('remu', 'R', 'M', op(O.OP, 7, 0x01), OPC | F3 | F7),
  // RV32A
  e('lr.w', 'LR', 'A', O.AMO | (2 << 12) | (0x02 << 27), OPC | F3 | F5 | RS2),
  e('sc.w', 'AMO', 'A', O.AMO | (2 << 12) | (0x03 << 27), OPC | F3 | F5),
  amo('amoswap.w', 0x01),
  amo('amoadd.w', 0x00),
  amo('amoxor.w', 0x04),
  amo('amoand.w', 0x0c),
  amo('amoor.w', 0x08),
  amo('amomin.w', 0x10),
  amo('amomax.w', 0x14),
  amo('amominu.w', 0x18),
  amo('amomaxu.w', 0x1c),
  // Privileged
  e('sret', 'NONE', 'Priv', 0x10200073, ALL),
  e('mret', 'NONE', 'Priv', 0x30200073, ALL),
  e('wfi', 'NONE', 'Priv', 0x10500073, ALL),
  e('sfence.vma', 'SFENCE', 'Priv', op(O.SYSTEM, 0, 0x09), OPC | F3 | F7 | RD),
];

/** Instruction index by mnemonic. */
export const OP: Readonly<Record<string, number>> = Object.fromEntries(INSNS.map((s, i) => [s.name, i]));

export const FIELD = { OPC, F3, F7, F5, RS1, RS2, RD } as const;
