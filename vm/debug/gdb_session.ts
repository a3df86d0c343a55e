// One GDB client's session: acks and retransmission, no-ack mode, and the
// packets (GDB manual, "Remote Protocol"), each a row of PACKETS:
//   ?  g G p P  m M X  c C s S vCont  Z z  k D  H T  q... Q... v...
// Replies are those gdb expects of QEMU's stub where QEMU gives one: E14 for
// memory or a register that cannot be reached, E01 for a malformed or
// impossible request, an empty reply for what is not supported. One thread
// (id 1); the machine itself is the GdbTarget this session drives.
//
// Malformed input: a bad checksum gets `-` and is dropped; a packet over
// PACKET_SIZE is acked (its checksum was right) and refused with E01, its
// data never kept; bytes outside packets are ignored; a `-` from the client
// resends the last packet.
//
// Events are handled strictly in arrival order (a 0x03 right after a `c` in
// the same segment interrupts that continue), synchronously except for
// `monitor` commands, which wait for the command set (vm/debug/commands.ts,
// with canRun false: gdb does the running).
//
// Entry points: GdbSession, PACKET_SIZE.

import type { Socket } from 'node:net';
import type { Debugger, StopEvent } from './debugger.ts';
import type { GdbTarget } from './gdbstub.ts';
import {
  RspDecoder, encodePacket, parseHexNum, hexToBytes, bytesToHex, le32Hex, parseLe32Hex, type RspEvent,
} from './rsp.ts';
import { TARGET_FILES, G_REGS, REG } from './target_xml.ts';
import { readGdbRegister, writeGdbRegister, readVirt, writeVirt } from './gdb_access.ts';
import { executeCommand } from './commands.ts';

/** Largest packet accepted (and advertised as PacketSize), as QEMU. */
export const PACKET_SIZE = 0x1000;
/** Bytes per m reply and per O packet of monitor output, so replies fit in PACKET_SIZE. */
const MAX_READ = (PACKET_SIZE - 16) >> 1;

const ERR_BAD = 'E01';
const ERR_ACCESS = 'E14';
const THREAD = 'thread:01;';

type Reply = string | undefined | Promise<string | undefined>;
type Handler = (s: GdbSession, text: string, raw: Buffer) => Reply;

export interface SessionHooks {
  log(s: string): void;
  onKill(): void;
  onEnd(): void;
}

/** Breakpoint and watchpoint kinds by Z packet type. */
const Z_KINDS = ['break', 'break', 'watch', 'rwatch', 'awatch'] as const;

/** Does a thread id (`1`, `-1`, `0`, `p1.1`, `p-1`...) include our one thread? */
function isOurThread(id: string): boolean {
  const m = /^(?:p(-1|[0-9a-fA-F]+)(?:\.(-1|[0-9a-fA-F]+))?|(-1|[0-9a-fA-F]+))$/.exec(id);
  if (!m) return false;
  const ok = (v: string | undefined): boolean => v === undefined || v === '-1' || parseInt(v, 16) <= 1;
  return m[3] !== undefined ? ok(m[3]) : ok(m[1]) && ok(m[2]);
}

/** `addr,len` (hex) from a packet body, or undefined. Leading zeros are allowed. */
function parseAddrLen(s: string): { addr: number; len: number } | undefined {
  const m = /^0*([0-9a-fA-F]+),0*([0-9a-fA-F]+)$/.exec(s);
  if (!m) return undefined;
  const addr = parseHexNum(m[1]!), len = parseHexNum(m[2]!);
  return addr === undefined || len === undefined ? undefined : { addr, len };
}

export class GdbSession {
  private readonly decoder = new RspDecoder(PACKET_SIZE);
  private noAck = false;
  swbreak = false;
  hwbreak = false;
  private lastSent: Buffer | undefined;
  private readonly queue: RspEvent[] = [];
  private busy = false;
  /** A c/s/vCont is waiting for its stop reply. */
  private waiting = false;
  private detached = false;
  private ended = false;
  /** Our breakpoints and watchpoints: "type,addr,kind" -> debugger ids, and id -> Z type. */
  private readonly points = new Map<string, number[]>();
  private readonly zType = new Map<number, number>();
  private readonly stopListener = (ev: StopEvent): void => this.onStop(ev);

