// The framing of the GDB Remote Serial Protocol: `$data#cs` packets with `}`
// escapes (byte XOR 0x20) and `*` run-length encoding, `+`/`-` acks, and the
// break character 0x03 between packets. A decoder turns a byte stream into
// events without ever holding more than one packet's worth of data (a packet
// longer than the limit is reported, not buffered); an encoder frames a reply,
// escaping the bytes gdb would otherwise read as framing or as a repeat.
//
// Also the hex helpers the packets use: strict parsing (anything but hex
// digits is an error, so truncated or corrupted packets are refused) and
// little-endian register words.
//
// Entry points: RspDecoder (feed -> RspEvent[]), encodePacket, parseHexNum,
// hexToBytes, bytesToHex, le32Hex, parseLe32Hex.

export type RspEvent =
  | { kind: 'packet'; data: Buffer }
  | { kind: 'ack' }
  | { kind: 'nak' }
  | { kind: 'interrupt' }
  /** A packet whose checksum did not match (or whose checksum was not hex). */
  | { kind: 'bad-checksum' }
  /** A well-formed packet whose decoded data exceeded the limit; its data was dropped. */
  | { kind: 'too-long'; length: number };

const DOLLAR = 0x24, HASH = 0x23, ESCAPE = 0x7d, STAR = 0x2a, PLUS = 0x2b, MINUS = 0x2d, BREAK = 0x03;

/** Decoder states: between packets, in the data, expecting checksum digit 1 or 2. */
type State = 'idle' | 'data' | 'cs1' | 'cs2';

function hexDigit(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x61 && b <= 0x66) return b - 0x61 + 10;
  if (b >= 0x41 && b <= 0x46) return b - 0x41 + 10;
  return -1;
}

export class RspDecoder {
  private state: State = 'idle';
  private readonly buf: Uint8Array;
  private len = 0;
  /** Decoded length, which keeps counting past the limit. */
  private fullLen = 0;
  private sum = 0;
  private escaped = false;
  private repeat = false;
  private cs = 0;
  private csValid = true;
  /** Bytes seen outside any packet that meant nothing (for the log). */
  garbage = 0;

  /** `maxLength`: the largest decoded packet kept (the PacketSize we advertise). */
  constructor(readonly maxLength: number) {
    this.buf = new Uint8Array(maxLength);
  }

  feed(chunk: Uint8Array): RspEvent[] {
    const out: RspEvent[] = [];
    for (const b of chunk) {
      const ev = this.byte(b);
      if (ev) out.push(ev);
    }
    return out;
  }

  private byte(b: number): RspEvent | undefined {
    switch (this.state) {
      case 'idle': return this.idleByte(b);
      case 'data': this.dataByte(b); return undefined;
      case 'cs1':
        this.cs = hexDigit(b) << 4;
        this.csValid = hexDigit(b) >= 0;
        this.state = 'cs2';
        return undefined;
      case 'cs2':
        this.state = 'idle';
        this.csValid &&= hexDigit(b) >= 0;
        return this.finish(this.cs | hexDigit(b));
    }
  }

  private idleByte(b: number): RspEvent | undefined {
    if (b === DOLLAR) { this.start(); return undefined; }
    if (b === PLUS) return { kind: 'ack' };
    if (b === MINUS) return { kind: 'nak' };
    if (b === BREAK) return { kind: 'interrupt' };
    this.garbage++;
    return undefined;
  }

  private start(): void {
    this.state = 'data';
    this.len = this.fullLen = this.sum = 0;
    this.escaped = this.repeat = false;
  }

  private dataByte(b: number): void {
    // '$' and '#' are always framing (gdb escapes them in data). A '$' inside a
    // packet means the previous one was cut short: start over.
    if (b === DOLLAR) { this.garbage += this.fullLen; this.start(); return; }
    if (b === HASH) { this.state = 'cs1'; return; }
    this.sum = (this.sum + b) & 0xff;
    if (this.repeat) {
      this.repeat = false;
      // The count byte n means n - 29 more copies of the previous byte.
      const n = b - 29;
      const prev = this.len > 0 ? this.buf[this.len - 1]! : 0;
      for (let i = 0; i < n; i++) this.push(prev);
      return;
    }
    if (this.escaped) { this.escaped = false; this.push(b ^ 0x20); return; }
    if (b === ESCAPE) { this.escaped = true; return; }
    if (b === STAR && this.fullLen > 0) { this.repeat = true; return; }
    this.push(b);
  }

  private push(b: number): void {
    if (this.len < this.buf.length) this.buf[this.len++] = b;
    this.fullLen++;
  }

  private finish(cs: number): RspEvent {
    if (!this.csValid || cs !== this.sum) return { kind: 'bad-checksum' };
    if (this.fullLen > this.buf.length) return { kind: 'too-long', length: this.fullLen };
    return { kind: 'packet', data: Buffer.from(this.buf.subarray(0, this.len)) };
  }
}

/** Frame `data` as `$...#cs`, escaping `$`, `#`, `}` and `*`. */
export function encodePacket(data: string | Uint8Array): Buffer {
  const src = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  const out: number[] = [DOLLAR];
  let sum = 0;
  for (const b of src) {
    if (b === DOLLAR || b === HASH || b === ESCAPE || b === STAR) {
      out.push(ESCAPE, b ^ 0x20);
      sum += ESCAPE + (b ^ 0x20);
    } else {
      out.push(b);
      sum += b;
    }
  }
  out.push(HASH);
  const cs = (sum & 0xff).toString(16).padStart(2, '0');
  out.push(cs.charCodeAt(0), cs.charCodeAt(1));
  return Buffer.from(out);
}

const HEX_RE = /^[0-9a-fA-F]+$/;

/** A hex number of at most 8 digits (a 32-bit address or length), or undefined. */
export function parseHexNum(s: string, maxDigits = 8): number | undefined {
  if (!HEX_RE.test(s) || s.length > maxDigits) return undefined;
  return parseInt(s, 16) >>> 0;
}

/** Bytes from an even-length hex string, or undefined if it is not one. */
export function hexToBytes(s: string): Uint8Array | undefined {
  if (s.length % 2 !== 0 || (s.length > 0 && !HEX_RE.test(s))) return undefined;
  return Uint8Array.from(Buffer.from(s, 'hex'));
}

export function bytesToHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** A 32-bit value as gdb's register encoding: 4 bytes little-endian, in hex. */
export function le32Hex(v: number): string {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b.toString('hex');
}

/** The inverse of le32Hex, or undefined unless `s` is exactly 8 hex digits. */
export function parseLe32Hex(s: string): number | undefined {
  if (s.length !== 8 || !HEX_RE.test(s)) return undefined;
  return Buffer.from(s, 'hex').readUInt32LE(0);
}
