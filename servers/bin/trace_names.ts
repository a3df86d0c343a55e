// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// The names trace prints: every message type of the servers' protocols
// (proto.ts: pm, rs, ds; fs_proto.ts: VFS, the file servers, block and
// character drivers), the kernel's calls and the error numbers.
//
// Each case names the constant it tests, so a number can never drift from
// its protocol; test/system/trace.test.ts holds the table to the two files:
// every message type and error number has its case under its own name, no
// other constant has one, and the kernel calls are kernel/abi.ts KCALL's.
//
// Entry points: messageName, kcallName, errnoName.

import {
  PM_EXIT, PM_FORK, PM_WAITPID, PM_GETPID, PM_KILL, PM_EXEC, PM_GETARGS, PM_SIGACTION, PM_SETSID, PM_SETPGID,
  PM_SHUTDOWN, PM_GETPROCS, PM_TIMES, PM_SRV_FORK, PM_SRV_EXEC, PM_SLEEP, PM_TRACE_START, PM_TRACE_STOP,
  PM_TRACE_READ, RS_RESTART, RS_DOWN, RS_UP, RS_LIST, DS_PUBLISH, DS_LOOKUP, DS_DELETE, DS_SUBSCRIBE,
  DS_REVERSE, NOTIFY_MESSAGE, SIGNAL_MESSAGE, ENOEXEC, ECHILD, ENOTREADY,
} from "../lib/proto";
import {
  BDEV_OPEN, BDEV_READ, BDEV_WRITE, BDEV_FLUSH, BDEV_REPLY, REQ_READSUPER, REQ_LOOKUP, REQ_STAT, REQ_READ,
  REQ_WRITE, REQ_CREATE, REQ_MKDIR, REQ_UNLINK, REQ_RMDIR, REQ_RENAME, REQ_LINK, REQ_TRUNC, REQ_GETDENTS,
  REQ_SYNC, REQ_PUTNODE, REQ_GETNODE, REQ_UNMOUNT, REQ_NEWDRIVER, REQ_CHMOD, REQ_SYMLINK, FS_REPLY, VFS_OPEN, VFS_CLOSE,
  VFS_READ, VFS_WRITE, VFS_LSEEK, VFS_STAT, VFS_FSTAT, VFS_MKDIR, VFS_RMDIR, VFS_UNLINK, VFS_RENAME,
  VFS_LINK, VFS_CHDIR, VFS_GETCWD, VFS_GETDENTS, VFS_PIPE, VFS_DUP2, VFS_SYNC, VFS_FTRUNCATE, VFS_MKNOD,
  VFS_MOUNT, VFS_UMOUNT, VFS_IOCTL, VFS_CHMOD, VFS_ISATTY, VFS_LSTAT, VFS_READLINK, VFS_SYMLINK, VFS_REPLY, VFS_PM_FORK, VFS_PM_EXIT, VFS_PM_EXEC,
  VFS_DRIVER_UP, VFS_SHUTDOWN, CDEV_OPEN, CDEV_CLOSE, CDEV_READ, CDEV_WRITE, CDEV_IOCTL, CDEV_CANCEL,
  CDEV_STATUS, CDEV_REPLY, CDEV_REVIVE, CDEV_NO_STATUS, EPERM, ENOENT, ESRCH, EINTR, EIO, ENXIO, E2BIG,
  EBADF, EAGAIN, ENOMEM, EACCES, EFAULT, EBUSY, EEXIST, EXDEV, ENODEV, ENOTDIR, EISDIR, EINVAL, ENFILE,
  EMFILE, ENOTTY, EFBIG, ENOSPC, ESPIPE, EROFS, EMLINK, EPIPE, ERANGE, EDEADLK, ENAMETOOLONG, ENOSYS,
  ENOTEMPTY, ELOOP, EDEADSRCDST, EKCALLDENIED, ECALLDENIED,
} from "../lib/fs_proto";

