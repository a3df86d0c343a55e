// The TRACE kernel call (docs/kernel.md, kernel/trace.ts): while a process
// is traced, every message it sends or receives, the notifications it makes
// and gets, and each kernel call with its result go into a log its tracer
// reads. The records are checked field by field against what the programs
// sent; the refusals (a second tracer, a reader that is not the tracer, an
// untraced endpoint, a bad buffer) and the end of a log (the traced process
// exits, the ring overflows) each have a case.

import { describe, it, expect } from 'vitest';
import { engineNames } from '../../kernel/engines.ts';
import { boot as bootWith, kcallProgram, ep, type System } from './util.ts';
import { KERR, TRACE, TRACE_KIND, TRACE_RECORD_SIZE, NOTIFY_MESSAGE, KCALL, ENDPOINT } from '../../kernel/abi.ts';
import { TRACE_RING } from '../../kernel/trace.ts';

const SELF = 0x8ace;
const TRACER = ep(0), CLIENT = ep(1), SERVER = ep(2);

/** The records the tracer's READ left at `label`: [kind, from, to, m_type, p0, p1, p2] (time left out). */
function records(s: System, label: string, n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: 7 }, (_, j) => s.word('tracer', label, i * 8 + 1 + j)));
}

/** The client: a sendrec to the server, a TIMES kernel call, a notify to the tracer; then `tail`. */
const client = (tail = 'PARK') => `
    .globl _start
_start:
    SETW req, M_TYPE, 0x123
    SETW req, P0, 77
    SETW req, P1, 78
    li a0, ${SERVER}
    la a1, req
    SYSCALL SYS_SENDREC
    SETW km, M_TYPE, K_TIMES
    SETW km, P0, ${SELF}
    KCALL km
    li a0, ${TRACER}
    SYSCALL SYS_NOTIFY
    ${tail}
    .data
    .balign 64
req: .space 64
km: .space 64
`;

const server = `
    .globl _start
_start:
    li a0, ANY
    la a1, buf
    SYSCALL SYS_RECEIVE
    SETW buf, M_TYPE, 0x456
    SETW buf, P0, 88
    li a0, ${CLIENT}
    la a1, buf
    SYSCALL SYS_SEND
    PARK
    .data
    .balign 64
buf: .space 64
`;

/** Wait for the client's notification (code for kcallProgram's `after`). */
const waitNotify = `
    li a0, ANY
    la a1, nbuf
    SYSCALL SYS_RECEIVE
`;

