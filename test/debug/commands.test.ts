// The debugger's command set (vm/debug/commands.ts), as a user types it, on
// small programs built with our assembler (test/debug/programs/). Where a
// command stops, what it prints and what it decodes is checked against
// independent references: the board's own per-instruction trace, the bytes
// and page tables the programs put in memory, and the programs' meaning
// (fact(n), which mode runs what).

import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { assemble } from '../../toolchain/asm/index.ts';
import { Board } from '../../vm/board.ts';
import { loadProgram } from '../../cli/run.ts';
import { Debugger } from '../../vm/debug/debugger.ts';
import { executeCommand, completeCommand, isRepeatable, type CommandContext, type CommandResult } from '../../vm/debug/commands.ts';

const PROGRAMS = join(dirname(fileURLToPath(import.meta.url)), 'programs');
const FACT = readFileSync(join(PROGRAMS, 'fact.s'), 'utf8');
const PAGING = readFileSync(join(PROGRAMS, 'paging.s'), 'utf8');
const UVA = 0x00400000;

const EXIT = `
exit:
    li t0, 0x100000
    li t1, 0x5555
    sw t1, 0(t0)
1:  j 1b
`;

interface Session {
  board: Board; dbg: Debugger; sym: Map<string, number>;
  ctx: CommandContext;
  /** Run one command: its output (all lines) and result. */
  run(line: string): Promise<{ text: string; res: CommandResult }>;
}

function start(src: string, extra: Partial<CommandContext> = {}): Session {
  const { elf, symbols } = assemble(src, { filename: 'prog.s' });
  const board = new Board();
  const prog = loadProgram(board, elf);
  const dbg = new Debugger(board);
  for (const [k, v] of prog.symbols) dbg.symbols.set(k, v);
  dbg.symbolize = prog.symbolize;
  let buf: string[] = [];
  const ctx: CommandContext = { dbg, canRun: true, out: (t) => buf.push(t), ...extra };
  return {
    board, dbg, sym: symbols, ctx,
    async run(line) {
      buf = [];
      const res = await executeCommand(ctx, line);
      return { text: buf.join('\n'), res };
    },
  };
}

const h8 = (n: number): string => '0x' + (n >>> 0).toString(16).padStart(8, '0');
const hx = (n: number): string => '0x' + (n >>> 0).toString(16);
/** The VA at which a label of paging.s's user code runs. */
const uva = (s: Session, label: string): number => UVA + s.sym.get(label)! - s.sym.get('ucode')!;

/** Retired-instruction counts at which each execution of `addr` starts, from the board's own trace. */
function referenceHits(src: string, addr: number): number[] {
  const { elf } = assemble(src, { filename: 'ref.s' });
  const board = new Board({ jit: false });
  loadProgram(board, elf);
  const hits: number[] = [];
  let n = 0;
  board.traceHook = (pc) => { if (pc >>> 0 === addr) hits.push(n); n++; };
  board.run(10_000_000);
  return hits;
}