  constructor(readonly target: GdbTarget, private readonly sock: Socket, readonly hooks: SessionHooks) {
    target.pause();
    // gdb's RISC-V port expects watchpoints to stop before the access, as on QEMU.
    target.dbg.watchStopsBefore = true;
    target.onStop = this.stopListener;
    sock.on('data', (d: Buffer) => this.onData(d));
    sock.on('close', () => this.end());
    sock.on('error', (e) => hooks.log(`gdb: connection error: ${e.message}`));
  }

  get dbg(): Debugger { return this.target.dbg; }

  /** The client is gone (or the server closes): pause a machine it left running, drop its points. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.detached) this.target.pause();
    this.removePoints();
    if (this.target.onStop === this.stopListener) this.target.onStop = undefined;
    // Let a last reply (OK to vKill, W) go out; cut the connection if it lingers.
    this.sock.end();
    setTimeout(() => this.sock.destroy(), 1000).unref();
    this.hooks.onEnd();
  }

  // --- transport ---

  private onData(d: Buffer): void {
    if (this.ended) return;
    this.queue.push(...this.decoder.feed(d));
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length > 0 && !this.ended) {
        const p = this.event(this.queue.shift()!);
        if (p) await p;
      }
    } catch (e) {
      // A bug in a handler must not take the server down: report it and drop the client.
      this.hooks.log(`gdb: internal error: ${(e as Error).stack ?? e}`);
      this.end();
    } finally {
      this.busy = false;
    }
  }

  private event(ev: RspEvent): Promise<void> | undefined {
    switch (ev.kind) {
      case 'ack': return undefined;
      case 'nak': if (!this.noAck && this.lastSent) this.write(this.lastSent); return undefined;
      case 'interrupt': if (this.waiting) this.target.interrupt(); return undefined;
      case 'bad-checksum':
        this.hooks.log('gdb: packet with a bad checksum');
        if (!this.noAck) this.write(Buffer.from('-'));
        return undefined;
      case 'too-long':
        this.hooks.log(`gdb: packet of ${ev.length} bytes is over PacketSize`);
        if (!this.noAck) this.write(Buffer.from('+'));
        this.send(ERR_BAD);
        return undefined;
      case 'packet': {
        if (!this.noAck) this.write(Buffer.from('+'));
        const r = this.handle(ev.data);
        if (r instanceof Promise) return r.then((v) => { if (v !== undefined) this.send(v); });
        if (r !== undefined) this.send(r);
        return undefined;
      }
    }
  }

  private write(b: Buffer): void {
    if (!this.ended && !this.sock.destroyed) this.sock.write(b);
  }

  send(data: string | Uint8Array): void {
    const pkt = encodePacket(data);
    this.lastSent = pkt;
    this.write(pkt);
  }

  private handle(raw: Buffer): Reply {
    const text = raw.toString('latin1');
    const h = PACKETS[text[0] ?? ''];
    try {
      return h ? h(this, text, raw) : '';
    } catch (e) {
      // A request the core refuses (or a bug): an error reply, never a crash.
      this.hooks.log(`gdb: '${text.slice(0, 40)}' failed: ${(e as Error).message}`);
      return ERR_BAD;
    }
  }

  // --- running and stopping ---

  /** Resume as c, s or a vCont action asks; the reply comes with the stop. */
  run(action: 'c' | 's', addr?: number): string | undefined {
    const t = this.target;
    if (t.state === 'exited') return this.exitReply();
    if (t.state === 'killed') return 'X09';
    if (addr !== undefined) this.setPc(addr);
    this.waiting = true;
    if (action === 'c') t.resume();
    else t.stopped(t.dbg.stepOne() ?? { reason: 'step' });
    return undefined;
  }

