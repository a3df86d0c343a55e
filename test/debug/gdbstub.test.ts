// The GDB stub at the packet level, over a real TCP socket, with a small
// client written here from the protocol's description (framing, checksums,
// escapes), so no expectation comes from the stub's own codec. Register and
// memory replies are checked against the hart and RAM; stops against the
// program's own labels. Then the malformed cases: every one must get the
// protocol's answer and leave the server working.

import { describe, it, expect, afterEach } from 'vitest';
import { connect, type Socket } from 'node:net';
import { assemble } from '../../toolchain/asm/index.ts';
import { Board } from '../../vm/board.ts';
import { loadProgram } from '../../cli/run.ts';
import { Debugger } from '../../vm/debug/debugger.ts';
import { startGdbServer, type GdbServer } from '../../vm/debug/gdbstub.ts';
import { csrRead } from '../../vm/cpu/csr.ts';
import { serveGdb, EXIT_KILLED, GdbListenError } from '../../cli/gdb_serve.ts';

// The program: set some registers and memory, then count forever in `spin`;
// `exit_pass` / `exit_fail3` power off when the test points pc at them.
const PROGRAM = `
    .globl _start
_start:
    li s2, 0x11223344
    li s3, 0xcafebabe
    la t0, buf
    li t1, 0xdeadbeef
    sw t1, 0(t0)
    li t1, 0x01020304
    sw t1, 4(t0)
marker:
    li s4, 0
spin:
    addi s4, s4, 1
    la t0, counter
store_insn:
    sw s4, 0(t0)
load_insn:
    lw t2, 0(t0)
after_load:
    j spin
exit_pass:
    li t0, 0x100000
    li t1, 0x5555
    sw t1, 0(t0)
1:  j 1b
idle_loop:
    wfi
    j idle_loop
exit_fail3:
    li t0, 0x100000
    li t1, 0x33333
    sw t1, 0(t0)
2:  j 2b
    .data
counter: .word 0
buf: .space 64
`;

// ---- a minimal RSP client ----

function checksum(b: Buffer): string {
  let s = 0;
  for (const c of b) s = (s + c) & 0xff;
  return s.toString(16).padStart(2, '0');
}

function frame(data: string | Buffer): Buffer {
  const b = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  return Buffer.concat([Buffer.from('$'), b, Buffer.from('#' + checksum(b))]);
}

const toHex = (s: string): string => Buffer.from(s, 'utf8').toString('hex');
const le32 = (v: number): string => { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return b.toString('hex'); };
const fromLe32 = (s: string): number => Buffer.from(s, 'hex').readUInt32LE(0);

class Client {
  private buf = Buffer.alloc(0);
  /** '+' and '-' received, in order. */
  readonly acks: string[] = [];
  private readonly packets: string[] = [];
  private wake: (() => void) | undefined;
  closed = false;
  noAck = false;
  readonly done: Promise<void>;

  constructor(readonly sock: Socket) {
    sock.setNoDelay(true);
    sock.on('data', (d: Buffer) => { this.buf = Buffer.concat([this.buf, d]); this.pump(); });
    this.done = new Promise((resolve) => sock.on('close', () => { this.closed = true; this.wake?.(); resolve(); }));
    sock.on('error', () => {});
  }

