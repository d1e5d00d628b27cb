// The detached forwarder process `berth vm start` leaves running: serves <home>/run/docker.sock
// until SIGTERM. Usage: node forwarder-main.ts <home> <agent-port> (the secret is read from the
// home's 0600 file, never passed on the command line).
import { readFileSync, rmSync } from 'node:fs';
import { vmHome } from './vm-home.ts';
import { startSocketForwarder, stopSocketForwarder } from './socket-forwarder.ts';

const [homeDir, portText] = process.argv.slice(2);
const home = vmHome(homeDir);
const secret = readFileSync(home.secret, 'utf8').trim();
rmSync(home.dockerSocket, { force: true });
const server = await startSocketForwarder(home.dockerSocket, { port: Number(portText), secret });
process.stdout.write(`forwarding ${home.dockerSocket} to 127.0.0.1:${portText}\n`);
const stop = () => {
  void stopSocketForwarder(server, home.dockerSocket).then(() => process.exit(0));
  // Open hijacked streams would hold close() forever; the socket file is gone already by then.
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
