// The kernel's hot-path engines by name: 'ts' (kernel/copy.ts TsCopy and
// kernel/switch.ts TsSwitch) or 'wasm' (kernel/wasm/*.ts, AssemblyScript
// compiled by asc over the board's own WebAssembly.Memory). Both do the same
// thing byte for byte; test/kernel/engines.test.ts runs them side by side and
// bench/kernel.ts times them.
//
// The wasm is compiled once per source text: the bytes are cached in memory
// and on disk under node_modules/.cache/tessera/ (not committed), keyed by a
// hash of the sources, the asc version and the flags, so an edit rebuilds.
// wasmEngines compiles in-process with asc's API; wasmEnginesSync (for the
// kernel's synchronous constructor and the bench) runs asc in a child
// process on a cache miss. Either way a failed compile throws EngineError
// with asc's diagnostics.
//
// Code pages: the wasm copy logs the host ranges it wrote in a scratch area
// of the memory (LOG_OFF, outside RAM and ROM, never guest-visible), and
// WasmCopy reports every one that touches translated code to
// mem.noteWrite before returning, so a translation never outlives a write.
//
// Entry points: wasmEngines, wasmEnginesSync, makeEngines, engineNames,
// DEFAULT_ENGINE, ASC_KERNEL_FLAGS, EngineError, WasmCopy, WasmSwitch.

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync, renameSync, existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import type { PhysMem } from '../vm/memory.ts';
import { TsCopy, COPY_OK, COPY_BAD_SRC, type CopyEngine } from './copy.ts';
import { TsSwitch, ipcSwapWith, type SwitchEngine, type IpcSwap } from './switch.ts';

export const engineNames = ['ts', 'wasm'] as const;
export type EngineName = (typeof engineNames)[number];
export interface Engines { copy: CopyEngine; switcher: SwitchEngine; ipcSwap: IpcSwap }

/**
 * The faster as measured by bench/kernel.ts: an IPC round trip about 15%
 * quicker (a message copy 36 ns against 60, save + restore 24 ns against
 * 41); the other stays selectable by name.
 */
export const DEFAULT_ENGINE: EngineName = 'wasm';

export class EngineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineError';
  }
}

const HERE = dirname(fileURLToPath(import.meta.url));
const WASM_DIR = join(HERE, 'wasm');
/** The AssemblyScript entry files (each one's exports are the module's). */
const SOURCES = ['copy.ts', 'switch.ts', 'fastpath.ts'] as const;
const CACHE_DIR = resolve(HERE, '../node_modules/.cache/tessera');

/**
 * asc's flags for the kernel's module:
 *  --importMemory     the memory is the board's (env.memory), not the module's own
 *  --noExportMemory   nothing to hand back: the caller already holds it
 *  --runtime stub     no allocator or collector: the code allocates nothing,
 *                     so no runtime code or static data lands in the memory
 *  --use abort=       no abort import: with --noAssert nothing can abort
 *  -O3 --noAssert     full optimisation
 *  --enable simd      the context switch moves 128 bytes as 8 v128 loads/stores
 * instantiate() refuses a module with a data segment (it would overwrite the
 * register file or RAM on instantiation) or any import but env.memory.
 */
export const ASC_KERNEL_FLAGS: readonly string[] = [
  '--importMemory', '--noExportMemory', '--runtime', 'stub', '--use', 'abort=',
  '-O3', '--noAssert', '--enable', 'simd', '--noColors',
];

/** Host offset of the copy's write log: (offset, length) pairs, 2 KiB below the ROM. */
export const LOG_OFF = 0x800;
export const LOG_CAP = 256;

interface KernelExports {
  init(ramEnd: number, log: number, cap: number): void;
  walk(root: number, va: number, write: boolean): number;
  copy(srcRoot: number, srcVa: number, dstRoot: number, dstVa: number, len: number): number;
  copyMessage(srcRoot: number, srcVa: number, dstRoot: number, dstVa: number, source: number): number;
  copyMore(): number;
  save(area: number, pc: number): void;
  restore(area: number): number;
  swap(from: number, pc: number, to: number): number;
  ipcSwap: IpcSwap;
}

