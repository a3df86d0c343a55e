# The gdb script test/debug/gdb_e2e.test.ts runs against Tessera and QEMU.
# Everything between @@MONITOR-BEGIN and @@MONITOR-END is machine-specific
# (QEMU's monitor has no vtop); the rest must read the same on both.
set pagination off
set confirm off
set width 0
break square
continue
p $pc
p $a0
p/x $ra
info registers
stepi
stepi
stepi
p $pc
x/2i $pc
p $priv
p/x $mstatus
p/x $misa
delete
watch *(int*)&total
continue
p $pc
p/x $t1
continue
p $pc
delete
break *smode
continue
p $pc
p $priv
p/x $satp
p/x $mstatus
stepi
p/x $t0
x/4wx 0x40000000
set *(int*)0x40000004 = 0x1234abcd
set *(int*)0x40000008 = 0x55aa55aa
x/4wx 0x40000000
x/4wx &shared
stepi
stepi
p/x $a0
p/x $a1
echo @@MONITOR-BEGIN\n
monitor vtop 0x80000000
monitor vtop 0x40000004
echo @@MONITOR-END\n
delete
echo @@END\n
continue
