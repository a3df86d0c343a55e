// The WebAssembly instruction table: every MVP opcode plus the sign-extension,
// bulk-memory and saturating-conversion extensions, with the immediates the
// reader decodes and the operand types the translator checks. One table
// drives the reader, the float check and the translator's dispatch.
//
// Signatures are written `inputs:outputs` with one letter per value:
// i = i32, I = i64, f = f32, F = f64. Parametric and control instructions
// (drop, select, locals, calls, branches) have no fixed signature ('').
//
// Entry points: OPCODES (by opcode; 0xfc-prefixed ones at 0xfc00 + n),
// OpInfo, Imm, opName, usesFloat.

/** How an instruction's immediates are encoded. */
export type Imm =
  | 'none' | 'block' | 'label' | 'br_table' | 'func' | 'call_indirect' | 'local' | 'global'
  | 'mem' | 'memidx' | 'i32' | 'i64' | 'f32' | 'f64' | 'select_t' | 'table' | 'data'
  | 'data_mem' | 'mem_mem' | 'reftype' | 'table_table' | 'elem_table' | 'elem';

export interface OpInfo {
  readonly name: string;
  readonly imm: Imm;
  readonly sig: string;
}

const table: [number, string, Imm, string][] = [
  [0x00, 'unreachable', 'none', ''], [0x01, 'nop', 'none', ''],
  [0x02, 'block', 'block', ''], [0x03, 'loop', 'block', ''], [0x04, 'if', 'block', ''],
  [0x05, 'else', 'none', ''], [0x0b, 'end', 'none', ''],
  [0x0c, 'br', 'label', ''], [0x0d, 'br_if', 'label', ''], [0x0e, 'br_table', 'br_table', ''],
  [0x0f, 'return', 'none', ''], [0x10, 'call', 'func', ''], [0x11, 'call_indirect', 'call_indirect', ''],
  [0x12, 'return_call', 'func', ''], [0x13, 'return_call_indirect', 'call_indirect', ''],
  [0x1a, 'drop', 'none', ''], [0x1b, 'select', 'none', ''], [0x1c, 'select', 'select_t', ''],
  [0x20, 'local.get', 'local', ''], [0x21, 'local.set', 'local', ''], [0x22, 'local.tee', 'local', ''],
  [0x23, 'global.get', 'global', ''], [0x24, 'global.set', 'global', ''],
  [0x25, 'table.get', 'table', ''], [0x26, 'table.set', 'table', ''],
  [0x28, 'i32.load', 'mem', 'i:i'], [0x29, 'i64.load', 'mem', 'i:I'],
  [0x2a, 'f32.load', 'mem', 'i:f'], [0x2b, 'f64.load', 'mem', 'i:F'],
  [0x2c, 'i32.load8_s', 'mem', 'i:i'], [0x2d, 'i32.load8_u', 'mem', 'i:i'],
  [0x2e, 'i32.load16_s', 'mem', 'i:i'], [0x2f, 'i32.load16_u', 'mem', 'i:i'],
  [0x30, 'i64.load8_s', 'mem', 'i:I'], [0x31, 'i64.load8_u', 'mem', 'i:I'],
  [0x32, 'i64.load16_s', 'mem', 'i:I'], [0x33, 'i64.load16_u', 'mem', 'i:I'],
  [0x34, 'i64.load32_s', 'mem', 'i:I'], [0x35, 'i64.load32_u', 'mem', 'i:I'],
  [0x36, 'i32.store', 'mem', 'ii:'], [0x37, 'i64.store', 'mem', 'iI:'],
  [0x38, 'f32.store', 'mem', 'if:'], [0x39, 'f64.store', 'mem', 'iF:'],
  [0x3a, 'i32.store8', 'mem', 'ii:'], [0x3b, 'i32.store16', 'mem', 'ii:'],
  [0x3c, 'i64.store8', 'mem', 'iI:'], [0x3d, 'i64.store16', 'mem', 'iI:'], [0x3e, 'i64.store32', 'mem', 'iI:'],
  [0x3f, 'memory.size', 'memidx', ':i'], [0x40, 'memory.grow', 'memidx', 'i:i'],
  [0x41, 'i32.const', 'i32', ':i'], [0x42, 'i64.const', 'i64', ':I'],
  [0x43, 'f32.const', 'f32', ':f'], [0x44, 'f64.const', 'f64', ':F'],
  [0xd0, 'ref.null', 'reftype', ''], [0xd1, 'ref.is_null', 'none', ''], [0xd2, 'ref.func', 'func', ''],
];