/** The CopyEngine over the wasm copy: runs it, then reports writes to code pages. */
export class WasmCopy implements CopyEngine {
  readonly name = 'wasm';
  private readonly run: KernelExports['copy'];
  private readonly runMessage: KernelExports['copyMessage'];
  private readonly more: KernelExports['copyMore'];
  private readonly runSwap: KernelExports['ipcSwap'];

  constructor(private readonly mem: PhysMem, private readonly x: KernelExports) {
    this.run = x.copy;
    this.runMessage = x.copyMessage;
    this.more = x.copyMore;
    this.runSwap = x.ipcSwap;
  }

  copy(srcRoot: number, srcVa: number, dstRoot: number, dstVa: number, len: number): number {
    // As TsCopy: nothing to copy is success; more than the address space cannot be read.
    if (len <= 0) return COPY_OK;
    if (len > 0xffffffff) return COPY_BAD_SRC;
    return this.finish(this.run(srcRoot, srcVa, dstRoot, dstVa, len));
  }

  /** copy() of a 64-byte message with `source` stamped over its first word (m_source). */
  copyMessage(srcRoot: number, srcVa: number, dstRoot: number, dstVa: number, source: number): number {
    return this.finish(this.runMessage(srcRoot, srcVa, dstRoot, dstVa, source));
  }

  /** The fast path's fused message copy and switch (kernel/wasm/fastpath.ts): COPY_OK, COPY_BAD_SRC or COPY_BAD_DST. */
  readonly ipcSwap: IpcSwap = (srcRoot, srcVa, dstRoot, dstVa, source, from, pc, to) => {
    const r = this.runSwap(srcRoot, srcVa, dstRoot, dstVa, source, from, pc, to);
    if (r === (COPY_OK | (1 << 2))) {
      // One range written (a message within a page): the code-page check inline.
      const i32 = this.mem.i32, off = i32[LOG_OFF >> 2], len = i32[(LOG_OFF >> 2) + 1];
      const codes = this.mem.codePages;
      if (codes[off >>> 12] !== 0 || codes[(off + len - 1) >>> 12] !== 0) this.mem.noteWrite(off, len);
      return COPY_OK;
    }
    if (r >= 4) this.noteLogged(r >>> 2);
    return r & 3;
  };

  /** Report the logged writes (and go on while the log overflows); the copy's result. */
  private finish(r: number): number {
    for (;;) {
      if (r >= 4) this.noteLogged(r >>> 2);
      if ((r & 3) !== 3) return r & 3;
      r = this.more();
    }
  }

  /** Host offset of user `va` under `root` for a U-mode access, or -1 (the wasm twin of userWalk). */
  walk(root: number, va: number, write: boolean): number {
    return this.x.walk(root, va, write);
  }

  private noteLogged(n: number): void {
    const i32 = this.mem.i32, codes = this.mem.codePages;
    for (let i = 0, at = LOG_OFF >> 2; i < n; i++, at += 2) {
      const off = i32[at], len = i32[at + 1];
      for (let p = off >>> 12, last = (off + len - 1) >>> 12; p <= last; p++) {
        if (codes[p] !== 0) { this.mem.noteWrite(off, len); break; }
      }
    }
  }
}

export class WasmSwitch implements SwitchEngine {
  readonly name = 'wasm';
  readonly save: (area: number, pc: number) => void;
  readonly restore: (area: number) => number;
  readonly swap: (from: number, pc: number, to: number) => number;

  constructor(x: KernelExports) {
    this.save = x.save;
    this.restore = x.restore;
    this.swap = x.swap;
  }
}

// --- compiling and caching ---