describe('breakpoints', () => {
  it('by symbol and by address stop at the right pc and instruction count', async () => {
    const s = start(FACT);
    const fact = s.sym.get('fact')!;
    const want = referenceHits(FACT, fact);
    expect((await s.run('break fact')).text).toBe(`Breakpoint 1 at ${h8(fact)} <fact>`);
    for (const n of want.slice(0, 4)) {
      const { text, res } = await s.run('continue');
      expect(res.stop?.reason).toBe('breakpoint');
      expect(text.split('\n')[0]).toBe(`Breakpoint 1, ${h8(fact)} in fact () [M]`);
      expect(text).toContain(`=> ${h8(fact)} <fact>:  addi sp, sp, -16`);
      expect(s.board.hart.retired).toBe(n);
    }
    await s.run('delete 1');
    const at = s.sym.get('loop')! + 4;
    expect((await s.run(`break *${hx(at)}`)).text).toBe(`Breakpoint 2 at ${h8(at)} <loop+0x4>`);
    await s.run('c');
    expect(s.board.hart.pc >>> 0).toBe(at);
    expect(s.board.hart.retired).toBe(referenceHits(FACT, at).find((n) => n > want[3]));
    expect((await s.run('info breakpoints')).text).toMatch(/^2 +breakpoint +keep y +0x80000024 <loop\+0x4>\n\tbreakpoint already hit 1 time$/m);
  });

  it('conditions, tbreak, disable, ignore counts and continue N', async () => {
    const s = start(FACT);
    // fact(3) runs for n = 3, and inside fact(4) and fact(5): the loop counter s0 says which.
    await s.run('break fact if $a0 == 3');
    const seen: number[] = [];
    for (;;) {
      const { res } = await s.run('continue');
      if (res.stop?.reason !== 'breakpoint') break;
      expect(s.board.hart.x[10]).toBe(3);
      seen.push(s.board.hart.x[8]);
    }
    expect(seen).toEqual([3, 4, 5]);

    const t = start(FACT);
    expect((await t.run('tbreak loop')).text).toMatch(/^Temporary breakpoint 1 at 0x80000020 <loop>$/);
    expect((await t.run('c')).text).toMatch(/^Temporary breakpoint 1, 0x80000020 in loop \(\) \[M\]/);
    expect((await t.run('info breakpoints')).text).toBe('No breakpoints, watchpoints or catchpoints.');
    await t.run('break loop');
    await t.run('c');
    expect(t.board.hart.x[8]).toBe(1);
    expect((await t.run('continue 3')).text).toContain('Will ignore next 2 crossings of breakpoint 2.  Continuing.');
    expect(t.board.hart.x[8]).toBe(4); // s0 = 2 and 3 passed silently
    await t.run('disable 2');
    expect((await t.run('c')).text).toBe('[Inferior 1 (process 1) exited normally]');
  });

  it('mode and satp qualifiers pick the privilege mode and address space', async () => {
    // count runs once in M (bare) and once in S (Sv32, through the megapage).
    const counter = (s: Session): number => s.board.mem.read32(s.sym.get('counter')!)!;
    const m = start(PAGING);
    await m.run('break count mode S');
    expect((await m.run('c')).text.split('\n')[0]).toMatch(/in count \(\) \[S\]$/);
    expect([m.board.hart.priv, counter(m)]).toEqual([1, 1]);
    expect((await m.run('c')).res.stop?.reason).toBe('exited');

    const k = start(PAGING);
    await k.run('break count mode M');
    await k.run('c');
    expect([k.board.hart.priv, counter(k)]).toEqual([3, 0]);

    const satp = (0x80000000 | (m.sym.get('root')! >>> 12)) >>> 0;
    const a = start(PAGING);
    expect((await a.run(`break count satp ${hx(satp)}`)).text).toContain(`(only when satp == ${h8(satp)})`);
    await a.run('c');
    expect([a.board.hart.priv, a.board.hart.satp >>> 0]).toEqual([1, satp]);
    const b = start(PAGING);
    await b.run('break count satp 0x80000001');
    expect((await b.run('c')).res.stop?.reason).toBe('exited');
    const c = start(PAGING);
    await c.run('break count satp current mode M if $sp != 0');
    expect((await c.run('info b')).text).toContain('\tstop only in M-mode\n\tstop only when satp == 0x00000000\n\tstop only if $sp != 0');
    await c.run('c');
    expect(c.board.hart.priv).toBe(3);
    expect((await c.run('c')).res.stop?.reason).toBe('exited');
  });
});

describe('watchpoints', () => {
  for (const where of ['0x00403008', 'p:udata+8']) {
    it(`watch ${where} stops after the store with old and new values`, async () => {
      const s = start(PAGING);
      expect((await s.run(`watch ${where}`)).text).toMatch(/^Hardware watchpoint 1: (\*0x403008|p:0x80005008)$/);
      const { text, res } = await s.run('continue');
      expect(res.stop?.reason).toBe('watchpoint');
      expect(text).toContain('Old value = 0x0\nNew value = 0x2a');
      expect(s.board.hart.pc >>> 0).toBe(uva(s, 'u_store') + 4);
      expect(s.board.hart.priv).toBe(0);
      expect((await s.run('c')).res.stop?.reason).toBe('exited'); // the load does not stop a write watchpoint
    });
  }

  it('rwatch stops after the load; awatch after both', async () => {
    const s = start(PAGING);
    await s.run('rwatch 0x00403008');
    const r = await s.run('c');
    expect(r.text).toContain('Hardware read watchpoint 1: *0x403008\n\nValue = 0x2a');
    expect(s.board.hart.pc >>> 0).toBe(uva(s, 'u_load') + 4);
    const a = start(PAGING);
    await a.run('awatch p:udata+8 4');
    expect((await a.run('c')).text).toContain('Hardware access (read/write) watchpoint 1: p:0x80005008\n\nOld value = 0x0\nNew value = 0x2a');
    expect((await a.run('c')).text).toContain('Value = 0x2a');
    expect(a.board.hart.pc >>> 0).toBe(uva(a, 'u_load') + 4);
  });
});

