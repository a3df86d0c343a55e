// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// false: exit with status 1.
export function main(): i32 {
  return 1;
}
