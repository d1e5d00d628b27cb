// A TCP port free on 127.0.0.1 right now (bound by the kernel, then released): for test servers
// that take a port number, and for "a port nothing listens on". Whoever binds it next may race
// another process; callers that bind it themselves retry on EADDRINUSE.
import { createServer, type AddressInfo } from 'node:net';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
