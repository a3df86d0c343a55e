// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// dsq: ask ds. `dsq lookup NAME...` prints each name's endpoint (hex) or
// the error; `dsq publish NAME EP` publishes NAME -> EP (only my own
// endpoint is allowed, "self" for it) and prints the result.
import { argc, argv, out, strerror } from "../../../servers/lib/posix";
import { dsLookup, dsPublish } from "../../../servers/lib/server";
import { Message, sendrec } from "../../../servers/lib/index";
import { PM_EP, PM_GETPID } from "../../../servers/lib/proto";

function myEndpoint(): i32 {
  const m = new Message();
  m.m_type = PM_GETPID;
  sendrec(PM_EP, m);
  return m.p2;
}

export function main(): i32 {
  if (argc() >= 3 && argv(1) == "lookup") {
    for (let i = 2; i < argc(); i++) {
      const ep = dsLookup(argv(i));
      out(argv(i) + " " + (ep < 0 ? strerror(-ep) : "0x" + ep.toString(16)) + "\n");
    }
    return 0;
  }
  if (argc() == 4 && argv(1) == "publish") {
    const ep = argv(3) == "self" ? myEndpoint() : I32.parseInt(argv(3), 16);
    const r = dsPublish(argv(2), ep, 0);
    out("publish " + argv(2) + ": " + (r < 0 ? strerror(-r) : "ok") + "\n");
    if (r == 0) out(argv(2) + " 0x" + dsLookup(argv(2)).toString(16) + "\n");
    return r < 0 ? 1 : 0;
  }
  out("usage: dsq lookup NAME... | dsq publish NAME EP|self\n");
  return 2;
}
