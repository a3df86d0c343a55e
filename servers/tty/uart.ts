// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// The console's hardware: the ns16550a UART of the virt board, its register
// page mapped into tty (DEVMAP) and its receive interrupt (PLIC line 10)
// delivered as notifications from HARDWARE (IRQCTL). Output is polled (the
// transmitter holding register empties at once on this machine, but the
// loop waits for LSR.THRE as the datasheet asks); input is drained from the
// receive FIFO at each interrupt.
//
// Entry points: uartInit, uartPending, uartGetc, uartPut, uartEnableIrq,
// UART_IRQ.

import { sysDevmap, sysIrqctl, IRQ_SETPOLICY, IRQ_ENABLE } from "../lib/server";

const UART_PA: i32 = 0x10000000;
/** Where tty maps the UART's page: far above its heap, below the stack's guard. */
const UART_VA: usize = 0x40000000;
export const UART_IRQ: i32 = 10;

const RBR: usize = 0;
const THR: usize = 0;
const IER: usize = 1;
const FCR: usize = 2;
const LSR: usize = 5;
const IER_ERBFI: u8 = 0x01;
const FCR_ENABLE_RESET: u8 = 0x07; // FIFO on, both FIFOs cleared, trigger at 1 byte
const LSR_DR: u8 = 0x01;
const LSR_THRE: u8 = 0x20;

/** Map the UART, turn on its FIFO and receive interrupt, take its line. 0 or -errno. */
export function uartInit(): i32 {
  let r = sysDevmap(UART_PA, 4096, <i32>UART_VA);
  if (r != 0) return r;
  store<u8>(UART_VA + FCR, FCR_ENABLE_RESET);
  store<u8>(UART_VA + IER, IER_ERBFI);
  r = sysIrqctl(IRQ_SETPOLICY, UART_IRQ);
  return r;
}

/** Is a received byte waiting? */
export function uartPending(): bool {
  return (load<u8>(UART_VA + LSR) & LSR_DR) != 0;
}

/** The next received byte (call only when uartPending()). */
export function uartGetc(): u8 {
  return load<u8>(UART_VA + RBR);
}

/** Send `len` bytes at `p`. */
export function uartPut(p: usize, len: i32): void {
  for (let i = 0; i < len; i++) {
    while ((load<u8>(UART_VA + LSR) & LSR_THRE) == 0) {}
    store<u8>(UART_VA + THR, load<u8>(p + <usize>i));
  }
}

/** Re-arm the receive interrupt after draining the FIFO (it fires again at once if a byte came in meanwhile). */
export function uartEnableIrq(): i32 {
  return sysIrqctl(IRQ_ENABLE, UART_IRQ);
}
