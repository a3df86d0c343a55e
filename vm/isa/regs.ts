// Integer register names: ABI names (as the disassembler prints them) and the
// numeric xN names the assembler also accepts.

export const ABI_NAMES: readonly string[] = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2',
  's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7',
  's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
];

const BY_NAME = new Map<string, number>();
ABI_NAMES.forEach((n, i) => BY_NAME.set(n, i));
for (let i = 0; i < 32; i++) BY_NAME.set(`x${i}`, i);
BY_NAME.set('fp', 8);

/** Register number for a name (`a0`, `x10`, `fp`), or -1. */
export function regNumber(name: string): number {
  return BY_NAME.get(name.toLowerCase()) ?? -1;
}
