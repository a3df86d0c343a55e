/*
 * hello.c: a freestanding C program for QEMU's virt board (RV32, -bios none).
 * It is the interoperability proof of test/c/hello.test.ts: the same ELF,
 * built by riscv64-unknown-elf-gcc, must print the same text and power off
 * with the same exit code on Tessera and on qemu-system-riscv32.
 *
 * It exercises what a C compiler emits for ordinary code: the UART
 * (ns16550a at 0x10000000), a small printf of our own (varargs), 64-bit
 * multiply, divide and remainder (libgcc's __udivdi3 and friends),
 * string functions that gcc may also call on its own (memcpy, memset),
 * recursion, initialised data and a static array in .bss. main's return
 * value is the exit code (crt0.S hands it to sifive_test).
 *
 * Nothing here depends on timing or on what differs between the two
 * machines (misa, the C extension, mtime).
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define UART0 ((volatile uint8_t *)0x10000000)
#define UART_THR 0
#define UART_LSR 5
#define LSR_THRE 0x20

/* ---- string functions (gcc may call memcpy/memset/strlen by itself) ---- */

void *memcpy(void *dst, const void *src, size_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  while (n--) *d++ = *s++;
  return dst;
}

void *memset(void *dst, int c, size_t n) {
  uint8_t *d = dst;
  while (n--) *d++ = (uint8_t)c;
  return dst;
}

