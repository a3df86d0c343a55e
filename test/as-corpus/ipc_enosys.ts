// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Without a kernel the IPC calls answer -ENOSYS; the message type is exactly 64 bytes.
// expect: exit 0
import { print, printInt, Message, send, receive, sendrec, notify, sendnb, ANY, ENOSYS, MESSAGE_SIZE } from "../../servers/lib/index";

export function main(): i32 {
  const m = new Message();
  m.m_type = 7;
  m.setI32(0, 123);
  m.setU8(55, 9);
  printInt(offsetof<Message>()); print(" "); printInt(MESSAGE_SIZE); print(" ");
  printInt(m.getI32(0)); print(" "); printInt(m.getU8(55)); print("\n");
  printInt(send(1, m)); print(" "); printInt(receive(ANY, m)); print(" "); printInt(sendrec(2, m)); print(" ");
  printInt(notify(3)); print(" "); printInt(sendnb(4, m)); print("\n");
  return send(1, m) == -ENOSYS ? 0 : 1;
}
