/* tessera.h: Tessera's user ABI for C programs (docs/abi.md).
 *
 * A system call is `ecall` with the call number in a7, arguments in a0-a5
 * and the result in a0 (negative: -errno); every other register survives.
 * The numbers are those of toolchain/wasm/abi.ts SYS. */

#ifndef TESSERA_H
#define TESSERA_H

enum {
  SYS_SEND = 1, SYS_RECEIVE = 2, SYS_SENDREC = 3, SYS_NOTIFY = 4, SYS_SENDNB = 5, SYS_REPLYRECV = 6,
  SYS_EXIT = 16, SYS_WRITE = 17, SYS_BRK = 18, SYS_TRAP = 19,
};
enum { EBADF = 9, ENOMEM = 12, EFAULT = 14, EINVAL = 22, ENOSYS = 38 };
enum { ANY = 0x7ace };

/* The 64-byte IPC message. */
typedef struct {
  int m_source;
  int m_type;
  union { int i[14]; unsigned char b[56]; } payload;
} message;
_Static_assert(sizeof(message) == 64, "message must be 64 bytes");

static inline long tessera_syscall(long n, long a0, long a1, long a2) {
  register long r0 __asm__("a0") = a0;
  register long r1 __asm__("a1") = a1;
  register long r2 __asm__("a2") = a2;
  register long r7 __asm__("a7") = n;
  __asm__ volatile("ecall" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r7) : "memory");
  return r0;
}

static inline long write(int fd, const void *buf, unsigned long len) {
  return tessera_syscall(SYS_WRITE, fd, (long)buf, (long)len);
}
static inline void *brk(void *end) { return (void *)tessera_syscall(SYS_BRK, (long)end, 0, 0); }
static inline __attribute__((noreturn)) void exit(int status) {
  tessera_syscall(SYS_EXIT, status, 0, 0);
  __builtin_unreachable();
}
static inline long sendrec(int dest, message *m) { return tessera_syscall(SYS_SENDREC, dest, (long)m, 0); }
static inline long receive(int src, message *m) { return tessera_syscall(SYS_RECEIVE, src, (long)m, 0); }

#endif
