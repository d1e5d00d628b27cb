// The Berth VM's guest agent (DESIGN.md "Where the engine runs"). Commands:
//   serve --port N --secret-file F --engine SOCK [--data PATH]   the listener (server.ts)
//   stop-containers --engine SOCK                                 poweroff's first step (rc.stop)
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { stopAllContainers } from './engine-client.ts';
import { guestStatus } from './guest-status.ts';
import { watchPowerButton } from './power-button.ts';
import { createAgentServer } from './server.ts';

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => execFile(command, args, (error, _out, stderr) => (error ? reject(new Error(`${command}: ${stderr || error.message}`)) : resolve())));
}

/** busybox date sets whole seconds only: wait (on the monotonic clock) for the next whole second
 * of the host's time and set exactly that, so the guest is off by the exec's latency, not by up
 * to half a second of rounding. */
async function setClockPrecisely(unixMs: number): Promise<void> {
  const received = performance.now();
  const wait = (1000 - (unixMs % 1000)) % 1000;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait - (performance.now() - received))));
  await run('date', ['-u', '-s', `@${(unixMs + wait) / 1000}`]);
}

let poweringOff = false;
/** busybox poweroff signals init, which runs rc.stop (containers, berthd, disk) and powers off. */
function powerOff(): void {
  if (poweringOff) return;
  poweringOff = true;
  void run('poweroff', []).catch((error: Error) => process.stderr.write(`berth-agent: ${error.message}\n`));
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { port: { type: 'string' }, 'secret-file': { type: 'string' }, engine: { type: 'string', default: '/run/berth/docker.sock' }, data: { type: 'string', default: '/var/lib/berth' } },
  });
  const engine = values.engine as string;
  if (command === 'stop-containers') {
    const ids = await stopAllContainers(engine).catch((error: Error) => {
      process.stderr.write(`berth-agent: ${error.message}\n`);
      return [];
    });
    process.stdout.write(`berth-agent: stopped ${ids.length} container(s)\n`);
    return;
  }
  if (command !== 'serve') throw new Error(`usage: main.js serve|stop-containers (got ${command ?? 'nothing'})`);
  const secret = readFileSync(values['secret-file'] as string, 'utf8').trim();
  if (!secret) throw new Error('no per-boot secret (berth.secret= on the kernel command line or fw_cfg opt/berth/secret): refusing to listen');
  const port = Number(values.port);
  const server = createAgentServer({
    secret,
    enginePath: engine,
    actions: {
      status: async () => ({ ...(await guestStatus(engine, values.data as string)) }),
      setClock: (unixMs) => setClockPrecisely(unixMs),
      powerOff,
    },
  });
  server.listen(port, '0.0.0.0', () => {
    const up = readFileSync('/proc/uptime', 'utf8').split(' ')[0];
    process.stdout.write(`berth-boot: agent-listening at ${up}s (port ${port})\n`);
  });
  watchPowerButton(powerOff);
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`berth-agent: ${error.message}\n`);
  process.exitCode = 1;
});
