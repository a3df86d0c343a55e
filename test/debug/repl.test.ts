// The debugger's front end (cli/debug_repl.ts), driven as a user drives it:
//   --batch -x FILE   a child process; the transcript and the exit code
//   the REPL          in process, on PassThrough streams as a terminal: Ctrl-C
//                     stops a machine that runs forever; with `continue &`
//                     the guest's output appears above the prompt, which is
//                     redrawn with the partial input (checked on a rendered
//                     screen)
//   a real terminal   through `script` (util-linux) when it is installed:
//                     tab completion, Ctrl-C, Ctrl-D

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { assemble } from '../../toolchain/asm/index.ts';
import { DebugRepl, GuestOutput, loadMachine, PROMPT } from '../../cli/debug_repl.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const REPL = join(ROOT, 'cli/debug_repl.ts');

/** Prints an `x` every 200 000 iterations, forever (no newline). */
const TICKER = `
    .globl _start
_start:
    li s1, 0x10000000
    li a0, 'x'
1:  li t0, 200000
2:  addi t0, t0, -1
    bnez t0, 2b
    sb a0, 0(s1)
    j 1b
`;

/** Exits through sifive_test with code 3. */
const FAILS = `
    .globl _start
_start:
    li t0, 0x100000
    li t1, 0x33333
    sw t1, 0(t0)
1:  j 1b
`;

let dir = '';
const at = (name: string): string => join(dir, name);
const build = (name: string, src: string): string => {
  writeFileSync(at(name), assemble(src, { filename: name }).elf);
  return at(name);
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tdb-'));
  build('fact.elf', readFileSync(join(HERE, 'programs/fact.s'), 'utf8'));
  build('ticker.elf', TICKER);
  build('fails.elf', FAILS);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Result { code: number; stdout: string; stderr: string }

function run(cmd: string, args: string[], stdin?: (w: NodeJS.WritableStream, out: () => string) => Promise<void>): Promise<Result> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('latin1').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', (e) => { clearTimeout(timer); fail(e); });
    child.on('close', (code, signal) => { clearTimeout(timer); done({ code: code ?? (signal ? -1 : 0), stdout, stderr }); });
    if (stdin) stdin(child.stdin, () => stdout).catch(fail);
    else child.stdin.end();
  });
}

const tdb = (...args: string[]): Promise<Result> => run(process.execPath, ['--import', 'tsx', REPL, ...args]);

