// The Berth VM's housekeeping for real (amd64 under TCG, one --home, booted by the CLI with
// resource saver at 1 minute): the guest clock follows the host's after QEMU was paused, disk
// space freed in the guest returns to the host file, the diagnostics bundle holds the logs and
// no secret, and resource saver powers the idle VM off and the next `docker ps` boots it again.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../../../engine/test/support/docker-cli.ts';
import { testImage } from '../../../../engine/test/support/fixtures.ts';
import { ensureImages } from '../../../../vm-assets/test/qemu-guest.ts';
import { processAlive, waitUntil } from '../engine-process-helpers.ts';
import { bundleFiles } from '../testing/bundle-files.ts';
import { guestClockOffset } from './clock-sync.ts';
import { qmpCommand } from './qmp.ts';
import { diskAllocatedBytes } from './vm-disk.ts';
import type { VmState } from './vm-home.ts';
import { berth as runBerth, processesOfHome, qemusOfHome } from './vm-test-helpers.ts';

const scratch = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-saver-test-'));
const home = join(scratch, 'home');
const dockerConfig = join(scratch, 'docker-config');
const settingsDir = join(scratch, 'settings');
mkdirSync(dockerConfig);
mkdirSync(settingsDir);
const socket = join(home, 'run', 'docker.sock');
const env = { DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: dockerConfig };
const guestRegistry = testImage('busybox').ref.split('/')[0].replace(/^127\.0\.0\.1:/, '10.0.2.2:');
const busybox = `${guestRegistry}/busybox:latest`;
// The forwarder compares the clocks every 2 s here (30 s for users).
const berth = (args: string[]) => runBerth([...args, '--home', home], { DOCKER_CONFIG: dockerConfig, BERTH_VM_ACCEL: 'tcg', BERTH_VM_CLOCK_CHECK_MS: '2000' });
const figures: Record<string, number> = {};

const state = () => JSON.parse(readFileSync(join(home, 'state.json'), 'utf8')) as VmState;
const secret = () => readFileSync(join(home, 'secret'), 'utf8').trim();
const target = () => ({ port: state().agentPort, secret: secret() });
const forwarderLog = () => readFileSync(join(home, 'logs', 'forwarder.log'), 'utf8');

const run = async (args: string[]) => {
  const result = await docker(args, { env, timeoutMs: 300_000 });
  expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout.trim();
};