  static open(port: number): Promise<Client> {
    return new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => resolve(new Client(s)));
      s.once('error', reject);
    });
  }

  private pump(): void {
    for (;;) {
      while (this.buf.length > 0 && (this.buf[0] === 0x2b || this.buf[0] === 0x2d)) {
        this.acks.push(String.fromCharCode(this.buf[0]!));
        this.buf = this.buf.subarray(1);
      }
      if (this.buf.length === 0) break;
      if (this.buf[0] !== 0x24) throw new Error(`stray byte 0x${this.buf[0]!.toString(16)} from the stub`);
      const end = this.buf.indexOf(0x23);
      if (end < 0 || this.buf.length < end + 3) break;
      const body = this.buf.subarray(1, end);
      const cs = this.buf.subarray(end + 1, end + 3).toString('latin1');
      if (cs !== checksum(body)) throw new Error(`bad checksum from the stub: ${cs}`);
      this.buf = this.buf.subarray(end + 3);
      const out: number[] = [];
      for (let i = 0; i < body.length; i++) out.push(body[i] === 0x7d ? body[++i]! ^ 0x20 : body[i]!);
      this.packets.push(Buffer.from(out).toString('latin1'));
      if (!this.noAck) this.sock.write('+');
    }
    this.wake?.();
  }

  private async until<T>(get: () => T | undefined, ms: number, what: string): Promise<T> {
    const t0 = Date.now();
    for (;;) {
      const v = get();
      if (v !== undefined) return v;
      if (this.closed) throw new Error(`connection closed while waiting for ${what}`);
      if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((r) => { this.wake = r; setTimeout(r, 20); });
    }
  }

  next(ms = 3000): Promise<string> {
    return this.until(() => this.packets.shift(), ms, 'a packet');
  }

  ack(ms = 3000): Promise<string> {
    return this.until(() => this.acks.shift(), ms, 'an ack');
  }

  raw(b: string | Buffer): void {
    this.sock.write(typeof b === 'string' ? Buffer.from(b, 'latin1') : b);
  }

  /** Send a packet (data framed as given: escape it yourself) and return the reply. */
  async req(data: string | Buffer, ms = 3000): Promise<string> {
    this.raw(frame(data));
    if (!this.noAck) expect(await this.ack(ms)).toBe('+');
    return this.next(ms);
  }

  /** Nothing arrives within `ms`. */
  async quiet(ms = 150): Promise<void> {
    await new Promise((r) => setTimeout(r, ms));
    expect(this.packets).toEqual([]);
  }

  close(): void { this.sock.destroy(); }
}

// ---- fixtures ----

interface Rig { board: Board; dbg: Debugger; server: GdbServer; sym: Map<string, number>; exits: number[]; kills: number }
const rigs: Rig[] = [];
const clients: Client[] = [];

async function rig(): Promise<Rig> {
  const { elf, symbols } = assemble(PROGRAM, { filename: 'stub.s' });
  const board = new Board();
  loadProgram(board, elf);
  const dbg = new Debugger(board);
  const r: Rig = { board, dbg, sym: symbols, exits: [], kills: 0, server: undefined as unknown as GdbServer };
  r.server = await startGdbServer(dbg, { port: 0, onExit: (c) => r.exits.push(c), onKill: () => { r.kills++; } });
  rigs.push(r);
  return r;
}

async function client(r: Rig): Promise<Client> {
  const c = await Client.open(r.server.port);
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const r of rigs.splice(0)) await r.server.close();
});

const sym = (r: Rig, name: string): number => r.sym.get(name)!;
const hex = (n: number): string => (n >>> 0).toString(16);

/** Continue to `label` with a temporary breakpoint; returns the stop reply. */
async function runTo(c: Client, r: Rig, label: string): Promise<string> {
  expect(await c.req(`Z0,${hex(sym(r, label))},4`)).toBe('OK');
  const stop = await c.req('c');
  expect(await c.req(`z0,${hex(sym(r, label))},4`)).toBe('OK');
  expect(r.board.hart.pc >>> 0).toBe(sym(r, label));
  return stop;
}

// ---- tests ----

