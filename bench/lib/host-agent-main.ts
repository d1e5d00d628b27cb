// The guest agent's listener run on this host in front of a native berthd, for the `berth-fwd`
// side of the VM bench: the forwarder + agent path without QEMU, so its own cost can be told
// apart from the emulated CPU's. Only the engine pipe is served; power and clock requests refuse.
// Usage: node host-agent-main.ts <port> <secret-file> <engine-socket>
import { readFileSync } from 'node:fs';
import { createAgentServer } from '../../vm-assets/agent/server.ts';

const [portText, secretFile, enginePath] = process.argv.slice(2);
const refuse = () => Promise.reject(new Error('not in a VM: this agent only forwards the engine socket'));
const server = createAgentServer({
  secret: readFileSync(secretFile, 'utf8').trim(),
  enginePath,
  actions: { status: refuse, setClock: refuse, powerOff: () => {} },
});
server.listen(Number(portText), '127.0.0.1', () => process.stdout.write(`agent on 127.0.0.1:${portText}\n`));
process.on('SIGTERM', () => process.exit(0));
