// Test helper: the reference side of the translator's differential tests.
// Runs a wasm module in Node's own WebAssembly engine with the same host
// environment `tessera run --user` gives a translated program (the
// tessera.syscallN imports: exit, write, IPC answering -ENOSYS), and reports
// stdout, stderr, the exit status and, for a trap, its kind in the terms of
// toolchain/wasm/abi.ts TRAPS. Also builds corpus programs once per test run.
//
// Entry points: runReference, RefResult, trapKindOf, buildCached.

import { SYS, ERRNO, TRAPS, EXIT_ABORT, type TrapInfo } from '../../toolchain/wasm/abi.ts';
import { buildFile, type BuildResult } from '../../toolchain/build.ts';

export interface RefResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  trap?: TrapInfo;
  /** The engine's own words for a trap. */
  error?: string;
}

class Exit {
  constructor(readonly code: number) {}
}

/** The TRAPS entry for an error V8 threw while running wasm (undefined if it is not a wasm trap). */
export function trapKindOf(e: unknown): TrapInfo | undefined {
  if (e instanceof RangeError && /call stack/i.test(e.message)) return TRAPS.STACK;
  if (!(e instanceof WebAssembly.RuntimeError)) return undefined;
  const m = e.message;
  if (/unreachable/.test(m)) return TRAPS.UNREACHABLE;
  if (/divide by zero|remainder by zero/.test(m)) return TRAPS.DIV_ZERO;
  if (/unrepresentable|overflow/.test(m)) return TRAPS.OVERFLOW;
  if (/memory access out of bounds/.test(m)) return TRAPS.MEM_OOB;
  if (/table index is out of bounds/.test(m)) return TRAPS.TABLE_OOB;
  if (/signature mismatch|null function/.test(m)) return TRAPS.INDIRECT;
  return undefined;
}

/** Run `main` of a module in V8 under the `run --user` environment. */
export function runReference(wasm: Uint8Array): RefResult {
  const out: number[][] = [[], []];
  let memory: WebAssembly.Memory | undefined;
  const syscall = (n: number, a0 = 0, a1 = 0, a2 = 0): number => {
    switch (n) {
      case SYS.EXIT: throw new Exit(a0 & 0xff);
      case SYS.WRITE: {
        if (a0 !== 1 && a0 !== 2) return -ERRNO.EBADF;
        const mem = new Uint8Array(memory!.buffer);
        if (a1 >>> 0 > mem.length || (a1 >>> 0) + a2 > mem.length || a2 < 0) return -ERRNO.EFAULT;
        for (const b of mem.subarray(a1 >>> 0, (a1 >>> 0) + a2)) out[a0 - 1].push(b);
        return a2;
      }
      default: return -ERRNO.ENOSYS;
    }
  };
  const imports: Record<string, (...a: number[]) => number> = {};
  for (let k = 0; k <= 6; k++) imports[`syscall${k}`] = (n, ...args) => syscall(n, args[0], args[1], args[2]);
  const text = (fd: number): string => Buffer.from(out[fd]).toString('utf8');
  const finish = (exitCode: number, trap?: TrapInfo, error?: string): RefResult =>
    ({ exitCode, stdout: text(0), stderr: text(1), trap, error });
  try {
    const mod = new WebAssembly.Module(exposeStart(wasm) as Uint8Array<ArrayBuffer>);
    const inst = new WebAssembly.Instance(mod, { tessera: imports });
    memory = inst.exports.memory as WebAssembly.Memory;
    (inst.exports[START_EXPORT] as (() => void) | undefined)?.();
    const main = inst.exports.main as () => number | undefined;
    const r = main();
    return finish((r ?? 0) & 0xff);
  } catch (e) {
    if (e instanceof Exit) return finish(e.code);
    const trap = trapKindOf(e);
    if (trap) return finish(trap.exit, trap, (e as Error).message);
    throw e;
  }
}

const START_EXPORT = '__tessera_start';

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

function readLeb(b: Uint8Array, pos: number): [number, number] {
  let v = 0, shift = 0;
  for (;;) {
    const x = b[pos++];
    v += (x & 0x7f) * 2 ** shift;
    if ((x & 0x80) === 0) return [v, pos];
    shift += 7;
  }
}

/**
 * The module with its start section turned into an export, so the harness
 * can run it after instantiation (as _start does on Tessera) and output
 * written by top-level code finds the exported memory.
 */
function exposeStart(wasm: Uint8Array): Uint8Array {
  const parts: number[][] = [[...wasm.subarray(0, 8)]];
  let start: number | undefined, exportAt = -1;
  for (let pos = 8; pos < wasm.length;) {
    const id = wasm[pos];
    const [size, body] = readLeb(wasm, pos + 1);
    const payload = wasm.subarray(body, body + size);
    pos = body + size;
    if (id === 8) { start = readLeb(payload, 0)[0]; continue; }
    if (id === 7) exportAt = parts.length;
    parts.push([id, ...leb(size), ...payload]);
  }
  if (start === undefined || exportAt < 0) return wasm;
  const sec = parts[exportAt];
  const [, body] = readLeb(Uint8Array.from(sec), 1);
  const payload = Uint8Array.from(sec.slice(body));
  const [count, rest] = readLeb(payload, 0);
  const name = [...Buffer.from(START_EXPORT)];
  const np = [...leb(count + 1), ...payload.subarray(rest), ...leb(name.length), ...name, 0, ...leb(start)];
  parts[exportAt] = [7, ...leb(np.length), ...np];
  return Uint8Array.from(parts.flat());
}

const cache = new Map<string, Promise<BuildResult>>();

/** Build a .ts program once per test run (asc is slow). */
export function buildCached(file: string): Promise<BuildResult> {
  let p = cache.get(file);
  if (!p) { p = buildFile(file); cache.set(file, p); }
  return p;
}

export { EXIT_ABORT };
