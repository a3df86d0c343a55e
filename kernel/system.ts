// Kernel calls: a privileged process sendrecs a message to SYSTEM whose
// m_type names the call (KCALL) and whose payload words p0..p13 carry the
// arguments; the reply comes back in the same buffer, m_type = 0 or -errno,
// results in the payload. Each call is allowed per process (PRIVCTL, or the
// boot list); a call outside the allow-list fails with -EKCALLDENIED as the
// sendrec result, and the message is left untouched. docs/kernel.md lists
// every call's fields, as MINIX documents its do_* calls.
//
// Check, then do: each handler validates everything before it changes
// anything.
//
// Entry points: kernelCall.

import { KCALL, KERR, MESSAGE, GRANT, NR_GRANTS, IRQCTL, VMCTL, GETINFO, PROCINFO_SIZE, PRIV, LAYOUT } from './abi.ts';
import { STATE, type Proc } from './proc.ts';
import type { Kernel } from './kernel.ts';
import { COPY_OK } from './copy.ts';
import { SAVE_PC } from './switch.ts';
import { ipcDetach, type IpcResult } from './ipc.ts';
import { PROT } from './space.ts';
import { traceControl, traceKernelCall } from './trace.ts';

type Handler = (k: Kernel, caller: Proc, m: Int32Array) => number;

const pageAligned = (a: number): boolean => (a & 0xfff) === 0;

/** The target process of a call: p0 = endpoint, SELF (0x8ace) meaning the caller. */
function target(k: Kernel, caller: Proc, ep: number): Proc | undefined {
  return ep === 0x8ace ? caller : k.procs.lookup(ep);
}

