// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// tty: the console driver (docs/servers.md, "tty"). It owns the UART
// (uart.ts), runs the line discipline (line.ts) and serves the
// character-device protocol of fs_proto.ts on minor 0: open, close, read,
// write, ioctl (the foreground process group, echo), cancel, status.
//
// A read that finds no line waits in a queue of readers. Its answer comes
// when a line is typed: a client that set TTY_WAIT (the POSIX library in a
// system without VFS) gets the reply to its sendrec then; VFS (which must
// never block) got CDEV_SUSPEND at once, is notified, and collects the
// result with CDEV_STATUS. The line is copied to the reader's grant before
// it is taken from the queue, so a reader that died meanwhile loses nothing
// for the next one.
//
// ^C and ^\ end every waiting read with -EINTR and ask pm to signal the
// foreground process group (TIOCSPGRP sets it), never waiting on pm. The
// group is kept in ds
// ("tty.fg"), so a tty that rs restarts still knows whom ^C is for.
//
// Privileges: devmap, irqctl, setalarm and the copies; the UART's page and
// IRQ 10; sends to pm, vfs, ds, rs (kernel/privileges.ts).
//
// Entry points: main.

import { Message, sendnb, printErr, printInt } from "../lib/index";
import {
  serverInit, serverCall, serverOnNotify, serverReplyType, serverRun, serverNotify, reply, replyRaw,
  sysSafecopyFrom, sysSafecopyTo, sysSetAlarm, dsPublish, dsLookup, dsLookupValue,
} from "../lib/server";
import {
  PM_EP, PM_KILL, PM_NOREPLY, HARDWARE, CLOCK, SUSPEND, ENOTREADY, TTY_CONSOLE, TTY_WAIT, TIOCGPGRP, TIOCSPGRP, TCGETFLAGS, TCSETFLAGS,
  SIGINT, SIGQUIT, EINTR, EAGAIN, EINVAL, ENOTTY,
} from "../lib/proto";
import {
  CDEV_OPEN, CDEV_CLOSE, CDEV_READ, CDEV_WRITE, CDEV_IOCTL, CDEV_CANCEL, CDEV_STATUS, CDEV_REPLY,
  CDEV_REVIVE, CDEV_NO_STATUS, CDEV_SUSPEND, O_NONBLOCK, ENXIO,
} from "../lib/fs_proto";
import { uartInit, uartPending, uartGetc, uartEnableIrq } from "./uart";
import {
  lineInput, LINE_READY, LINE_INTR, LINE_QUIT, cookedReady, cookedPeek, cookedConsume,
  outWrite, outFlush, ttyFlags, setTtyFlags,
} from "./line";

const MAX_READERS: i32 = 16;
const CHUNK: i32 = 512;

// Waiting reads, oldest first.
const rCaller = new StaticArray<i32>(MAX_READERS);
const rGrant = new StaticArray<i32>(MAX_READERS);
const rCount = new StaticArray<i32>(MAX_READERS);
const rId = new StaticArray<i32>(MAX_READERS);
const rWait = new StaticArray<bool>(MAX_READERS);
let readers: i32 = 0;

// Finished CDEV_SUSPEND reads, for CDEV_STATUS.
const dCaller = new StaticArray<i32>(MAX_READERS);
const dId = new StaticArray<i32>(MAX_READERS);
const dStatus = new StaticArray<i32>(MAX_READERS);
let done: i32 = 0;

let foreground: i32 = 0;
/** Where the foreground group survives a restart of tty. */
const FG_NAME: string = "tty.fg";
const buf = new StaticArray<u8>(CHUNK);
const out = new Message();
const pmMsg = new Message();

function bufAddr(): usize {
  return changetype<usize>(buf);
}

// --- serving reads ---------------------------------------------------------

/** Give the first record (up to `count` bytes) to `caller`'s grant: the count, or -errno (it is left queued). */
function give(caller: i32, grant: i32, count: i32): i32 {
  const n = cookedPeek(bufAddr(), count < CHUNK ? count : CHUNK);
  if (n > 0) {
    const r = sysSafecopyTo(caller, grant, 0, bufAddr(), n);
    if (r != 0) return r;
  }
  cookedConsume(n);
  return n;
}

function dropReader(i: i32): void {
  for (let j = i; j + 1 < readers; j++) {
    rCaller[j] = rCaller[j + 1]; rGrant[j] = rGrant[j + 1]; rCount[j] = rCount[j + 1];
    rId[j] = rId[j + 1]; rWait[j] = rWait[j + 1];
  }
  readers--;
}

/** Answer reader `i` with `status` and take it off the queue. */
function finish(i: i32, status: i32): void {
  const caller = rCaller[i];
  if (rWait[i]) {
    out.clear();
    out.p5 = rId[i];
    reply(caller, out, status);
  } else if (done < MAX_READERS) {
    dCaller[done] = caller; dId[done] = rId[i]; dStatus[done] = status;
    done++;
    serverNotify(caller);
  }
  dropReader(i);
}

/** Serve waiting readers while lines are ready. */
function serveReaders(): void {
  while (readers > 0 && cookedReady()) {
    const n = give(rCaller[0], rGrant[0], rCount[0]);
    if (n < 0) {
      dropReader(0); // its process died (or its grant went bad): the line stays for the next
      continue;
    }
    finish(0, n);
  }
}

// --- requests ----------------------------------------------------------------

function doOpen(m: Message): i32 {
  return m.p0 == TTY_CONSOLE ? 0 : -ENXIO;
}