let ascDir: string | undefined;
function ascPackageDir(): string {
  if (ascDir === undefined) {
    try {
      ascDir = dirname(createRequire(import.meta.url).resolve('assemblyscript/package.json'));
    } catch {
      throw new EngineError('kernel/wasm: the assemblyscript package is not installed (npm install)');
    }
  }
  return ascDir;
}

function ascVersion(): string {
  return JSON.parse(readFileSync(join(ascPackageDir(), 'package.json'), 'utf8')).version as string;
}

function sourceTexts(dir: string): string[] {
  return SOURCES.map((f) => {
    try {
      return readFileSync(join(dir, f), 'utf8');
    } catch {
      throw new EngineError(`kernel/wasm: cannot read ${f}`);
    }
  });
}

function cacheKey(texts: string[]): string {
  const h = createHash('sha256');
  h.update(`asc ${ascVersion()}\0${ASC_KERNEL_FLAGS.join(' ')}\0`);
  SOURCES.forEach((f, i) => h.update(`${f}\0${texts[i]}\0`));
  return h.digest('hex').slice(0, 24);
}

const modules = new Map<string, WebAssembly.Module>();

/** The cached module for `key`, from memory or disk, or undefined. */
function cached(key: string): WebAssembly.Module | undefined {
  let m = modules.get(key);
  if (m !== undefined) return m;
  const file = join(CACHE_DIR, `kernel-${key}.wasm`);
  if (!existsSync(file)) return undefined;
  try {
    m = new WebAssembly.Module(readFileSync(file));
  } catch {
    return undefined; // a damaged cache file: compile again
  }
  modules.set(key, m);
  return m;
}

/** Keep `wasm` on disk (atomically: test workers may race) and in memory. */
function remember(key: string, wasm: Uint8Array): WebAssembly.Module {
  const m = checkModule(wasm);
  modules.set(key, m);
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = join(CACHE_DIR, `kernel-${key}.${process.pid}.tmp`);
    writeFileSync(tmp, wasm);
    renameSync(tmp, join(CACHE_DIR, `kernel-${key}.wasm`));
  } catch {
    // No writable cache (read-only checkout): the in-memory copy serves this process.
  }
  return m;
}

/** Only env.memory imported, no data segment (it would be written into the board's memory). */
function checkModule(wasm: Uint8Array): WebAssembly.Module {
  let m: WebAssembly.Module;
  try {
    m = new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>);
  } catch (e) {
    throw new EngineError(`kernel/wasm: asc produced an invalid module: ${(e as Error).message}`);
  }
  const imports = WebAssembly.Module.imports(m);
  if (imports.length !== 1 || imports[0].module !== 'env' || imports[0].name !== 'memory') {
    throw new EngineError(`kernel/wasm: unexpected imports ${imports.map((i) => `${i.module}.${i.name}`).join(', ')}`);
  }
  if (hasSection(wasm, 11)) throw new EngineError('kernel/wasm: the module has static data (it would overwrite the board\'s memory)');
  return m;
}

function hasSection(wasm: Uint8Array, id: number): boolean {
  let i = 8;
  while (i < wasm.length) {
    const sid = wasm[i++];
    let size = 0, shift = 0, b;
    do { b = wasm[i++]; size |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80);
    if (sid === id) return true;
    i += size;
  }
  return false;
}

/** asc's stderr reduced to its error lines and locations. */
function ascErrors(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => /^(ERROR|FAILURE)|└─ in /.test(l.trim()) || /^ERROR/.test(l));
  return (lines.length ? lines : stderr.split('\n').slice(0, 20)).map((l) => l.trim()).join('\n');
}

function ascArgs(dir: string, out: string): string[] {
  return [...SOURCES, '--baseDir', dir, '-o', out, ...ASC_KERNEL_FLAGS];
}