const HANDLERS: Readonly<Record<number, Handler>> = {
  /** FORK p0 = parent endpoint -> p0 = child endpoint. The child is the parent's copy, waiting for the caller's reply. */
  [KCALL.FORK]: (k, caller, m) => {
    const parent = target(k, caller, m[2]);
    if (parent === undefined) return -KERR.ESRCH;
    if (parent === caller) k.saveCurrent();
    const child = k.procs.allocate(parent.name);
    if (child === undefined) return -KERR.EAGAIN;
    const space = parent.space!.clone();
    if (space === undefined) { child.state = STATE.FREE; return -KERR.ENOMEM; }
    child.space = space;
    child.priority = parent.priority;
    child.priv = { ...parent.priv, targets: new Set(parent.priv.targets), irqs: new Set(), mmio: [] };
    child.brk = parent.brk;
    child.heapStart = parent.heapStart;
    k.frames.copy(child.saveArea, parent.saveArea, 256);
    // Like its parent, it is in the receive half of a sendrec to the caller (PM), which replies to both.
    child.state = STATE.RECEIVING;
    child.ipc.peer = caller.endpoint;
    child.ipc.replyWait = true;
    child.ipc.msg = parent.state === STATE.RECEIVING || parent.state === STATE.SENDING ? parent.ipc.msg : 0;
    m[2] = child.endpoint;
    return 0;
  },
  /** EXEC p0 = endpoint, p1 = address of an ELF image in the caller, p2 = its length. Replaces the image; the process restarts at the entry. */
  [KCALL.EXEC]: (k, caller, m) => {
    const p = target(k, caller, m[2]);
    if (p === undefined) return -KERR.ESRCH;
    if (p === caller) return -KERR.EINVAL; // PM execs on a process's behalf; a process never replaces itself here
    if (m[4] <= 0 || m[4] > 16 << 20) return -KERR.EINVAL;
    let name = p.name;
    if (m[6] !== 0) {
      if (m[6] < 0 || m[6] > 15) return -KERR.EINVAL;
      const bytes = k.user.read(caller, m[5], m[6]);
      if (bytes === undefined) return -KERR.EFAULT;
      if (bytes.some((b) => b < 0x20 || b > 0x7e)) return -KERR.EINVAL;
      name = String.fromCharCode(...bytes);
    }
    const elf = k.user.read(caller, m[3], m[4]);
    if (elf === undefined) return -KERR.EFAULT;
    const np = k.spawn(name, elf);
    if (typeof np === 'string') return -KERR.EINVAL;
    // Move the new image into p's slot: same endpoint, fresh memory and registers.
    const old = p.space;
    p.name = name;
    p.space = np.space;
    p.brk = np.brk;
    p.heapStart = np.heapStart;
    k.frames.copy(p.saveArea, np.saveArea, 256);
    np.space = undefined;
    np.state = STATE.FREE;
    if (old?.tlbSet) k.h.mmu.dropSet(old.tlbSet);
    old?.destroy();
    // Nothing of the old image survives: its grants and its alarm go with it.
    p.grants = new Array(p.grants.length);
    p.alarm = undefined;
    k.alarmsChanged();
    ipcDetach(k, p);
    k.ready(p);
    return 0;
  },
  /** EXIT p0 = endpoint (SELF for the caller), p1 = status. */
  [KCALL.EXIT]: (k, caller, m) => {
    const p = target(k, caller, m[2]);
    if (p === undefined) return -KERR.ESRCH;
    k.exit(p, m[3] & 0xff);
    return 0;
  },
  /** KILL p0 = endpoint, p1 = signal: the process stops and PM is told, as for a fault. */
  [KCALL.KILL]: (k, caller, m) => {
    const p = target(k, caller, m[2]);
    if (p === undefined) return -KERR.ESRCH;
    if (m[3] <= 0 || m[3] > 31) return -KERR.EINVAL;
    if (p === caller) k.saveCurrent();
    k.stop(p, m[3], -1, 0, k.frames.read32(p.saveArea + SAVE_PC), `killed by ${caller.name} (signal ${m[3]})`);
    return 0;
  },
  /** PRIVCTL p0 = endpoint, p1 = flags (PRIV), p2 = kernel-call bits, p3/p4 = target slot bits 0-31/32-63, p5 = IRQ bits, p6/p7 = MMIO base/size. */
  [KCALL.PRIVCTL]: (k, caller, m) => {
    const p = target(k, caller, m[2]);
    if (p === undefined) return -KERR.ESRCH;
    const setPriority = (m[3] & PRIV.SET_PRIORITY) !== 0;
    if (setPriority && (m[10] < 0 || m[10] > 15)) return -KERR.EINVAL;
    const targets = new Set<number>();
    for (let s = 0; s < 64; s++) if (((s < 32 ? m[5] : m[6]) >>> (s & 31)) & 1) targets.add(s);
    const irqs = new Set<number>();
    for (let l = 0; l < 32; l++) if ((m[7] >>> l) & 1) irqs.add(l);
    p.priv = {
      anyTarget: (m[3] & PRIV.ANY_TARGET) !== 0, system: (m[3] & PRIV.SYSTEM_SERVICE) !== 0,
      kcalls: m[4], targets, irqs, mmio: m[9] > 0 ? [{ base: m[8] >>> 0, size: m[9] >>> 0 }] : [],
    };
    if (setPriority) k.setPriority(p, m[10]);
    return 0;
  },
  /** SAFECOPYFROM p0 = granter, p1 = grant id, p2 = offset, p3 = my address, p4 = length. */
  [KCALL.SAFECOPYFROM]: (k, caller, m) => safecopy(k, caller, m, false),
  /** SAFECOPYTO: the same fields; copies my bytes into the granter's memory. */
  [KCALL.SAFECOPYTO]: (k, caller, m) => safecopy(k, caller, m, true),
  /** SETGRANT p0 = grant id, p1 = grantee endpoint, p2 = base, p3 = length, p4 = access (GRANT bits; 0 revokes). */
  [KCALL.SETGRANT]: (k, caller, m) => {
    const id = m[2];
    if (id < 0 || id >= NR_GRANTS) return -KERR.EINVAL;
    if (m[6] === 0) { caller.grants[id] = undefined; return 0; }
    if ((m[6] & ~(GRANT.READ | GRANT.WRITE)) !== 0 || m[5] <= 0) return -KERR.EINVAL;
    caller.grants[id] = { grantee: m[3], base: m[4] >>> 0, len: m[5] >>> 0, access: m[6] };
    return 0;
  },
  /** IRQCTL p0 = op (IRQCTL), p1 = line. SETPOLICY registers the caller as the line's driver; ENABLE re-arms it after a notification. */
  [KCALL.IRQCTL]: (k, caller, m) => irqctl(k, caller, m[2], m[3]),
  /** DEVMAP p0 = physical base, p1 = size, p2 = virtual address -> p0 = virtual address. */
  [KCALL.DEVMAP]: (k, caller, m) => {
    const base = m[2] >>> 0, size = m[3] >>> 0, va = m[4] >>> 0;
    if (!pageAligned(base) || !pageAligned(size) || !pageAligned(va) || size === 0) return -KERR.EINVAL;
    if (!caller.priv.mmio.some((r) => base >= r.base && base + size <= r.base + r.size)) return -KERR.EPERM;
    if (va < LAYOUT.nullGuardEnd || va + size > LAYOUT.userTop) return -KERR.EINVAL;
    for (let o = 0; o < size; o += 4096) if (!caller.space!.map(va + o, base + o, PROT.R | PROT.W)) return -KERR.ENOMEM;
    m[2] = va;
    return 0;
  },
  /** UMAP p0 = virtual address, p1 = length -> p0 = physical address (the range must be physically contiguous). */
  [KCALL.UMAP]: (k, caller, m) => {
    const va = m[2] >>> 0, len = m[3] >>> 0;
    const pa = caller.space!.translateUser(va, false);
    if (pa === undefined || len === 0) return -KERR.EFAULT;
    for (let o = 4096 - (va % 4096); o < len; o += 4096) {
      if (caller.space!.translateUser(va + o, false) !== pa + o) return -KERR.EFAULT;
    }
    m[2] = pa;
    return 0;
  },
  /** VMCTL p0 = op (VMCTL), p1 = endpoint, p2 = address, p3 = length, p4 = protection (PROT bits). */
  [KCALL.VMCTL]: (k, caller, m) => {
    const p = target(k, caller, m[3]);
    if (p === undefined) return -KERR.ESRCH;
    let prot = m[6] & (PROT.R | PROT.W | PROT.X);
    if (prot & PROT.W) prot |= PROT.R; // W without R is a reserved encoding
    const va = m[4] >>> 0, len = m[5] >>> 0;
    if (!pageAligned(va) || !pageAligned(len) || va < LAYOUT.nullGuardEnd || va + len > LAYOUT.userTop) return -KERR.EINVAL;
    if (m[2] === VMCTL.MAP) {
      for (let o = 0; o < len; o += 4096) if (p.space!.mapNew(va + o, prot || PROT.R) === undefined) return -KERR.ENOMEM;
      return 0;
    }
    if (m[2] === VMCTL.UNMAP) { for (let o = 0; o < len; o += 4096) p.space!.unmap(va + o); return 0; }
    return -KERR.EINVAL;
  },
  /** TIMES p0 = endpoint -> p0/p1 = its retired instructions (lo/hi), p2/p3 = mtime (lo/hi). */
  [KCALL.TIMES]: (k, caller, m) => {
    const p = target(k, caller, m[2]);
    if (p === undefined) return -KERR.ESRCH;
    k.account();
    const now = k.now();
    m[2] = p.instret % 2 ** 32; m[3] = Math.floor(p.instret / 2 ** 32);
    m[4] = now % 2 ** 32; m[5] = Math.floor(now / 2 ** 32);
    return 0;
  },
  /** SETALARM p0 = ticks from now (0 cancels) -> p0 = ticks that were left of the previous alarm. CLOCK notifies when it fires. */
  [KCALL.SETALARM]: (k, caller, m) => {
    const now = k.now();
    const left = caller.alarm === undefined ? 0 : Math.max(0, caller.alarm - now);
    caller.alarm = m[2] > 0 ? now + (m[2] >>> 0) : undefined;
    k.alarmsChanged();
    m[2] = left;
    return 0;
  },
  /** GETINFO p0 = what (GETINFO), p1 = buffer address, p2 = buffer length -> p0 = entries (PROCTAB) or bytes written. */
  [KCALL.GETINFO]: (k, caller, m) => { k.account(); return getinfo(k, caller, m[2], m[3] >>> 0, m[4] >>> 0, m); },
  /** TRACE p0 = op (TRACE), p1 = endpoint, READ: p2 = buffer, p3 = length -> p0 records, p1 dropped, p2 ended (kernel/trace.ts). */
  [KCALL.TRACE]: traceControl,
  /** SHUTDOWN p0 = exit code: the machine powers off. */
  [KCALL.SHUTDOWN]: (k, caller, m) => {
    k.shutdownCode = m[2] & 0xff;
    return 0;
  },
};

