// servers/lib, the user runtime, compiled and run: the IPC message is the
// ABI's 64 bytes with its fields where docs/abi.md puts them; printing
// encodes UTF-16 to UTF-8 and formats integers as JavaScript does; and a
// translated program runs the same under the real kernel as under
// `run --user` (the shared ABI: system calls, the heap continuing the wasm
// memory, exit status).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildFile } from '../../toolchain/build.ts';
import { runUserElf } from '../../cli/user_run.ts';
import { MESSAGE } from '../../toolchain/wasm/abi.ts';
import { Board } from '../../vm/board.ts';
import { Kernel } from '../../kernel/kernel.ts';
import { runReference } from './wasm_harness.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'tessera-lib-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const lib = relative(dir, join(ROOT, 'servers/lib/index')).split('\\').join('/');

async function build(name: string, body: string[]): Promise<{ elf: Uint8Array; wasm: Uint8Array }> {
  const file = join(dir, name);
  writeFileSync(file, body.join('\n') + '\n');
  return buildFile(file);
}

describe('servers/lib', () => {
  it('Message is 64 bytes: m_source at 0, m_type at 4, 56 bytes of payload from 8', async () => {
    const { elf } = await build('msg.ts', [
      `import { Message, printInt, print } from "${lib}";`,
      'export function main(): i32 {',
      '  printInt(offsetof<Message>()); print(" ");',
      '  printInt(offsetof<Message>("m_source")); print(" "); printInt(offsetof<Message>("m_type")); print(" ");',
      '  printInt(offsetof<Message>("p0")); print(" "); printInt(offsetof<Message>("p13")); print("\\n");',
      '  const m = new Message();',
      '  m.setI32(13, 0x01020304); m.setU8(0, 9);',
      '  printInt(load<u8>(changetype<usize>(m) + 63)); print(" "); printInt(load<u8>(changetype<usize>(m) + 8)); print("\\n");',
      '  return 0;',
      '}',
    ]);
    const r = runUserElf(elf, { ramSize: 16 << 20 });
    expect(r.stdout).toBe(`${MESSAGE.size} ${MESSAGE.m_source} ${MESSAGE.m_type} ${MESSAGE.payload} ${MESSAGE.size - 4}\n1 9\n`);
  });

  it('print writes UTF-8 and printInt formats every i64 as JavaScript does', async () => {
    const values = [0n, -1n, 9n, 10n, -10n, 2147483648n, -9223372036854775808n, 9223372036854775807n, 1234567890123n];
    const text = 'ascii é ü — 日本 🚀 \u{10ffff}';
    const { elf, wasm } = await build('print.ts', [
      `import { print, printErr, printInt } from "${lib}";`,
      'export function main(): i32 {',
      `  print(${JSON.stringify(text)}); print("\\n");`,
      ...values.map((v) => `  printInt(${v === -9223372036854775808n ? 'i64.MIN_VALUE' : `<i64>${v}`}); print("\\n");`),
      '  printErr("to stderr\\n");',
      '  return 0;',
      '}',
    ]);
    const want = [text, ...values.map(String), ''].join('\n');
    const ours = runUserElf(elf, { ramSize: 16 << 20 });
    expect(ours.stdout).toBe(want);
    expect(Buffer.from(ours.stdoutBytes).equals(Buffer.from(want, 'utf8'))).toBe(true);
    expect(ours.stderr).toBe('to stderr\n');
    expect(runReference(wasm).stdout).toBe(want);
  });
});

describe('a translated program under the kernel', () => {
  it('prints, grows its heap through brk, and exits as under run --user', async () => {
    const { elf } = await build('kern.ts', [
      `import { print, printInt } from "${lib}";`,
      'export function main(): i32 {',
      '  const before = memory.size();',
      '  const a = new Array<i32>(0);',
      '  for (let i = 0; i < 60000; i++) a.push(i);', // 240 KB: more than the initial memory
      '  let s: i64 = 0;',
      '  for (let i = 0; i < a.length; i++) s += <i64>a[i];',
      '  printInt(s); print(" grew "); printInt(<i32>(memory.size() > before)); print("\\n");',
      '  return 7;',
      '}',
    ]);
    const user = runUserElf(elf, { ramSize: 32 << 20 });
    expect(user.stdout).toBe(`${(60000 * 59999) / 2} grew 1\n`);
    expect(user.exitCode).toBe(7);
    const out: number[] = [];
    const board = new Board({ ramSize: 32 << 20, output: (b) => out.push(b) });
    const kernel = new Kernel(board);
    kernel.boot([{ name: 'kern', elf }]);
    const stop = kernel.run(200_000_000);
    expect(Buffer.from(out).toString('utf8')).toContain(user.stdout);
    expect(stop).toEqual({ kind: 'fail', code: 7 });
  });
});