describe('gdb stub: queries', () => {
  it('answers qSupported with PacketSize and the features, and the thread queries', async () => {
    const r = await rig();
    const c = await client(r);
    const sup = await c.req('qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386');
    const feats = sup.split(';');
    expect(feats).toEqual(expect.arrayContaining(['QStartNoAckMode+', 'qXfer:features:read+', 'swbreak+', 'hwbreak+', 'vContSupported+']));
    const size = /PacketSize=([0-9a-f]+)/.exec(sup);
    expect(size).not.toBeNull();
    expect(parseInt(size![1]!, 16)).toBeGreaterThanOrEqual(0x400);
    expect(await c.req('qAttached')).toBe('1');
    expect(await c.req('qC')).toBe('QC01');
    expect(await c.req('qfThreadInfo')).toBe('m01');
    expect(await c.req('qsThreadInfo')).toBe('l');
    expect(await c.req('Hg0')).toBe('OK');
    expect(await c.req('Hc-1')).toBe('OK');
    expect(await c.req('Hg7')).toMatch(/^E/);
    expect(await c.req('T1')).toBe('OK');
    expect(await c.req('qSymbol::')).toBe('OK');
    expect(await c.req('vMustReplyEmpty')).toBe('');
    expect(await c.req('vCont?')).toBe('vCont;c;C;s;S');
    expect(await c.req('?')).toBe('T05thread:01;');
  });

  it('serves the target description in chunks that reassemble to the registers gdb expects', async () => {
    const r = await rig();
    const c = await client(r);
    const read = async (annex: string): Promise<string> => {
      let text = '';
      for (let i = 0; i < 1000; i++) {
        const reply = await c.req(`qXfer:features:read:${annex}:${hex(text.length)},50`);
        expect(reply[0]).toMatch(/[ml]/);
        text += reply.slice(1);
        if (reply[0] === 'l') return text;
        expect(reply.length - 1).toBeLessThanOrEqual(0x50);
      }
      throw new Error('no end');
    };
    const target = await read('target.xml');
    expect(target).toMatch(/^<\?xml/);
    expect(target).toContain('<architecture>riscv:rv32</architecture>');
    const includes = [...target.matchAll(/xi:include href="([^"]+)"/g)].map((m) => m[1]!);
    expect(includes.length).toBe(3);
    const features = new Map<string, string>();
    for (const f of includes) {
      const xml = await read(f);
      expect(xml.trim().endsWith('</feature>')).toBe(true);
      features.set(/<feature name="([^"]+)"/.exec(xml)![1]!, xml);
    }
    const regs = (xml: string) => [...xml.matchAll(/<reg name="([^"]+)" bitsize="32"(?: type="[^"]+")?(?: regnum="(\d+)")?/g)].map((m) => ({ name: m[1]!, regnum: m[2] ? Number(m[2]) : undefined }));
    const cpu = regs(features.get('org.gnu.gdb.riscv.cpu')!);
    expect(cpu.length).toBe(33);
    expect(cpu.map((x) => x.name).slice(0, 4)).toEqual(['zero', 'ra', 'sp', 'gp']);
    expect(cpu[8]!.name).toBe('fp');
    expect(cpu[10]!.name).toBe('a0');
    expect(cpu[31]!.name).toBe('t6');
    expect(cpu[32]!.name).toBe('pc');
    expect(regs(features.get('org.gnu.gdb.riscv.virtual')!)).toEqual([{ name: 'priv', regnum: 33 }]);
    const csrs = regs(features.get('org.gnu.gdb.riscv.csr')!);
    const byName = new Map(csrs.map((x) => [x.name, x.regnum]));
    // QEMU's numbering: 34 + the CSR number.
    expect(byName.get('mstatus')).toBe(34 + 0x300);
    expect(byName.get('satp')).toBe(34 + 0x180);
    expect(byName.get('mhartid')).toBe(34 + 0xf14);
    expect(byName.get('pmpaddr15')).toBe(34 + 0x3bf);
    expect(byName.has('hpmcounter3')).toBe(false);
    expect(new Set(csrs.map((x) => x.regnum)).size).toBe(csrs.length);
    expect(csrs.length).toBeGreaterThan(60);
    // Past the end, and an unknown annex.
    expect(await c.req(`qXfer:features:read:target.xml:${hex(target.length + 10)},50`)).toBe('l');
    expect(await c.req('qXfer:features:read:nosuch.xml:0,50')).toMatch(/^E/);
  });
});

