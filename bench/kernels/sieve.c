/* Benchmark kernel: the sieve of Eratosthenes below N, REPS times (-DREPS=n).
 * Same algorithm as sieve.ts. */
#include "bench.h"

#define N 8192
static unsigned char flags[N];

static int __attribute__((noinline)) sieve(unsigned char *f, int n) {
  for (int i = 0; i < n; i++) f[i] = 0;
  int count = 0;
  for (int i = 2; i < n; i++) {
    if (f[i] == 0) {
      count++;
      for (int j = i * i; j < n; j += i) f[j] = 1;
    }
  }
  return count;
}

int main(void) {
  int total = 0;
  for (int r = 0; r < REPS; r++) total += sieve(flags, N);
  putnum(total);
  return 0;
}
