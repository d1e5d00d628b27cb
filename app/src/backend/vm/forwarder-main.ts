// The detached forwarder process `berth vm start` leaves running: serves the home's Docker endpoint
// (<home>/run/docker.sock; on Windows named pipes, see host-endpoints.ts) until SIGTERM. Usage:
// node forwarder-main.ts <home> <agent-port> (the secret is read from the home's 0600 file, never
// passed on the command line).
import { readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:net';
import { DOCKER_PIPE, forwarderEndpoints, isDefaultHome, isPipe } from './host-endpoints.ts';
import { vmHome } from './vm-home.ts';
import { endpointAnswers, startSocketForwarder, stopSocketForwarder } from './socket-forwarder.ts';
import { clockCheckInterval, startClockSync, type AgentTarget } from './clock-sync.ts';
import { startResourceSaver } from './resource-saver.ts';
import { startPortPublisher } from './port-publisher.ts';

const [homeDir, portText] = process.argv.slice(2);
const home = vmHome(homeDir);
const secret = readFileSync(home.secret, 'utf8').trim();

const endpoints = forwarderEndpoints({
  platform: process.platform, homeDir: home.dir, socketPath: home.dockerSocket, defaultHome: isDefaultHome(home.dir),
  dockerPipeFree: process.platform === 'win32' && !(await endpointAnswers(DOCKER_PIPE)),
});
// One target object for every helper: a VM woken from resource saver has a new port and secret.
const target: AgentTarget = { port: Number(portText), secret };
const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
const saver = startResourceSaver(home, target, log);
startClockSync(() => (saver && !saver.awake ? undefined : target), clockCheckInterval(), log);
const servers = new Map<string, Server>();
for (const endpoint of endpoints) {
  // `berth vm start` checked that no one answers here: a socket file left is stale.
  if (!isPipe(endpoint)) rmSync(endpoint, { force: true });
  servers.set(endpoint, await startSocketForwarder(endpoint, target, undefined, saver && ((client) => saver.admit(client))));
  process.stdout.write(`forwarding ${endpoint} to 127.0.0.1:${portText}\n`);
}
const ports = startPortPublisher(home, target, (line) => process.stdout.write(`ports: ${line}\n`));
const stop = () => {
  void Promise.all([...[...servers].map(([endpoint, server]) => stopSocketForwarder(server, endpoint)), ports.stop()]).then(() => process.exit(0));
  // Open hijacked streams would hold close() forever; the socket file is gone already by then.
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
