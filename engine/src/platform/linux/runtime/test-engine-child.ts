// Test support: a stand-in engine process for the re-adoption test. It creates and starts one
// container, prints its id, then idles until the test SIGKILLs it.
// argv: <stateDir> <runcRoot> <rootfs> <bundleDir> <id>
import { join } from 'node:path';
import { LinuxRuntime } from './runtime.ts';
import { makeSpec, TOOLS } from './test-bundle.ts';

const [stateDir, runcRoot, rootfs, bundleDir, id] = process.argv.slice(2);
const runtime = new LinuxRuntime({ stateDir, runcRoot, ...TOOLS });
await runtime.create({
  id,
  bundleDir,
  spec: makeSpec({ id, rootfs, args: ['cat'] }),
  tty: false,
  openStdin: true,
  logPath: join(bundleDir, '..', `${id}.log`),
});
runtime.watchExit(id, () => {});
await runtime.start(id);
process.stdout.write(`${id}\n`);
setInterval(() => {}, 1000);