describe('gdb stub: registers and memory', () => {
  it('g, p and P read and write the hart', async () => {
    const r = await rig();
    const c = await client(r);
    const h = r.board.hart;
    expect(fromLe32((await c.req('g')).slice(32 * 8, 33 * 8))).toBe(0x1000);
    await runTo(c, r, 'marker');
    const g = await c.req('g');
    expect(g.length).toBe(33 * 8);
    for (let i = 0; i < 32; i++) expect(fromLe32(g.slice(i * 8, i * 8 + 8))).toBe(h.x[i]! >>> 0);
    expect(h.x[18]! >>> 0).toBe(0x11223344);
    expect(fromLe32(g.slice(32 * 8))).toBe(sym(r, 'marker'));
    expect(await c.req('p13')).toBe(le32(0xcafebabe)); // s3 = x19
    expect(await c.req('p20')).toBe(le32(sym(r, 'marker')));
    expect(await c.req('p21')).toBe(le32(3)); // priv: M
    expect(await c.req(`p${hex(34 + 0xf14)}`)).toBe(le32(0)); // mhartid
    expect(fromLe32(await c.req(`p${hex(34 + 0x301)}`))).toBe(csrRead(h, 0x301)! >>> 0); // misa
    expect(await c.req(`P${hex(34 + 0x340)}=${le32(0x5a5a1234)}`)).toBe('OK'); // mscratch
    expect(h.mscratch >>> 0).toBe(0x5a5a1234);
    expect(await c.req(`Pa=${le32(0x600dcafe)}`)).toBe('OK');
    expect(h.x[10]! >>> 0).toBe(0x600dcafe);
    expect(await c.req(`P0=${le32(5)}`)).toBe('OK');
    expect(h.x[0]).toBe(0);
    expect(await c.req(`P21=${le32(1)}`)).toBe('OK');
    expect(h.priv).toBe(1);
    expect(await c.req(`P21=${le32(3)}`)).toBe('OK');
    expect(await c.req('p22')).toMatch(/^E/); // 34 + 0: no such CSR
    expect(await c.req('p2000')).toMatch(/^E/);
    expect(await c.req(`P2000=${le32(1)}`)).toMatch(/^E/);
    // G: all 33 back with s5 (x21) changed.
    const g2 = await c.req('g');
    const mod = g2.slice(0, 21 * 8) + le32(0x77665544) + g2.slice(22 * 8);
    expect(await c.req('G' + mod)).toBe('OK');
    expect(h.x[21]! >>> 0).toBe(0x77665544);
    expect(await c.req('g')).toBe(mod);
  });

  it('m, M and X read and write memory through the translation, including escaped bytes', async () => {
    const r = await rig();
    const c = await client(r);
    await runTo(c, r, 'marker');
    const buf = sym(r, 'buf');
    expect(await c.req(`m${hex(buf)},8`)).toBe('efbeadde04030201');
    expect(await c.req(`M${hex(buf + 8)},4:a1b2c3d4`)).toBe('OK');
    expect(r.board.mem.read(buf + 8, 4)).toEqual(Uint8Array.from([0xa1, 0xb2, 0xc3, 0xd4]));
    // X: binary, with '#', '$', '}' and '*' escaped.
    const bin = Buffer.from([0x23, 0x24, 0x7d, 0x2a, 0x00, 0xff]);
    const esc: number[] = [];
    for (const b of bin) if ([0x23, 0x24, 0x7d, 0x2a].includes(b)) esc.push(0x7d, b ^ 0x20); else esc.push(b);
    expect(await c.req(Buffer.concat([Buffer.from(`X${hex(buf + 16)},6:`), Buffer.from(esc)]))).toBe('OK');
    expect(Buffer.from(r.board.mem.read(buf + 16, 6)!)).toEqual(bin);
    expect(await c.req(`m${hex(buf + 16)},6`)).toBe(bin.toString('hex'));
    expect(await c.req(`X${hex(buf)},0:`)).toBe('OK');
    // Nothing there: below the ROM, a hole, a device (not read: side effects).
    expect(await c.req('m0,4')).toMatch(/^E/);
    expect(await c.req('m20000000,4')).toMatch(/^E/);
    expect(await c.req('m10000000,1')).toMatch(/^E/);
    expect(await c.req('M0,4:00000000')).toMatch(/^E/);
    // The reset ROM reads as QEMU's (auipc t0, 0).
    expect(await c.req('m1000,4')).toBe('97020000');
  });

  it('a patched instruction runs as patched, even once the loop was translated', async () => {
    const r = await rig();
    const c = await client(r);
    // Let the loop run hot (in the translator: no breakpoint on its page).
    c.raw(frame('c'));
    expect(await c.ack()).toBe('+');
    await new Promise((res) => setTimeout(res, 100));
    c.raw('\x03');
    expect(await c.next()).toBe('T02thread:01;');
    expect(r.board.hart.retired).toBeGreaterThan(100_000);
    // addi s4, s4, 1 -> addi s4, s4, 16
    expect(await c.req(`M${hex(sym(r, 'spin'))},4:${le32(0x010a0a13)}`)).toBe('OK');
    const counter = sym(r, 'counter');
    expect(await c.req(`Z2,${hex(counter)},4`)).toBe('OK');
    expect(await c.req('c')).toMatch(/^T05.*watch/);
    const a = r.board.mem.read32(counter)!;
    expect(await c.req('c')).toMatch(/^T05.*watch/);
    expect(r.board.mem.read32(counter)! - a).toBe(16);
  });
});

