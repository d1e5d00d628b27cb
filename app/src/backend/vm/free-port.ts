// A TCP port free on 127.0.0.1 right now, for QEMU's forward of the guest agent's port (QEMU
// takes a number, not a listening socket, so the port is found by binding and closing).
import { createServer, type AddressInfo } from 'node:net';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
