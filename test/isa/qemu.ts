// The QEMU side of the test/isa conformance suite: runs a program on
// qemu-system-riscv32 (the reference machine), and reads the header of each
// program, which says what both machines must do with it.
//
// QEMU is configured as Tessera's hart: RV32IMA + Zicsr + Zifencei with
// S and U, and nothing else QEMU 7.2 enables by default (C, F, D, H, the
// bit-manipulation extensions, Sstc, the HPM counters). Without that, a jump
// to an address with bit 1 set is legal (C), misa differs, and sstc turns
// mip.STIP read-only. `-icount shift=0` makes one instruction one
// nanosecond of virtual time, so minstret counts instructions (QEMU 7.2
// derives it from the virtual clock) and mtime moves with the program, not
// with the host; `sleep=off` lets wfi skip ahead to the next timer event.
//
// Entry points: runOnQemu(elfPath, opts), QEMU_ARGS, loadPrograms(dir),
// parseHeader(source, file), explainExit(prog, exitCode).

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { findOnPath } from './gnu.ts';

export const QEMU = 'qemu-system-riscv32';

const QEMU_CPU =
  'rv32,c=false,f=false,d=false,h=false,zba=false,zbb=false,zbc=false,zbs=false,' +
  'sstc=false,pmu-num=0';

export const QEMU_ARGS: readonly string[] = [
  '-M', 'virt', '-bios', 'none', '-display', 'none', '-serial', 'stdio', '-monitor', 'none',
  '-cpu', QEMU_CPU, '-icount', 'shift=0,sleep=off',
];

export interface QemuOptions {
  /** Bytes (one char = one byte) typed into UART0. */
  stdin?: string;
  timeoutMs?: number;
}

export interface QemuResult {
  exitCode: number;
  /** What the program wrote to UART0, one char per byte. */
  stdout: string;
  timedOut: boolean;
  /** QEMU's own diagnostics. */
  stderr: string;
}

/**
 * Boot `elfPath` with `-kernel` and wait for it to power off through
 * sifive_test (exit code 0 = pass, n = fail n) or for the timeout (QEMU is
 * killed, exitCode -1, timedOut true).
 */
export async function runOnQemu(elfPath: string, opts: QemuOptions = {}): Promise<QemuResult> {
  if (!findOnPath(QEMU)) {
    throw new Error(`${QEMU} not found on PATH: install the Debian package qemu-system-misc`);
  }
  const timeoutMs = opts.timeoutMs ?? 20_000;
  return new Promise((resolve, reject) => {
    const child = spawn(QEMU, [...QEMU_ARGS, '-kernel', elfPath], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('latin1');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (s: string) => { stdout += s; });
    child.stderr.on('data', (s: string) => { stderr += s; });
    // QEMU may exit before it reads its input; that is not an error here.
    child.stdin.on('error', () => {});
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: timedOut ? -1 : (code ?? -1), stdout, timedOut, stderr });
    });
    // Input stays open: QEMU's serial reads it when the guest is ready.
    if (opts.stdin) child.stdin.write(Buffer.from(opts.stdin, 'latin1'));
  });
}

// ---- program headers ----

export interface IsaProgram {
  /** File stem, e.g. "div_by_zero". */
  name: string;
  path: string;
  description: string;
  /** `# stdin:` text with \n, \r, \t and \\ escapes decoded. */
  stdin?: string;
  maxInsns?: number;
  /** Exit code QEMU 7.2 gives (0 unless a `# qemu:` line says otherwise). */
  qemuExitCode: number;
  /** Why QEMU differs from the spec, when it does. */
  qemuReason?: string;
}

function decodeEscapes(text: string): string {
  const map: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\' };
  return text.replace(/\\(.)/g, (_all, c: string) => map[c] ?? `\\${c}`);
}

/**
 * Read a program's header: the comment lines at the top of the file.
 * Throws naming the file and line when the header is malformed.
 */
