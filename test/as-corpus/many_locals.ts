// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// More live values than registers: locals and temporaries spill to the stack frame.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

let seed: i32 = 1;
function rnd(): i32 { seed = seed * 1664525 + 1013904223; return seed >>> 8; }

function heavy(n: i32): i32 {
  let a = rnd(), b = rnd(), c = rnd(), d = rnd(), e = rnd(), f = rnd(), g = rnd(), h = rnd();
  let i = rnd(), j = rnd(), k = rnd(), l = rnd(), m = rnd(), o = rnd(), p = rnd(), q = rnd();
  let r = rnd(), s = rnd(), t = rnd(), u = rnd(), v = rnd(), w = rnd(), x = rnd(), y = rnd();
  let z = rnd(), aa = rnd(), bb = rnd(), cc = rnd(), dd = rnd(), ee = rnd(), ff = rnd(), gg = rnd();
  for (let it = 0; it < n; it++) {
    a += b ^ c; b += c ^ d; c += d ^ e; d += e ^ f; e += f ^ g; f += g ^ h; g += h ^ i; h += i ^ j;
    i += j ^ k; j += k ^ l; k += l ^ m; l += m ^ o; m += o ^ p; o += p ^ q; p += q ^ r; q += r ^ s;
    r += s ^ t; s += t ^ u; t += u ^ v; u += v ^ w; v += w ^ x; w += x ^ y; x += y ^ z; y += z ^ aa;
    z += aa ^ bb; aa += bb ^ cc; bb += cc ^ dd; cc += dd ^ ee; dd += ee ^ ff; ee += ff ^ gg; ff += gg ^ a; gg += a ^ b;
    if ((it & 7) == 3) a += rnd();
  }
  return a ^ b ^ c ^ d ^ e ^ f ^ g ^ h ^ i ^ j ^ k ^ l ^ m ^ o ^ p ^ q ^ r ^ s ^ t ^ u ^ v ^ w ^ x ^ y ^ z ^ aa ^ bb ^ cc ^ dd ^ ee ^ ff ^ gg;
}

export function main(): i32 {
  printInt(heavy(100)); print(" "); printInt(heavy(7)); print("\n");
  return 0;
}