describe('catchpoints', () => {
  it('page-fault, ecall, illegal and any stop at the handler with the cause', async () => {
    const s = start(PAGING);
    expect((await s.run('catch page-fault')).text).toBe('Catchpoint 1 (page-fault)');
    let r = await s.run('c');
    expect(r.text.split('\n')[0]).toBe(`Catchpoint 1 (page-fault), store-page-fault at ${h8(uva(s, 'u_store_ro'))}, tval 0x401000`);
    expect([s.board.hart.pc >>> 0, s.board.hart.priv, s.board.hart.scause]).toEqual([s.sym.get('s_trap'), 1, 15]);
    r = await s.run('c');
    expect(r.text).toContain(`load-page-fault at ${h8(uva(s, 'u_load_bad'))}, tval 0x402000`);
    await s.run('delete');
    await s.run('catch illegal');
    r = await s.run('c');
    expect(r.text).toContain(`illegal-instruction at ${h8(uva(s, 'u_illegal'))}`);
    expect([s.board.hart.pc >>> 0, s.board.hart.priv, s.board.hart.mcause]).toEqual([s.sym.get('m_trap'), 3, 2]);
    await s.run('catch ecall');
    r = await s.run('c');
    expect(r.text).toContain('Catchpoint 3 (ecall), ecall-from-u');
    expect(s.board.hart.pc >>> 0).toBe(s.sym.get('s_trap'));

    const any = start(PAGING);
    await any.run('catch any');
    expect((await any.run('c')).text).toContain('store-page-fault');
  });

  it('interrupt and timer stop at a timer interrupt', async () => {
    const src = `
    .globl _start
_start:
    la t0, trap
    csrw mtvec, t0
    li t0, 0x0200bff8
    lw t1, 0(t0)
    addi t1, t1, 50
    li t0, 0x02004000
    sw t1, 0(t0)
    sw zero, 4(t0)
    li t0, 0x80
    csrs mie, t0
    csrsi mstatus, 8
1:  j 1b
trap:
    j exit
${EXIT}`;
    for (const what of ['interrupt', 'timer', '0x80000007']) {
      const s = start(src);
      await s.run(`catch ${what}`);
      const { text } = await s.run('c');
      expect(text).toContain('machine-timer interrupt');
      expect(s.board.hart.pc >>> 0).toBe(s.sym.get('trap'));
      expect(s.board.hart.mcause >>> 0).toBe(0x80000007);
    }
  });
});

