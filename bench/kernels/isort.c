/* Benchmark kernel: fill 256 ints from a linear congruential generator and
 * insertion-sort them, REPS times. Same algorithm as isort.ts. */
#include "bench.h"

#define N 256
static int a[N];

static void __attribute__((noinline)) fill(int *p, int n, unsigned seed) {
  for (int i = 0; i < n; i++) {
    seed = seed * 1103515245u + 12345u;
    p[i] = (int)(seed >> 8);
  }
}

static void __attribute__((noinline)) isort(int *p, int n) {
  for (int i = 1; i < n; i++) {
    int x = p[i];
    int j = i - 1;
    while (j >= 0 && p[j] > x) {
      p[j + 1] = p[j];
      j--;
    }
    p[j + 1] = x;
  }
}

int main(void) {
  int check = 0;
  for (int r = 0; r < REPS; r++) {
    fill(a, N, (unsigned)r);
    isort(a, N);
    check ^= a[r & (N - 1)] + a[N - 1];
  }
  putnum(check);
  return 0;
}
