// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Context switch, in WebAssembly: the twin of kernel/switch.ts (TsSwitch).
// The hart's register file (x0..x31 at host offset REG_OFF) and the save
// areas (kernel frames in guest RAM) are in the one imported memory, so a
// save or a restore is 132 bytes moved, as eight 16-byte vector loads and
// stores and the pc word. satp is not switched here: the TLB it must flush
// is the hart's JS arrays (vm/mmu), out of this module's reach, so the
// kernel calls switchSpace (kernel/switch.ts) after restore with either
// engine.
//
// Entry points: save, restore, swap.

const RAM_BASE: u32 = 0x80000000;
const RAM_OFF: u32 = 0x10000;
const REG_OFF: usize = 0;
/** Byte offset of the saved pc in a save area (after x0..x31): SAVE_PC. */
const SAVE_PC: usize = 128;

@inline function move128(to: usize, from: usize): void {
  v128.store(to, v128.load(from, 0), 0);
  v128.store(to, v128.load(from, 16), 16);
  v128.store(to, v128.load(from, 32), 32);
  v128.store(to, v128.load(from, 48), 48);
  v128.store(to, v128.load(from, 64), 64);
  v128.store(to, v128.load(from, 80), 80);
  v128.store(to, v128.load(from, 96), 96);
  v128.store(to, v128.load(from, 112), 112);
}

/** Copy x0..x31 and `pc` into the save area at guest physical `area`. */
export function save(area: u32, pc: i32): void {
  const to = <usize>(area - RAM_BASE + RAM_OFF);
  move128(to, REG_OFF);
  store<i32>(to + SAVE_PC, pc);
}

/** save(from, pc) then restore(to), in one call: a switch crosses into wasm once. */
export function swap(from: u32, pc: i32, to: u32): i32 {
  save(from, pc);
  return restore(to);
}

/** Load x0..x31 from the save area at `area` (x0 stays 0); returns the saved pc. */
export function restore(area: u32): i32 {
  const from = <usize>(area - RAM_BASE + RAM_OFF);
  move128(REG_OFF, from);
  store<i32>(REG_OFF, 0);
  return load<i32>(from + SAVE_PC);
}