function doClose(m: Message): i32 {
  return 0;
}

function doRead(m: Message): i32 {
  if (m.p0 != TTY_CONSOLE) return -ENXIO;
  const count = m.p2;
  if (count < 0) return -EINVAL;
  if (count == 0) return 0;
  if (readers == 0 && cookedReady()) return give(m.m_source, m.p1, count);
  if ((m.p4 & O_NONBLOCK) != 0) return -EAGAIN;
  if (readers >= MAX_READERS) return -EAGAIN;
  rCaller[readers] = m.m_source; rGrant[readers] = m.p1; rCount[readers] = count;
  rId[readers] = m.p5; rWait[readers] = (m.p4 & TTY_WAIT) != 0;
  readers++;
  return rWait[readers - 1] ? SUSPEND : CDEV_SUSPEND;
}

function doWrite(m: Message): i32 {
  if (m.p0 != TTY_CONSOLE) return -ENXIO;
  const count = m.p2;
  if (count < 0) return -EINVAL;
  for (let off = 0; off < count; off += CHUNK) {
    const n = count - off < CHUNK ? count - off : CHUNK;
    const r = sysSafecopyFrom(m.m_source, m.p1, off, bufAddr(), n);
    if (r != 0) {
      outFlush();
      return off > 0 ? off : r;
    }
    outWrite(bufAddr(), n);
  }
  outFlush();
  return count;
}

function doIoctl(m: Message): i32 {
  if (m.p0 != TTY_CONSOLE) return -ENXIO;
  const request = m.p1;
  if (request == TIOCSPGRP) {
    if (m.p2 < 0) return -EINVAL;
    foreground = m.p2;
    dsPublish(FG_NAME, 0, foreground);
    return 0;
  }
  if (request == TIOCGPGRP) return foreground;
  if (request == TCGETFLAGS) return ttyFlags();
  if (request == TCSETFLAGS) return setTtyFlags(m.p2) == 0 ? 0 : -EINVAL;
  return -ENOTTY;
}

function doCancel(m: Message): i32 {
  for (let i = 0; i < readers; i++) {
    if (rCaller[i] == m.m_source && rId[i] == m.p5) {
      dropReader(i);
      return -EINTR;
    }
  }
  return 0;
}

function doStatus(m: Message): i32 {
  const src = m.m_source;
  for (let i = 0; i < done; i++) {
    if (dCaller[i] != src) continue;
    m.m_type = CDEV_REVIVE;
    m.p0 = dStatus[i];
    m.p5 = dId[i];
    for (let j = i; j + 1 < done; j++) { dCaller[j] = dCaller[j + 1]; dId[j] = dId[j + 1]; dStatus[j] = dStatus[j + 1]; }
    done--;
    replyRaw(src, m);
    return SUSPEND;
  }
  m.m_type = CDEV_NO_STATUS;
  replyRaw(src, m);
  return SUSPEND;
}

// --- input ---------------------------------------------------------------------

/** A signal for the foreground group that pm has not taken yet (0: none). */
let pendingSig: i32 = 0;
const RETRY_TICKS: i32 = 1000;

/**
 * Ask pm to signal the foreground group, without waiting on pm: tty must
 * never block on a server that may itself be waiting (through VFS) on tty.
 * If pm is busy the request is tried again shortly (an alarm).
 */
function signalForeground(): void {
  if (pendingSig == 0 || foreground <= 0) { pendingSig = 0; return; }
  pmMsg.clear();
  pmMsg.m_type = PM_KILL;
  pmMsg.p0 = -foreground;
  pmMsg.p1 = pendingSig;
  pmMsg.p2 = PM_NOREPLY;
  if (sendnb(PM_EP, pmMsg) == -ENOTREADY) { sysSetAlarm(RETRY_TICKS); return; }
  pendingSig = 0;
}

/** ^C or ^\: waiting reads end with -EINTR, and pm signals the foreground group. */
function interrupt(sig: i32): void {
  while (readers > 0) finish(0, -EINTR);
  pendingSig = sig;
  signalForeground();
}

function drainUart(): void {
  while (uartPending()) {
    const what = lineInput(uartGetc());
    if (what == LINE_INTR || what == LINE_QUIT) {
      outFlush();
      interrupt(what == LINE_INTR ? SIGINT : SIGQUIT);
    }
  }
  outFlush();
  serveReaders();
}

function onNotify(m: Message): void {
  if (m.m_source == CLOCK) { signalForeground(); return; }
  if (m.m_source != HARDWARE) return;
  drainUart();
  uartEnableIrq();
}

export function main(): i32 {
  serverInit("tty", CDEV_OPEN, CDEV_STATUS - CDEV_OPEN + 1);
  serverReplyType(CDEV_REPLY);
  serverCall(CDEV_OPEN, doOpen);
  serverCall(CDEV_CLOSE, doClose);
  serverCall(CDEV_READ, doRead);
  serverCall(CDEV_WRITE, doWrite);
  serverCall(CDEV_IOCTL, doIoctl);
  serverCall(CDEV_CANCEL, doCancel);
  serverCall(CDEV_STATUS, doStatus);
  serverOnNotify(onNotify);
  const r = uartInit();
  if (r != 0) {
    printErr("tty: cannot map the UART or take its interrupt: error ");
    printInt(-r, 2);
    printErr("\n");
    return 1;
  }
  if (dsLookup(FG_NAME) > 0) foreground = dsLookupValue(); // a restart: the group my predecessor had
  drainUart(); // bytes that came before the interrupt was set up
  serverRun();
  return 0;
}
