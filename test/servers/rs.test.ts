// rs and ds: a killed service is restarted (the console driver itself,
// while the shell uses it) at its boot priority, its new endpoint published
// in ds; `service` restarts, stops and starts services; a service that
// hangs is found by its missed pings and one that faults by pm's notice,
// and both are restarted after delays that double, while one that waits on
// another service is left alone. At rest, rs costs a few thousand
// instructions per ping round. ds answers lookups and lets a process
// publish only itself.

import { beforeAll, describe, expect, it } from 'vitest';
import { Board } from '../../vm/board.ts';
import { MemoryBackend } from '../../vm/devices/virtio_blk.ts';
import type { BootImage } from '../../kernel/kernel.ts';
import { STATE } from '../../kernel/proc.ts';
import { buildSystem } from '../../servers/system.ts';
import { makeDisk } from '../fs/system.ts';
import { buildTestSystem, Session, QUIET_SERVICE, HANG_SERVICE, CRASH_SERVICE, SINK_SERVICE, WAIT_SERVICE } from './session.ts';

/** The shell still answers (whatever rs prints meanwhile). */
function expectAlive(s: Session): void {
  const from = s.output().length;
  s.type('echo alive\n');
  expect(s.runUntil((o) => o.includes('alive\nalive\n') || /alive\n(.|\n)*\nalive\n/.test(o), from, 200_000_000)).toBe(true);
}

interface Svc { name: string; state: string; pid: number; ep: number; restarts: number }

function services(s: Session): Map<string, Svc> {
  const rows = s.command('service list').split('\n').slice(1).filter((l) => l.trim() !== '');
  return new Map(rows.map((l) => {
    const [name, state, pid, ep, restarts] = l.trim().split(/\s+/);
    return [name, { name, state, pid: Number(pid), ep: Number(ep), restarts: Number(restarts) }];
  }));
}

describe('restarting the console driver', () => {
  let s: Session;
  beforeAll(async () => {
    s = new Session(await buildTestSystem());
    expect(s.prompt(5_000_000)).toBe(true);
  });

  it('rs watches tty from boot; ds has every boot process', () => {
    const tty = services(s).get('tty')!;
    expect(tty).toMatchObject({ state: 'up', restarts: 0 });
    expect(s.command('dsq lookup pm ds rs tty init nosuch')).toBe(
      `pm 0x100\nds 0x101\nrs 0x102\ntty 0x${tty.ep.toString(16)}\ninit 0x104\nnosuch No such process\n`);
  });

  it('kill -9 of tty: rs restarts it, ds has the new endpoint, and the shell keeps its console', () => {
    const old = services(s).get('tty')!;
    const out = s.command(`kill -9 ${old.pid}`);
    expect(out).toBe('rs: tty died (signal 9), restarting in 0 ms\n');
    expect(s.command('echo back')).toBe('back\n');
    const now = services(s).get('tty')!;
    expect(now.state).toBe('up');
    expect(now.restarts).toBe(1);
    expect(now.pid).not.toBe(old.pid);
    expect(now.ep).not.toBe(old.ep);
    expect(s.command('dsq lookup tty')).toBe(`tty 0x${now.ep.toString(16)}\n`);
    // The kernel knows it as tty, at the priority it booted with (2), not rs's (1).
    const k = s.kernel.procs.lookup(now.ep)!;
    expect([k.name, k.priority]).toEqual(['tty', 2]);
    // The new tty owns the UART: its interrupt, editing, echo, ^C.
    const from = s.output().length;
    s.type('spin\n');
    expect(s.runUntil((o) => o.includes('spinning\n'), from)).toBe(true);
    s.type('\x03');
    expect(s.runUntil((o) => o.endsWith('$ '), from)).toBe(true);
    const at = s.output().length;
    s.type('echo ab\x7fc\n');
    expect(s.runUntil((o) => o.endsWith('$ '), at)).toBe(true);
    expect(s.output().slice(at)).toBe('echo ab\b \bc\nac\n$ ');
  });

  it('service restart tty: a fresh copy at once', () => {
    const before = services(s).get('tty')!;
    expect(s.command('service restart tty')).toBe('rs: tty died (signal 9), restarting in 0 ms\n');
    const after = services(s).get('tty')!;
    expect(after.restarts).toBe(before.restarts + 1);
    expect(after.pid).not.toBe(before.pid);
    expect(s.command('echo ok')).toBe('ok\n');
  });

  it('service: unknown names and bad usage', () => {
    expect(s.command('service restart nosuch; echo $?')).toBe('service: restart nosuch: No such process\n1\n');
    expect(s.command('service frobnicate; echo $?')).toBe('usage: service list | restart NAME | down NAME | stop NAME | up NAME\n2\n');
  });
});