describe('stepping', () => {
  it('stepi N runs N instructions from the reset vector', async () => {
    const s = start(FACT);
    const pcs: number[] = [];
    const ref = new Board({ jit: false });
    loadProgram(ref, assemble(FACT, { filename: 'ref.s' }).elf);
    ref.traceHook = (pc) => pcs.push(pc >>> 0);
    ref.run(20);
    const { text, res } = await s.run('stepi 9');
    expect(res.stop).toEqual({ reason: 'step' });
    expect(s.board.hart.retired).toBe(9);
    expect(s.board.hart.pc >>> 0).toBe(pcs[9]);
    expect(text).toBe(`${h8(pcs[9])} in _start () [M]\n=> ${h8(pcs[9])} <_start+0xc>:  addi a0, a0, -4`); // la a0, greeting: auipc, addi
    await s.run('si');
    expect(s.board.hart.pc >>> 0).toBe(pcs[10]);
  });

  it('next steps over calls, also recursive ones; finish and until', async () => {
    const s = start(FACT);
    const loop = s.sym.get('loop')!;
    await s.run('break loop if $s0 == 4');
    await s.run('c');
    await s.run('delete');
    await s.run('next');           // mv a0, s0
    await s.run('next');           // auipc of the call
    const r = await s.run('next'); // jalr: the whole recursive fact(4)
    expect(r.res.stop).toEqual({ reason: 'step' });
    expect(s.board.hart.pc >>> 0).toBe(loop + 12);
    expect(s.board.hart.x[10]).toBe(24);

    const f = start(FACT);
    await f.run('break fact if $a0 == 2'); // first reached from the loop, n = 2
    await f.run('c');
    await f.run('delete');
    const fin = await f.run('finish');
    expect(fin.text).toContain('Run till exit from 0x80000054 in fact () [M]');
    expect(fin.text).toContain('Value returned is $1 = 2 (a0 = 0x00000002)');
    expect(f.board.hart.pc >>> 0).toBe(loop + 12);
    expect((await f.run('p $1 * 10')).text).toBe('$2 = 20');

    const u = start(FACT);
    const { text } = await u.run('until puts');
    expect(text).toBe(`${h8(u.sym.get('puts')!)} in puts () [M]\n=> ${h8(u.sym.get('puts')!)} <puts>:  lui t1, 0x10000`);
    await u.run('break fact');
    await u.run('until loop+12'); // the breakpoint in fact comes first
    expect(u.board.hart.pc >>> 0).toBe(u.sym.get('fact'));
    expect((await u.run('info breakpoints')).text).not.toContain('loop'); // no internal breakpoint left
  });

  it('a running command is interrupted (Ctrl-C) and yields to the event loop meanwhile', async () => {
    const s = start('.globl _start\n_start:\n1: addi t0, t0, 1\n j 1b\n');
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 5);
    setTimeout(() => s.dbg.interrupt(), 150);
    const { text, res } = await s.run('continue');
    clearInterval(timer);
    expect(res.stop?.reason).toBe('interrupted');
    expect(text).toContain('Program received signal SIGINT, Interrupt.');
    expect(ticks).toBeGreaterThan(0); // the event loop kept turning (the interrupt itself is a timer that had to fire)
  });

  it('an idle hart stops the run, or waits for input the front end feeds', async () => {
    // Waits in wfi for a UART interrupt, then exits with the received byte as its code.
    const src = `
    .globl _start
_start:
    li t0, 0x0c000028     # PLIC priority of source 10 (the UART)
    li t1, 1
    sw t1, 0(t0)
    li t0, 0x0c002000     # enable it for context 0 (M)
    li t1, 1 << 10
    sw t1, 0(t0)
    li t0, 0x10000001     # UART IER: receive interrupt
    li t1, 1
    sb t1, 0(t0)
    li t0, 0x800
    csrs mie, t0          # MEIE
    wfi
    li t0, 0x10000000
    lbu a0, 0(t0)
    slli a0, a0, 16
    li t1, 0x3333
    or t1, t1, a0
    li t0, 0x100000
    sw t1, 0(t0)
1:  j 1b
`;
    const s = start(src);
    expect((await s.run('c')).text).toContain('The hart is idle: it waits in wfi with no timer armed');
    await s.run('input \\x07');
    expect((await s.run('c')).text).toBe('[Inferior 1 (process 1) exited with code 7]');
    const w = start(src, { waitForInput: async () => { w.board.input([9]); } });
    expect((await w.run('continue')).text).toBe('[Inferior 1 (process 1) exited with code 9]');
    expect((await w.run('stepi')).text).toBe('The program is not being run.');
  });
});