  private onStop(ev: StopEvent): void {
    if (!this.waiting) return;
    this.waiting = false;
    this.send(this.stopReply(ev));
  }

  private setPc(v: number): void {
    this.dbg.board.hart.pc = v | 0;
  }

  /** Register `n` as gdb should see it. */
  private reg(n: number): number | undefined {
    return readGdbRegister(this.dbg.board.hart, n);
  }

  private exitReply(): string {
    return `W${(this.target.exitCode & 0xff).toString(16).padStart(2, '0')}`;
  }

  stopReply(ev?: StopEvent): string {
    const t = this.target;
    if (t.state === 'exited') return this.exitReply();
    if (t.state === 'killed') return 'X09';
    if (!ev) return `T05${THREAD}`;
    if (ev.reason === 'interrupted') return `T02${THREAD}`;
    if (ev.reason === 'breakpoint') {
      const z = this.zType.get(ev.bp.id);
      const why = z === 0 && this.swbreak ? 'swbreak:;' : z === 1 && this.hwbreak ? 'hwbreak:;' : '';
      return `T05${THREAD}${why}`;
    }
    if (ev.reason === 'watchpoint' && this.zType.has(ev.wp.id)) {
      // The accessed address, within the watched range (an access may start below it).
      const a = Math.max(ev.addr, ev.wp.addr) >>> 0;
      return `T05${THREAD}${ev.wp.type}:${a.toString(16)};`;
    }
    return `T05${THREAD}`;
  }

  // --- breakpoints and watchpoints ---

  point(insert: boolean, text: string): string {
    const m = /^[Zz]([0-4]),([0-9a-fA-F]+),([0-9a-fA-F]+)(?:;.*)?$/.exec(text);
    const addr = m ? parseHexNum(m[2]!.replace(/^0+(?=.)/, '')) : undefined;
    const kind = m ? parseHexNum(m[3]!) : undefined;
    if (!m || addr === undefined || kind === undefined) return ERR_BAD;
    const type = Number(m[1]);
    const key = `${type},${addr},${kind}`;
    const ids = this.points.get(key) ?? [];
    if (!insert) {
      const id = ids.pop();
      if (id === undefined) return ERR_BAD;
      this.dbg.delete(id);
      this.zType.delete(id);
      if (ids.length === 0) this.points.delete(key);
      return 'OK';
    }
    const zk = Z_KINDS[type]!;
    if (zk !== 'break' && (kind < 1 || kind > 4096)) return ERR_BAD;
    const p = zk === 'break' ? this.dbg.addBreakpoint(addr) : this.dbg.addWatchpoint(zk, addr, kind, false);
    ids.push(p.id);
    this.points.set(key, ids);
    this.zType.set(p.id, type);
    return 'OK';
  }

  removePoints(): void {
    for (const ids of this.points.values()) for (const id of ids) this.dbg.delete(id);
    this.points.clear();
    this.zType.clear();
  }

  // --- session control ---

  detach(): string {
    this.removePoints();
    this.detached = true;
    this.waiting = false;
    if (this.target.onStop === this.stopListener) this.target.onStop = undefined;
    // As QEMU: the machine carries on without the debugger.
    this.target.resume();
    return 'OK';
  }

  kill(): undefined {
    this.removePoints();
    this.target.kill();
    this.hooks.log('gdb: killed by the client');
    this.detached = true;
    this.hooks.onKill();
    this.end();
    return undefined;
  }

  noAckMode(): string {
    // This packet was acked already; gdb acks our OK, and from then on nothing is.
    this.noAck = true;
    return 'OK';
  }

  // --- registers and memory ---

  readAllRegisters(): string {
    let out = '';
    for (let i = 0; i < G_REGS; i++) out += le32Hex(this.reg(i)!);
    return out;
  }