/** Polls an asynchronous condition until it holds or time runs out. */
async function eventually(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

beforeAll(() => ensureImages(['amd64']), 10 * 60_000);

afterAll(async () => {
  for (const pid of processesOfHome(home)) process.kill(pid, 'SIGKILL');
  await waitUntil(() => processesOfHome(home).length === 0, 10_000);
  rmSync(scratch, { recursive: true, force: true });
  console.info(`berth vm housekeeping figures: ${JSON.stringify(figures)}`);
}, 60_000);

describe('the Berth VM keeps house (amd64 under TCG)', () => {
  it('boots with resource saver on, and `berth vm status` names the setting', async () => {
    const started = await berth(['vm', 'start', '--cpus', '1', '--memory', '1G', '--disk', '4G', '--insecure-registry', guestRegistry, '--resource-saver', '1']);
    expect(started.code, started.stderr).toBe(0);
    expect(state().resourceSaverMinutes).toBe(1);
    const status = await berth(['vm', 'status']);
    expect(status.stdout).toMatch(/^State: running$/m);
    expect(status.stdout).toMatch(/^Resource saver: after 1 min without a running container$/m);
  }, 10 * 60_000);

  it('the guest clock follows the host after QEMU was paused', async () => {
    const qmp = join(home, 'qmp.sock');
    // Only what the forwarder logs from now on (it may have set the clock once after the boot).
    const logFrom = forwarderLog().length;
    await qmpCommand(qmp, 'stop');
    const pausedAt = Date.now();
    // The host's clock moves on while the guest's stands still: the premise, not a wait for an event.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    await qmpCommand(qmp, 'cont');
    figures.pausedSeconds = Math.round((Date.now() - pausedAt) / 100) / 10;
    // The forwarder saw the guest behind by about the pause, and set its clock.
    let seen: RegExpMatchArray | null = null;
    expect(await eventually(() => (seen = forwarderLog().slice(logFrom).match(/guest clock was (-?[\d.]+) s off the host's: set/)) !== null, 60_000), forwarderLog()).toBe(true);
    figures.driftCorrectedSeconds = Number(seen![1]);
    // Behind by a good part of the pause (measured: about 4 s of a 6 s pause under TCG).
    expect(Number(seen![1])).toBeLessThan(-2);
    const { offsetMs, roundTripMs } = await guestClockOffset(target());
    figures.offsetAfterMs = Math.round(offsetMs);
    figures.roundTripMs = roundTripMs;
    expect(Math.abs(offsetMs)).toBeLessThan(1000);
    // And as a container sees it.
    const before = Math.floor(Date.now() / 1000);
    const guestSeconds = Number(await run(['run', '--rm', busybox, 'date', '+%s']));
    const after = Math.ceil(Date.now() / 1000);
    expect(guestSeconds).toBeGreaterThanOrEqual(before - 1);
    expect(guestSeconds).toBeLessThanOrEqual(after + 1);
  }, 5 * 60_000);

  it('space freed in a volume returns to the host file (discard)', async () => {
    const disk = state().disk;
    await run(['volume', 'create', 'trimvol']);
    const baseline = diskAllocatedBytes(disk) ?? 0;
    // Random bytes: zeros would never be allocated (detect-zeroes=unmap).
    await run(['run', '--rm', '-v', 'trimvol:/data', busybox, 'sh', '-c', 'dd if=/dev/urandom of=/data/big bs=1M count=200 2>/dev/null && sync']);
    let written = 0;
    // The guest's page cache reaches the disk file by its own schedule after sync returns.
    expect(await eventually(() => (written = diskAllocatedBytes(disk) ?? 0) > baseline + 180 * 1024 * 1024, 60_000), `allocated ${baseline} → ${written}`).toBe(true);
    await run(['run', '--rm', '-v', 'trimvol:/data', busybox, 'sh', '-c', 'rm /data/big && sync']);
    let left = written;
    const shrank = await eventually(() => (left = diskAllocatedBytes(disk) ?? written) < written - 150 * 1024 * 1024, 120_000);
    figures.diskAllocatedMiBWritten = Math.round(written / 1048576);
    figures.diskAllocatedMiBAfterDelete = Math.round(left / 1048576);
    expect(shrank, `allocated ${written} → ${left}`).toBe(true);
  }, 5 * 60_000);

  it('berth diagnose writes a bundle with the logs and no secret', async () => {
    // A registry credential in the docker CLI's config, and a setting: both must come through
    // without the credential.
    const token = 'dG9rZW4tdGhhdC1tdXN0LW5vdC1sZWFr';
    writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { 'registry.example:5000': { auth: token, identitytoken: `${token}-id` } } }));
    writeFileSync(join(settingsDir, 'settings.json'), JSON.stringify({ theme: 'dark' }));
    const perBoot = secret();
    const out = join(scratch, 'bundle.tar.gz');
    const result = await berth(['diagnose', '--out', out, '--settings-dir', settingsDir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(out);
    const gz = readFileSync(out);
    const raw = gunzipSync(gz);
    const files = new Map([...(await bundleFiles(gz))].map(([name, text]) => [name.replace(/^berth-diagnostics\//, ''), text]));
    expect([...files.keys()].sort()).toEqual(expect.arrayContaining(['versions.json', 'settings.json', 'vm/state.json', 'vm/status.txt', 'logs/console.log', 'logs/qemu.log', 'logs/forwarder.log', 'docker/config.json']));
    expect(files.get('logs/console.log')).toMatch(/berth-boot: agent-listening/);
    expect(files.get('logs/forwarder.log')).toMatch(/guest clock was/);
    expect(files.get('vm/status.txt')).toMatch(/^State: running$/m);
    expect(JSON.parse(files.get('versions.json')!)).toMatchObject({ berth: expect.any(String), qemu: expect.stringMatching(/QEMU emulator version/), guest: { arch: 'amd64' } });
    expect(JSON.parse(files.get('settings.json')!)).toEqual({ theme: 'dark' });
    expect(JSON.parse(files.get('docker/config.json')!).auths['registry.example:5000'].auth).toBe('<redacted>');
    // Neither the per-boot secret nor the credential anywhere in the bundle, compressed or not.
    for (const needle of [perBoot, token]) expect(raw.includes(needle)).toBe(false);
  }, 2 * 60_000);

  it('resource saver powers the idle VM off; `docker ps` boots it and answers', async () => {
    const qemuBefore = state().qemuPid;
    const forwarder = state().forwarderPid!;
    // No container runs now: within the minute and a check interval or two the VM is powered off.
    expect(await eventually(async () => /^State: Resource saver/m.test((await berth(['vm', 'status'])).stdout), 5 * 60_000), forwarderLog()).toBe(true);
    // The status says so from the power button on; the guest then stops its engine and QEMU exits.
    expect(await eventually(() => !processAlive(qemuBefore), 120_000), forwarderLog()).toBe(true);
    expect(qemusOfHome(home)).toEqual([]);
    expect(processAlive(forwarder)).toBe(true);
    const began = Date.now();
    const ps = await docker(['ps', '--format', '{{.Names}}'], { env, timeoutMs: 600_000 });
    figures.wakeSeconds = Math.round((Date.now() - began) / 100) / 10;
    expect(ps.code, ps.stderr).toBe(0);
    // The same VM: the same forwarder, the same disk (the volume made before the power-off).
    expect(state().forwarderPid).toBe(forwarder);
    expect(state().asleepSince).toBeUndefined();
    expect(qemusOfHome(home)).toHaveLength(1);
    expect(await run(['volume', 'ls', '--format', '{{.Name}}'])).toMatch(/^trimvol$/m);
    expect((await berth(['vm', 'status'])).stdout).toMatch(/^State: running$/m);
  }, 15 * 60_000);

  it('stop powers the VM off and ends the forwarder', async () => {
    const stopped = await berth(['vm', 'stop']);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(processesOfHome(home)).toEqual([]);
  }, 5 * 60_000);
});