/** The protocol name of message type `t`, or "" (a reply's status, or a type no protocol has). */
export function messageName(t: i32): string {
  switch (t) {
    case PM_EXIT: return "PM_EXIT";
    case PM_FORK: return "PM_FORK";
    case PM_WAITPID: return "PM_WAITPID";
    case PM_GETPID: return "PM_GETPID";
    case PM_KILL: return "PM_KILL";
    case PM_EXEC: return "PM_EXEC";
    case PM_GETARGS: return "PM_GETARGS";
    case PM_SIGACTION: return "PM_SIGACTION";
    case PM_SETSID: return "PM_SETSID";
    case PM_SETPGID: return "PM_SETPGID";
    case PM_SHUTDOWN: return "PM_SHUTDOWN";
    case PM_GETPROCS: return "PM_GETPROCS";
    case PM_TIMES: return "PM_TIMES";
    case PM_SRV_FORK: return "PM_SRV_FORK";
    case PM_SRV_EXEC: return "PM_SRV_EXEC";
    case PM_SLEEP: return "PM_SLEEP";
    case PM_TRACE_START: return "PM_TRACE_START";
    case PM_TRACE_STOP: return "PM_TRACE_STOP";
    case PM_TRACE_READ: return "PM_TRACE_READ";
    case RS_RESTART: return "RS_RESTART";
    case RS_DOWN: return "RS_DOWN";
    case RS_UP: return "RS_UP";
    case RS_LIST: return "RS_LIST";
    case DS_PUBLISH: return "DS_PUBLISH";
    case DS_LOOKUP: return "DS_LOOKUP";
    case DS_DELETE: return "DS_DELETE";
    case DS_SUBSCRIBE: return "DS_SUBSCRIBE";
    case DS_REVERSE: return "DS_REVERSE";
    case NOTIFY_MESSAGE: return "NOTIFY_MESSAGE";
    case SIGNAL_MESSAGE: return "SIGNAL_MESSAGE";
    case BDEV_OPEN: return "BDEV_OPEN";
    case BDEV_READ: return "BDEV_READ";
    case BDEV_WRITE: return "BDEV_WRITE";
    case BDEV_FLUSH: return "BDEV_FLUSH";
    case BDEV_REPLY: return "BDEV_REPLY";
    case REQ_READSUPER: return "REQ_READSUPER";
    case REQ_LOOKUP: return "REQ_LOOKUP";
    case REQ_STAT: return "REQ_STAT";
    case REQ_READ: return "REQ_READ";
    case REQ_WRITE: return "REQ_WRITE";
    case REQ_CREATE: return "REQ_CREATE";
    case REQ_MKDIR: return "REQ_MKDIR";
    case REQ_UNLINK: return "REQ_UNLINK";
    case REQ_RMDIR: return "REQ_RMDIR";
    case REQ_RENAME: return "REQ_RENAME";
    case REQ_LINK: return "REQ_LINK";
    case REQ_TRUNC: return "REQ_TRUNC";
    case REQ_GETDENTS: return "REQ_GETDENTS";
    case REQ_SYNC: return "REQ_SYNC";
    case REQ_PUTNODE: return "REQ_PUTNODE";
    case REQ_GETNODE: return "REQ_GETNODE";
    case REQ_UNMOUNT: return "REQ_UNMOUNT";
    case REQ_NEWDRIVER: return "REQ_NEWDRIVER";
    case REQ_CHMOD: return "REQ_CHMOD";
    case REQ_SYMLINK: return "REQ_SYMLINK";
    case FS_REPLY: return "FS_REPLY";
    case VFS_OPEN: return "VFS_OPEN";
    case VFS_CLOSE: return "VFS_CLOSE";
    case VFS_READ: return "VFS_READ";
    case VFS_WRITE: return "VFS_WRITE";
    case VFS_LSEEK: return "VFS_LSEEK";
    case VFS_STAT: return "VFS_STAT";
    case VFS_FSTAT: return "VFS_FSTAT";
    case VFS_MKDIR: return "VFS_MKDIR";
    case VFS_RMDIR: return "VFS_RMDIR";
    case VFS_UNLINK: return "VFS_UNLINK";
    case VFS_RENAME: return "VFS_RENAME";
    case VFS_LINK: return "VFS_LINK";
    case VFS_CHDIR: return "VFS_CHDIR";
    case VFS_GETCWD: return "VFS_GETCWD";
    case VFS_GETDENTS: return "VFS_GETDENTS";
    case VFS_PIPE: return "VFS_PIPE";
    case VFS_DUP2: return "VFS_DUP2";
    case VFS_SYNC: return "VFS_SYNC";
    case VFS_FTRUNCATE: return "VFS_FTRUNCATE";
    case VFS_MKNOD: return "VFS_MKNOD";
    case VFS_MOUNT: return "VFS_MOUNT";
    case VFS_UMOUNT: return "VFS_UMOUNT";
    case VFS_IOCTL: return "VFS_IOCTL";
    case VFS_CHMOD: return "VFS_CHMOD";
    case VFS_ISATTY: return "VFS_ISATTY";
    case VFS_LSTAT: return "VFS_LSTAT";
    case VFS_READLINK: return "VFS_READLINK";
    case VFS_SYMLINK: return "VFS_SYMLINK";
    case VFS_REPLY: return "VFS_REPLY";
    case VFS_PM_FORK: return "VFS_PM_FORK";
    case VFS_PM_EXIT: return "VFS_PM_EXIT";
    case VFS_PM_EXEC: return "VFS_PM_EXEC";
    case VFS_DRIVER_UP: return "VFS_DRIVER_UP";
    case VFS_SHUTDOWN: return "VFS_SHUTDOWN";
    case CDEV_OPEN: return "CDEV_OPEN";
    case CDEV_CLOSE: return "CDEV_CLOSE";
    case CDEV_READ: return "CDEV_READ";
    case CDEV_WRITE: return "CDEV_WRITE";
    case CDEV_IOCTL: return "CDEV_IOCTL";
    case CDEV_CANCEL: return "CDEV_CANCEL";
    case CDEV_STATUS: return "CDEV_STATUS";
    case CDEV_REPLY: return "CDEV_REPLY";
    case CDEV_REVIVE: return "CDEV_REVIVE";
    case CDEV_NO_STATUS: return "CDEV_NO_STATUS";
    default: return "";
  }
}

