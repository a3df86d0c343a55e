// Running a bare-metal ELF on the board, as `qemu-system-riscv32 -M virt
// -bios none -kernel prog.elf` does: load the PT_LOAD segments at their
// physical addresses, start through the reset ROM, UART to stdout, exit code
// from sifive_test. Also the riscv-tests convention: a `tohost` symbol whose
// store of 1 passes and of an odd value v fails test v >> 1.
//
// runElfSync is for tests and scripts (all input given up front);
// cli/console.ts drives the same Board interactively.
//
// Entry points: loadProgram, runElfSync, LoadError, traceLine, parseSize, EXIT.

import { Board, type BoardOptions, type StopReason } from '../vm/board.ts';
import { parseElf, ElfError, PT_LOAD, symbolizer } from '../toolchain/elf.ts';
import { disassemble } from '../vm/isa/disasm.ts';
import { ABI_NAMES } from '../vm/isa/regs.ts';
import { INSNS } from '../vm/isa/table.ts';
import { lookupInsn } from '../vm/isa/decode.ts';
import { PRV_NAMES } from '../vm/cpu/bits.ts';
import type { Hart } from '../vm/cpu/hart.ts';

/** Exit codes of `tessera run` beyond the guest's own. */
export const EXIT = { BAD_INPUT: 2, LIMIT: 124, IDLE: 125 } as const;

export class LoadError extends Error {}

export interface Program {
  entry: number;
  tohost?: number;
  symbolize: (addr: number) => string | undefined;
  /** Defined symbols by name (functions, objects, labels). */
  symbols: Map<string, number>;
}

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');

/** End of the ELF header and program header table in the file. */
function headerEnd(b: Uint8Array): number {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return Math.max(52, dv.getUint32(28, true) + dv.getUint16(44, true) * 32);
}

/** Load an ELF into the board's RAM. Throws LoadError with one line naming the problem. */
export function loadProgram(board: Board, bytes: Uint8Array): Program {
  let elf;
  try {
    elf = parseElf(bytes);
  } catch (e) {
    if (e instanceof ElfError) throw new LoadError(e.message);
    throw e;
  }
  if (elf.type !== 2) throw new LoadError(`ELF type ${elf.type} is not an executable (ET_EXEC)`);
  const loads = elf.segments.filter((s) => s.type === PT_LOAD && s.memsz > 0);
  if (loads.length === 0) throw new LoadError('no loadable segments');
  // File offset of the first allocated section: what precedes it is headers and padding.
  const contentStart = Math.min(headerEnd(bytes) + 0x1000,
    ...elf.sections.filter((c) => (c.flags & 2) !== 0 && c.type !== 8 && c.size > 0).map((c) => c.offset));
  loads.forEach((s, i) => {
    let { paddr, data, memsz } = s;
    // `ld -Ttext=0x80000000` puts the ELF headers in the first segment, just
    // below RAM; QEMU drops bytes that no memory backs, so skip such a prefix.
    const below = board.mem.ramEnd - board.mem.ramSize - paddr;
    if (below > 0 && below < memsz && s.offset + below <= contentStart) {
      paddr += below; memsz -= below; data = data.subarray(Math.min(below, data.length));
    }
    if (!board.loadSegment(paddr, data, memsz)) {
      throw new LoadError(`segment ${i} at 0x${hex8(s.paddr)} (+0x${s.memsz.toString(16)} bytes) is outside RAM ` +
        `(0x${hex8(board.mem.ramEnd - board.mem.ramSize)}-0x${hex8(board.mem.ramEnd - 1)})`);
    }
  });
  const tohost = elf.symbols.find((s) => s.name === 'tohost' && s.section !== 'UND');
  const symbols = new Map<string, number>();
  for (const s of elf.symbols) {
    if (s.section !== 'UND' && s.name !== '' && s.type !== 'SECTION' && s.type !== 'FILE') symbols.set(s.name, s.value >>> 0);
  }
  return { entry: elf.entry, tohost: tohost?.value, symbolize: symbolizer(elf), symbols };
}

/** Make stores to `tohost` end the run, as riscv-tests expect. */
export function watchTohost(board: Board, addr: number): void {
  const h = board.hart;
  h.hookedPages.add(Math.floor(addr / 4096));
  h.mmu.flush();
  h.storeHook = (pa, _size, value) => {
    if (pa !== addr || value === 0) return false;
    board.finished = value === 1 ? { kind: 'pass', code: 0, tohost: true } : { kind: 'fail', code: value >>> 1, tohost: true };
    return true;
  };
}

/** One `--trace` line: mode, pc, word, disassembly, and the register written. */
export function traceLine(h: Hart, pc: number, insn: number, priv: number, sym?: (a: number) => string | undefined): string {
  const idx = lookupInsn(insn);
  let written = '';
  if (idx >= 0) {
    const f = INSNS[idx].format;
    const rd = (insn >>> 7) & 31;
    const hasRd = f !== 'STORE' && f !== 'BRANCH' && f !== 'FENCE' && f !== 'SFENCE' && f !== 'NONE';
    if (hasRd && rd !== 0) written = `  ${ABI_NAMES[rd]}=0x${hex8(h.x[rd])}`;
  }
  const text = disassemble(insn, pc, { pseudo: true, symbolize: sym });
  return `${PRV_NAMES[priv]} ${hex8(pc)}: ${hex8(insn)}  ${text}${written}`;
}

export interface RunOptions extends BoardOptions {
  maxInsns?: number;
  stdin?: Uint8Array;
  /** Receives each `--trace` line. */
  trace?: (line: string) => void;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  reason: StopReason['kind'];
  insns: number;
  /** Why the run stopped, when it was not the guest's own decision. */
  message?: string;
}

/** Exit code and message for a stop reason, as `tessera run` reports them. */
export function describeStop(r: StopReason, insns: number): { exitCode: number; message?: string } {
  switch (r.kind) {
    case 'pass': return { exitCode: 0 };
    case 'fail': return { exitCode: r.code, message: r.tohost ? `FAIL test ${r.code}` : undefined };
    case 'limit': return { exitCode: EXIT.LIMIT, message: `stopped: instruction limit reached after ${insns} instructions (--max-insns)` };
    case 'idle': return { exitCode: EXIT.IDLE, message: 'stopped: the hart is waiting in wfi with no timer armed and no more input' };
    case 'break': case 'debug': return { exitCode: 130, message: 'stopped by the user' };
  }
}

/** Load and run an ELF with all input given up front. LoadError for a bad ELF. */
export function runElfSync(elf: Uint8Array, opts: RunOptions = {}): RunResult {
  const out: number[] = [];
  const board = new Board({ ...opts, output: opts.output ?? ((b) => out.push(b)) });
  const prog = loadProgram(board, elf);
  if (prog.tohost !== undefined) watchTohost(board, prog.tohost);
  if (opts.stdin) board.input(opts.stdin);
  if (opts.trace) {
    const t = opts.trace;
    board.traceHook = (pc, insn, priv) => t(traceLine(board.hart, pc, insn, priv, prog.symbolize));
  }
  const r = board.run(opts.maxInsns ?? Infinity);
  const insns = board.hart.retired;
  return { ...describeStop(r, insns), stdout: Buffer.from(out).toString('latin1'), reason: r.kind, insns };
}

/** "128M", "64k", "1G" or a byte count. */
export function parseSize(s: string): number {
  const m = /^(\d+)([kKmMgG]?)(i?[bB])?$/.exec(s.trim());
  if (!m) throw new LoadError(`bad size '${s}' (expected e.g. 128M)`);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(m[1]) * mult;
}
