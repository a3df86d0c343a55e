// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// The storage side's message protocols (docs/fs.md explains each), as
// MINIX 3 splits them: user programs -> VFS (the POSIX file calls), PM -> VFS
// (fork and exit of processes), VFS -> a file server (requests on inodes),
// a file server -> a block driver (sectors), VFS -> a character driver (the
// console). Every message is the 64-byte Message of ipc.ts: m_type names the
// call and the payload words p0..p13 carry the fields listed beside it.
// Replies come back in the same buffer (the caller uses sendrec); a reply's
// p0 is the status: >= 0 success (a count, a descriptor, ...), < 0 -errno.
//
// Bulk data (paths, file contents, directory entries) never travels in a
// message: the side that owns the memory publishes a grant (SETGRANT) to the
// side that copies (SAFECOPYFROM / SAFECOPYTO), and the message names the
// grant. test/fs/proto.ts reads the constants of this file, so the tests and
// the servers share one definition.
//
// Entry points: the constants below (BDEV_*, REQ_*, VFS_*, CDEV_*, errors,
// modes, open flags, layouts of the records that travel through grants).

// ---- errors (POSIX names, Linux values; returned negated) -----------------

export const EPERM: i32 = 1;
export const ENOENT: i32 = 2;
export const ESRCH: i32 = 3;
export const EINTR: i32 = 4;
export const EIO: i32 = 5;
export const ENXIO: i32 = 6;
export const E2BIG: i32 = 7;
export const EBADF: i32 = 9;
export const EAGAIN: i32 = 11;
export const ENOMEM: i32 = 12;
export const EACCES: i32 = 13;
export const EFAULT: i32 = 14;
export const EBUSY: i32 = 16;
export const EEXIST: i32 = 17;
export const EXDEV: i32 = 18;
export const ENODEV: i32 = 19;
export const ENOTDIR: i32 = 20;
export const EISDIR: i32 = 21;
export const EINVAL: i32 = 22;
export const ENFILE: i32 = 23;
export const EMFILE: i32 = 24;
export const ENOTTY: i32 = 25;
export const EFBIG: i32 = 27;
export const ENOSPC: i32 = 28;
export const ESPIPE: i32 = 29;
export const EROFS: i32 = 30;
export const EMLINK: i32 = 31;
export const EPIPE: i32 = 32;
export const ERANGE: i32 = 34;
export const EDEADLK: i32 = 35;
export const ENAMETOOLONG: i32 = 36;
export const ENOSYS: i32 = 38;
export const ENOTEMPTY: i32 = 39;
export const ELOOP: i32 = 40;
/** The kernel's: the endpoint names no living process (docs/kernel.md). */
export const EDEADSRCDST: i32 = 108;
/** The kernel's: the kernel call is not in the caller's privileges. */
export const EKCALLDENIED: i32 = 106;
/** The kernel's: the IPC target is not in the caller's privileges. */
export const ECALLDENIED: i32 = 105;

// ---- kernel endpoints and calls the storage servers use --------------------

export const SYSTEM: i32 = -2;
export const CLOCK: i32 = -3;
export const HARDWARE: i32 = -4;
export const KERNEL: i32 = -5;
export const NOTIFY_MESSAGE: i32 = 0x1000;

export const KC_SAFECOPYFROM: i32 = 0x605;
export const KC_SAFECOPYTO: i32 = 0x606;
export const KC_SETGRANT: i32 = 0x607;
export const KC_IRQCTL: i32 = 0x608;
export const KC_DEVMAP: i32 = 0x609;
export const KC_UMAP: i32 = 0x60a;
export const KC_SETALARM: i32 = 0x60d;
export const KC_GETINFO: i32 = 0x60e;
export const GRANT_READ: i32 = 1;
export const GRANT_WRITE: i32 = 2;
export const NR_GRANTS: i32 = 64;
export const IRQCTL_SETPOLICY: i32 = 1;
export const IRQCTL_ENABLE: i32 = 2;
export const GETINFO_PROCTAB: i32 = 1;
export const PROCINFO_SIZE: i32 = 48;
export const NR_PROCS: i32 = 64;

// ---- a file server -> a block driver (blk) ---------------------------------
// Minor 0 is the whole disk, minors 1..4 the MBR's primary partitions.
// Positions and counts are bytes, multiples of BDEV_SECTOR; a position is
// relative to the minor's start and the driver refuses anything past its end.
// A transfer moves at most BDEV_MAX_IO bytes.

export const BDEV_SECTOR: i32 = 512;
export const BDEV_MAX_IO: i32 = 65536;
export const BDEV_MINORS: i32 = 5;