describe('service down and up; ds', () => {
  let s: Session;
  let images: BootImage[];
  beforeAll(async () => {
    images = await buildTestSystem([QUIET_SERVICE]);
    s = new Session(images);
    expect(s.prompt(5_000_000)).toBe(true);
  });

  it('down stops a service for good, up starts it again under a new endpoint', () => {
    const q = services(s).get('quietsvc')!;
    expect(q.state).toBe('up');
    expect(s.command('service down quietsvc')).toBe('rs: quietsvc died (signal 9), down\n');
    expect(services(s).get('quietsvc')!.state).toBe('down');
    s.command('sleep 1'); // ten ping rounds: nobody restarts it
    expect(services(s).get('quietsvc')!.state).toBe('down');
    expect(s.command('ps')).not.toMatch(/quietsvc/);
    expect(s.command('service up quietsvc; echo $?')).toBe('0\n');
    const up = services(s).get('quietsvc')!;
    expect(up.state).toBe('up');
    expect(up.ep).not.toBe(q.ep);
    expect(s.command('dsq lookup quietsvc')).toBe(`quietsvc 0x${up.ep.toString(16)}\n`);
    expect(s.command('service up quietsvc; echo $?')).toBe('service: up quietsvc: Device or resource busy\n1\n');
    // stop is down's other name (the word for it).
    expect(s.command('service stop quietsvc')).toBe('rs: quietsvc died (signal 9), down\n');
    expect(services(s).get('quietsvc')!.state).toBe('down');
    expect(s.command('service up quietsvc; echo $?')).toBe('0\n');
  });

  it('a well-behaved service is left alone by the pings', () => {
    const before = services(s).get('quietsvc')!;
    s.command('sleep 2');
    expect(services(s).get('quietsvc')).toEqual(before);
  });

  it('ds: a process may publish itself, not someone else', () => {
    expect(s.command('dsq publish mine self')).toMatch(/^publish mine: ok\nmine 0x[0-9a-f]+\n$/);
    expect(s.command('dsq publish tty 104; echo $?')).toBe('publish tty: Operation not permitted\n1\n');
    expect(s.command('dsq publish "" self; echo $?')).toBe('publish : Invalid argument\n1\n');
  });
});

describe('hung and crashing services', () => {
  it('a service that stops answering pings is killed and restarted, each time after a longer delay', async () => {
    const s = new Session(await buildTestSystem([HANG_SERVICE]));
    expect(s.prompt(5_000_000)).toBe(true);
    const deaths = (): number => (s.output().match(/rs: hangsvc died/g) ?? []).length;
    expect(s.runUntil(() => deaths() >= 3, 0, 400_000_000)).toBe(true);
    expect((s.output().match(/rs: hangsvc does not answer: killing it\n/g) ?? []).length).toBe(3);
    const delays = [...s.output().matchAll(/rs: hangsvc died \(signal 9\), restarting in (\d+) ms\n/g)].map((m) => Number(m[1]));
    expect(delays.slice(0, 3)).toEqual([0, 10, 20]);
    // The shell was starved while the service spun, not hurt (rs may speak in between: the service keeps hanging).
    expectAlive(s);
  });

  it('a service that faults is restarted (pm tells rs), with the same backoff', async () => {
    const s = new Session(await buildTestSystem([CRASH_SERVICE]));
    expect(s.runUntil((o) => (o.match(/rs: crashsvc died/g) ?? []).length >= 3, 0, 200_000_000)).toBe(true);
    const out = s.output();
    expect(out).toMatch(/kernel: crashsvc \(endpoint \d+\) stopped: load page fault at pc 0x[0-9a-f]+, tval 0x70000000\n/);
    const delays = [...out.matchAll(/rs: crashsvc died \(signal 11\), restarting in (\d+) ms\n/g)].map((m) => Number(m[1]));
    expect(delays.slice(0, 3)).toEqual([0, 10, 20]);
    expectAlive(s);
  });
});