  writeAllRegisters(hex: string): string {
    if (hex.length % 8 !== 0 || hex.length > G_REGS * 8) return ERR_BAD;
    const vals: number[] = [];
    for (let i = 0; i < hex.length; i += 8) {
      const v = parseLe32Hex(hex.slice(i, i + 8));
      if (v === undefined) return ERR_BAD;
      vals.push(v);
    }
    vals.forEach((v, i) => (i === REG.PC ? this.setPc(v) : writeGdbRegister(this.dbg.board.hart, i, v)));
    return 'OK';
  }

  readRegister(text: string): string {
    const n = parseHexNum(text.slice(1));
    if (n === undefined) return ERR_BAD;
    const v = this.reg(n);
    return v === undefined ? ERR_ACCESS : le32Hex(v);
  }

  writeRegister(text: string): string {
    const m = /^P([0-9a-fA-F]+)=([0-9a-fA-F]*)$/.exec(text);
    const n = m ? parseHexNum(m[1]!) : undefined;
    const v = m ? parseLe32Hex(m[2]!) : undefined;
    if (n === undefined || v === undefined) return ERR_BAD;
    if (n === REG.PC) { this.setPc(v); return 'OK'; }
    return writeGdbRegister(this.dbg.board.hart, n, v) ? 'OK' : ERR_ACCESS;
  }

  readMemory(text: string): string {
    const al = parseAddrLen(text.slice(1));
    if (!al) return ERR_BAD;
    if (al.len === 0) return '';
    const bytes = readVirt(this.dbg.board.hart, al.addr, Math.min(al.len, MAX_READ));
    return bytes.length === 0 ? ERR_ACCESS : bytesToHex(bytes);
  }

  /** M (hex data) and X (binary data): all of `len` bytes, or an error. */
  writeMemory(raw: Buffer, binary: boolean): string {
    const colon = raw.indexOf(0x3a);
    if (colon < 0) return ERR_BAD;
    const al = parseAddrLen(raw.subarray(1, colon).toString('latin1'));
    if (!al) return ERR_BAD;
    const body = raw.subarray(colon + 1);
    const data = binary ? body : hexToBytes(body.toString('latin1'));
    if (!data || data.length !== al.len) return ERR_BAD;
    if (al.len === 0) return 'OK';
    return writeVirt(this.dbg.board.hart, al.addr, data) ? 'OK' : ERR_ACCESS;
  }

  // --- queries ---

  supported(text: string): string {
    const features = text.slice('qSupported:'.length).split(';');
    this.swbreak = features.includes('swbreak+');
    this.hwbreak = features.includes('hwbreak+');
    return `PacketSize=${PACKET_SIZE.toString(16)};QStartNoAckMode+;qXfer:features:read+;swbreak+;hwbreak+;vContSupported+`;
  }

  /** qXfer:features:read:ANNEX:OFFSET,LENGTH -> m<data> (more follows) or l<data> (the end). */
  features(text: string): Reply {
    const m = /^qXfer:features:read:([^:]*):([0-9a-fA-F]+),([0-9a-fA-F]+)$/.exec(text);
    const off = m ? parseHexNum(m[2]!) : undefined;
    const len = m ? parseHexNum(m[3]!) : undefined;
    if (!m || off === undefined || len === undefined) return ERR_BAD;
    const file = TARGET_FILES.get(m[1]!);
    if (file === undefined) return 'E00';
    const n = Math.min(len, PACKET_SIZE - 16);
    const chunk = file.slice(off, off + n);
    return (off + n >= file.length ? 'l' : 'm') + chunk;
  }