/** p0 minor -> p0 status, p1 the minor's size in sectors, p2 sector size, p3 1 if read-only. */
export const BDEV_OPEN: i32 = 0x500;
/** p0 minor, p1 grant (device data into it), p2/p3 position low/high, p4 count, p5 request id, p6 offset in the grant -> p0 bytes read or -errno, p5 request id. */
export const BDEV_READ: i32 = 0x501;
/** The same fields; the grant is read from. -> p0 bytes written or -errno. */
export const BDEV_WRITE: i32 = 0x502;
/** p0 minor -> p0 status: everything written so far is on the disk. */
export const BDEV_FLUSH: i32 = 0x503;
/** A block driver's reply (m_type); p0 status, p5 the request id. */
export const BDEV_REPLY: i32 = 0x580;

// ---- VFS -> a file server (mfs) --------------------------------------------
// Inodes are named by number. Names travel in VFS's path buffer, which VFS
// grants to the file server; p1 of a request is that grant and p2 the name's
// length (no NUL). Every reply: m_type FS_REPLY, p0 status.
// An inode's attributes in a reply ("attrs"): p1 inode number, p2 mode,
// p3 size, p4 links, p5 uid, p6 gid, p7 atime, p8 mtime, p9 ctime,
// p10 device number (character and block special files: major << 8 | minor).

/** p0 driver endpoint, p1 minor -> p0 status, attrs of the root. */
export const REQ_READSUPER: i32 = 0x400;
/** p0 directory inode, p1 grant, p2 length of a single name -> p0 status, attrs of the entry (".." of the root is the root). */
export const REQ_LOOKUP: i32 = 0x401;
/** p0 inode -> p0 status, attrs. */
export const REQ_STAT: i32 = 0x402;
/** p0 inode, p1 grant (file data into it), p2 position, p3 count -> p0 bytes read. */
export const REQ_READ: i32 = 0x403;
/** p0 inode, p1 grant (read from), p2 position, p3 count -> p0 bytes written, p1 the new size. */
export const REQ_WRITE: i32 = 0x404;
/** p0 directory inode, p1 grant, p2 name length, p3 mode (type and permissions), p4 uid, p5 gid, p6 device number -> p0 status, attrs of the new inode. */
export const REQ_CREATE: i32 = 0x405;
/** p0 directory inode, p1 grant, p2 name length, p3 permissions, p4 uid, p5 gid -> p0 status, attrs. */
export const REQ_MKDIR: i32 = 0x406;
/** p0 directory inode, p1 grant, p2 name length -> p0 status. */
export const REQ_UNLINK: i32 = 0x407;
/** p0 directory inode, p1 grant, p2 name length -> p0 status. */
export const REQ_RMDIR: i32 = 0x408;
/** p0 old directory, p1 grant, p2 old name length, p3 new directory, p4 new name length (the new name follows the old in the buffer) -> p0 status. */
export const REQ_RENAME: i32 = 0x409;
/** p0 directory inode, p1 grant, p2 name length, p3 the inode to link -> p0 status. */
export const REQ_LINK: i32 = 0x40a;
/** p0 inode, p1 new size -> p0 status. */
export const REQ_TRUNC: i32 = 0x40b;
/** p0 directory inode, p1 grant (DIRENT records into it), p2 position (an entry index), p3 buffer size -> p0 bytes, p1 the next position. */
export const REQ_GETDENTS: i32 = 0x40c;
/** -> p0 status: every dirty block is on the disk and the driver flushed. */
export const REQ_SYNC: i32 = 0x40d;
/** p0 inode: VFS holds one reference fewer (an unlinked inode whose last reference goes is freed). */
export const REQ_PUTNODE: i32 = 0x40e;
/** p0 inode: VFS holds one reference more (an open file, a cwd). */
export const REQ_GETNODE: i32 = 0x40f;
/** Sync and stop answering: the machine is going down. -> p0 status. */
export const REQ_UNMOUNT: i32 = 0x410;
/** p0 the block driver's new endpoint (it was restarted). -> p0 status. */
export const REQ_NEWDRIVER: i32 = 0x411;
/** p0 inode, p1 mode (permission bits), p2 uid, p3 gid, p4 which (1 mode, 2 owner) -> p0 status. */
export const REQ_CHMOD: i32 = 0x412;
/** p0 directory inode, p1 grant, p2 name length, p3 grant holding the target, p4 target length, p5 uid, p6 gid -> p0 status, attrs of the new link (mode S_IFLNK | 0777, its data the target, the size its length). */
export const REQ_SYMLINK: i32 = 0x413;
/** A file server's reply (m_type). */
export const FS_REPLY: i32 = 0x480;

