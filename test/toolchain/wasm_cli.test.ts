// `tessera build` and `tessera run --user` as the command line runs them
// (registerToolchainCommands on a commander program with a `run` command,
// as cli/main.ts has): a good program builds and runs; every bad input
// (broken wasm, missing main, unknown import, floating point, a compile
// error, a missing or non-ELF file) gives one stderr line naming the problem
// and where, and exit status 2.

import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerToolchainCommands } from '../../cli/build_cmd.ts';
import { LAYOUT } from '../../toolchain/wasm/abi.ts';
import { parseElf, PT_LOAD, PF } from '../../toolchain/elf.ts';
import { lineTableOf } from '../../toolchain/wasm/linetable.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'tessera-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const lib = relative(dir, join(ROOT, 'servers/lib/index')).split('\\').join('/');

interface Outcome { code: number; stdout: string; stderr: string; bareMetalRan: boolean }

/** Run the CLI in-process with `args`, capturing what it writes. */
async function cli(args: string[]): Promise<Outcome> {
  let code = -1, bareMetalRan = false;
  const p = new Command('tessera').exitOverride();
  p.command('run').argument('<prog.elf>').option('--max-insns <n>', '', Number).option('--no-jit')
    .action(() => { bareMetalRan = true; code = 99; });
  registerToolchainCommands(p, (c) => { code = c; });
  const out: string[] = [], err: string[] = [];
  const write = (sink: string[]) => (chunk: string | Uint8Array): boolean => {
    sink.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const saved = [process.stdout.write, process.stderr.write];
  process.stdout.write = write(out) as typeof process.stdout.write;
  process.stderr.write = write(err) as typeof process.stderr.write;
  try {
    await p.parseAsync(args, { from: 'user' });
  } finally {
    [process.stdout.write, process.stderr.write] = saved as [typeof process.stdout.write, typeof process.stderr.write];
  }
  return { code, stdout: out.join(''), stderr: err.join(''), bareMetalRan };
}

function source(name: string, lines: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** Exactly one line on stderr, prefixed as the CLI prefixes errors. */
function oneLine(o: Outcome): string {
  const lines = o.stderr.split('\n').filter((l) => l !== '');
  expect(lines, o.stderr).toHaveLength(1);
  expect(lines[0].startsWith('tessera: ')).toBe(true);
  return lines[0];
}

describe('tessera build and run --user', () => {
  it('builds a program to a user ELF laid out as docs/abi.md says, and runs it', async () => {
    const file = source('ok.ts', [
      `import { print, printInt } from "${lib}";`,
      'export function main(): i32 {',
      '  let s: i64 = 0;',
      '  for (let i = 1; i <= 100; i++) s += <i64>(i * i);',
      '  print("sum "); printInt(s); print("\\n");',
      '  return 3;',
      '}',
    ]);
    const elfPath = join(dir, 'ok.elf');
    const b = await cli(['build', file, '-o', elfPath, '--emit-wasm']);
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    expect(existsSync(join(dir, 'ok.wasm')) && existsSync(join(dir, 'ok.wasm.map'))).toBe(true);

    const elf = parseElf(readFileSync(elfPath));
    const loads = elf.segments.filter((s) => s.type === PT_LOAD);
    const text = loads.find((s) => s.flags & PF.X)!;
    expect(text.vaddr).toBe(LAYOUT.textBase);
    expect(text.flags & PF.W).toBe(0);
    const top = loads.reduce((a, s) => (s.vaddr > a.vaddr ? s : a));
    expect(top.vaddr).toBe(LAYOUT.wasmMemoryBase); // the wasm memory is the highest segment: the heap continues it
    expect(top.flags & PF.W).toBe(PF.W);
    expect(elf.symbols.find((s) => s.name === '_start')?.value).toBe(elf.entry);
    expect(elf.symbols.some((s) => s.type === 'FUNC' && s.name.endsWith('ok/main') && s.size > 0)).toBe(true);
    const lines = lineTableOf(elf)!;
    expect(lines.files).toContain('ok.ts');

    const r = await cli(['run', '--user', elfPath]);
    expect(r.bareMetalRan).toBe(false);
    expect(r.stdout).toBe(`sum ${(100 * 101 * 201) / 6}\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(3);
  });

  it('reports a trap with its source line and exits with the trap status', async () => {
    const file = source('trap.ts', [
      `import { print } from "${lib}";`,
      'let d: i32 = 0;',
      'export function main(): i32 {',
      '  print("x\\n");',
      '  return 10 / d;',
      '}',
    ]);
    const elfPath = join(dir, 'trap.elf');
    expect((await cli(['build', file, '-o', elfPath])).code).toBe(0);
    const r = await cli(['run', '--user', elfPath]);
    expect(r.stdout).toBe('x\n');
    expect(oneLine(r)).toMatch(/integer divide by zero at pc 0x[0-9a-f]+ \(trap\/main\+0x[0-9a-f]+, trap\.ts:5:\d+\)/);
    expect(r.code).toBe(136);
  });

  it('run without --user is still the bare-metal runner', async () => {
    expect((await cli(['run', join(dir, 'ok.elf')])).bareMetalRan).toBe(true);
  });
});

describe('bad input: one clear line and exit 2', () => {
  it('a broken .wasm', async () => {
    const good = readFileSync(join(dir, 'ok.wasm'));
    const file = join(dir, 'broken.wasm');
    writeFileSync(file, good.subarray(0, good.length >> 1));
    const o = await cli(['build', file]);
    expect(o.code).toBe(2);
    expect(oneLine(o)).toMatch(/broken\.wasm: invalid wasm: /);
  });

  it('a module without main', async () => {
    const file = source('nomain.ts', ['export function start(): i32 { return 1; }']);
    const o = await cli(['build', file]);
    expect(o.code).toBe(2);
    expect(oneLine(o)).toMatch(/nomain\.ts: missing export 'main'/);
  });

  it('an import other than the user runtime\'s', async () => {
    const file = source('imp.ts', [
      '@external("env", "mystery") declare function mystery(): i32;',
      'export function main(): i32 { return mystery(); }',
    ]);
    const o = await cli(['build', file]);
    expect(o.code).toBe(2);
    expect(oneLine(o)).toMatch(/imp\.ts: unknown import 'env\.mystery'/);
  });

  it('floating point, naming the function and the source line', async () => {
    const file = source('fp.ts', [
      '// memory.size() keeps the optimizer from folding the arithmetic away',
      'function scale(x: i32): i32 {',
      '  return <i32>(<f64>x * 1.5);',
      '}',
      'export function main(): i32 { return scale(<i32>memory.size()) + scale(<i32>memory.size() + 1); }',
    ]);
    const o = await cli(['build', file]);
    expect(o.code).toBe(2);
    expect(oneLine(o)).toMatch(/floating point is not supported .*function 'fp\/(scale|main)' uses f64\.\w+ at fp\.ts:[35]:\d+/);
  });

  it('an AssemblyScript compile error, as file:line:col', async () => {
    const file = source('bad.ts', ['export function main(): i32 {', '  return nothere(1);', '}']);
    const o = await cli(['build', file]);
    expect(o.code).toBe(2);
    expect(oneLine(o)).toMatch(/bad\.ts:2:10: error TS2304: Cannot find name 'nothere'/);
  });

  it('a missing source, and a file that is not an ELF for run --user', async () => {
    const a = await cli(['build', join(dir, 'nothere.ts')]);
    expect(a.code).toBe(2);
    expect(oneLine(a)).toMatch(/cannot read .*nothere\.ts/);
    const notElf = source('notelf.elf', ['hello']);
    const b = await cli(['run', '--user', notElf]);
    expect(b.code).toBe(2);
    expect(oneLine(b)).toMatch(/not an ELF file/);
  });
});