/** Compile kernel/wasm (or the same files in `dir`, for tests) with asc in this process (async: asc's API is). */
export async function compileKernelWasm(dir = WASM_DIR): Promise<WebAssembly.Module> {
  const texts = sourceTexts(dir);
  const key = cacheKey(texts);
  const hit = cached(key);
  if (hit !== undefined) return hit;
  const { default: asc } = await import('assemblyscript/asc');
  const outputs = new Map<string, Uint8Array | string>();
  const stderr: string[] = [];
  const res = await asc.main(ascArgs(dir, 'kernel.wasm'), {
    readFile: (name: string) => {
      const i = SOURCES.indexOf(name as (typeof SOURCES)[number]);
      if (i >= 0) return texts[i];
      const p = join(dir, name);
      return existsSync(p) ? readFileSync(p, 'utf8') : null;
    },
    writeFile: (name: string, contents: Uint8Array | string) => { outputs.set(name, contents); },
    listFiles: () => [],
    stdout: { write: () => true },
    stderr: { write: (s: string | Uint8Array) => { stderr.push(typeof s === 'string' ? s : Buffer.from(s).toString()); return true; } },
  });
  const wasm = outputs.get('kernel.wasm');
  if (res.error || !(wasm instanceof Uint8Array)) {
    throw new EngineError(`kernel/wasm: asc failed: ${res.error?.message ?? 'no output'}\n${ascErrors(stderr.join(''))}`);
  }
  return remember(key, wasm);
}

/** The same, synchronously: asc runs in a child process on a cache miss. */
export function compileKernelWasmSync(dir = WASM_DIR): WebAssembly.Module {
  const texts = sourceTexts(dir);
  const key = cacheKey(texts);
  const hit = cached(key);
  if (hit !== undefined) return hit;
  mkdirSync(CACHE_DIR, { recursive: true });
  const out = join(CACHE_DIR, `kernel-${key}.${process.pid}.out.wasm`);
  // --enable-source-maps keeps asc's launcher from re-spawning itself.
  const r = spawnSync(process.execPath, ['--enable-source-maps', join(ascPackageDir(), 'bin', 'asc.js'), ...ascArgs(dir, out)],
    { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  try {
    if (r.error || r.status !== 0 || !existsSync(out)) {
      throw new EngineError(`kernel/wasm: asc failed: ${r.error?.message ?? `exit ${r.status}`}\n${ascErrors(r.stderr ?? '')}`);
    }
    return remember(key, readFileSync(out));
  } finally {
    rmSync(out, { force: true });
  }
}

// --- engines ---

const instances = new WeakMap<PhysMem, Engines>();

function instantiate(module: WebAssembly.Module, mem: PhysMem): Engines {
  const have = instances.get(mem);
  if (have !== undefined) return have;
  const x = new WebAssembly.Instance(module, { env: { memory: mem.memory } }).exports as unknown as KernelExports;
  x.init(mem.ramEnd, LOG_OFF, LOG_CAP);
  const copy = new WasmCopy(mem, x);
  const e = { copy, switcher: new WasmSwitch(x), ipcSwap: copy.ipcSwap };
  instances.set(mem, e);
  return e;
}

/** The wasm engines over `mem` (compiling kernel/wasm on first use). */
export async function wasmEngines(mem: PhysMem): Promise<Engines> {
  return instantiate(await compileKernelWasm(), mem);
}

/** The same without awaiting: from the cache, or asc in a child process. */
export function wasmEnginesSync(mem: PhysMem): Engines {
  return instantiate(compileKernelWasmSync(), mem);
}

/** Engines by name, over `mem` (default DEFAULT_ENGINE). */
export function makeEngines(mem: PhysMem, name: EngineName = DEFAULT_ENGINE): Engines {
  if (name === 'ts') {
    const copy = new TsCopy(mem), switcher = new TsSwitch(mem);
    return { copy, switcher, ipcSwap: ipcSwapWith(copy, switcher, mem)! };
  }
  if (name === 'wasm') return wasmEnginesSync(mem);
  throw new EngineError(`unknown kernel engine '${String(name)}' (${engineNames.join(', ')})`);
}
