// Building the storage servers and the test clients for test/fs: each
// AssemblyScript program through `tessera build` (toolchain/build.ts), with
// a cache on disk (node_modules/.cache/tessera/fs-build) keyed by a hash of
// everything a build depends on (servers/, the test programs, the
// translator's sources and the asc version), so a test file that runs again
// with nothing changed starts in milliseconds instead of seconds.
//
// Entry points: buildServer, buildTestProgram, ROOT, PROGS.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFile } from '../../toolchain/build.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, '../..');
export const PROGS = join(HERE, 'progs');
const CACHE = join(ROOT, 'node_modules/.cache/tessera/fs-build');

function filesUnder(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) filesUnder(p, out);
    else if (name.endsWith('.ts')) out.push(p);
  }
}

let inputsHash: string | undefined;

/** One hash over every source a build can depend on. */
function hashInputs(): string {
  if (inputsHash !== undefined) return inputsHash;
  const files: string[] = [];
  for (const d of ['servers', 'test/fs/progs', 'toolchain/wasm']) filesUnder(join(ROOT, d), files);
  files.push(join(ROOT, 'toolchain/build.ts'), join(ROOT, 'node_modules/assemblyscript/package.json'));
  const h = createHash('sha256');
  for (const f of files) {
    h.update(f.slice(ROOT.length));
    h.update(readFileSync(f));
  }
  inputsHash = h.digest('hex').slice(0, 24);
  return inputsHash;
}

const memo = new Map<string, Promise<Uint8Array>>();

async function buildCached(file: string): Promise<Uint8Array> {
  const key = createHash('sha256').update(hashInputs()).update(file).digest('hex').slice(0, 32);
  const path = join(CACHE, `${key}.elf`);
  if (existsSync(path)) return new Uint8Array(readFileSync(path));
  const { elf } = await buildFile(file);
  mkdirSync(CACHE, { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, elf);
  renameSync(tmp, path);
  return elf;
}

function build(file: string): Promise<Uint8Array> {
  let p = memo.get(file);
  if (p === undefined) {
    p = buildCached(file);
    memo.set(file, p);
  }
  return p;
}

/** servers/<name>/main.ts as an ELF. */
export function buildServer(name: string): Promise<Uint8Array> {
  return build(join(ROOT, 'servers', name, 'main.ts'));
}

/** test/fs/progs/<name>.ts as an ELF. */
export function buildTestProgram(name: string): Promise<Uint8Array> {
  return build(join(PROGS, `${name}.ts`));
}
