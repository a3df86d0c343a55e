// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// service list | restart NAME | down NAME | up NAME: ask rs about the
// system services (docs/servers.md, "rs"). `stop` is another name for
// `down`.
import { Message, sendrec } from "../lib/index";
import { sysSetGrant, setName, zalloc, GRANT_WRITE } from "../lib/server";
import { argc, argv, out, err, strerror } from "../lib/posix";
import {
  RS_EP, RS_LIST, RS_RESTART, RS_DOWN, RS_UP, RSINFO_SIZE, RSINFO_NAME, RSS_UP, RSS_DOWN,
} from "../lib/proto";

const MAX: i32 = 32;
const GRANT: i32 = 59;

function pad(s: string, w: i32): string {
  let r = s;
  while (r.length < w) r += " ";
  return r;
}

function list(): i32 {
  const buf = zalloc(MAX * RSINFO_SIZE);
  sysSetGrant(GRANT, RS_EP, buf, MAX * RSINFO_SIZE, GRANT_WRITE);
  const m = new Message();
  m.m_type = RS_LIST;
  m.p0 = GRANT;
  m.p1 = MAX * RSINFO_SIZE;
  const r = sendrec(RS_EP, m);
  const n = r != 0 ? r : m.m_type;
  if (n < 0) {
    err("service: " + strerror(-n) + "\n");
    return 1;
  }
  let text = "NAME     STATE       PID  ENDPOINT RESTARTS\n";
  for (let i = 0; i < n; i++) {
    const e = buf + <usize>(i * RSINFO_SIZE);
    let len = 0;
    while (len < RSINFO_SIZE - RSINFO_NAME && load<u8>(e + <usize>(RSINFO_NAME + len)) != 0) len++;
    const state = load<i32>(e, 8);
    text += pad(String.UTF8.decodeUnsafe(e + <usize>RSINFO_NAME, <usize>len), 9) +
      pad(state == RSS_UP ? "up" : state == RSS_DOWN ? "down" : "restarting", 12) +
      pad(load<i32>(e, 4).toString(), 5) + pad("0x" + load<i32>(e).toString(16), 9) + load<i32>(e, 12).toString() + "\n";
  }
  out(text);
  return 0;
}

export function main(): i32 {
  const cmd = argc() > 1 ? argv(1) : "";
  if (cmd == "list") return list();
  let type = 0;
  if (cmd == "restart") type = RS_RESTART;
  else if (cmd == "down" || cmd == "stop") type = RS_DOWN;
  else if (cmd == "up") type = RS_UP;
  if (type == 0 || argc() != 3) {
    err("usage: service list | restart NAME | down NAME | stop NAME | up NAME\n");
    return 2;
  }
  const m = new Message();
  m.m_type = type;
  setName(m, argv(2));
  const r = sendrec(RS_EP, m);
  const status = r != 0 ? r : m.m_type;
  if (status < 0) {
    err("service: " + cmd + " " + argv(2) + ": " + strerror(-status) + "\n");
    return 1;
  }
  return 0;
}
