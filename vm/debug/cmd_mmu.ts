// What the MMU knows and gdb does not: `vtop VA [r|w|x] [M|S|U]` shows the
// Sv32 walk level by level (PTE address, raw value, flags, where it leads,
// the physical address or the fault the access would raise and why), and
// `tlb` lists the valid entries of the fetch, load and store TLBs.
//
// Entry points: cmdVtop, cmdTlb, describePhys.

import { ACCESS, MSTATUS as MS, PRV, CAUSE_NAMES } from '../cpu/bits.ts';
import { PTE, TLB_SIZE, type WalkResult } from '../mmu/mmu.ts';
import { RAM_BASE, RAM_OFF, ROM_BASE, ROM_END } from '../memory.ts';
import type { Debugger } from './debugger.ts';
import { CmdError, evalExpr, hex8, parsePriv, privLetter, type CommandContext, type CommandResult } from './cmd_util.ts';
import { decodeSatp } from './cmd_regs.ts';

const ACCESS_WORDS: Record<string, number> = {
  r: ACCESS.LOAD, read: ACCESS.LOAD, load: ACCESS.LOAD, w: ACCESS.STORE, write: ACCESS.STORE, store: ACCESS.STORE,
  x: ACCESS.FETCH, exec: ACCESS.FETCH, fetch: ACCESS.FETCH,
};
const ACCESS_NAME = ['fetch', 'load', 'store'];

/** `[V R W X U G A D]` with `-` for each clear bit. */
export function pteFlags(pte: number): string {
  const names: [number, string][] = [[PTE.V, 'V'], [PTE.R, 'R'], [PTE.W, 'W'], [PTE.X, 'X'], [PTE.U, 'U'], [PTE.G, 'G'], [PTE.A, 'A'], [PTE.D, 'D']];
  return `[${names.map(([b, n]) => (pte & b ? n : '-')).join(' ')}]`;
}

/** What lives at a physical address: RAM, the reset ROM, a device, or nothing. */
export function describePhys(dbg: Debugger, pa: number): string {
  const mem = dbg.board.mem;
  if (pa >= RAM_BASE && pa < mem.ramEnd) return 'RAM';
  if (pa >= ROM_BASE && pa < ROM_END) return 'reset ROM';
  const m = pa < 0x100000000 ? dbg.board.bus.find(pa) : undefined;
  return m ? `${m.device.name} registers` : 'nothing mapped: an access faults';
}

/** Why the walk's last PTE faults, in the order the MMU checks (vm/mmu/mmu.ts). */
function faultReason(dbg: Debugger, r: WalkResult, access: number, priv: number): string {
  const last = r.steps[r.steps.length - 1];
  if (!last || r.steps.length === 0) return 'the root page table is not in RAM';
  const pte = last.pte, ms = dbg.board.hart.mstatus;
  if (r.fault === 1 || r.fault === 5 || r.fault === 7) return `the next PTE address is not in RAM`;
  if (!(pte & PTE.V)) return 'PTE not valid (V=0)';
  if (!(pte & PTE.R) && pte & PTE.W) return 'reserved encoding: W without R';
  if (!(pte & (PTE.R | PTE.X))) return 'no leaf PTE at level 0';
  if (priv === PRV.U && !(pte & PTE.U)) return 'U-mode access to a page without U';
  if (priv === PRV.S && pte & PTE.U && access === ACCESS.FETCH) return 'S-mode may not execute a U page';
  if (priv === PRV.S && pte & PTE.U && !(ms & MS.SUM)) return 'S-mode access to a U page with mstatus.SUM=0';
  if (access === ACCESS.FETCH && !(pte & PTE.X)) return 'page not executable (X=0)';
  if (access === ACCESS.STORE && !(pte & PTE.W)) return 'page not writable (W=0)';
  if (access === ACCESS.LOAD && !(pte & PTE.R)) return `page not readable (R=0${pte & PTE.X ? ', and mstatus.MXR=0' : ''})`;
  if (last.level === 1) return 'misaligned megapage (PPN[0] is not 0)';
  return 'permission';
}

/** The mode vtop walks for: the one given, else the one the access would use, else (from M) MPP or S. */
function walkPriv(dbg: Debugger, access: number, given?: string): { priv: number; note?: string } {
  const h = dbg.board.hart;
  if (given) return { priv: parsePriv(given) };
  const p = access === ACCESS.FETCH ? h.priv : h.mmu.dataPriv();
  if (p !== PRV.M) return { priv: p };
  const mpp = (h.mstatus & MS.MPP) >>> MS.MPP_SHIFT;
  const priv = mpp === PRV.M ? PRV.S : mpp;
  return { priv, note: `the hart is in M-mode, which does not translate; walking as ${privLetter(priv)}-mode${mpp === priv ? ' (mstatus.MPP)' : ''}` };
}