// ---- user programs -> VFS --------------------------------------------------
// A path is named by a grant the caller made to VFS (readable), and its
// length; VFS copies it (at most PATH_MAX bytes). fs.ts makes the grants.
// Reply: m_type VFS_REPLY, p0 status (a descriptor, a count, 0, or -errno).

export const PATH_MAX: i32 = 1024;
export const NAME_MAX: i32 = 60;
export const OPEN_MAX: i32 = 20;

/** p0 grant, p1 path length, p2 flags (O_*), p3 mode for a new file -> p0 fd. */
export const VFS_OPEN: i32 = 0x300;
/** p0 fd. */
export const VFS_CLOSE: i32 = 0x301;
/** p0 fd, p1 grant (writable), p2 count -> p0 bytes read (0 at end of file). */
export const VFS_READ: i32 = 0x302;
/** p0 fd, p1 grant (readable), p2 count -> p0 bytes written. */
export const VFS_WRITE: i32 = 0x303;
/** p0 fd, p1 offset, p2 whence (SEEK_*) -> p0 the new position. */
export const VFS_LSEEK: i32 = 0x304;
/** p0 grant, p1 path length -> p0 status, STAT fields in p1..p10 as REQ attrs. */
export const VFS_STAT: i32 = 0x305;
/** p0 fd -> as VFS_STAT. */
export const VFS_FSTAT: i32 = 0x306;
/** p0 grant, p1 path length, p2 mode. */
export const VFS_MKDIR: i32 = 0x307;
/** p0 grant, p1 path length. */
export const VFS_RMDIR: i32 = 0x308;
/** p0 grant, p1 path length. */
export const VFS_UNLINK: i32 = 0x309;
/** p0 grant of old path then new path, p1 old length, p2 new length. */
export const VFS_RENAME: i32 = 0x30a;
/** p0 grant of existing path then new path, p1 existing length, p2 new length. */
export const VFS_LINK: i32 = 0x30b;
/** p0 grant, p1 path length. */
export const VFS_CHDIR: i32 = 0x30c;
/** p0 grant (writable), p1 size -> p0 length of the path written (no NUL). */
export const VFS_GETCWD: i32 = 0x30d;
/** p0 fd (a directory), p1 grant (writable), p2 size -> p0 bytes of DIRENT records (0 at the end). */
export const VFS_GETDENTS: i32 = 0x30e;
/** -> p0 status, p1 read end, p2 write end. */
export const VFS_PIPE: i32 = 0x30f;
/** p0 fd, p1 the descriptor to make (-1: the lowest free, as dup) -> p0 the new fd. */
export const VFS_DUP2: i32 = 0x310;
/** Write every file system's dirty blocks to its disk. */
export const VFS_SYNC: i32 = 0x311;
/** p0 fd, p1 length. */
export const VFS_FTRUNCATE: i32 = 0x312;
/** p0 grant, p1 path length, p2 mode (S_IFCHR / S_IFBLK and permissions), p3 device number. */
export const VFS_MKNOD: i32 = 0x313;
/** p0 grant, p1 path length of the mount point, p2 file server endpoint, p3 block driver endpoint, p4 minor. */
export const VFS_MOUNT: i32 = 0x314;
/** p0 grant, p1 path length. */
export const VFS_UMOUNT: i32 = 0x315;
/** p0 fd, p1 request, p2 argument -> driver-defined (character devices only). */
export const VFS_IOCTL: i32 = 0x316;
/** p0 grant, p1 path length, p2 mode. */
export const VFS_CHMOD: i32 = 0x317;
/** p0 fd -> p0 1 if the fd is a character device, 0 otherwise (isatty). */
export const VFS_ISATTY: i32 = 0x318;
/** p0 grant, p1 path length -> as VFS_STAT, of a symbolic link itself (the last name is not followed). */
export const VFS_LSTAT: i32 = 0x319;
/** p0 grant, p1 path length, p2 grant (writable), p3 size -> p0 length of the link's target written (no NUL; cut at the size); -EINVAL if not a link. */
export const VFS_READLINK: i32 = 0x31a;
/** p0 grant of the target then the new link's path, p1 target length, p2 path length. */
export const VFS_SYMLINK: i32 = 0x31b;
/** VFS's reply (m_type). */
export const VFS_REPLY: i32 = 0x380;

// ---- PM / RS / the kernel's neighbours -> VFS ------------------------------