/** The kernel's calls in m_type order from KCALL_BASE (docs/kernel.md), lower case as the kernel names them. */
const KCALL_BASE: i32 = 0x600;
const KCALLS: string[] = [
  "fork", "exec", "exit", "kill", "privctl", "safecopyfrom", "safecopyto", "setgrant", "irqctl",
  "devmap", "umap", "vmctl", "times", "setalarm", "getinfo", "shutdown", "trace",
];

/** The kernel call of m_type `t` ("fork", ...), or "". */
export function kcallName(t: i32): string {
  const i = t - KCALL_BASE;
  return i >= 0 && i < KCALLS.length ? KCALLS[i] : "";
}

/** The name of error number `e` (positive: "ENOENT"), or "". */
export function errnoName(e: i32): string {
  switch (e) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case ESRCH: return "ESRCH";
    case EINTR: return "EINTR";
    case EIO: return "EIO";
    case ENXIO: return "ENXIO";
    case E2BIG: return "E2BIG";
    case EBADF: return "EBADF";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case EBUSY: return "EBUSY";
    case EEXIST: return "EEXIST";
    case EXDEV: return "EXDEV";
    case ENODEV: return "ENODEV";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case EINVAL: return "EINVAL";
    case ENFILE: return "ENFILE";
    case EMFILE: return "EMFILE";
    case ENOTTY: return "ENOTTY";
    case EFBIG: return "EFBIG";
    case ENOSPC: return "ENOSPC";
    case ESPIPE: return "ESPIPE";
    case EROFS: return "EROFS";
    case EMLINK: return "EMLINK";
    case EPIPE: return "EPIPE";
    case ERANGE: return "ERANGE";
    case EDEADLK: return "EDEADLK";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOSYS: return "ENOSYS";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ELOOP: return "ELOOP";
    case EDEADSRCDST: return "EDEADSRCDST";
    case EKCALLDENIED: return "EKCALLDENIED";
    case ECALLDENIED: return "ECALLDENIED";
    case ENOEXEC: return "ENOEXEC";
    case ECHILD: return "ECHILD";
    case ENOTREADY: return "ENOTREADY";
    default: return "";
  }
}