/** Families of same-shaped operators, numbered consecutively from `first`. */
function family(first: number, prefix: string, names: string, sig: string): void {
  names.split(' ').forEach((n, i) => table.push([first + i, `${prefix}.${n}`, 'none', sig]));
}
family(0x45, 'i32', 'eqz', 'i:i');
family(0x46, 'i32', 'eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u', 'ii:i');
family(0x50, 'i64', 'eqz', 'I:i');
family(0x51, 'i64', 'eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u', 'II:i');
family(0x5b, 'f32', 'eq ne lt gt le ge', 'ff:i');
family(0x61, 'f64', 'eq ne lt gt le ge', 'FF:i');
family(0x67, 'i32', 'clz ctz popcnt', 'i:i');
family(0x6a, 'i32', 'add sub mul div_s div_u rem_s rem_u and or xor shl shr_s shr_u rotl rotr', 'ii:i');
family(0x79, 'i64', 'clz ctz popcnt', 'I:I');
family(0x7c, 'i64', 'add sub mul div_s div_u rem_s rem_u and or xor shl shr_s shr_u rotl rotr', 'II:I');
family(0x8b, 'f32', 'abs neg ceil floor trunc nearest sqrt', 'f:f');
family(0x92, 'f32', 'add sub mul div min max copysign', 'ff:f');
family(0x99, 'f64', 'abs neg ceil floor trunc nearest sqrt', 'F:F');
family(0xa0, 'f64', 'add sub mul div min max copysign', 'FF:F');
table.push(
  [0xa7, 'i32.wrap_i64', 'none', 'I:i'],
  [0xa8, 'i32.trunc_f32_s', 'none', 'f:i'], [0xa9, 'i32.trunc_f32_u', 'none', 'f:i'],
  [0xaa, 'i32.trunc_f64_s', 'none', 'F:i'], [0xab, 'i32.trunc_f64_u', 'none', 'F:i'],
  [0xac, 'i64.extend_i32_s', 'none', 'i:I'], [0xad, 'i64.extend_i32_u', 'none', 'i:I'],
  [0xae, 'i64.trunc_f32_s', 'none', 'f:I'], [0xaf, 'i64.trunc_f32_u', 'none', 'f:I'],
  [0xb0, 'i64.trunc_f64_s', 'none', 'F:I'], [0xb1, 'i64.trunc_f64_u', 'none', 'F:I'],
  [0xb2, 'f32.convert_i32_s', 'none', 'i:f'], [0xb3, 'f32.convert_i32_u', 'none', 'i:f'],
  [0xb4, 'f32.convert_i64_s', 'none', 'I:f'], [0xb5, 'f32.convert_i64_u', 'none', 'I:f'],
  [0xb6, 'f32.demote_f64', 'none', 'F:f'],
  [0xb7, 'f64.convert_i32_s', 'none', 'i:F'], [0xb8, 'f64.convert_i32_u', 'none', 'i:F'],
  [0xb9, 'f64.convert_i64_s', 'none', 'I:F'], [0xba, 'f64.convert_i64_u', 'none', 'I:F'],
  [0xbb, 'f64.promote_f32', 'none', 'f:F'],
  [0xbc, 'i32.reinterpret_f32', 'none', 'f:i'], [0xbd, 'i64.reinterpret_f64', 'none', 'F:I'],
  [0xbe, 'f32.reinterpret_i32', 'none', 'i:f'], [0xbf, 'f64.reinterpret_i64', 'none', 'I:F'],
  [0xc0, 'i32.extend8_s', 'none', 'i:i'], [0xc1, 'i32.extend16_s', 'none', 'i:i'],
  [0xc2, 'i64.extend8_s', 'none', 'I:I'], [0xc3, 'i64.extend16_s', 'none', 'I:I'],
  [0xc4, 'i64.extend32_s', 'none', 'I:I'],
);

/** 0xfc-prefixed instructions live at FC + their sub-opcode. */
export const FC = 0xfc00;
table.push(
  [FC + 0, 'i32.trunc_sat_f32_s', 'none', 'f:i'], [FC + 1, 'i32.trunc_sat_f32_u', 'none', 'f:i'],
  [FC + 2, 'i32.trunc_sat_f64_s', 'none', 'F:i'], [FC + 3, 'i32.trunc_sat_f64_u', 'none', 'F:i'],
  [FC + 4, 'i64.trunc_sat_f32_s', 'none', 'f:I'], [FC + 5, 'i64.trunc_sat_f32_u', 'none', 'f:I'],
  [FC + 6, 'i64.trunc_sat_f64_s', 'none', 'F:I'], [FC + 7, 'i64.trunc_sat_f64_u', 'none', 'F:I'],
  [FC + 8, 'memory.init', 'data_mem', 'iii:'], [FC + 9, 'data.drop', 'data', ''],
  [FC + 10, 'memory.copy', 'mem_mem', 'iii:'], [FC + 11, 'memory.fill', 'memidx', 'iii:'],
  [FC + 12, 'table.init', 'elem_table', ''], [FC + 13, 'elem.drop', 'elem', ''],
  [FC + 14, 'table.copy', 'table_table', ''], [FC + 15, 'table.grow', 'table', ''],
  [FC + 16, 'table.size', 'table', ''], [FC + 17, 'table.fill', 'table', ''],
);

/** Instruction info by opcode (0xfc-prefixed at FC + n). */
export const OPCODES: ReadonlyMap<number, OpInfo> = new Map(table.map(([op, name, imm, sig]) => [op, { name, imm, sig }]));

/** Named opcodes the translator dispatches on (a few, spelled as the spec does). */
export const OP = {
  unreachable: 0x00, nop: 0x01, block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b,
  br: 0x0c, br_if: 0x0d, br_table: 0x0e, return: 0x0f, call: 0x10, call_indirect: 0x11,
  drop: 0x1a, select: 0x1b, select_t: 0x1c,
  local_get: 0x20, local_set: 0x21, local_tee: 0x22, global_get: 0x23, global_set: 0x24,
  memory_size: 0x3f, memory_grow: 0x40, i32_const: 0x41, i64_const: 0x42,
  memory_init: FC + 8, data_drop: FC + 9, memory_copy: FC + 10, memory_fill: FC + 11,
} as const;

export function opName(op: number): string {
  return OPCODES.get(op)?.name ?? `opcode 0x${op.toString(16)}`;
}

/** True if the instruction takes or produces f32/f64 values. */
export function usesFloat(op: number): boolean {
  const info = OPCODES.get(op);
  return info !== undefined && /[fF]/.test(info.sig);
}
