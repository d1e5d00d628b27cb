// Test support: a stand-in engine process that starts one long-running exec in an existing
// container, prints the exec's pid, detaches from it and runs out of work. It must then exit on
// its own: a running exec session holds nothing that keeps the engine alive.
// argv: <stateDir> <runcRoot> <container id>
import { LinuxRuntime } from './runtime.ts';
import { TOOLS } from './test-bundle.ts';

const [stateDir, runcRoot, id] = process.argv.slice(2);
const runtime = new LinuxRuntime({ stateDir, runcRoot, ...TOOLS });
const handle = await runtime.exec({
  id,
  execId: `outlive-${process.pid}`,
  process: { terminal: false, user: { uid: 0, gid: 0 }, args: ['sleep', '1000'], env: ['PATH=/bin'], cwd: '/' },
  tty: false,
  openStdin: false,
});
handle.session.detach();
runtime.close();
process.stdout.write(`${handle.pid}\n`);