/** From PM: p0 parent endpoint, p1 child endpoint. The child gets a copy of the parent's descriptors and working directory. */
export const VFS_PM_FORK: i32 = 0x320;
/** From PM: p0 endpoint. Its descriptors are closed, a call it is suspended in is cancelled. */
export const VFS_PM_EXIT: i32 = 0x321;
/** From PM when a process execs: p0 endpoint (descriptors marked close-on-exec are closed). */
export const VFS_PM_EXEC: i32 = 0x322;
/** From RS or DS: p0 the driver's new endpoint, p1 its kind (1 block, 2 character), p2 its major. Mounted file systems on it are told (REQ_NEWDRIVER). */
export const VFS_DRIVER_UP: i32 = 0x323;
/** From PM at shutdown: sync and unmount everything -> p0 status. */
export const VFS_SHUTDOWN: i32 = 0x324;

// ---- VFS -> a character driver (tty) ---------------------------------------
// VFS calls with sendrec; the driver answers at once. A read or write it
// cannot finish now gets p0 CDEV_SUSPEND: the driver keeps the request
// (named by its id, p5) and later notifies VFS; VFS then sends CDEV_STATUS
// until the driver answers CDEV_NO_STATUS, and each CDEV_REVIVE completes
// one request. VFS initiates every exchange, so the two can never deadlock.
// Data moves through a grant VFS makes on its own buffer (at most
// CDEV_MAX_IO bytes per request).

export const CDEV_MAX_IO: i32 = 4096;
export const CDEV_SUSPEND: i32 = -201;
/** p0 minor, p1 the user's endpoint, p2 flags (O_*) -> p0 status. */
export const CDEV_OPEN: i32 = 0x700;
/** p0 minor, p1 the user's endpoint -> p0 status. */
export const CDEV_CLOSE: i32 = 0x701;
/** p0 minor, p1 grant (writable), p2 count, p3 the user's endpoint, p4 flags (O_NONBLOCK), p5 request id -> p0 bytes, or CDEV_SUSPEND. */
export const CDEV_READ: i32 = 0x702;
/** p0 minor, p1 grant (readable), p2 count, p3 the user's endpoint, p4 flags, p5 request id -> p0 bytes, or CDEV_SUSPEND. */
export const CDEV_WRITE: i32 = 0x703;
/** p0 minor, p1 request, p2 argument, p3 the user's endpoint -> p0 driver-defined. */
export const CDEV_IOCTL: i32 = 0x704;
/** p0 minor, p3 the user's endpoint, p5 request id: drop a suspended request (the process was killed) -> p0 status. */
export const CDEV_CANCEL: i32 = 0x705;
/** -> CDEV_REVIVE (p0 bytes or -errno, p5 request id) or CDEV_NO_STATUS. */
export const CDEV_STATUS: i32 = 0x706;
/** A character driver's reply (m_type) to everything but CDEV_STATUS. */
export const CDEV_REPLY: i32 = 0x780;
export const CDEV_REVIVE: i32 = 0x781;
export const CDEV_NO_STATUS: i32 = 0x782;

/** Major device numbers: VFS's own memory devices (minor 2 /dev/null, 3 /dev/zero) and the console. */
export const MAJOR_MEMORY: i32 = 1;
export const MAJOR_TTY: i32 = 4;
export const MINOR_NULL: i32 = 2;
export const MINOR_ZERO: i32 = 3;

// ---- modes, flags, records -------------------------------------------------

export const S_IFMT: i32 = 0o170000;
export const S_IFSOCK: i32 = 0o140000;
export const S_IFLNK: i32 = 0o120000;
export const S_IFREG: i32 = 0o100000;
export const S_IFBLK: i32 = 0o060000;
export const S_IFDIR: i32 = 0o040000;
export const S_IFCHR: i32 = 0o020000;
export const S_IFIFO: i32 = 0o010000;

export const O_RDONLY: i32 = 0;
export const O_WRONLY: i32 = 1;
export const O_RDWR: i32 = 2;
export const O_ACCMODE: i32 = 3;
export const O_CREAT: i32 = 0o100;
export const O_EXCL: i32 = 0o200;
export const O_TRUNC: i32 = 0o1000;
export const O_APPEND: i32 = 0o2000;
export const O_NONBLOCK: i32 = 0o4000;
export const O_DIRECTORY: i32 = 0o200000;
export const O_CLOEXEC: i32 = 0o2000000;

export const SEEK_SET: i32 = 0;
export const SEEK_CUR: i32 = 1;
export const SEEK_END: i32 = 2;

/**
 * A directory entry as VFS_GETDENTS and REQ_GETDENTS return it: u32 inode,
 * u8 name length, u8 type (DT_*), 2 bytes 0, then the name (no NUL), the
 * record padded to a multiple of 4 bytes; the next record follows.
 */
export const DIRENT_HEADER: i32 = 8;
export const DT_UNKNOWN: i32 = 0;
export const DT_REG: i32 = 8;
export const DT_DIR: i32 = 4;
export const DT_CHR: i32 = 2;
export const DT_LNK: i32 = 10;