/** Poll until `cond` holds (or fail after `ms`). */
async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('--batch -x FILE', () => {
  it('runs the commands in order, echoing each, with the guest output where it came', async () => {
    const script = writeFileSync(at('s1.tdb'), [
      '# break in fact when called with 3, then finish it',
      'break fact if $a0 == 3',
      'continue',
      'info registers a0 pc',
      'finish',
      'x/s greeting',
      'watch result',
      'continue',
      'delete',
      'continue',
      'p $1 * 2',
    ].join('\n'));
    void script;
    const r = await tdb('--batch', '-x', at('s1.tdb'), at('fact.elf'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('(tdb) break fact if $a0 == 3');
    expect(lines[1]).toBe('Breakpoint 1 at 0x80000054 <fact> (if $a0 == 3)');
    expect(lines.slice(2, 6)).toEqual([
      '(tdb) continue',
      'hello from fact.s',
      'Breakpoint 1, 0x80000054 in fact () [M]',
      '=> 0x80000054 <fact>:  addi sp, sp, -16',
    ]);
    expect(r.stdout).toContain('(tdb) info registers a0 pc\na0 (x10)      0x00000003  3\npc            0x80000054  <fact>\n');
    expect(r.stdout).toContain('Value returned is $1 = 6 (a0 = 0x00000006)');
    expect(r.stdout).toContain('0x80001004 <greeting>:\t"hello from fact.s\\n"');
    expect(r.stdout).toContain('Hardware watchpoint 2: *0x80001000 <result>\n\nOld value = 0x2\nNew value = 0x6\n');
    expect(r.stdout).toContain('(tdb) continue\n[Inferior 1 (process 1) exited normally]\n(tdb) p $1 * 2\n$2 = 12\n');
  });

  it('exits 1 after a failed command, skips what follows quit, and passes on the guest\'s exit code', async () => {
    writeFileSync(at('s2.tdb'), 'bogus\nstepi 2\nquit\ncontinue\n');
    const r = await tdb('--batch', '-x', at('s2.tdb'), at('fact.elf'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('(tdb) bogus\nUndefined command: "bogus".  Try "help".\n(tdb) stepi 2\n0x00001008 in ?? () [M]\n' +
      '=> 0x00001008:  csrr a0, mhartid\n(tdb) quit\n');
    writeFileSync(at('s3.tdb'), 'continue\n');
    const f = await tdb('--batch', '-x', at('s3.tdb'), at('fails.elf'));
    expect([f.code, f.stdout]).toEqual([3, '(tdb) continue\n[Inferior 1 (process 1) exited with code 3]\n']);
    const two = await tdb('--batch', '-x', at('s3.tdb'), '-x', at('s2.tdb'), at('fails.elf'));
    expect(two.stdout).toContain('exited with code 3]\n(tdb) bogus\n');
  });

  it('a missing program or command file is one line on stderr, exit 2', async () => {
    const r = await tdb('--batch', at('nope.elf'));
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^tessera: cannot read program '.*nope\.elf': ENOENT\n$/);
    const x = await tdb('--batch', '-x', at('nope.tdb'), at('fact.elf'));
    expect(x.stderr).toMatch(/^tessera: cannot read command file '.*nope\.tdb': ENOENT\n$/);
  });
});

/** A tiny terminal (with the tty's usual LF -> CR LF): applies text and the cursor codes readline uses; returns the screen. */
function render(data: string, cols = 80): string[] {
  const rows: string[][] = [[]];
  let r = 0, c = 0;
  const row = (): string[] => { while (rows.length <= r) rows.push([]); return rows[r]; };
  for (let i = 0; i < data.length; i++) {
    const esc = /^\x1b\[(\d*)([A-Za-z])/.exec(data.slice(i));
    if (esc) {
      const n = esc[1] === '' ? undefined : Number(esc[1]);
      switch (esc[2]) {
        case 'G': c = (n ?? 1) - 1; break;
        case 'A': r = Math.max(0, r - (n ?? 1)); break;
        case 'B': r += n ?? 1; break;
        case 'C': c += n ?? 1; break;
        case 'D': c = Math.max(0, c - (n ?? 1)); break;
        case 'K': rows[r] = n === 2 ? [] : row().slice(0, c); break;
        case 'J': rows[r] = row().slice(0, c); rows.length = r + 1; break;
      }
      i += esc[0].length - 1;
      continue;
    }
    const ch = data[i];
    if (ch === '\r') c = 0;
    else if (ch === '\n') { r++; c = 0; row(); } else {
      const line = row();
      while (line.length < c) line.push(' ');
      line[c++] = ch;
      if (c >= cols) { r++; c = 0; }
    }
  }
  return rows.map((l) => l.join('').trimEnd());
}

describe('the REPL on a terminal (in process)', () => {
  it('Ctrl-C stops a machine that runs forever; `continue &` keeps the prompt and the partial input readable', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let raw = '';
    output.setEncoding('latin1').on('data', (s: string) => { raw += s; });
    const guest = new GuestOutput();
    const m = loadMachine(readFileSync(at('ticker.elf')), {}, guest.push);
    const repl = new DebugRepl(m.dbg, { input, output, terminal: true, guest });
    const done = repl.run('banner line');
    await until(() => raw.includes(PROMPT), 'the prompt');

    // Foreground: the keyboard goes to the guest, Ctrl-C comes back to the prompt.
    input.write('continue\r');
    await until(() => /x{3}/.test(raw), 'guest output');
    input.write('\x03');
    await until(() => raw.includes('Program received signal SIGINT, Interrupt.'), 'the interrupt report');
    await until(() => render(raw).at(-1) === PROMPT.trimEnd(), 'the prompt again');
    expect(m.board.uart.describe().join(' ')).toMatch(/rx 0\//); // Ctrl-C was not sent to the guest

    // Background: the prompt stays; guest output goes above it, partial input is redrawn.
    input.write('c &\r');
    await until(() => render(raw).some((l) => /^x+$/.test(l)), 'background guest output');
    input.write('info re');
    const mark = raw.length;
    await until(() => raw.length > mark && /x/.test(raw.slice(mark)), 'more guest output while typing');
    await new Promise((r) => setTimeout(r, 50));
    let screen = render(raw);
    expect(screen.at(-1)).toBe(`${PROMPT}info re`);
    expect(screen.at(-2)).toMatch(/^x+$/); // the guest's unfinished line, right above the prompt
    input.write('\x03'); // readline's Ctrl-C stops the background machine
    await until(() => raw.slice(mark).includes('Program received signal SIGINT'), 'the background stop report');
    await new Promise((r) => setTimeout(r, 50));
    screen = render(raw);
    expect(screen.at(-1)).toBe(`${PROMPT}info re`); // the partial input survived the report
    expect(screen.slice(-4, -1)).toEqual([
      'Program received signal SIGINT, Interrupt.',
      expect.stringMatching(/^0x800000(0c|10|14) in _start \(\) \[M\]$/),
      expect.stringMatching(/^=> 0x800000(0c|10|14) <_start\+0x(c|10|14)>:  /),
    ]);
    input.write('gisters pc\r');
    await until(() => render(raw).some((l) => /^pc +0x800000/.test(l)), 'the completed command');

    // At the prompt Ctrl-C drops the line; Ctrl-D quits.
    input.write('bogus\x03');
    await new Promise((r) => setTimeout(r, 50));
    expect(render(raw).at(-1)).toBe(PROMPT.trimEnd());
    input.write('\x04');
    expect(await done).toBe(0);
  });

  it('reads commands from a non-terminal stream, repeats stepping on an empty line, quits at end of input', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let raw = '';
    output.setEncoding('latin1').on('data', (s: string) => { raw += s; });
    const guest = new GuestOutput();
    const m = loadMachine(readFileSync(at('fact.elf')), {}, guest.push);
    const repl = new DebugRepl(m.dbg, { input, output, terminal: false, guest });
    const done = repl.run();
    input.end('stepi\n\n\nbreak puts\ncontinue\nx/s $a0\nx/2xb table\n\n');
    expect(await done).toBe(0);
    expect(m.board.hart.pc >>> 0).toBe(0x80000090);
    expect(raw).toContain('0x0000100c in ?? () [M]'); // three stepi: one typed, two repeated
    expect(raw).toContain('Breakpoint 1, 0x80000090 in puts () [M]');
    expect(raw).toContain('<greeting>:\t"hello from fact.s\\n"');
    expect(raw).toContain('0x80001020 <table>:\t0x01\t0x02\n'); // and the empty line continued after it
    expect(raw).toContain('0x80001022 <table+0x2>:\t0x03\t0x04\n');
  });
});

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).stdout?.includes('util-linux') ?? false;

describe.skipIf(!hasScript)('the REPL on a real terminal (script from util-linux)', () => {
  it('tab-completes, stops a running machine with Ctrl-C and quits with Ctrl-D', async () => {
    const cmd = `${process.execPath} --import tsx ${REPL} ${at('ticker.elf')}`;
    const r = await run('script', ['-qfec', cmd, '/dev/null'], async (stdin, out) => {
      await until(() => out().includes(PROMPT), 'the prompt', 20_000);
      stdin.write('info regi');
      await new Promise((res) => setTimeout(res, 100));
      stdin.write('\t');
      await new Promise((res) => setTimeout(res, 100));
      stdin.write(' pc\r');
      await until(() => /pc +0x00001000/.test(out()), 'the completed command');
      stdin.write('continue\r');
      await until(() => /xxx/.test(out()), 'guest output');
      stdin.write('\x03');
      await until(() => out().includes('Program received signal SIGINT'), 'the interrupt');
      stdin.write('\x04');
      await until(() => out().includes('quit'), 'quit');
      stdin.end();
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('info registers pc');
  });
});
