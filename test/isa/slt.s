# slt: slt/sltu/slti/sltiu and seqz/snez/sltz/sgtz at the signed and unsigned extremes
.include "prelude.inc"

test_main:
    li s0, 0x80000000
    li s1, 0x7fffffff
    li s2, -1
    slt a0, s0, s1             # INT_MIN < INT_MAX signed
    CHECK a0, 1
    sltu a0, s0, s1            # 2^31 > 2^31-1 unsigned
    CHECK a0, 0
    slt a0, s2, zero
    CHECK a0, 1
    sltu a0, s2, zero
    CHECK a0, 0
    sltu a0, zero, s2
    CHECK a0, 1
    slt a0, s1, s1
    CHECK a0, 0
    # sltiu sign-extends the immediate, then compares unsigned
    sltiu a0, s0, -1           # 0x80000000 < 0xffffffff
    CHECK a0, 1
    sltiu a0, s2, -1           # equal
    CHECK a0, 0
    sltiu a0, zero, 1          # seqz
    CHECK a0, 1
    slti a0, s0, -2048
    CHECK a0, 1
    slti a0, s1, 2047
    CHECK a0, 0
    slti a0, s2, 0
    CHECK a0, 1
    sltiu a0, s1, 2047
    CHECK a0, 0
    # pseudo-instructions
    seqz a0, zero
    CHECK a0, 1
    snez a0, s0
    CHECK a0, 1
    sltz a0, s0
    CHECK a0, 1
    sgtz a0, s2
    CHECK a0, 0
    sgtz a0, s1
    CHECK a0, 1
    PASS
