/* Benchmark kernel: table-driven CRC-32 of a 4 KiB buffer, REPS times. Same algorithm as crc32.ts. */
#include "bench.h"

#define LEN 4096
static unsigned table[256];
static unsigned char buf[LEN];

static void make_table(void) {
  for (unsigned i = 0; i < 256; i++) {
    unsigned c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
}

static unsigned __attribute__((noinline)) crc32(const unsigned char *b, int len) {
  unsigned c = 0xffffffffu;
  for (int i = 0; i < len; i++) c = table[(c ^ b[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

int main(void) {
  make_table();
  for (int i = 0; i < LEN; i++) buf[i] = (unsigned char)(i * 7 + (i >> 5));
  unsigned x = 0;
  for (int r = 0; r < REPS; r++) {
    buf[r & (LEN - 1)] ^= (unsigned char)r; /* a different input each time */
    x ^= crc32(buf, LEN);
  }
  putnum(x);
  return 0;
}