  /** qRcmd: a `monitor` command, its output as O packets, then OK. */
  async monitor(hex: string): Promise<string | undefined> {
    const bytes = hexToBytes(hex);
    if (!bytes) return ERR_BAD;
    const line = Buffer.from(bytes).toString('utf8');
    // The command set writes lines without their newline; gdb prints O packets as they come.
    const out = (t: string): void => {
      const b = Buffer.from(t.endsWith('\n') ? t : t + '\n', 'utf8');
      for (let i = 0; i < b.length; i += MAX_READ) this.send('O' + bytesToHex(b.subarray(i, i + MAX_READ)));
    };
    let quit = false;
    try {
      quit = (await executeCommand({ dbg: this.dbg, out, canRun: false }, line)).quit === true;
    } catch (e) {
      out(`error: ${(e as Error).message}\n`);
    }
    if (!quit) return 'OK';
    // `monitor quit` ends the emulator, as on QEMU.
    this.send('OK');
    return this.kill();
  }

  vCont(text: string): Reply {
    if (text === 'vCont?') return 'vCont;c;C;s;S';
    for (const part of text.slice('vCont;'.length).split(';')) {
      const [action = '', tid] = part.split(':');
      if (tid !== undefined && !isOurThread(tid)) continue;
      if (/^[cC]([0-9a-fA-F]{2})?$/.test(action)) return this.run('c');
      if (/^[sS]([0-9a-fA-F]{2})?$/.test(action)) return this.run('s');
      return ERR_BAD;
    }
    return ERR_BAD;
  }

  threadSelect(text: string): string {
    return isOurThread(text.slice(2)) && (text[1] === 'g' || text[1] === 'c') ? 'OK' : ERR_BAD;
  }
}

/** c/s [addr] and C/S sig[;addr] (the signal is not delivered: there are no signals to deliver). */
function resumePacket(s: GdbSession, text: string): Reply {
  const action = text[0] === 'c' || text[0] === 'C' ? 'c' : 's';
  const m = /^[cs]([0-9a-fA-F]*)$/.exec(text) ?? /^[CS][0-9a-fA-F]{2}(?:;([0-9a-fA-F]+))?$/.exec(text);
  if (!m) return ERR_BAD;
  const addr = m[1] ? parseHexNum(m[1].replace(/^0+(?=.)/, '')) : undefined;
  if (m[1] && addr === undefined) return ERR_BAD;
  return s.run(action, addr);
}

function query(s: GdbSession, text: string): Reply {
  if (text.startsWith('qSupported')) return s.supported(text);
  if (text.startsWith('qXfer:features:read:')) return s.features(text);
  if (text.startsWith('qRcmd,')) return s.monitor(text.slice('qRcmd,'.length));
  if (text === 'qAttached' || text.startsWith('qAttached:')) return '1';
  if (text === 'qC') return 'QC01';
  if (text === 'qfThreadInfo') return 'm01';
  if (text === 'qsThreadInfo') return 'l';
  if (text.startsWith('qSymbol')) return 'OK';
  return '';
}

function vPacket(s: GdbSession, text: string): Reply {
  if (text.startsWith('vCont')) return s.vCont(text);
  if (text.startsWith('vKill')) { s.send('OK'); return s.kill(); }
  return ''; // vMustReplyEmpty and everything not supported
}

const PACKETS: Readonly<Record<string, Handler>> = {
  '?': (s) => s.stopReply(),
  g: (s, t) => (t === 'g' ? s.readAllRegisters() : ERR_BAD),
  G: (s, t) => s.writeAllRegisters(t.slice(1)),
  p: (s, t) => s.readRegister(t),
  P: (s, t) => s.writeRegister(t),
  m: (s, t) => s.readMemory(t),
  M: (s, _t, raw) => s.writeMemory(raw, false),
  X: (s, _t, raw) => s.writeMemory(raw, true),
  c: resumePacket, C: resumePacket, s: resumePacket, S: resumePacket,
  Z: (s, t) => s.point(true, t),
  z: (s, t) => s.point(false, t),
  k: (s) => s.kill(),
  D: (s) => s.detach(),
  H: (s, t) => s.threadSelect(t),
  T: (_s, t) => (isOurThread(t.slice(1)) ? 'OK' : ERR_BAD),
  q: query,
  Q: (s, t) => (t === 'QStartNoAckMode' ? s.noAckMode() : ''),
  v: vPacket,
};
