# Writes one word in every 4 KiB page of RAM from 64 KiB up to the FDT (the
# top 2 MiB), so the host must back the whole 128 MiB guest: `npm run bench`
# reports the host's resident memory after it (bench "rss_mib").

    .globl _start
_start:
    li t0, 0x80010000
    li t1, 0x88000000 - 0x200000
1:  sw t0, 0(t0)
    li t2, 4096
    add t0, t0, t2
    bltu t0, t1, 1b
    li t0, 0x100000
    li t1, 0x5555
    sw t1, 0(t0)
2:  j 2b
