// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// true: exit with status 0.
export function main(): i32 {
  return 0;
}