/** `vtop VA [r|w|x] [M|S|U]`. */
export function cmdVtop(ctx: CommandContext, args: string): CommandResult {
  const dbg = ctx.dbg, h = dbg.board.hart;
  const words = args.trim().split(/\s+/);
  let accessWord: string | undefined, privWord: string | undefined;
  while (words.length > 1 && /^([rwx]|read|write|exec|load|store|fetch|[msu])$/i.test(words[words.length - 1])) {
    const w = words.pop()!.toLowerCase();
    if (/^[msu]$/.test(w) && w !== 'x') privWord = w; else accessWord = w;
  }
  if (words.join('') === '') throw new CmdError('Argument required (vtop VA [r|w|x] [M|S|U]).');
  const va = evalExpr(dbg, words.join(' '));
  const access = ACCESS_WORDS[accessWord ?? 'r'];
  const satp = h.satp >>> 0;
  if (satp >>> 31 === 0) {
    ctx.out(`satp ${hex8(satp)} is Bare (MODE=0): no translation, PA = VA = ${hex8(va)} (${describePhys(dbg, va)})`);
    return {};
  }
  const { priv, note } = walkPriv(dbg, access, privWord);
  const lines = [`VA ${hex8(va)}, ${ACCESS_NAME[access]} from ${privLetter(priv)}-mode, satp ${hex8(satp)}: ${decodeSatp(satp)}`];
  if (note) lines.push(`(${note})`);
  const r = h.mmu.walk(va | 0, access, priv, false);
  for (const s of r.steps) {
    const pte = s.pte >>> 0;
    const leaf = (pte & (PTE.R | PTE.X)) !== 0;
    const next = (pte >>> 10) * 4096;
    const to = !(pte & PTE.V) ? '' : pte & PTE.W && !(pte & PTE.R) ? '(reserved encoding)' : !leaf ? `-> next-level table at ${hex8(next)}`
      : s.level === 1 ? `-> 4 MiB megapage at ${hex8((pte >>> 20) * 0x400000)}` : `-> 4 KiB page at ${hex8(next)}`;
    lines.push(`  level ${s.level}: PTE at ${hex8(s.pteAddr)} = ${hex8(pte)}  ${pteFlags(pte)}  ${to}`.trimEnd());
  }
  if (r.fault !== undefined) {
    lines.push(`=> ${CAUSE_NAMES[r.fault]} (cause ${r.fault}): ${faultReason(dbg, r, access, priv)}`);
    ctx.out(lines.join('\n'));
    return {};
  }
  const pa = r.pa!;
  lines.push(`=> PA ${pa >= 0x100000000 ? '0x' + pa.toString(16) : hex8(pa)} (${describePhys(dbg, pa)})${r.megapage ? ', in a megapage' : ''}`);
  const leafPte = r.steps[r.steps.length - 1].pte;
  const unset = [!(leafPte & PTE.A) ? 'A' : '', access === ACCESS.STORE && !(leafPte & PTE.D) ? 'D' : ''].filter((s) => s);
  if (unset.length) lines.push(`   (the access would set ${unset.join(' and ')} in the leaf PTE)`);
  ctx.out(lines.join('\n'));
  return {};
}

/** Guest physical address of a TLB entry's host offset (RAM or the reset ROM). */
function hostToPhys(host: number): number {
  return host >= RAM_OFF ? host - RAM_OFF + RAM_BASE : host;
}

/** `tlb`: the valid entries of each TLB, VA page -> PA page. */
export function cmdTlb(ctx: CommandContext): CommandResult {
  const mmu = ctx.dbg.board.hart.mmu;
  const lines: string[] = [];
  for (const access of [ACCESS.FETCH, ACCESS.LOAD, ACCESS.STORE]) {
    const tag = mmu.tag[access], off = mmu.off[access];
    const entries: string[] = [];
    for (let i = 0; i < TLB_SIZE; i++) {
      if (tag[i] === -1) continue;
      const pa = hostToPhys((tag[i] + off[i]) >>> 0);
      entries.push(`  [${String(i).padStart(3)}] VA ${hex8(tag[i])} -> PA ${hex8(pa)}`);
    }
    lines.push(`${ACCESS_NAME[access]} TLB (${TLB_SIZE} entries, direct-mapped): ${entries.length ? `${entries.length} valid` : 'empty'}`, ...entries);
  }
  ctx.out(lines.join('\n'));
  return {};
}
