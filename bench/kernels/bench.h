/* bench.h: what the C kernels need from Tessera's user ABI (docs/abi.md):
 * printing a number and a line through the write call. */
#ifndef BENCH_H
#define BENCH_H

#ifndef REPS
#define REPS 1
#endif

static inline long bench_write(const void *buf, unsigned long len) {
  register long a0 __asm__("a0") = 1;
  register long a1 __asm__("a1") = (long)buf;
  register long a2 __asm__("a2") = (long)len;
  register long a7 __asm__("a7") = 17; /* SYS_WRITE */
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
  return a0;
}

/* Print a number as AssemblyScript's printInt does (signed, decimal) and a newline. */
static void putnum(long long v) {
  char b[24];
  int i = sizeof b;
  unsigned long long u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
  b[--i] = '\n';
  do { b[--i] = '0' + u % 10; u /= 10; } while (u);
  if (v < 0) b[--i] = '-';
  bench_write(b + i, sizeof b - i);
}

#endif
