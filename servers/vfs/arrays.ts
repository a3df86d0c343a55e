// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Fixed tables in plain memory for the storage servers: indexed like
// arrays (t[i], t[i] = v), but not objects, so the collector the server
// skeleton runs before every request has nothing to visit in them (a
// StaticArray is an object it marks and sweeps each time). No bounds
// checks: indexes are the servers' own.
//
// Also touch(), which maps a buffer's pages without changing its bytes.
//
// Entry points: I32s, newI32s, Bytes, newBytes, touch.

@final @unmanaged
export class I32s {
  @inline @operator("[]") get(i: i32): i32 {
    return load<i32>(changetype<usize>(this) + (<usize>i << 2));
  }
  @inline @operator("[]=") set(i: i32, v: i32): void {
    store<i32>(changetype<usize>(this) + (<usize>i << 2), v);
  }
}

/** A table of n i32, zeroed. */
export function newI32s(n: i32): I32s {
  const p = heap.alloc(<usize>n << 2);
  memory.fill(p, 0, <usize>n << 2);
  return changetype<I32s>(p);
}

@final @unmanaged
export class Bytes {
  @inline @operator("[]") get(i: i32): u8 {
    return load<u8>(changetype<usize>(this) + <usize>i);
  }
  @inline @operator("[]=") set(i: i32, v: u8): void {
    store<u8>(changetype<usize>(this) + <usize>i, v);
  }
}

/** A table of n bytes, zeroed. */
export function newBytes(n: i32): Bytes {
  const p = heap.alloc(<usize>n);
  memory.fill(p, 0, <usize>n);
  return changetype<Bytes>(p);
}

/**
 * Touch every page of [p, p+n) (read a byte, write it back): the kernel's
 * safe copies do not map untouched heap pages, as a process's own access
 * does, so a buffer another process copies into must be touched first.
 */
export function touch(p: usize, n: usize): void {
  if (n == 0) return;
  for (let a = p; a < p + n; a += 4096) store<u8>(a, load<u8>(a));
  store<u8>(p + n - 1, load<u8>(p + n - 1));
}
