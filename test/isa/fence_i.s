# fence_i: code stored to memory then fence.i executes as the new instruction (self-modifying code)
.include "prelude.inc"

test_main:
    call patch_me              # warm up any translation of the old code
    CHECK a0, 1
    call patch_me
    CHECK a0, 1
    la s0, patch_me
    li t0, 0x00200513          # li a0, 2
    sw t0, 0(s0)
    fence.i
    call patch_me
    CHECK a0, 2
    # patch again, inside a loop that already ran the code
    li s1, 3
1:
    call patch_me
    li t0, 0x00700513          # li a0, 7
    sw t0, 0(s0)
    fence.i
    addi s1, s1, -1
    bnez s1, 1b
    call patch_me
    CHECK a0, 7
    PASS

patch_me:
    li a0, 1
    ret