describe('gdb stub: running and stopping', () => {
  it('breakpoints stop at their address, with swbreak/hwbreak when the client asked for them', async () => {
    const r = await rig();
    const c = await client(r);
    await c.req('qSupported:swbreak+;hwbreak+');
    expect(await c.req(`Z0,${hex(sym(r, 'load_insn'))},4`)).toBe('OK');
    expect(await c.req('c')).toBe('T05thread:01;swbreak:;');
    expect(r.board.hart.pc >>> 0).toBe(sym(r, 'load_insn'));
    expect(await c.req(`z0,${hex(sym(r, 'load_insn'))},4`)).toBe('OK');
    expect(await c.req(`z0,${hex(sym(r, 'load_insn'))},4`)).toMatch(/^E/);
    expect(await c.req(`Z1,${hex(sym(r, 'after_load'))},4`)).toBe('OK');
    expect(await c.req('c')).toBe('T05thread:01;hwbreak:;');
    expect(r.board.hart.pc >>> 0).toBe(sym(r, 'after_load'));
    const s4 = r.board.hart.x[20]!;
    expect(await c.req('c')).toBe('T05thread:01;hwbreak:;');
    expect(r.board.hart.x[20]).toBe(s4 + 1);
  });

  it('s and vCont step one instruction', async () => {
    const r = await rig();
    const c = await client(r);
    await runTo(c, r, 'spin');
    expect(await c.req('s')).toBe('T05thread:01;');
    expect(await c.req('vCont;s:1;c')).toBe('T05thread:01;');
    expect(r.board.hart.pc >>> 0).toBe(sym(r, 'spin') + 8); // addi, then la's auipc
    expect(await c.req('vCont;s:p1.-1')).toBe('T05thread:01;');
    expect(await c.req('vCont;s:2')).toMatch(/^E/); // no such thread: nothing to do
    expect(await c.req(`Z0,${hex(sym(r, 'after_load'))},4`)).toBe('OK');
    expect(await c.req('vCont;s:2;c:1')).toBe('T05thread:01;');
    expect(r.board.hart.pc >>> 0).toBe(sym(r, 'after_load'));
    expect(await c.req('vCont;C05')).toBe('T05thread:01;'); // around the loop once
    expect(await c.req('S05')).toBe('T05thread:01;');
    expect(r.board.hart.pc >>> 0).toBe(sym(r, 'spin'));
  });

  it('watchpoints stop naming the address, at the accessing instruction as gdb expects', async () => {
    const r = await rig();
    const c = await client(r);
    const counter = sym(r, 'counter');
    expect(await c.req(`Z2,${hex(counter)},4`)).toBe('OK');
    expect(await c.req('c')).toBe(`T05thread:01;watch:${hex(counter)};`);
    // Stopped before the store, as on QEMU: gdb steps over it next, and only then is it written.
    expect(await c.req('p20')).toBe(le32(sym(r, 'store_insn')));
    expect(await c.req(`m${hex(counter)},4`)).toBe(le32(0));
    expect(await c.req('s')).toBe('T05thread:01;');
    expect(await c.req('p20')).toBe(le32(sym(r, 'load_insn')));
    expect(await c.req(`m${hex(counter)},4`)).toBe(le32(1));
    expect(await c.req(`z2,${hex(counter)},4`)).toBe('OK');
    expect(await c.req(`Z3,${hex(counter)},4`)).toBe('OK');
    expect(await c.req('c')).toBe(`T05thread:01;rwatch:${hex(counter)};`);
    expect(await c.req('p20')).toBe(le32(sym(r, 'load_insn')));
    // gdb's way of stepping over it: a breakpoint after it, and continue.
    expect(await c.req(`Z0,${hex(sym(r, 'after_load'))},4`)).toBe('OK');
    expect(await c.req('c')).toBe('T05thread:01;');
    expect(r.board.hart.pc >>> 0).toBe(sym(r, 'after_load'));
    expect(r.board.hart.x[7]).toBe(1); // t2 loaded once
    expect(await c.req(`z0,${hex(sym(r, 'after_load'))},4`)).toBe('OK');
    expect(await c.req(`z3,${hex(counter)},4`)).toBe('OK');
    expect(await c.req(`Z4,${hex(counter)},4`)).toBe('OK');
    expect(await c.req('c')).toBe(`T05thread:01;awatch:${hex(counter)};`);
    expect(await c.req('p20')).toBe(le32(sym(r, 'store_insn')));
    expect(await c.req(`Z2,${hex(counter)},0`)).toMatch(/^E/);
  });

  it('0x03 stops a looping program with SIGINT; 0x03 while stopped is ignored', async () => {
    const r = await rig();
    const c = await client(r);
    c.raw('\x03');
    await c.quiet(100);
    c.raw(frame('c'));
    expect(await c.ack()).toBe('+');
    await new Promise((res) => setTimeout(res, 150));
    expect(r.board.hart.retired).toBeGreaterThan(1000);
    c.raw('\x03');
    expect(await c.next()).toBe('T02thread:01;');
    const pc = r.board.hart.pc >>> 0;
    expect(pc).toBeGreaterThanOrEqual(sym(r, 'spin'));
    expect(pc).toBeLessThanOrEqual(sym(r, 'after_load'));
    const n = r.board.hart.retired;
    await new Promise((res) => setTimeout(res, 50));
    expect(r.board.hart.retired).toBe(n);
    // A 0x03 in the same segment right after a continue interrupts that continue.
    c.raw(Buffer.concat([frame('c'), Buffer.from([3])]));
    expect(await c.ack()).toBe('+');
    expect(await c.next()).toBe('T02thread:01;');
  });

  it('a hart idle in wfi keeps gdb waiting until 0x03', async () => {
    const r = await rig();
    const c = await client(r);
    expect(await c.req(`P20=${le32(sym(r, 'idle_loop'))}`)).toBe('OK');
    c.raw(frame('c'));
    expect(await c.ack()).toBe('+');
    await c.quiet(150);
    c.raw('\x03');
    expect(await c.next()).toBe('T02thread:01;');
    expect(r.board.hart.pc >>> 0).toBe(sym(r, 'idle_loop') + 4);
  });

  it('reports the guest finishing as W, to the client and to onExit', async () => {
    const r = await rig();
    let c = await client(r);
    expect(await c.req(`P20=${le32(sym(r, 'exit_fail3'))}`)).toBe('OK');
    expect(await c.req('c')).toBe('W03');
    expect(r.exits).toEqual([3]);
    expect(await c.req('?')).toBe('W03');
    expect(await c.req('s')).toBe('W03');
    c.close();
    c = await client(r);
    expect(await c.req('?')).toBe('W03');
    const r2 = await rig();
    const c2 = await client(r2);
    expect(await c2.req(`P20=${le32(sym(r2, 'exit_pass'))}`)).toBe('OK');
    expect(await c2.req('c')).toBe('W00');
    expect(r2.exits).toEqual([0]);
  });
});