size_t strlen(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

int strcmp(const char *a, const char *b) {
  while (*a && *a == *b) { a++; b++; }
  return (unsigned char)*a - (unsigned char)*b;
}

static void reverse(char *s) {
  size_t n = strlen(s);
  for (size_t i = 0; i < n / 2; i++) {
    char t = s[i];
    s[i] = s[n - 1 - i];
    s[n - 1 - i] = t;
  }
}

/* ---- console ---- */

static void uart_putc(char c) {
  while ((UART0[UART_LSR] & LSR_THRE) == 0) {}
  UART0[UART_THR] = (uint8_t)c;
}

static void put_str(const char *s) {
  while (*s) uart_putc(*s++);
}

/* Unsigned 64-bit value in `base` (2..16); the divisions call libgcc on RV32. */
static void put_u64(uint64_t v, unsigned base, int width, char pad) {
  char buf[72];
  int n = 0;
  do {
    buf[n++] = "0123456789abcdef"[v % base];
    v /= base;
  } while (v != 0);
  while (n < width) buf[n++] = pad;
  buf[n] = 0;
  reverse(buf);
  put_str(buf);
}

static void put_i64(int64_t v, int width) {
  if (v < 0) {
    uart_putc('-');
    put_u64(-(uint64_t)v, 10, width > 0 ? width - 1 : 0, ' ');
  } else {
    put_u64((uint64_t)v, 10, width, ' ');
  }
}

/*
 * A printf subset: %d %u %x %c %s %%, an optional width with 0 padding,
 * and the `ll` length for 64-bit arguments.
 */
static void print(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  for (const char *p = fmt; *p; p++) {
    if (*p != '%') { uart_putc(*p); continue; }
    p++;
    char pad = ' ';
    int width = 0, ll = 0;
    if (*p == '0') { pad = '0'; p++; }
    while (*p >= '0' && *p <= '9') width = width * 10 + (*p++ - '0');
    if (p[0] == 'l' && p[1] == 'l') { ll = 1; p += 2; }
    switch (*p) {
      case 'd': put_i64(ll ? va_arg(ap, int64_t) : va_arg(ap, int32_t), width); break;
      case 'u': put_u64(ll ? va_arg(ap, uint64_t) : va_arg(ap, uint32_t), 10, width, pad); break;
      case 'x': put_u64(ll ? va_arg(ap, uint64_t) : va_arg(ap, uint32_t), 16, width, pad); break;
      case 'c': uart_putc((char)va_arg(ap, int)); break;
      case 's': put_str(va_arg(ap, const char *)); break;
      case '%': uart_putc('%'); break;
      default: uart_putc('?'); break;
    }
  }
  va_end(ap);
}

/* ---- things to compute ---- */

static uint64_t factorial(unsigned n) {
  return n <= 1 ? 1 : n * factorial(n - 1);
}

static unsigned ackermann(unsigned m, unsigned n) {
  if (m == 0) return n + 1;
  if (n == 0) return ackermann(m - 1, 1);
  return ackermann(m - 1, ackermann(m, n - 1));
}

static uint32_t hanoi_moves;

static void hanoi(int n, int from, int to, int via) {
  if (n == 0) return;
  hanoi(n - 1, from, via, to);
  hanoi_moves++;
  hanoi(n - 1, via, to, from);
}

#define SIEVE_N 2000
static uint8_t composite[SIEVE_N]; /* .bss: crt0 must have cleared it */

static int count_primes(void) {
  int count = 0;
  for (int i = 2; i < SIEVE_N; i++) {
    if (composite[i]) continue;
    count++;
    for (int j = i * i; j < SIEVE_N; j += i) composite[j] = 1;
  }
  return count;
}

/* .data: initialised by the loader, not by code. */
static int32_t numbers[12] = { 42, -7, 1000000, 3, -2147483647, 19, 0, 88, -300, 5, 77, 12 };
static const char *const words[] = { "virt", "hart", "tile", "ecall", "sv32", "uart" };

static void insertion_sort(int32_t *a, int n) {
  for (int i = 1; i < n; i++) {
    int32_t v = a[i];
    int j = i - 1;
    while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
    a[j + 1] = v;
  }
}

/* FNV-1a over the bytes of a string: 32-bit multiplies that wrap. */
static uint32_t fnv1a(const char *s) {
  uint32_t h = 2166136261u;
  while (*s) { h ^= (uint8_t)*s++; h *= 16777619u; }
  return h;
}

int main(void) {
  print("hello from C on the virt board\n");

  print("factorials:");
  for (unsigned i = 15; i <= 20; i++) print(" %llu", factorial(i));
  print("\n");

  uint64_t big = 0x0123456789abcdefull;
  int64_t neg = -9876543210123ll;
  print("u64 %llu / 1000003 = %llu rem %llu\n", big, big / 1000003u, big % 1000003u);
  print("i64 %lld / 97 = %lld rem %lld\n", neg, neg / 97, neg % 97);
  print("i64 %lld * %lld = %lld\n", neg, (int64_t)-123457, neg * -123457);
  print("hex %016llx %08x %x\n", big * 3, 0xdeadbeefu, 255u);

  int32_t q = -2147483647 - 1;
  volatile int32_t m1 = -1, zero = 0;
  print("div edge: %d %d %d %d\n", q / m1, q % m1, 17 / zero, 17 % zero);

  print("ackermann(2, 3) = %u, hanoi(10) = ", ackermann(2, 3));
  hanoi(10, 1, 3, 2);
  print("%u moves\n", hanoi_moves);

  print("primes below %d: %d\n", SIEVE_N, count_primes());

  int32_t sorted[12];
  memcpy(sorted, numbers, sizeof sorted);
  insertion_sort(sorted, 12);
  print("sorted:");
  for (int i = 0; i < 12; i++) print(" %d", sorted[i]);
  print("\n");

  char buf[32];
  memset(buf, 0, sizeof buf);
  memcpy(buf, "tessera", 8);
  reverse(buf);
  print("reversed '%s' (%u chars), cmp %d %d\n", buf, (uint32_t)strlen(buf),
        strcmp(words[0], words[1]) > 0, strcmp(words[2], "tile") == 0);
  for (unsigned i = 0; i < sizeof words / sizeof words[0]; i++) {
    print("  %s%c %08x\n", words[i], ':', fnv1a(words[i]));
  }

  uint32_t sum = 0;
  for (int i = 2; i < SIEVE_N; i++) sum += composite[i] ? 0 : (uint32_t)i;
  print("sum of primes: %u, checksum %c\n", sum, (char)('A' + sum % 26));
  print("bye\n");
  return (int)(sum % 200) + 1; /* exit code: nonzero, so both machines must pass it on */
}
