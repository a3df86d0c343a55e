// `tessera build`: AssemblyScript -> wasm (the real asc, in-process) -> RV32
// ELF (our translator). One fixed set of asc flags, ASC_FLAGS, for every
// Tessera program (docs/abi.md explains each); a .wasm input skips asc and
// is translated directly (with `<file>.map` as its source map if present).
//
// Errors a user can cause come back as BuildError with one line per problem:
// asc's diagnostics as `file:line:col: error TS2304: ...`, a broken wasm, or
// what the translator does not support.
//
// Entry points: buildFile, compileAs, translate, ASC_FLAGS, BuildError, BuildResult.

import { readFileSync, existsSync } from 'node:fs';
import { dirname, basename, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAYOUT } from './wasm/abi.ts';
import { translateWasm, type Translation } from './wasm/translate.ts';
import { WasmError } from './wasm/reader.ts';
import { TranslateError } from './wasm/codegen.ts';
import { parseSourceMap, SourceMapError, type SourceMap } from './wasm/sourcemap.ts';

export class BuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BuildError';
  }
}

/** The runtime's abort handler (servers/lib/abort.ts), an extra entry file of every build. */
const ABORT_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../servers/lib/abort.ts');

/**
 * asc's flags for Tessera programs:
 *  --runtime minimal  TLSF allocator + a collector that runs only when called
 *                     (servers call collect() at the top of their receive loop)
 *  -O3 --noAssert     full optimisation, assert() compiled out
 *  --memoryBase       static data from 16 MiB: the low addresses stay unmapped,
 *                     so null pointers (and small offsets from them) fault
 *  --sourceMap        for the pc -> source line table
 *  --debug            keeps the name section (function names for the symbol
 *                     table); it does not change the generated code
 *  --use abort=...    (added per build) abort() -> servers/lib/abort.ts
 */
export const ASC_FLAGS: readonly string[] = [
  '--runtime', 'minimal', '-O3', '--noAssert', '--memoryBase', String(LAYOUT.wasmMemoryBase),
  '--sourceMap', '--debug', '--noColors',
];

export interface BuildResult extends Translation {
  wasm: Uint8Array;
  sourceMap?: string;
}

/** asc's stderr as one line per diagnostic: "file:line:col: error TS2304: message" (paths from the cwd). */
function diagnostics(stderr: string, base: string): string[] {
  const out: string[] = [];
  const lines = stderr.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^(ERROR|WARNING) (\w+): (.*)$/.exec(lines[i]);
    if (!m || m[1] !== 'ERROR') continue;
    let where = '';
    for (let j = i + 1; j < lines.length && !/^(ERROR|WARNING|FAILURE)/.test(lines[j]); j++) {
      const loc = /in (.+)\((\d+),(\d+)\)\s*$/.exec(lines[j]);
      if (loc) {
        const path = loc[1].startsWith('~lib/') ? loc[1] : relative(process.cwd(), resolve(base, loc[1])) || loc[1];
        where = `${path}:${loc[2]}:${loc[3]}: `;
        break;
      }
    }
    out.push(`${where}error ${m[2]}: ${m[3]}`);
  }
  return out;
}

/** Compile an AssemblyScript file with ASC_FLAGS. Throws BuildError with asc's diagnostics. */
export async function compileAs(file: string): Promise<{ wasm: Uint8Array; sourceMap: string }> {
  const path = resolve(file);
  if (!existsSync(path)) throw new BuildError(`cannot read '${file}': no such file`);
  const base = dirname(path);
  const abortRel = relative(base, ABORT_FILE).split('\\').join('/');
  const outputs = new Map<string, Uint8Array | string>();
  const { default: asc } = await import('assemblyscript/asc');
  const stderr: string[] = [];
  const res = await asc.main([
    basename(path), abortRel, '--baseDir', base, '-o', 'out.wasm', ...ASC_FLAGS,
    '--use', `abort=${abortRel.replace(/\.ts$/, '')}/tesseraAbort`,
  ], {
    writeFile: (name: string, contents: Uint8Array | string) => { outputs.set(name, contents); },
    stdout: { write: () => {} },
    stderr: { write: (s: string | Uint8Array) => { stderr.push(typeof s === 'string' ? s : Buffer.from(s).toString()); } },
  });
  const text = stderr.join('');
  if (res.error) {
    const diags = diagnostics(text, base);
    throw new BuildError(diags.length ? diags.join('\n') : `asc failed: ${res.error.message}`);
  }
  const wasm = outputs.get('out.wasm'), map = outputs.get('out.wasm.map');
  if (!(wasm instanceof Uint8Array)) throw new BuildError('asc produced no wasm output');
  return { wasm, sourceMap: typeof map === 'string' ? map : Buffer.from(map ?? []).toString('utf8') };
}

/** Translate a wasm binary (validated by Node's engine first). Throws BuildError. */
export function translate(wasm: Uint8Array, sourceMapText?: string, what = 'input'): Translation {
  try {
    new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>);
  } catch (e) {
    const msg = (e as Error).message.replace(/^WebAssembly\.Module\(\): /, '');
    throw new BuildError(`${what}: invalid wasm: ${msg}`);
  }
  let sm: SourceMap | undefined;
  try {
    sm = sourceMapText ? parseSourceMap(sourceMapText) : undefined;
  } catch (e) {
    if (e instanceof SourceMapError) throw new BuildError(`${what}: source map: ${e.message}`);
    throw e;
  }
  try {
    return translateWasm(wasm, { sourceMap: sm });
  } catch (e) {
    if (e instanceof WasmError || e instanceof TranslateError) throw new BuildError(`${what}: ${e.message}`);
    throw e;
  }
}

/** Build an ELF from a .ts (through asc) or a .wasm file. */
export async function buildFile(file: string): Promise<BuildResult> {
  if (file.endsWith('.wasm')) {
    let wasm: Uint8Array;
    try {
      wasm = readFileSync(file);
    } catch (e) {
      throw new BuildError(`cannot read '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const mapPath = file + '.map';
    const sourceMap = existsSync(mapPath) ? readFileSync(mapPath, 'utf8') : undefined;
    return { ...translate(wasm, sourceMap, file), wasm, sourceMap };
  }
  const { wasm, sourceMap } = await compileAs(file);
  return { ...translate(wasm, sourceMap, file), wasm, sourceMap };
}