describe('gdb stub: sessions', () => {
  it('k ends the session; later clients see the machine killed', async () => {
    const r = await rig();
    let c = await client(r);
    c.raw(frame('k'));
    await c.done;
    expect(r.kills).toBe(1);
    c = await client(r);
    expect(await c.req('?')).toBe('X09');
    expect(await c.req('c')).toBe('X09');
  });

  it('a disconnect keeps the machine paused with its state, and drops the client\'s points', async () => {
    const r = await rig();
    let c = await client(r);
    await runTo(c, r, 'spin');
    expect(await c.req(`Pa=${le32(0xabcdef01)}`)).toBe('OK');
    expect(await c.req(`Z0,${hex(sym(r, 'load_insn'))},4`)).toBe('OK');
    const g = await c.req('g');
    const n = r.board.hart.retired;
    c.close();
    await c.done;
    await new Promise((res) => setTimeout(res, 50));
    c = await client(r);
    expect(await c.req('?')).toBe('T05thread:01;');
    expect(await c.req('g')).toBe(g);
    expect(r.board.hart.retired).toBe(n);
    expect(r.dbg.list()).toEqual([]);
    // Running while the client vanishes: the machine stops.
    c.raw(frame('c'));
    expect(await c.ack()).toBe('+');
    await new Promise((res) => setTimeout(res, 60));
    c.close();
    await c.done;
    await new Promise((res) => setTimeout(res, 50));
    const m = r.board.hart.retired;
    expect(m).toBeGreaterThan(n);
    await new Promise((res) => setTimeout(res, 60));
    expect(r.board.hart.retired).toBe(m);
    c = await client(r);
    expect(fromLe32((await c.req('g')).slice(32 * 8))).toBe(r.board.hart.pc >>> 0);
  });

  it('D answers OK and lets the machine run (as QEMU); the next client pauses it', async () => {
    const r = await rig();
    let c = await client(r);
    await runTo(c, r, 'spin');
    expect(await c.req(`Z0,${hex(sym(r, 'load_insn'))},4`)).toBe('OK');
    expect(await c.req('D')).toBe('OK');
    expect(r.dbg.list()).toEqual([]);
    c.close();
    await new Promise((res) => setTimeout(res, 100));
    const n = r.board.hart.retired;
    expect(n).toBeGreaterThan(1000);
    c = await client(r);
    expect(await c.req('?')).toBe('T05thread:01;');
    const m = r.board.hart.retired;
    await new Promise((res) => setTimeout(res, 60));
    expect(r.board.hart.retired).toBe(m);
  });

  it('makes a second client wait until the first has gone (as QEMU)', async () => {
    const r = await rig();
    const c = await client(r);
    expect(await c.req('?')).toBe('T05thread:01;');
    const c2 = await client(r);
    c2.raw(frame('qAttached'));
    await c2.quiet(150);
    expect(c2.acks).toEqual([]);
    expect(await c.req('qAttached')).toBe('1');
    c.close();
    expect(await c2.ack()).toBe('+');
    expect(await c2.next()).toBe('1');
    // One that gives up while waiting is forgotten.
    const c3 = await client(r);
    c3.close();
    await c3.done;
    expect(await c2.req('?')).toBe('T05thread:01;');
  });

  it('no-ack mode: after QStartNoAckMode nothing is acknowledged', async () => {
    const r = await rig();
    const c = await client(r);
    expect(await c.req('QStartNoAckMode')).toBe('OK');
    c.noAck = true;
    expect(await c.req('qAttached')).toBe('1');
    expect(await c.req('p21')).toBe(le32(3));
    expect(c.acks).toEqual([]);
  });

  it('monitor commands reach the command set; output comes as O packets, then OK', async () => {
    const r = await rig();
    const c = await client(r);
    const monitor = async (cmd: string): Promise<string> => {
      c.raw(frame(`qRcmd,${toHex(cmd)}`));
      expect(await c.ack()).toBe('+');
      let text = '';
      for (;;) {
        const p = await c.next();
        if (p === 'OK') return text;
        expect(p[0]).toBe('O');
        text += Buffer.from(p.slice(1), 'hex').toString('utf8');
      }
    };
    expect(await monitor('vtop 0x80000000')).toMatch(/Bare.*0x80000000/);
    expect(await monitor('info devices')).toMatch(/uart/i);
    await c.req('s');
    await c.req('s');
    const trace = await monitor('trace 5');
    expect(trace).toContain('00001000');
    expect(trace).toContain('00001004');
    expect(await monitor('stepi')).toMatch(/not available/);
    expect(r.board.hart.pc >>> 0).toBe(0x1008);
    expect(await c.req('qRcmd,zz')).toMatch(/^E/);
  });
});