describe('memory', () => {
  it('x/ formats and units show the bytes the program put there', async () => {
    const s = start(FACT);
    const t = h8(s.sym.get('table')!);
    const x = async (cmd: string): Promise<string> => (await s.run(cmd)).text;
    expect(await x('x/8xb table')).toBe(`${t} <table>:\t0x01\t0x02\t0x03\t0x04\t0xfe\t0xff\t0x7f\t0x80`);
    expect(await x('x/8db table')).toBe(`${t} <table>:\t1\t2\t3\t4\t-2\t-1\t127\t-128`);
    expect(await x('x/8ub &table')).toBe(`${t} <table>:\t1\t2\t3\t4\t254\t255\t127\t128`);
    expect(await x('x/2xh table+8')).toBe('0x80001028 <table+0x8>:\t0x1234\t0xfffe');
    expect(await x('x/2dh table+8')).toBe('0x80001028 <table+0x8>:\t4660\t-2');
    expect(await x('x/2xw table+12')).toBe('0x8000102c <table+0xc>:\t0xdeadbeef\t0xfffffffe');
    expect(await x('x/dw table+16')).toBe('0x80001030 <table+0x10>:\t-2');
    expect(await x('x/uw table+16')).toBe('0x80001030 <table+0x10>:\t4294967294');
    expect(await x('x/xg table')).toBe(`${t} <table>:\t0x807ffffe04030201`);
    expect(await x('x/tb table+4')).toBe('0x80001024 <table+0x4>:\t11111110');
    expect(await x('x/3ob table')).toBe(`${t} <table>:\t01\t02\t03`);
    expect(await x('x/2c greeting')).toBe(`${h8(s.sym.get('greeting')!)} <greeting>:\t104 'h'\t101 'e'`);
    expect(await x('x/s greeting')).toBe(`${h8(s.sym.get('greeting')!)} <greeting>:\t"hello from fact.s\\n"`);
    expect(await x('x/xw p:table')).toBe(`p:${t}:\t0x04030201`);
    expect(await x('x/2i fact')).toBe('   0x80000054 <fact>:  addi sp, sp, -16\n   0x80000058 <fact+0x4>:  sw ra, 12(sp)');
    // gdb's sticky format and unit, and a bare x continuing after the last one
    await x('x/2xw table');
    expect(await x('x')).toBe('0x80001028 <table+0x8>:\t0xfffe1234');
    await s.run('set *result = fact');
    expect(await x('x/a result')).toBe('0x80001000 <result>:\t0x80000054 <fact>');
    expect(await x('x/4xw 0x87fffff8')).toBe('0x87fffff8:\t0x00000000\t0x00000000\nCannot access memory at address 0x88000000');
    const bad = await s.run('x/4xw 0');
    expect([bad.text, bad.res.error]).toEqual(['Cannot access memory at address 0x0', true]);
    expect((await s.run('x/xw 0x10000000')).text).toMatch(/^Cannot access memory at address 0x10000000 \(uart0/);
    await s.run('set {short} 0x87fffffe = 0x4241');
    const str = await s.run('x/s 0x87fffffe');
    expect([str.text, str.res.error]).toEqual(['0x87fffffe:\t"AB"\nCannot access memory at address 0x88000000', true]);
  });

  it('x reads through the current translation; set writes memory and registers', async () => {
    const s = start(PAGING);
    await s.run(`break *${hx(UVA)}`);
    await s.run('c');
    expect(s.board.hart.priv).toBe(0);
    expect((await s.run('x/xw 0x00401000')).text).toBe('0x00401000:\t0x1234abcd');
    expect((await s.run('x/xw p:upage_ro')).text).toBe(`p:${h8(s.sym.get('upage_ro')!)}:\t0x1234abcd`);
    expect((await s.run('x/xw 0x00402000')).text).toBe('Cannot access memory at address 0x402000');
    expect((await s.run('x/xw 0x80000000')).text).toBe('Cannot access memory at address 0x80000000'); // no U bit
    await s.run('set {short} 0x00403008 = 0xbeef');
    expect(s.board.mem.read32(s.sym.get('udata')! + 8)).toBe(0xbeef);
    await s.run('set *p:udata+12 = -1');
    expect(s.board.mem.read32(s.sym.get('udata')! + 12)).toBe(0xffffffff);
    await s.run('set $a5 = 0x10 + $a5 * 2');
    expect(s.board.hart.x[15]).toBe(0x10);
    await s.run('set var $pc = $pc + 4');
    expect(s.board.hart.pc >>> 0).toBe(UVA + 4);
    await s.run('set $sscratch = 0x55');
    expect(s.board.hart.sscratch).toBe(0x55);
    await s.run('set $minstret = 1000');
    expect((await s.run('p $minstret')).text).toBe('$1 = 1000');
  });

  it('disassemble shows symbol headers and the arrow at pc', async () => {
    const s = start(FACT);
    await s.run('break fact');
    await s.run('c');
    const { text } = await s.run('disassemble');
    const lines = text.split('\n');
    expect(lines[0]).toBe('Dump of assembler code for function fact:');
    expect(lines[1]).toMatch(/^=> 0x80000054 <fact>: +addi sp, sp, -16$/);
    expect(lines).toContain('   0x80000058 <fact+0x4>:   sw ra, 12(sp)');
    expect(lines.filter((l) => l.startsWith('=>'))).toHaveLength(1);
    expect(lines.at(-2)).toMatch(/ret$/);
    expect(lines.at(-1)).toBe('End of assembler dump.');
    const r = (await s.run('disas loop+20 4')).text.split('\n');
    expect(r).toEqual([
      'Dump of assembler code from 0x80000034 to 0x80000044:',
      '   0x80000034 <loop+0x14>:  sw a0, 0(t0)',
      '   0x80000038 <loop+0x18>:  addi s0, s0, 1',
      '   0x8000003c <loop+0x1c>:  blt s0, s1, 0x80000020 <loop>',
      '   0x80000040 <loop+0x20>:  lui t0, 0x100',
      'End of assembler dump.',
    ]);
    expect((await s.run('disas /r fact,+4')).text).toContain('fact:\n=> 0x80000054 <fact>:  ff010113  addi sp, sp, -16');
  });
});

describe('the MMU', () => {
  /** paging.s stopped in U-mode at its first instruction, with its page tables built. */
  async function inUser(): Promise<Session> {
    const s = start(PAGING);
    await s.run(`tbreak *${hx(UVA)}`);
    await s.run('c');
    return s;
  }
  const pte = (s: Session, pa: number): string => h8(s.board.mem.read32(pa)!);

  it('vtop walks a 4 KiB page and a megapage as the tables say', async () => {
    const s = await inUser();
    const root = s.sym.get('root')!, l0 = s.sym.get('l0')!, udata = s.sym.get('udata')!;
    const { text } = await s.run('vtop 0x00403008 w');
    expect(text.split('\n')).toEqual([
      `VA 0x00403008, store from U-mode, satp ${h8(0x80000000 | (root >>> 12))}: Sv32 ASID=0 root table ${h8(root)}`,
      `  level 1: PTE at ${h8(root + 4)} = ${pte(s, root + 4)}  [V - - - - - - -]  -> next-level table at ${h8(l0)}`,
      `  level 0: PTE at ${h8(l0 + 12)} = ${pte(s, l0 + 12)}  [V R W - U - A D]  -> 4 KiB page at ${h8(udata)}`,
      `=> PA ${h8(udata + 8)} (RAM)`,
    ]);
    const mega = (await s.run('vtop 0x80000010 x s')).text.split('\n');
    expect(mega[1]).toBe(`  level 1: PTE at ${h8(root + 0x800)} = ${pte(s, root + 0x800)}  [V R W X - - A D]  -> 4 MiB megapage at 0x80000000`);
    expect(mega[2]).toBe('=> PA 0x80000010 (RAM), in a megapage');
    expect((await s.run('vtop 0x100000 s')).text).toContain('=> PA 0x00100000 (test registers), in a megapage');
  });

  it('vtop names each fault the access would raise', async () => {
    const s = await inUser();
    const cases: [string, string][] = [
      ['vtop 0x00402000', 'load-page-fault (cause 13): PTE not valid (V=0)'],
      ['vtop 0x01000000 w', 'store-page-fault (cause 15): PTE not valid (V=0)'],
      ['vtop 0x00c00000', 'load-page-fault (cause 13): reserved encoding: W without R'],
      ['vtop 0x00800000', 'load-page-fault (cause 13): misaligned megapage (PPN[0] is not 0)'],
      ['vtop 0x80000000 x', 'fetch-page-fault (cause 12): U-mode access to a page without U'],
      ['vtop 0x00401000 w', 'store-page-fault (cause 15): page not writable (W=0)'],
      ['vtop 0x00403000 x', 'fetch-page-fault (cause 12): page not executable (X=0)'],
      ['vtop 0x00400000 r s', 'load-page-fault (cause 13): S-mode access to a U page with mstatus.SUM=0'],
      ['vtop 0x00400000 x s', 'fetch-page-fault (cause 12): S-mode may not execute a U page'],
    ];
    for (const [cmd, want] of cases) {
      const lines = (await s.run(cmd)).text.split('\n');
      expect(lines.at(-1), cmd).toBe(`=> ${want}`);
    }
    const bare = start(PAGING);
    expect((await bare.run('vtop 0x80000010')).text).toBe('satp 0x00000000 is Bare (MODE=0): no translation, PA = VA = 0x80000010 (RAM)');
  });

  it('tlb lists what the hart just used', async () => {
    const s = start(PAGING);
    await s.run(`break *${hx(uva(s, 'u_load') + 4)}`);
    await s.run('c');
    const { text } = await s.run('tlb');
    const ucode = s.sym.get('ucode')!, udata = s.sym.get('udata')!;
    expect(text).toMatch(new RegExp(`^fetch TLB \\(256 entries, direct-mapped\\): \\d+ valid$`, 'm'));
    expect(text).toContain(`VA 0x00400000 -> PA ${h8(ucode)}`);
    const [fetch, load, store] = text.split(/^(?=\w+ TLB)/m);
    expect(fetch).toContain(`[  0] VA 0x00400000 -> PA ${h8(ucode)}`);
    expect(load).toContain(`[  3] VA 0x00403000 -> PA ${h8(udata)}`);
    expect(store).toContain(`[  3] VA 0x00403000 -> PA ${h8(udata)}`);
    expect(store).not.toContain('0x00401000'); // the faulting store never entered
  });
});

describe('registers and the trace', () => {
  it('info registers shows the mode and decodes the CSRs', async () => {
    const s = start(PAGING);
    await s.run('break count mode S');
    await s.run('c');
    const { text } = await s.run('info registers');
    const h = s.board.hart;
    expect(text).toMatch(/^zero \(x0\) +0x00000000 +0$/m);
    expect(text).toContain(`sp (x2)       ${h8(h.x[2])}  <stack_top>`);
    expect(text).toContain(`pc            ${h8(h.pc)}  <count>`);
    expect(text).toMatch(/^priv +S \(supervisor\)$/m);
    // mret left MPP = U and MPIE = 1; nothing else is set in mstatus
    expect(h.mstatus >>> 0).toBe(0x80);
    expect(text).toMatch(/^mstatus +0x00000080 +\[ MPP=U SPP=U MPIE \]$/m);
    expect(text).toMatch(/^medeleg +0x0000b100 +\[ ecall-from-u fetch-page-fault load-page-fault store-page-fault \]$/m);
    expect(text).toMatch(new RegExp(`^stvec +${h8(s.sym.get('s_trap')!)} +<s_trap> \\(direct\\)$`, 'm'));
    expect(text).toMatch(/^satp +0x80080003 +Sv32 ASID=0 root table 0x80003000$/m);
    expect(text.indexOf('--- M-mode CSRs')).toBeLessThan(text.indexOf('--- S-mode CSRs'));
    expect(text.indexOf('--- S-mode CSRs')).toBeLessThan(text.indexOf('--- U-mode CSRs'));
    expect(text).toMatch(new RegExp(`^instret +0x0{8}[0-9a-f]{8}  ${h.instretCount()}$`, 'm'));
    const one = await s.run('info registers $a0 sepc scause');
    expect(one.text.split('\n')).toHaveLength(3);
    await s.run('catch page-fault');
    await s.run('c');
    expect((await s.run('info registers scause')).text).toBe('scause        0x0000000f  store-page-fault');
    expect((await s.run('p/x $stval')).text).toBe('$1 = 0x401000');
    expect((await s.run('p $pc')).text).toBe(`$2 = ${hx(s.sym.get('s_trap')!)} <s_trap>`);
  });

  it('trace shows the last N instructions with register writes and memory', async () => {
    const s = start(FACT);
    const loop = s.sym.get('loop')!;
    await s.run('until loop');
    await s.run('next 6'); // mv, auipc, jalr (the call, stepped into and over), auipc, addi, sw
    const lines = (await s.run('trace 4')).text.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe(`   -1 M ${h8(loop + 20)}  00a2a023  sw a0, 0(t0)                [0x80001000] <- 0x1 (4 bytes)`);
    expect(lines[2]).toBe(`   -2 M ${h8(loop + 16)}  fd428293  addi t0, t0, -44            t0 = 0x80001000`);
    expect(lines[0]).toMatch(/^ {3}-4 M 0x8000008c {2}00008067 {2}ret$/); // the callee's return
    const load = (await s.run('trace 40')).text.split('\n').find((l) => l.includes('lw ra, 12(sp)'));
    const slot = s.sym.get('stack_top')! - 16 + 12; // fact's frame: ra saved at 12(sp)
    expect(load).toMatch(new RegExp(`ra = 0x8000002c {2}\\[${h8(slot)}\\] read \\(4 bytes\\)$`));
    expect((await start(FACT).run('trace')).text).toMatch(/^The trace is empty/);
    await s.run('record on');
    await s.run('c');
    expect((await s.run('trace 2')).text).toMatch(/sw t1, 0\(t0\)/);
  });
});

describe('bad input', () => {
  const BAD = [
    'foo', 'bt 3', 'break nosym', 'break 0x80000002', 'x/4q 0x80000000', 'x/0x 0x80000000', 'x', 'p 1 +', 'p/q 1', 'p $nosuch',
    'watch', 'watch $a0', 'watch 0x80001000 0', 'catch', 'catch bogus', 'delete 99', 'disable x', 'enable once 1', 'set',
    'set $nosuch = 1', 'set $zero = 1', 'set $pc = 3', 'set $cycle = 5', 'set nosym = 1', 'info', 'info bogus', 'info symbol', 'vtop',
    'disas 0x80000010,0x80000000', 'trace 0', 'record maybe', 'input \\q', 'help nosuch', 'condition 99 1', 'ignore', 'until nosym',
    '!!!', 'continue 2', 'stepi 0', 'stepi -1', 'step $nosuch', 'info registers foo', 'x/2i p:0', 'tbreak *(', 'run 5', 'p 1/0',
    'x/s 0x0ffffff0',
  ];
  it('each gets one line saying what is wrong, with the error flag', async () => {
    const s = start(FACT);
    await s.run('stepi'); // started: `run` no longer applies
    for (const cmd of BAD) {
      const { text, res } = await s.run(cmd);
      expect(res.error, cmd).toBe(true);
      expect(text.split('\n').filter((l) => !/^0x|^p:/.test(l)), cmd).toHaveLength(1);
      expect(text, cmd).not.toMatch(/at .*\.ts:\d+|TypeError|undefined/);
    }
    expect(s.board.hart.retired).toBe(1); // and nothing ran
  });

  it('running commands refuse politely from gdb\'s monitor (canRun false)', async () => {
    const s = start(FACT);
    s.ctx.canRun = false;
    for (const cmd of ['continue', 'stepi', 'next', 'finish', 'until loop']) {
      const { text, res } = await s.run(cmd);
      expect([res.error, text.split('\n').length], cmd).toEqual([true, 1]);
    }
    expect((await s.run('x/xw table')).res.error).toBeUndefined();
    expect(s.board.hart.retired).toBe(0);
  });

  it('nothing typed escapes as an exception', async () => {
    const s = start(FACT);
    const heads = ['', 'x/', 'x/3', 'p ', 'p/', 'print/x ', 'break ', 'tbreak ', 'watch ', 'rwatch p:', 'vtop ', 'set ', 'set $',
      'set *', 'info ', 'info registers ', 'disas ', 'catch ', 'delete ', 'trace ', 'help ', 'condition 1 ', 'input ', 'x/s '];
    await fc.assert(fc.asyncProperty(fc.constantFrom(...heads), fc.string({ maxLength: 24 }), async (head, tail) => {
      const res = await executeCommand(s.ctx, head + tail);
      expect(typeof res).toBe('object');
    }), { numRuns: 400 });
  });
});

describe('help and completion', () => {
  it('help lists every command in one line each, and explains one', async () => {
    const s = start(FACT);
    const { text } = await s.run('help');
    for (const name of ['stepi', 'nexti', 'finish', 'continue', 'until', 'break', 'tbreak', 'watch', 'rwatch', 'awatch', 'catch',
      'delete', 'disable', 'enable', 'info', 'print', 'set', 'x', 'disassemble', 'vtop', 'tlb', 'trace', 'record', 'help', 'quit']) {
      expect(text).toMatch(new RegExp(`^  ${name}\\b.* \\S`, 'm'));
    }
    expect((await s.run('help b')).text).toMatch(/^break \[LOCATION\] \[mode M\|S\|U\] \[satp EXPR\|current\] \[if COND\]\n/);
    expect((await s.run('help info registers')).text).toContain('info registers [REG...]');
    expect((await s.run('h x')).text).toContain('p:ADDR is physical');
  });

  it('completes commands, info topics, registers, symbols and causes; knows what repeats', () => {
    const { dbg } = start(FACT);
    expect(completeCommand(dbg, 'disa')).toEqual(['disable', 'disas', 'disassemble']);
    expect(completeCommand(dbg, 'info re')).toEqual(['registers']);
    expect(completeCommand(dbg, 'p $mst')).toEqual(['$mstatus', '$mstatush']);
    expect(completeCommand(dbg, 'break fa')).toEqual(['fact']);
    expect(completeCommand(dbg, 'x/4x gr')).toEqual(['greeting']);
    expect(completeCommand(dbg, 'catch page')).toEqual(['page-fault']);
    expect(completeCommand(dbg, 'info registers sst')).toEqual(['sstatus']);
    expect(isRepeatable('si')).toBe(true);
    expect(isRepeatable('x/4x $sp')).toBe(true);
    expect(isRepeatable('break main')).toBe(false);
  });
});
