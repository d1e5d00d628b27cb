// `berth vm start | stop | restart | status | logs | reset`: the Berth VM of one instance home
// (--home DIR, BERTH_HOME, else ~/.berth) and the Docker endpoint it serves (<home>/run/docker.sock).
import { createInterface } from 'node:readline/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { dockerHostUrl, primaryEndpoint } from '../vm/host-endpoints.ts';
import { resetVm, restartVm, startVm, stopVm, vmStatus, type StartOptions, type VmStatus } from '../vm/vm-control.ts';
import { resolveHomeDir, vmHome, type VmHome } from '../vm/vm-home.ts';
import { MissingLogError, printLog } from '../vm/vm-logs.ts';
import { VmOptionError } from '../vm/vm-options.ts';
import { parseCommandArgs } from './parse-command-args.ts';
import { UsageError } from './usage.ts';

const log = (line: string) => process.stderr.write(`${line}\n`);

type Options = NonNullable<ParseArgsConfig['options']>;
const HOME: Options = { home: { type: 'string' } };
const TIMEOUT: Options = { timeout: { type: 'string' } };
const RESOURCES: Options = { cpus: { type: 'string' }, memory: { type: 'string' }, disk: { type: 'string' }, 'insecure-registry': { type: 'string' } };
/** The flags each subcommand takes; any other is a usage error, not silently ignored. */
const FLAGS: Record<string, Options> = {
  start: { ...HOME, ...RESOURCES, ...TIMEOUT },
  restart: { ...HOME, ...RESOURCES, ...TIMEOUT },
  stop: { ...HOME, ...TIMEOUT },
  status: { ...HOME },
  logs: { ...HOME, follow: { type: 'boolean', short: 'f' }, qemu: { type: 'boolean' } },
  reset: { ...HOME, ...TIMEOUT, yes: { type: 'boolean', short: 'y' } },
};

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;
const text = (values: Values, name: string) => values[name] as string | undefined;

function seconds(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback * 1000;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag}: "${value}" is not a number of seconds`);
  return Number(value) * 1000;
}

function formatUptime(total: number): string {
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  return `${h ? `${h}h ` : ''}${h || m ? `${m}m ` : ''}${total % 60}s`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value >= 100 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

function startOptions(values: Values): StartOptions {
  return {
    cpus: text(values, 'cpus'), memory: text(values, 'memory'), disk: text(values, 'disk'), insecureRegistry: text(values, 'insecure-registry'),
    timeoutMs: seconds(text(values, 'timeout'), 600, '--timeout'), log,
  };
}

function statusLines(home: VmHome, status: VmStatus): string[] {
  const d = status.detail;
  const lines = [`State: ${status.state}`];
  if (d) lines.push(`Accel: ${d.accel} (${d.accelWhy})`, `CPUs: ${d.resources.cpus}`, `Memory: ${d.resources.memoryMiB} MiB`);
  const size = status.diskSizeBytes ?? d?.resources.diskBytes;
  if (status.diskUsedBytes !== undefined && size !== undefined) lines.push(`Disk: ${formatBytes(status.diskUsedBytes)} used of ${formatBytes(size)}`);
  if (status.uptimeSeconds !== undefined) lines.push(`Uptime: ${formatUptime(status.uptimeSeconds)}`);
  if (status.engineAnswers) lines.push(`Docker socket: ${dockerHostUrl(primaryEndpoint(home))}`);
  for (const problem of status.portProblems ?? []) lines.push(`Port not published: ${problem.message}`);
  if (status.message) lines.push(status.message);
  return lines;
}

/** Reset destroys data: asked on a terminal, refused without one unless --yes says so up front. */
async function confirmReset(home: VmHome, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) {
    throw new UsageError(`vm reset deletes the VM's data disk (every image, container and volume in ${home.dir}); no terminal to ask on, so pass --yes to confirm`);
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`This deletes every image, container and volume of the VM in ${home.dir}. Continue? [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

async function followLog(path: string, follow: boolean): Promise<void> {
  const abort = new AbortController();
  // Ctrl-C ends the follow: a normal end (exit 0), not a kill.
  const stopFollowing = () => abort.abort();
  process.once('SIGINT', stopFollowing);
  process.once('SIGTERM', stopFollowing);
  process.stdout.on('error', stopFollowing);
  try {
    await printLog(path, (chunk) => process.stdout.write(chunk), follow, abort.signal);
  } finally {
    process.off('SIGINT', stopFollowing);
    process.off('SIGTERM', stopFollowing);
  }
}

async function run(sub: string, home: VmHome, values: Values): Promise<number> {
  switch (sub) {
    case 'start':
    case 'restart': {
      await (sub === 'start' ? startVm : restartVm)(home, startOptions(values));
      process.stdout.write(`export DOCKER_HOST=${dockerHostUrl(primaryEndpoint(home))}\n`);
      return 0;
    }
    case 'stop': {
      const outcome = await stopVm(home, seconds(text(values, 'timeout'), 120, '--timeout'), log);
      log(outcome === 'killed' ? 'the VM did not power off in time; QEMU was killed' : outcome === 'stopped' ? 'the VM powered off' : 'the VM was not running');
      return 0;
    }
    case 'status': {
      const status = await vmStatus(home);
      process.stdout.write(`${statusLines(home, status).join('\n')}\n`);
      return status.engineAnswers ? 0 : 1;
    }
    case 'logs': {
      try {
        await followLog(values.qemu ? home.qemuLog : home.serialLog, values.follow === true);
      } catch (error) {
        if (!(error instanceof MissingLogError)) throw error;
        log(error.message);
        return 1;
      }
      return 0;
    }
    case 'reset': {
      if (!(await confirmReset(home, values.yes === true))) {
        log('nothing was changed');
        return 1;
      }
      await resetVm(home, seconds(text(values, 'timeout'), 120, '--timeout'), log);
      return 0;
    }
    default:
      throw new UsageError(`unknown vm subcommand "${sub}"`);
  }
}

export async function vmCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined) throw new UsageError(`vm needs a subcommand: ${Object.keys(FLAGS).join(', ')}`);
  const options = Object.hasOwn(FLAGS, sub) ? FLAGS[sub] : undefined;
  if (!options) throw new UsageError(`unknown vm subcommand "${sub}"`);
  const { values } = parseCommandArgs(() => parseArgs({ args: rest, options, strict: true, allowPositionals: false }));
  const home = vmHome(resolveHomeDir(text(values, 'home')));
  try {
    return await run(sub, home, values);
  } catch (error) {
    // Bad options are the user's to fix: a message and exit 2, never a stack.
    if (error instanceof VmOptionError) throw new UsageError(error.message);
    throw error;
  }
}