describe('gdb stub: malformed input', () => {
  it('a bad checksum gets a NAK and no reply; the next packet works', async () => {
    const r = await rig();
    const c = await client(r);
    c.raw('$qAttached#00');
    expect(await c.ack()).toBe('-');
    await c.quiet();
    c.raw('$qAttached#zz');
    expect(await c.ack()).toBe('-');
    expect(await c.req('qAttached')).toBe('1');
  });

  it('a packet longer than PacketSize is refused with an error, without being kept', async () => {
    const r = await rig();
    const c = await client(r);
    const big = 'X80001000,3000:' + 'a'.repeat(0x3000);
    expect(await c.req(big)).toMatch(/^E/);
    // And one with no end at all, then a good packet.
    c.raw('$' + 'q'.repeat(200_000));
    c.raw('#00');
    expect(await c.ack()).toBe('-');
    expect(await c.req('qAttached')).toBe('1');
  });

  it('unknown packets get an empty reply; truncated or bad hex an error', async () => {
    const r = await rig();
    const c = await client(r);
    for (const p of ['qFooBar', 'vFoo', '!', 'j', 'QFoo:1', '', 'i']) expect(await c.req(p)).toBe('');
    for (const p of ['m8000', 'm80000000,', 'mxyz,4', 'P20=12', 'P20', 'p', 'Gabc', 'Z0,xyz,4', 'Z9,80000000,4', 'Z0,80000000',
      'M80001000,4:abc', 'M80001000,4:abcdefgg', 'M80001000,2:abcdef', 'X80001000,4:ab', 'g1', 'c1z', 'Hq1', 'vCont;x']) {
      expect(await c.req(p), p).toMatch(/^E[0-9a-f]{2}$/i);
    }
    expect(await c.req('qAttached')).toBe('1');
  });

  it('garbage outside packets is ignored; run-length encoded data is expanded', async () => {
    const r = await rig();
    const c = await client(r);
    c.raw(Buffer.from([0x00, 0xff, 0x41, 0x0a, 0x23, 0x7d, 0x2a]));
    expect(await c.req('qAttached')).toBe('1');
    // "1*&": '1' and 9 more: 5 bytes of 0x11.
    const buf = sym(r, 'buf');
    expect(await c.req(`M${hex(buf)},5:1*&`)).toBe('OK');
    expect(r.board.mem.read(buf, 5)).toEqual(Uint8Array.from([0x11, 0x11, 0x11, 0x11, 0x11]));
    // A NAK from the client makes the stub send its last packet again.
    expect(await c.req('p21')).toBe(le32(3));
    c.raw('-');
    expect(await c.next()).toBe(le32(3));
  });

  it('survives random packets and random bytes', async () => {
    const r = await rig();
    const c = await client(r);
    let seed = 12345;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    const alphabet = '0123456789abcdefABCDEF,:;=-.pxyzqQvZzmMXgGpPsS?HT';
    // Everything but what resumes the machine for good or ends the session.
    const heads = ['?', 'g', 'G', 'p', 'P', 'm', 'M', 'X', 's', 'S', 'Z', 'z', 'H', 'T', 'q', 'Q', 'v', 'qXfer:features:read:', 'qSupported:', 'vCont;s', 'Z2,', 'Z0,', 'X80001000,', 'M80001000,', 'm80000000,', 'p2'];
    for (let i = 0; i < 400; i++) {
      let body = heads[rnd(heads.length)]!;
      for (let n = rnd(24); n > 0; n--) body += alphabet[rnd(alphabet.length)];
      if (body.startsWith('q') && body.includes('Rcmd')) continue;
      const reply = await c.req(body);
      expect(typeof reply, body).toBe('string');
      if (i % 50 === 0) {
        c.raw(Buffer.from(Array.from({ length: 64 }, () => [0, 1, 2, 0x7f, 0x80, 0xfe, 0x41, 0x20][rnd(8)]!)));
      }
    }
    expect(await c.req('qAttached')).toBe('1');
  });

  it('a client gone mid-packet leaves the server working', async () => {
    const r = await rig();
    let c = await client(r);
    c.raw('$m8000');
    c.close();
    await c.done;
    c = await client(r);
    expect(await c.req('qAttached')).toBe('1');
    c.raw('$qAtt');
    c.raw('ached#' + checksum(Buffer.from('qAttached')));
    expect(await c.ack()).toBe('+');
    expect(await c.next()).toBe('1');
  });
});

