// What the debugger shows of the resident kernel (`info procs`, `info ipc`
// at the `tessera boot` debugger prompt): the process table and the IPC
// state, read from the kernel's public fields, never changing them.
//
//   info procs  one line per living process: slot, endpoint, name, state,
//               priority, flags, instructions retired, pages mapped, and
//               what it waits for (or why it stopped)
//   info ipc    who sends to and receives from whom, queued senders,
//               pending notifications and kernel messages, grants, alarms,
//               and the interrupt lines with their owners
//
// Entry points: infoProcs, infoIpc, endpointName.

import { ENDPOINT, NR_GRANTS } from './abi.ts';
import { STATE, STATE_NAMES, type Proc } from './proc.ts';
import type { Kernel } from './kernel.ts';

const ANY = 0x7ace;
const NONE = 0x6ace;
const SELF = 0x8ace;

const TASKS: Readonly<Record<number, string>> = {
  [ENDPOINT.SYSTEM]: 'SYSTEM', [ENDPOINT.CLOCK]: 'CLOCK', [ENDPOINT.HARDWARE]: 'HARDWARE', [ENDPOINT.KERNEL]: 'KERNEL',
  [ANY]: 'ANY', [NONE]: 'NONE', [SELF]: 'SELF',
};

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

/** An endpoint as a reader wants it: a task's name, or the process's name and endpoint, or "dead 0x..." for one that is gone. */
export function endpointName(k: Kernel, ep: number): string {
  const task = TASKS[ep];
  if (task !== undefined) return task;
  const p = k.procs.lookup(ep);
  return p ? `${p.name}(${hex(ep)})` : `dead ${hex(ep)}`;
}

/** A pending notification's source: a slot (a process) or a kernel task's endpoint. */
function notifierName(k: Kernel, src: number): string {
  if (src < 0) return TASKS[src] ?? String(src);
  const p = k.procs.procs[src];
  return p && p.state !== STATE.FREE ? p.name : `slot ${src}`;
}

function flagsOf(k: Kernel, p: Proc): string {
  const f: string[] = [];
  if (k.pm === p.endpoint) f.push('pm');
  if (p.priv.system) f.push('sys');
  if (p.priv.anyTarget) f.push('any');
  return f.join(',') || '-';
}

/** What a process waits for, or why it stopped. */
function waitOf(k: Kernel, p: Proc): string {
  switch (p.state) {
    case STATE.SENDING: return `send to ${endpointName(k, p.ipc.peer)}`;
    case STATE.RECEIVING: return `${p.ipc.sendrec ? 'reply from' : 'receive from'} ${endpointName(k, p.ipc.peer)}`;
    case STATE.STOPPED: return p.fault ? `fault cause ${p.fault.cause} at pc ${hex(p.fault.pc)}, tval ${hex(p.fault.tval)}` : 'stopped';
    default: return '';
  }
}

/** `info procs`: the process table, the running process marked with *. */
export function infoProcs(k: Kernel): string[] {
  const living = k.procs.living();
  if (living.length === 0) return ['No processes.'];
  const rows = living.map((p) => [
    `${p === k.current ? '*' : ' '}${p.slot}`, hex(p.endpoint), p.name, STATE_NAMES[p.state] ?? String(p.state),
    String(p.priority), flagsOf(k, p), String(p.instret), String(p.space?.pages ?? 0), waitOf(k, p),
  ]);
  const head = ['slot', 'endpoint', 'name', 'state', 'prio', 'flags', 'instret', 'pages', 'waiting for'];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const right = new Set([0, 4, 6, 7]);
  const line = (r: string[]): string => r.map((c, i) => (i === r.length - 1 ? c : right.has(i) ? c.padStart(width[i]) : c.padEnd(width[i]))).join('  ').trimEnd();
  const idle = k.current === undefined ? ['(no process on the hart: the kernel is idle)'] : [];
  return [line(head), ...rows.map(line), ...idle];
}

function ipcOf(k: Kernel, p: Proc): string[] {
  const lines: string[] = [];
  const wait = waitOf(k, p);
  if (p.state === STATE.SENDING || p.state === STATE.RECEIVING) lines.push(`blocked: ${wait}, message at ${hex(p.ipc.msg)}${p.ipc.sendrec && p.state === STATE.SENDING ? ' (sendrec)' : ''}`);
  if (p.ipc.senders.length) lines.push(`senders waiting: ${p.ipc.senders.map((s) => k.procs.procs[s]?.name ?? `slot ${s}`).join(', ')}`);
  if (p.ipc.notify.size) lines.push(`notifications pending from: ${[...p.ipc.notify].map((s) => notifierName(k, s)).join(', ')}`);
  if (p.ipc.kmsgs.length) lines.push(`kernel messages queued: ${p.ipc.kmsgs.length}`);
  const grants = p.grants.slice(0, NR_GRANTS).map((g, i) => (g ? `#${i} to ${endpointName(k, g.grantee)} ${hex(g.base)}+${g.len} ${g.access & 1 ? 'r' : ''}${g.access & 2 ? 'w' : ''}` : undefined))
    .filter((g): g is string => g !== undefined);
  if (grants.length) lines.push(`grants: ${grants.join('; ')}`);
  if (p.alarm !== undefined) lines.push(`alarm in ${Math.max(0, p.alarm - k.now())} ticks`);
  if (p.irqs.size) lines.push(`irq lines: ${[...p.irqs].sort((a, b) => a - b).join(', ')}`);
  return lines;
}

/** `info ipc`: each process's IPC state (quiet ones are listed at the end), then the interrupt lines. */
export function infoIpc(k: Kernel): string[] {
  const out: string[] = [];
  const quiet: string[] = [];
  for (const p of k.procs.living()) {
    const lines = ipcOf(k, p);
    if (lines.length === 0) quiet.push(p.name);
    else out.push(`${p.name} (${hex(p.endpoint)}, ${STATE_NAMES[p.state]}):`, ...lines.map((l) => `  ${l}`));
  }
  if (quiet.length) out.push(`no IPC state: ${quiet.join(', ')}`);
  if (out.length) out.push(`fast path: ${k.fastIpcs} calls (a sendrec or replyrecv straight to its waiting receiver)`);
  if (k.irqOwner.size) {
    out.push('interrupt lines:');
    for (const [line, slot] of [...k.irqOwner].sort((a, b) => a[0] - b[0])) {
      const owner = k.procs.procs[slot];
      const pending = ((k.irqPending.get(slot) ?? 0) & (1 << (line & 31))) !== 0; // as the kernel keeps them: bit line % 32
      const state = [k.irqInService.has(line) ? 'in service' : '', pending ? 'notification pending' : ''].filter(Boolean).join(', ');
      out.push(`  ${String(line).padStart(2)}  ${owner && owner.state !== STATE.FREE ? owner.name : `slot ${slot}`}${state ? `  (${state})` : ''}`);
    }
  }
  if (out.length === 0) out.push('No processes.');
  return out;
}
