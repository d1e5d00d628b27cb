// `berth vm start | stop | status`: the Berth VM of one instance home (--home DIR, BERTH_HOME,
// else ~/.berth) and the Docker socket it serves at <home>/run/docker.sock.
import { parseArgs } from 'node:util';
import { startVm, stopVm, vmStatus } from '../vm/vm-control.ts';
import { resolveHomeDir, vmHome } from '../vm/vm-home.ts';
import { VmOptionError } from '../vm/vm-options.ts';
import { parseCommandArgs } from './parse-command-args.ts';
import { UsageError } from './usage.ts';

const log = (line: string) => process.stderr.write(`${line}\n`);

function seconds(text: string | undefined, fallback: number, flag: string): number {
  if (text === undefined) return fallback * 1000;
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag}: "${text}" is not a number of seconds`);
  return Number(text) * 1000;
}

function formatUptime(total: number): string {
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  return `${h ? `${h}h ` : ''}${h || m ? `${m}m ` : ''}${total % 60}s`;
}

export async function vmCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values } = parseCommandArgs(() => parseArgs({
    args: rest,
    options: {
      home: { type: 'string' },
      cpus: { type: 'string' },
      memory: { type: 'string' },
      disk: { type: 'string' },
      'insecure-registry': { type: 'string' },
      timeout: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  }));
  const home = vmHome(resolveHomeDir(values.home));
  try {
    switch (sub) {
      case 'start': {
        await startVm(home, {
          cpus: values.cpus, memory: values.memory, disk: values.disk, insecureRegistry: values['insecure-registry'],
          timeoutMs: seconds(values.timeout, 600, '--timeout'), log,
        });
        process.stdout.write(`export DOCKER_HOST=unix://${home.dockerSocket}\n`);
        return 0;
      }
      case 'stop': {
        const outcome = await stopVm(home, seconds(values.timeout, 120, '--timeout'), log);
        log(outcome === 'killed' ? 'the VM did not power off in time; QEMU was killed' : outcome === 'stopped' ? 'the VM powered off' : 'the VM was not running');
        return 0;
      }
      case 'status': {
        const status = await vmStatus(home);
        const d = status.detail;
        const lines = [`State: ${status.state}`];
        if (d) {
          lines.push(`Accel: ${d.accel} (${d.accelWhy})`, `CPUs: ${d.resources.cpus}`, `Memory: ${d.resources.memoryMiB} MiB`,
            `Disk: ${d.disk} (${Math.round(d.resources.diskBytes / 1024 ** 3)} GiB sparse)`);
        }
        if (status.uptimeSeconds !== undefined) lines.push(`Uptime: ${formatUptime(status.uptimeSeconds)}`);
        if (status.engineAnswers) lines.push(`Docker socket: unix://${home.dockerSocket}`);
        if (status.message) lines.push(status.message);
        process.stdout.write(`${lines.join('\n')}\n`);
        return status.engineAnswers ? 0 : 1;
      }
      default:
        throw new UsageError(sub === undefined ? 'vm needs a subcommand: start, stop or status' : `unknown vm subcommand "${sub}"`);
    }
  } catch (error) {
    // Bad options are the user's to fix: a message and exit 2, never a stack.
    if (error instanceof VmOptionError) throw new UsageError(error.message);
    throw error;
  }
}
