# sstatus_view: sstatus shows only the S fields of mstatus (SIE, SPIE, SPP, SUM, MXR); writes to it reach exactly those
.include "prelude.inc"

test_main:
    # set M-only fields and S fields in mstatus
    li t0, 0x007e19aa          # MIE MPIE MPP SIE SPIE SPP MPRV SUM MXR TVM TW TSR
    csrs mstatus, t0
    csrr a0, sstatus
    li t1, 0x000c0122          # SIE SPIE SPP SUM MXR
    and t2, a0, t1
    CHECK t2, 0x000c0122
    li t1, 0x00721888          # MIE MPIE MPP MPRV TVM TW TSR
    and t2, a0, t1
    CHECK t2, 0
    # clearing all of sstatus clears the S fields only
    li t0, -1
    csrc sstatus, t0
    csrr a0, mstatus
    li t1, 0x000c0122
    and t2, a0, t1
    CHECK t2, 0
    li t1, 0x00721888
    and t2, a0, t1
    CHECK t2, 0x00721888
    # setting through sstatus
    li t0, 0x000c0122
    csrs sstatus, t0
    csrr a0, mstatus
    li t1, 0x000c0122
    and t2, a0, t1
    CHECK t2, 0x000c0122
    li t0, -1
    csrc mstatus, t0
    csrr a0, sstatus
    li t1, 0x000c0122
    and t2, a0, t1
    CHECK t2, 0
    PASS
