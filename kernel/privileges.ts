// Each boot server's privileges, declared in one place (MINIX 3's
// `table.c` and the system.conf entries): the kernel calls it may make, the
// processes it may send to, the IRQ lines it may own and the MMIO ranges it
// may map. The kernel enforces them (docs/kernel.md: ECALLDENIED,
// EKCALLDENIED, EPERM from IRQCTL and DEVMAP); kernel/boot.ts hands them to
// Kernel.boot with each module. A name not in the table gets a plain user
// process's privileges (USER_PRIVILEGES): grants of its own memory, sends to
// the servers of its system calls, no devices.
//
// Whether a module is the process manager or a system service, and its
// priority, come from the boot image's module table (docs/boot.md), not
// from here.
//
//   server  kernel calls                                  sends to          devices
//   rs      privctl kill getinfo times setalarm copies    any               -
//   ds      getinfo copies                                any (notifies)    -
//   pm      fork exec exit kill vmctl times getinfo       any               -
//           setalarm shutdown copies
//   vfs     getinfo copies                                any               -
//   mfs     setalarm times copies                         any               -
//   tty     devmap irqctl setalarm copies                 pm vfs ds rs      UART page, IRQ 10
//   blk     devmap umap irqctl setalarm copies            ds vfs mfs rs     virtio-mmio slots, IRQs 1-8
//   init    setgrant                                      pm vfs ds tty rs  -
// ("copies": safecopyfrom, safecopyto, setgrant.) Replies are always
// allowed, so a server needs a target only for the requests it starts.
// Every service may send to rs: it answers rs's pings with a notification.
// mfs may send anywhere because its disk driver can be restarted by rs
// into another slot (targets are kernel slots), and it must reach the new
// one. A user process (forked from init, so with init's privileges) makes
// grants for its read/write/exec buffers and talks to pm, vfs, ds (to find
// vfs), rs (the `service` command) and, in a system without vfs, tty.
//
// Entry points: SERVER_PRIVILEGES, USER_PRIVILEGES, privilegesFor,
// ServerPrivileges, KcallName.

import { KCALL } from './abi.ts';
import { MEMMAP } from '../vm/board.ts';
import type { BootImage } from './kernel.ts';

export type KcallName = Lowercase<keyof typeof KCALL>;

export interface MmioRange { readonly base: number; readonly size: number }

export interface ServerPrivileges {
  readonly kcalls: readonly KcallName[];
  /** Boot processes (by name) it may start a send to, or 'any'. */
  readonly targets: readonly string[] | 'any';
  readonly irqs: readonly number[];
  readonly mmio: readonly MmioRange[];
}

const COPIES: readonly KcallName[] = ['safecopyfrom', 'safecopyto', 'setgrant'];
const PAGE = 0x1000;

/** The UART's registers, as a whole page (DEVMAP maps pages). */
const UART_PAGE: MmioRange = { base: MEMMAP.uart.base, size: PAGE };
/** All eight virtio-mmio slots: the driver scans them for its device. */
const VIRTIO_SLOTS: MmioRange = { base: MEMMAP.virtio.base, size: MEMMAP.virtio.size * MEMMAP.virtio.count };
const VIRTIO_IRQS = Array.from({ length: MEMMAP.virtio.count }, (_, i) => MEMMAP.virtio.irq + i);

/** Whom a user process talks to: its system calls (pm, vfs), ds to find vfs, rs for `service`, tty without a vfs. */
const USER_TARGETS: readonly string[] = ['pm', 'vfs', 'ds', 'rs', 'tty'];

const server = (kcalls: readonly KcallName[], targets: readonly string[] | 'any',
  devices: { irqs?: readonly number[]; mmio?: readonly MmioRange[] } = {}): ServerPrivileges =>
  ({ kcalls, targets, irqs: devices.irqs ?? [], mmio: devices.mmio ?? [] });

export const SERVER_PRIVILEGES = {
  /** The reincarnation server: starts, watches and restarts services. */
  rs: server(['privctl', 'kill', 'getinfo', 'times', 'setalarm', ...COPIES], 'any'),
  /** The data store: publishes names and notifies subscribers. */
  ds: server(['getinfo', ...COPIES], 'any'),
  /** The process manager: processes, signals, exec, times, and powering off. */
  pm: server(['fork', 'exec', 'exit', 'kill', 'vmctl', 'times', 'getinfo', 'setalarm', 'shutdown', 'trace', ...COPIES], 'any'),
  /** The virtual file system: talks to every file system and driver. */
  vfs: server(['getinfo', ...COPIES], 'any'),
  /** The MINIX file system: its disk driver, VFS, DS. */
  mfs: server(['setalarm', 'times', ...COPIES], 'any'),
  /** The console driver: the UART. */
  tty: server(['devmap', 'irqctl', 'setalarm', ...COPIES], ['pm', 'vfs', 'ds', 'rs'], { irqs: [MEMMAP.uart.irq], mmio: [UART_PAGE] }),
  /** The virtio-blk driver: DMA needs umap. */
  blk: server(['devmap', 'umap', 'irqctl', 'setalarm', ...COPIES], ['ds', 'vfs', 'mfs', 'rs'], { irqs: VIRTIO_IRQS, mmio: [VIRTIO_SLOTS] }),
  /** The first user process: only system calls, and grants for their buffers. */
  init: server(['setgrant'], USER_TARGETS),
} as const satisfies Record<string, ServerPrivileges>;

/** Anything else: a plain user process, as init (whose privileges every forked program inherits). */
export const USER_PRIVILEGES: ServerPrivileges = server(['setgrant'], USER_TARGETS);

export type ServerName = keyof typeof SERVER_PRIVILEGES;

/**
 * The privileges of boot module `name`, as BootImage fields, with targets
 * narrowed to the boot processes that exist (`present`): a server may name
 * one that this image does not include.
 */
export function privilegesFor(name: string, present: readonly string[]): Pick<BootImage, 'kcalls' | 'targets' | 'irqs' | 'mmio'> {
  const p: ServerPrivileges = Object.hasOwn(SERVER_PRIVILEGES, name) ? SERVER_PRIVILEGES[name as ServerName] : USER_PRIVILEGES;
  return {
    kcalls: [...p.kcalls],
    targets: p.targets === 'any' ? 'any' : p.targets.filter((t) => t !== name && present.includes(t)),
    irqs: [...p.irqs],
    mmio: p.mmio.map((r) => ({ ...r })),
  };
}