describe('serveGdb (tessera run/debug --gdb)', () => {
  it('waits at the reset vector, prints where it listens, and returns the exit code', async () => {
    const { elf, symbols } = assemble(PROGRAM, { filename: 'stub.s' });
    const board = new Board();
    const prog = loadProgram(board, elf);
    const log: string[] = [];
    let port = 0;
    const done = serveGdb(board, prog, 0, { log: (l) => log.push(l), onListening: (p) => { port = p; } });
    await new Promise((res) => setTimeout(res, 50));
    expect(log).toEqual([`gdb stub listening on 127.0.0.1:${port}`]);
    expect(board.hart.pc).toBe(0x1000);
    expect(board.hart.retired).toBe(0);
    let c = await Client.open(port);
    clients.push(c);
    expect(await c.req(`P20=${le32(symbols.get('exit_fail3')!)}`)).toBe('OK');
    expect(await c.req('c')).toBe('W03');
    expect(await done).toBe(3);
    // Killed by the client: 137.
    const board2 = new Board();
    const prog2 = loadProgram(board2, elf);
    const done2 = serveGdb(board2, prog2, 0, { log: () => {}, onListening: (p) => { port = p; } });
    await new Promise((res) => setTimeout(res, 50));
    c = await Client.open(port);
    clients.push(c);
    c.raw(frame('k'));
    expect(await done2).toBe(EXIT_KILLED);
    // A port that cannot be had: one line, as a LoadError.
    await expect(serveGdb(board2, prog2, 70000, { log: () => {} })).rejects.toBeInstanceOf(GdbListenError);
  });
});