describe('a service that waits on another', () => {
  it('is not taken for hung: the kernel says it is blocked in a sendrec, so rs leaves it be', async () => {
    const s = new Session(await buildTestSystem([SINK_SERVICE, WAIT_SERVICE]));
    // The shell's prompt and waitsvc's line come in either order.
    expect(s.runUntil((o) => o.includes('waitsvc: waiting on sinksvc\n') && o.includes('$ '), 0, 50_000_000)).toBe(true);
    s.command('sleep 1'); // ten ping rounds it leaves unanswered
    const w = s.kernel.procs.byName('waitsvc')!;
    expect([w.state, w.ipc.peer]).toEqual([STATE.RECEIVING, s.kernel.procs.byName('sinksvc')!.endpoint]);
    expect(s.output()).not.toMatch(/rs: waitsvc/);
    expect(services(s).get('waitsvc')).toMatchObject({ state: 'up', restarts: 0, ep: w.endpoint });
  });
});

describe('rs at rest', () => {
  it('one ping round per 100 ms of machine time, a few thousand instructions each', async () => {
    const images = await buildSystem({ servers: ['pm', 'ds', 'rs', 'vfs', 'blk', 'mfs', 'tty', 'init'] });
    const disk = makeDisk(8, (fs) => { fs.mkdir('/bin'); fs.mkdir('/tmp'); });
    const s = new Session(images, (o) => new Board({ ...o, disk: new MemoryBackend(disk) }));
    expect(s.prompt(50_000_000)).toBe(true);
    const watched = ['vfs', 'blk', 'mfs', 'tty'];
    const insns = (): Record<string, number> => Object.fromEntries(['rs', ...watched].map((n) => [n, s.kernel.procs.byName(n)!.instret]));
    const before = insns();
    const t0 = s.kernel.now();
    const IDLE = 20 * 10_000_000; // 20 s of machine time (10 MHz), fast-forwarded while everything waits
    while (s.kernel.now() - t0 < IDLE) s.runFor(1_000_000);
    const rounds = (s.kernel.now() - t0) / 1_000_000;
    const after = insns();
    const used = (n: string): number => after[n] - before[n];
    // Every service answered about one ping per round (an answer costs its skeleton some tens of instructions).
    for (const n of watched) expect([n, used(n) > rounds * 20]).toEqual([n, true]);
    // rs: per round an alarm, a clock read and a ping to each service, their answers, a share of the collector.
    const PER_ROUND = 1500, PER_SERVICE = 600;
    expect(used('rs')).toBeLessThan(rounds * (PER_ROUND + PER_SERVICE * watched.length));
    expect(used('rs')).toBeGreaterThan(rounds * watched.length * 20);
    // Once rs is back in its receive, the next round is due within 100 ms: an alarm, not a loop.
    // At rest instructions run only inside rounds, so a check between slices of
    // many instructions lands wherever a round happens to be: step one
    // instruction at a time until rs blocks with its alarm set.
    const rs = s.kernel.procs.byName('rs')!;
    let steps = 0;
    while (!(rs.state === STATE.RECEIVING && rs.alarm !== undefined) && steps < 200_000) { s.runFor(1); steps++; }
    expect(rs.state === STATE.RECEIVING && rs.alarm !== undefined, `rs after ${steps} steps`).toBe(true);
    expect(rs.alarm! - s.kernel.now()).toBeGreaterThan(0);
    expect(rs.alarm! - s.kernel.now()).toBeLessThanOrEqual(1_000_000);
  });
});
