/* hello.c: a C program for Tessera's user ABI, built with
 * riscv64-unknown-elf-gcc (see abi.test.ts and docs/abi.md): prints through
 * the write call, grows its heap with brk, finds IPC unavailable without a
 * kernel (-ENOSYS), does 64-bit arithmetic (libgcc's division), and exits
 * with a status computed from its work. */

#include "tessera.h"

/* A freestanding program supplies what gcc may call for struct copies and zeroing. */
void *memset(void *d, int c, unsigned long n) {
  unsigned char *p = d;
  while (n--) *p++ = (unsigned char)c;
  return d;
}

static unsigned long slen(const char *s) {
  unsigned long n = 0;
  while (s[n]) n++;
  return n;
}

static void puts1(const char *s) { write(1, s, slen(s)); }

static void putnum(long long v) {
  char buf[24];
  int i = sizeof buf;
  unsigned long long u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
  do { buf[--i] = '0' + u % 10; u /= 10; } while (u);
  if (v < 0) buf[--i] = '-';
  write(1, buf + i, sizeof buf - i);
}

/* A bump allocator on top of brk. */
static char *heap_end;
static void *sbrk(long n) {
  if (!heap_end) heap_end = brk(0);
  char *old = heap_end;
  if ((long)brk(old + n) < 0) return 0;
  heap_end = old + n;
  return old;
}

static int table[100];              /* .bss */
static const char *greeting = "hello from C on Tessera\n";  /* .data/.rodata */

int main(void) {
  puts1(greeting);
  for (int i = 0; i < 100; i++) table[i] = i * i;
  long long sum = 0;
  for (int i = 0; i < 100; i++) sum += table[i];
  puts1("sum of squares below 100: "); putnum(sum); puts1("\n");

  /* The heap: 64 KiB more, written and read back. */
  unsigned *p = sbrk(65536);
  if (!p) { puts1("brk failed\n"); return 1; }
  for (int i = 0; i < 16384; i++) p[i] = i * 2654435761u;
  unsigned check = 0;
  for (int i = 0; i < 16384; i++) check ^= p[i];
  puts1("heap check: "); putnum(check); puts1("\n");
  puts1("brk past the limit: "); putnum((long)brk((void *)0x7ff00000)); puts1("\n");

  long long big = 0x0123456789abcdefLL;
  puts1("i64: "); putnum(big / 1000003); puts1(" "); putnum(big % 1000003); puts1("\n");

  message m = { 0 };
  m.m_type = 1;
  puts1("sendrec without a kernel: "); putnum(sendrec(1, &m)); puts1("\n");
  puts1("write to a bad fd: "); putnum(write(7, "x", 1)); puts1("\n");
  puts1("write from unmapped memory: "); putnum(write(1, (void *)0x40000000, 4)); puts1("\n");
  return (int)(sum % 200) + 1;
}
