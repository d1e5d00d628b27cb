// `berth vm` for real: the amd64 guest booted under QEMU's TCG by the CLI into an isolated --home,
// and the project's docker CLI on <home>/run/docker.sock. One boot serves every check; afterAll
// kills whatever the state file still names, even when a check failed half way.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../../../engine/test/support/docker-cli.ts';
import { testImage } from '../../../../engine/test/support/fixtures.ts';
import { ensureImages } from '../../../../vm-assets/test/qemu-guest.ts';
import { processAlive } from '../engine-process-helpers.ts';
import type { VmState } from './vm-home.ts';

const BERTH = fileURLToPath(new URL('../../../bin/berth', import.meta.url));
const BOOT = 6 * 60_000;
const home = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-vm-home-'));
const socket = join(home, 'run', 'docker.sock');
const env = { DOCKER_HOST: `unix://${socket}` };
// The guest sees the host's 127.0.0.1 as 10.0.2.2 (QEMU's user-mode network).
const guestRegistry = testImage('busybox').ref.split('/')[0].replace(/^127\.0\.0\.1:/, '10.0.2.2:');
const busybox = `${guestRegistry}/busybox:latest`;
const seenPids = new Set<number>();

function berth(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(BERTH, [...args, '--home', home], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    // 'close', not 'exit': the detached QEMU and forwarder must not hold the CLI's pipes open.
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function state(): VmState | undefined {
  try {
    const s = JSON.parse(readFileSync(join(home, 'state.json'), 'utf8')) as VmState;
    seenPids.add(s.qemuPid);
    if (s.forwarderPid) seenPids.add(s.forwarderPid);
    return s;
  } catch {
    return undefined;
  }
}

/** QEMU processes whose command line names this home (whoever started them). */
function qemusOfHome(): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number).filter((pid) => {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmdline.startsWith('qemu-system') || cmdline.includes('/qemu-system') ? cmdline.includes(home) && processAlive(pid) : false;
    } catch {
      return false;
    }
  });
}

const run = async (args: string[], input?: string) => {
  const result = await docker(args, { env, timeoutMs: 180_000, input });
  expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout.trim();
};

beforeAll(() => ensureImages(['amd64']), 10 * 60_000);

afterAll(async () => {
  state();
  for (const pid of [...seenPids, ...qemusOfHome()]) {
    if (processAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(home, { recursive: true, force: true });
}, 60_000);

describe('berth vm (amd64 under TCG)', () => {
  it('start boots the VM and prints DOCKER_HOST; the docker CLI works through the socket, hijack included', async () => {
    const started = await berth(['vm', 'start', '--cpus', '1', '--memory', '1G', '--disk', '4G', '--insecure-registry', guestRegistry]);
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toBe(`export DOCKER_HOST=unix://${socket}\n`);
    expect(started.stderr).toMatch(/accel tcg/);
    expect(state()?.qemuPid).toBeGreaterThan(0);
    expect(await run(['version', '--format', '{{.Server.Os}}/{{.Server.Arch}}'])).toBe('linux/amd64');
    expect(await run(['run', '--rm', busybox, 'echo', 'hello through the forwarder'])).toBe('hello through the forwarder');
    // -i: stdin travels up the hijacked connection, EOF as a half-close, output comes back down.
    expect(await run(['run', '-i', '--rm', busybox, 'sh', '-c', 'while read line; do echo "got $line"; done'], 'one\ntwo\n')).toBe('got one\ngot two');
  }, BOOT);

  it('status exits 0 and names accel, CPUs, memory and uptime', async () => {
    const status = await berth(['vm', 'status']);
    expect(status.code, status.stdout).toBe(0);
    expect(status.stdout).toMatch(/^State: running$/m);
    expect(status.stdout).toMatch(/^Accel: tcg /m);
    expect(status.stdout).toMatch(/^CPUs: 1$/m);
    expect(status.stdout).toMatch(/^Memory: 1024 MiB$/m);
    expect(status.stdout).toMatch(/^Uptime: /m);
  }, 60_000);

  it('a second start re-attaches to the running VM instead of booting another QEMU', async () => {
    const before = state()!;
    const again = await berth(['vm', 'start']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/re-attaching/);
    expect(state()!.qemuPid).toBe(before.qemuPid);
    expect(state()!.forwarderPid).toBe(before.forwarderPid);
    expect(qemusOfHome()).toEqual([before.qemuPid]);
  }, 60_000);

  it('after kill -9 of the forwarder the VM and its containers keep running, and start brings a new forwarder', async () => {
    await run(['run', '-d', '--name', 'survivor', busybox, 'sleep', '3600']);
    const before = state()!;
    process.kill(before.forwarderPid!, 'SIGKILL');
    const again = await berth(['vm', 'start']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/re-attaching/);
    const after = state()!;
    expect(after.qemuPid).toBe(before.qemuPid);
    expect(after.forwarderPid).not.toBe(before.forwarderPid);
    expect(processAlive(after.forwarderPid!)).toBe(true);
    expect(await run(['inspect', '--format', '{{.State.Running}}', 'survivor'])).toBe('true');
  }, 3 * 60_000);

  it('stop powers the guest off and leaves no QEMU, no forwarder, no socket; status then exits 1', async () => {
    const before = state()!;
    const stopped = await berth(['vm', 'stop']);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stderr).toMatch(/the VM powered off/);
    expect(processAlive(before.qemuPid)).toBe(false);
    expect(processAlive(before.forwarderPid!)).toBe(false);
    expect(qemusOfHome()).toEqual([]);
    expect(existsSync(socket)).toBe(false);
    expect((await berth(['vm', 'status'])).code).toBe(1);
  }, 3 * 60_000);
});