function safecopy(k: Kernel, caller: Proc, m: Int32Array, toGranter: boolean): number {
  const granter = k.procs.lookup(m[2]);
  if (granter === undefined) return -KERR.ESRCH;
  const id = m[3], off = m[4] >>> 0, mine = m[5] >>> 0, len = m[6] >>> 0;
  const g = id >= 0 && id < NR_GRANTS ? granter.grants[id] : undefined;
  if (g === undefined || g.grantee !== caller.endpoint) return -KERR.EPERM;
  if ((g.access & (toGranter ? GRANT.WRITE : GRANT.READ)) === 0) return -KERR.EPERM;
  if (len === 0 || off + len > g.len || off + len < off) return -KERR.EPERM;
  const theirs = (g.base + off) >>> 0;
  // The copy walks both page tables with U-mode rights, so a grant never reaches past what the granter can touch.
  const [from, fromVa, to, toVa] = toGranter ? [caller, mine, granter, theirs] : [granter, theirs, caller, mine];
  const copy = (): number => k.copy.copy(from.space!.root, fromVa, to.space!.root, toVa, len);
  // Stack or heap pages not touched yet are the process's own: mapped, then the copy is tried again.
  return k.user.retryCopy(copy(), from, fromVa, to, toVa, len, copy) === COPY_OK ? 0 : -KERR.EFAULT;
}