export function parseHeader(source: string, file: string): IsaProgram {
  const name = basename(file).replace(/\.s$/, '');
  const prog: IsaProgram = { name, path: file, description: '', qemuExitCode: 0 };
  const lines = source.split('\n');
  const where = (i: number) => `${file}:${i + 1}`;
  const first = /^#\s*([\w.-]+):\s*(.+)$/.exec(lines[0] ?? '');
  if (!first || first[1] !== name) {
    throw new Error(`${where(0)}: the first line must be "# ${name}: <one-line description>"`);
  }
  prog.description = first[2]!.trim();
  for (let i = 1; i < lines.length && lines[i]!.startsWith('#'); i++) {
    const m = /^#\s*(stdin|qemu|max-insns):\s?(.*)$/.exec(lines[i]!);
    if (!m) continue;
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'stdin') prog.stdin = decodeEscapes(value);
    else if (key === 'max-insns') {
      if (!/^\d+$/.test(value.trim())) throw new Error(`${where(i)}: max-insns must be a number`);
      prog.maxInsns = Number(value.trim());
    } else {
      const q = /^(pass|fail\s+(\d+))\s*(?:[—–-]+\s*(.*))?$/.exec(value.trim());
      if (!q) throw new Error(`${where(i)}: expected "# qemu: pass|fail N — reason"`);
      prog.qemuExitCode = q[1] === 'pass' ? 0 : Number(q[2]);
      prog.qemuReason = q[3]?.trim() || undefined;
      if (!prog.qemuReason) throw new Error(`${where(i)}: a "# qemu:" line must give the reason`);
    }
  }
  return prog;
}

/** Every test/isa program in `dir`, sorted by name. */
export function loadPrograms(dir: string): IsaProgram[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.s'))
    .sort()
    .map((f) => parseHeader(readFileSync(join(dir, f), 'utf8'), join(dir, f)));
}

// ---- exit codes (the convention of prelude.inc) ----

const MACRO_START = /^\s*\.macro\s+([A-Za-z_][\w]*)/;
const MACRO_END = /^\s*\.endm\b/;
const CHECK_STEP = /^\s*\.set\s+check_no\s*,/;

interface SourceLine { text: string; line: number }

/** Macro bodies by name, and the lines outside any macro definition. */
function splitMacros(lines: string[]): { macros: Map<string, string[]>; top: SourceLine[] } {
  const macros = new Map<string, string[]>();
  const top: SourceLine[] = [];
  let current: string[] | undefined;
  lines.forEach((text, i) => {
    const start = MACRO_START.exec(text);
    if (start) {
      current = [];
      macros.set(start[1]!, current);
    } else if (MACRO_END.test(text)) current = undefined;
    else if (current) current.push(text);
    else top.push({ text, line: i + 1 });
  });
  return { macros, top };
}

/** The macro a source line invokes, if any (after an optional label). */
function invokedMacro(text: string, macros: Map<string, string[]>): string | undefined {
  const word = /^\s*(?:[\w.]+:\s*)?([A-Za-z_]\w*)/.exec(text.replace(/#.*/, ''))?.[1];
  return word && macros.has(word) ? word : undefined;
}

function checksIn(name: string, macros: Map<string, string[]>, depth = 0): number {
  if (depth > 20) return 0;
  let n = 0;
  for (const text of macros.get(name) ?? []) {
    if (CHECK_STEP.test(text)) n++;
    const inner = invokedMacro(text, macros);
    if (inner) n += checksIn(inner, macros, depth + 1);
  }
  return n;
}

/** Source line of the n-th check of a program (macros expanded; .rept is not). */
function findCheck(prog: IsaProgram, n: number): SourceLine | undefined {
  const prelude = readFileSync(join(dirname(prog.path), 'prelude.inc'), 'utf8').split('\n');
  const own = readFileSync(prog.path, 'utf8').split('\n');
  const { macros } = splitMacros(prelude);
  const local = splitMacros(own);
  for (const [k, v] of local.macros) macros.set(k, v);
  let seen = 0;
  for (const l of local.top) {
    const m = invokedMacro(l.text, macros);
    if (!m) continue;
    seen += checksIn(m, macros);
    if (seen >= n) return l;
  }
  return undefined;
}

/** What an exit code of `prog` means, for test failure messages. */
export function explainExit(prog: IsaProgram, code: number): string {
  if (code === 0) return 'pass';
  if (code >= 1 && code < 200) {
    const at = findCheck(prog, code);
    return at ? `check ${code} failed: ${basename(prog.path)}:${at.line}: ${at.text.trim()}` : `check ${code} failed`;
  }
  if (code >= 200 && code < 232) return `unexpected exception, mcause ${code - 200}`;
  if (code >= 232 && code < 248) return `unexpected interrupt, mcause ${code - 232} (interrupt bit set)`;
  const fixed: Record<number, string> = {
    248: 'unexpected trap in the S-mode handler',
    252: 'WAIT_IRQ gave up: the interrupt never came',
    253: 'UNREACHABLE reached: an expected trap did not happen',
    255: 'test_fail called with code 0',
  };
  return fixed[code] ?? `exit code ${code} (not a prelude.inc code)`;
}