describe.each(engineNames)('%s engine', (engine) => {
  const boot: typeof bootWith = (progs, opts = {}) => bootWith(progs, { engine, ...opts });
  const system = (tracer: string, clientSrc = client()) => boot([
    { name: 'tracer', src: tracer, kcalls: ['trace'], priority: 5 },
    { name: 'client', src: clientSrc, kcalls: ['times', 'exit'], targets: ['server', 'tracer'], priority: 6 },
    { name: 'server', src: server, targets: ['client'], priority: 6 },
  ]);

  it('logs a sendrec, its reply, a kernel call with its result and a notify, in order', () => {
    const s = system(kcallProgram([
      { type: 'K_TRACE', args: [TRACE.START, CLIENT], after: waitNotify },
      { type: 'K_TRACE', args: [TRACE.READ, CLIENT, '=log', 64 * TRACE_RECORD_SIZE] },
      { type: 'K_TRACE', args: [TRACE.READ, CLIENT, '=log2', 64 * TRACE_RECORD_SIZE] },
    ], { data: `nbuf: .space 64\nlog: .space ${64 * TRACE_RECORD_SIZE}\nlog2: .space 64` }));
    expect(s.run().kind).toBe('idle');
    expect(s.msg('tracer', 'kmsg', 0).type).toBe(0);
    const read = s.msg('tracer', 'kmsg', 1);
    expect(read.type).toBe(0);
    expect(read.p.slice(0, 3)).toEqual([5, 0, 0]); // five records, none dropped, not ended
    const r = records(s, 'log', 5);
    expect(r[0]).toEqual([TRACE_KIND.MESSAGE, CLIENT, SERVER, 0x123, 77, 78, 0]);
    expect(r[1]).toEqual([TRACE_KIND.MESSAGE, SERVER, CLIENT, 0x456, 88, 78, 0]);
    expect(r[2]).toEqual([TRACE_KIND.KCALL, CLIENT, ENDPOINT.SYSTEM, KCALL.TIMES, SELF, 0, 0]);
    expect(r[3].slice(0, 3)).toEqual([TRACE_KIND.KREPLY, ENDPOINT.SYSTEM, CLIENT]);
    expect(r[3][3]).toBe(0); // TIMES succeeded
    expect(r[4]).toEqual([TRACE_KIND.NOTIFY, CLIENT, TRACER, NOTIFY_MESSAGE, 0, 0, 0]);
    // Times are mtime readings, in order.
    const times = [0, 1, 2, 3, 4].map((i) => s.word('tracer', 'log', i * 8) >>> 0);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // A read takes the records: the second read finds none.
    expect(s.msg('tracer', 'kmsg', 2).p.slice(0, 3)).toEqual([0, 0, 0]);
  });

  it('an untraced process leaves no log, and a stopped trace logs nothing more', () => {
    const s = system(kcallProgram([
      { type: 'K_TRACE', args: [TRACE.READ, CLIENT, '=log', 1024] },
      { type: 'K_TRACE', args: [TRACE.START, CLIENT] },
      { type: 'K_TRACE', args: [TRACE.STOP, CLIENT], after: waitNotify },
      { type: 'K_TRACE', args: [TRACE.READ, CLIENT, '=log', 1024] },
    ], { data: 'nbuf: .space 64\nlog: .space 1024' }));
    expect(s.run().kind).toBe('idle');
    expect([0, 1, 2, 3].map((i) => s.msg('tracer', 'kmsg', i).type)).toEqual([-KERR.ESRCH, 0, 0, -KERR.ESRCH]);
    expect(s.kernel.procs.lookup(CLIENT)?.trace).toBeUndefined();
  });

  it('a second tracer is refused with EBUSY, and only the tracer may read or stop', () => {
    const other = kcallProgram([
      { type: 'K_TRACE', args: [TRACE.START, CLIENT] },
      { type: 'K_TRACE', args: [TRACE.READ, CLIENT, '=log', 1024] },
      { type: 'K_TRACE', args: [TRACE.STOP, CLIENT] },
    ], { data: 'log: .space 1024' });
    const s = boot([
      { name: 'tracer', src: kcallProgram([{ type: 'K_TRACE', args: [TRACE.START, CLIENT] }]), kcalls: ['trace'], priority: 4 },
      { name: 'client', src: 'PARK', priority: 6 },
      { name: 'other', src: other, kcalls: ['trace'], priority: 5 },
    ]);
    expect(s.run().kind).toBe('idle');
    expect(s.msg('tracer', 'kmsg', 0).type).toBe(0);
    expect([0, 1, 2].map((i) => s.msg('other', 'kmsg', i).type)).toEqual([-KERR.EBUSY, -KERR.EPERM, -KERR.EPERM]);
    expect(s.kernel.procs.lookup(CLIENT)?.trace).toBeDefined();
  });

  it('a READ into a bad buffer fails with EFAULT and loses no record', () => {
    const s = system(kcallProgram([
      { type: 'K_TRACE', args: [TRACE.START, CLIENT], after: waitNotify },
      { type: 'K_TRACE', args: [TRACE.READ, CLIENT, 0x40000000, 1024] },
      { type: 'K_TRACE', args: [TRACE.READ, CLIENT, '=log', 1024] },
    ], { data: 'nbuf: .space 64\nlog: .space 1024' }));
    expect(s.run().kind).toBe('idle');
    expect(s.msg('tracer', 'kmsg', 1).type).toBe(-KERR.EFAULT);
    expect(s.msg('tracer', 'kmsg', 2).p[0]).toBe(5);
  });

  it('the log outlives the process: the read after its exit says it ended, and the log is gone', () => {
    const exitTail = `
    SETW km, M_TYPE, K_EXIT
    SETW km, P0, ${SELF}
    KCALL km
    PARK`;
    const s = system(kcallProgram([
      { type: 'K_TRACE', args: [TRACE.START, CLIENT], after: `${waitNotify}\n${waitNotify.replace('ANY', `${ENDPOINT.CLOCK}`)}` },
      { type: 'K_TRACE', args: [TRACE.READ, CLIENT, '=log', 3 * TRACE_RECORD_SIZE] },
      { type: 'K_TRACE', args: [TRACE.READ, CLIENT, '=log', 64 * TRACE_RECORD_SIZE] },
      { type: 'K_TRACE', args: [TRACE.READ, CLIENT, '=log', 64 * TRACE_RECORD_SIZE] },
    ], { pre: `
    SETW alarm, M_TYPE, K_SETALARM
    SETW alarm, P0, 100000
    KCALL alarm`, data: `nbuf: .space 64\nlog: .space ${64 * TRACE_RECORD_SIZE}\nalarm: .space 64` }), client(exitTail));
    s.kernel.procs.procs[0].priv.kcalls |= 1 << (KCALL.SETALARM - KCALL.FORK);
    expect(s.run().kind).toBe('idle');
    expect(s.kernel.procs.lookup(CLIENT)).toBeUndefined();
    // The buffer holds 3 of the 6 records (sendrec, reply, TIMES, its result, notify, EXIT): the rest wait.
    expect(s.msg('tracer', 'kmsg', 1).p.slice(0, 3)).toEqual([3, 0, 0]);
    expect(s.msg('tracer', 'kmsg', 2).p.slice(0, 3)).toEqual([3, 0, 1]);
    // (p1 and p2 are what TIMES left in the reused message.)
    expect(records(s, 'log', 3)[2].slice(0, 5)).toEqual([TRACE_KIND.KCALL, CLIENT, ENDPOINT.SYSTEM, KCALL.EXIT, SELF]);
    expect(s.msg('tracer', 'kmsg', 3).type).toBe(-KERR.ESRCH);
    expect(s.kernel.traces.size).toBe(0);
  });

  it('a full ring drops the oldest records and counts them', () => {
    const loops = TRACE_RING; // each round is a kernel call and its result: 2 records
    const busy = `
    .globl _start
_start:
    li s1, ${loops}
1:  SETW km, M_TYPE, K_TIMES
    SETW km, P0, ${SELF}
    KCALL km
    addi s1, s1, -1
    bnez s1, 1b
    li a0, ${TRACER}
    SYSCALL SYS_NOTIFY
    PARK
    .data
    .balign 64
km: .space 64
`;
    const s = system(kcallProgram([
      { type: 'K_TRACE', args: [TRACE.START, CLIENT], after: waitNotify },
      { type: 'K_TRACE', args: [TRACE.READ, CLIENT, '=log', 2 * TRACE_RECORD_SIZE] },
      { type: 'K_TRACE', args: [TRACE.READ, CLIENT, '=log', 2 * TRACE_RECORD_SIZE] },
    ], { data: 'nbuf: .space 64\nlog: .space 64' }), busy);
    expect(s.run().kind).toBe('idle');
    // 2 * loops + 1 records went in; the ring keeps the newest TRACE_RING.
    expect(s.msg('tracer', 'kmsg', 1).p.slice(0, 2)).toEqual([2, 2 * loops + 1 - TRACE_RING]);
    expect(s.msg('tracer', 'kmsg', 2).p.slice(0, 2)).toEqual([2, 0]);
  });
});