function irqctl(k: Kernel, caller: Proc, op: number, line: number): number {
  if (line <= 0 || line >= 96 || !caller.priv.irqs.has(line)) return -KERR.EPERM;
  const plic = k.board.plic;
  const enable = (on: boolean): void => {
    const reg = 0x2000 + (line >> 5) * 4;
    const v = plic.read(reg, 4);
    plic.write(reg, 4, on ? v | (1 << (line & 31)) : v & ~(1 << (line & 31)));
  };
  switch (op) {
    case IRQCTL.SETPOLICY: {
      const owner = k.irqOwner.get(line);
      if (owner !== undefined && owner !== caller.slot && k.procs.procs[owner].state !== STATE.FREE) return -KERR.EBUSY;
      k.irqOwner.set(line, caller.slot);
      enable(true);
      return 0;
    }
    case IRQCTL.ENABLE:
      if (k.irqOwner.get(line) !== caller.slot) return -KERR.EPERM;
      if (k.irqInService.delete(line)) plic.write(0x200004, 4, line); // complete: the line may fire again
      enable(true);
      return 0;
    case IRQCTL.DISABLE:
      if (k.irqOwner.get(line) !== caller.slot) return -KERR.EPERM;
      enable(false);
      return 0;
    default: return -KERR.EINVAL;
  }
}

function getinfo(k: Kernel, caller: Proc, what: number, buf: number, len: number, m: Int32Array): number {
  if (what !== GETINFO.PROCTAB) return -KERR.EINVAL;
  const living = k.procs.living();
  const n = Math.min(living.length, Math.floor(len / PROCINFO_SIZE));
  const out = new Uint8Array(n * PROCINFO_SIZE);
  const dv = new DataView(out.buffer);
  living.slice(0, n).forEach((p, i) => {
    const o = i * PROCINFO_SIZE;
    dv.setInt32(o, p.endpoint, true);
    dv.setInt32(o + 4, p.state, true);
    dv.setInt32(o + 8, p.priority, true);
    dv.setInt32(o + 12, (p.priv.system ? PRIV.SYSTEM_SERVICE : 0) | (p.priv.anyTarget ? PRIV.ANY_TARGET : 0), true);
    dv.setUint32(o + 16, p.instret % 2 ** 32, true);
    dv.setUint32(o + 20, Math.floor(p.instret / 2 ** 32), true);
    out.set(new TextEncoder().encode(p.name.slice(0, 15)), o + 24);
    dv.setInt32(o + 40, p.state === STATE.SENDING || p.state === STATE.RECEIVING ? p.ipc.peer : 0, true);
    dv.setInt32(o + 44, p.space?.pages ?? 0, true);
  });
  if (n && !k.user.write(caller, buf, out)) return -KERR.EFAULT;
  m[2] = n;
  return 0;
}

/** A sendrec to SYSTEM from `caller` with its message at `msg`. */
export function kernelCall(k: Kernel, caller: Proc, msg: number): IpcResult {
  // The reply goes back into the same buffer: refuse one that cannot take it before doing anything.
  if (!k.user.messageWritable(caller, msg)) return -KERR.EFAULT;
  const bytes = k.user.read(caller, msg, MESSAGE.size);
  if (bytes === undefined) return -KERR.EFAULT;
  const m = new Int32Array(bytes.slice().buffer);
  const call = m[1];
  const handler = HANDLERS[call];
  if (handler === undefined) return -KERR.ENOSYS;
  if (((caller.priv.kcalls >>> (call - KCALL.FORK)) & 1) === 0) return -KERR.EKCALLDENIED;
  if (caller.trace !== undefined) traceKernelCall(k, caller, m);
  const result = handler(k, caller, m);
  if (caller.state === STATE.FREE) return 0; // it exited itself
  if (caller.trace !== undefined) traceKernelCall(k, caller, m, result);
  m[0] = -2; // m_source: SYSTEM
  m[1] = result;
  if (!k.user.write(caller, msg, new Uint8Array(m.buffer))) return -KERR.EFAULT;
  return 0;
}
