// `berth vm` for real: the amd64 guest booted under QEMU's TCG by the CLI into an isolated --home,
// and the project's docker CLI (and Debian's docker-compose) on <home>/run/docker.sock with a
// private DOCKER_CONFIG. Three boots in all: the first serves every check of a running VM, then
// `restart` (images and volumes survive a power-off), then `reset --yes` + `start` (they do not
// survive a reset). afterAll kills every QEMU and forwarder of the home, even after a failure.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCKER_BIN, docker } from '../../../../engine/test/support/docker-cli.ts';
import { testImage } from '../../../../engine/test/support/fixtures.ts';
import { ensureImages } from '../../../../vm-assets/test/qemu-guest.ts';
import { processAlive, waitUntil } from '../engine-process-helpers.ts';
import { dialAgentPipe } from './agent-dial.ts';
import type { VmState } from './vm-home.ts';
import { berth as runBerth, processesOfHome, PtySession, qemusOfHome } from './vm-test-helpers.ts';

const BOOT = 8 * 60_000;
const scratch = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-vm-test-'));
const home = join(scratch, 'home');
const dockerConfig = join(scratch, 'docker-config');
mkdirSync(dockerConfig);
const socket = join(home, 'run', 'docker.sock');
const contextName = `berth-${basename(home)}`;
const env = { DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: dockerConfig };
// The guest sees the host's 127.0.0.1 as 10.0.2.2 (QEMU's user-mode network).
const guestRegistry = testImage('busybox').ref.split('/')[0].replace(/^127\.0\.0\.1:/, '10.0.2.2:');
const busybox = `${guestRegistry}/busybox:latest`;
const resources = ['--cpus', '1', '--memory', '1G', '--disk', '4G'];
const bootSeconds: Record<string, number> = {};

// BERTH_VM_ACCEL=auto is what users get (the test run defaults to tcg): the first start tries KVM
// when /dev/kvm opens and falls back to TCG if the guest makes no progress, as it does here.
const berth = (args: string[]) => runBerth([...args, '--home', home], { DOCKER_CONFIG: dockerConfig, BERTH_VM_ACCEL: 'auto' });
/** The accelerator each boot of a command's output used, in order. */
const boots = (stderr: string) => [...stderr.matchAll(/^booting the VM: .*accel (\w+) \((.*)\)$/gm)].map((m) => ({ accel: m[1], why: m[2] }));
let firstAccel: { accel: string; why: string; fellBack: boolean } | undefined;

async function timedBoot(label: string, args: string[]) {
  const began = Date.now();
  const result = await berth(args);
  bootSeconds[label] = Math.round((Date.now() - began) / 100) / 10;
  return result;
}

function state(): VmState | undefined {
  try {
    return JSON.parse(readFileSync(join(home, 'state.json'), 'utf8')) as VmState;
  } catch {
    return undefined;
  }
}

const run = async (args: string[], input?: string) => {
  const result = await docker(args, { env, timeoutMs: 180_000, input });
  expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout.trim();
};

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

beforeAll(() => ensureImages(['amd64']), 10 * 60_000);

afterAll(async () => {
  for (const pid of processesOfHome(home)) process.kill(pid, 'SIGKILL');
  await waitUntil(() => processesOfHome(home).length === 0, 10_000);
  rmSync(scratch, { recursive: true, force: true });
  console.info(`berth vm test boots (seconds until the engine answered): ${JSON.stringify(bootSeconds)}`);
}, 60_000);

describe('berth vm (amd64 under TCG)', () => {
  it('start boots the VM and prints DOCKER_HOST; the docker CLI works through the socket, hijack included', async () => {
    const started = await timedBoot('start', ['vm', 'start', ...resources, '--insecure-registry', guestRegistry]);
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toBe(`export DOCKER_HOST=unix://${socket}\n`);
    const tried = boots(started.stderr);
    const last = tried.at(-1)!;
    if (tried[0].accel === 'kvm') {
      // A trial of KVM: kept when the guest moved, else one more boot under TCG, remembered.
      expect(tried[0].why).toMatch(/this boot checks/);
      expect(tried.length === 1 ? 'kvm' : `${last.accel}: ${last.why}`).toMatch(/^kvm$|^tcg: (KVM left the guest stuck|QEMU could not run the guest under KVM)/);
      if (tried.length === 2) expect(started.stderr).toMatch(/under KVM.*: booting again under TCG/);
    } else {
      expect(tried).toEqual([{ accel: 'tcg', why: '/dev/kvm is not usable by this user' }]);
    }
    firstAccel = { ...last, fellBack: tried.length === 2 };
    expect(state()?.accel).toBe(last.accel);
    expect(state()?.qemuPid).toBeGreaterThan(0);
    expect(await run(['version', '--format', '{{.Server.Os}}/{{.Server.Arch}}'])).toBe('linux/amd64');
    expect(await run(['run', '--rm', busybox, 'echo', 'hello through the forwarder'])).toBe('hello through the forwarder');
    // -i: stdin travels up the hijacked connection, EOF as a half-close, output comes back down.
    expect(await run(['run', '-i', '--rm', busybox, 'sh', '-c', 'while read line; do echo "got $line"; done'], 'one\ntwo\n')).toBe('got one\ngot two');
  }, BOOT);

  it('the data disk is a sparse qcow2: what it occupies on the host is far below its size', () => {
    const disk = join(home, 'data.qcow2');
    expect(state()?.disk).toBe(disk);
    const header = readFileSync(disk).subarray(0, 4).toString('latin1');
    expect(header).toBe('QFI\xfb');
    const allocated = statSync(disk).blocks * 512;
    // An image pulled and containers run: tens of MiB written into a 4 GiB disk.
    expect(allocated).toBeGreaterThan(0);
    expect(allocated).toBeLessThan((4 * 1024 ** 3) / 8);
  });

  it('status exits 0 and names accel, CPUs, memory, disk used of its size, and uptime', async () => {
    const status = await berth(['vm', 'status']);
    expect(status.code, status.stdout).toBe(0);
    expect(status.stdout).toMatch(/^State: running$/m);
    expect(status.stdout).toContain(`Accel: ${firstAccel!.accel} (${firstAccel!.why})`);
    expect(status.stdout).toMatch(/^CPUs: 1$/m);
    expect(status.stdout).toMatch(/^Memory: 1024 MiB$/m);
    expect(status.stdout).toMatch(/^Disk: \d+(\.\d)? MiB used of 4 GiB$/m);
    expect(status.stdout).toMatch(/^Uptime: (\d+m )?\d+s$/m);
  }, 60_000);

  it('start wrote a docker context for this home that the docker CLI lists and reaches the VM through', async () => {
    const listed = await docker(['context', 'ls', '--format', '{{.Name}} {{.DockerEndpoint}}'], { env });
    expect(listed.stdout.split('\n')).toContain(`${contextName} unix://${socket}`);
    // DOCKER_HOST points nowhere: only the context can make this answer.
    const through = await docker(['--context', contextName, 'version', '--format', '{{.Server.Os}}'], { env: { ...env, DOCKER_HOST: `unix://${join(scratch, 'nothing.sock')}` } });
    expect(through.code, through.stderr).toBe(0);
    expect(through.stdout.trim()).toBe('linux');
    // The current context is the user's business: no config.json was written to switch it.
    expect(existsSync(join(dockerConfig, 'config.json'))).toBe(false);
  }, 60_000);

  it('docker run -it in a real pty: typed input echoes back, and stty size follows a resize of the terminal', async () => {
    const session = new PtySession(DOCKER_BIN, ['run', '-it', '--rm', busybox, 'sh'], env, { cols: 100, rows: 30 });
    try {
      await session.waitFor(/# $/m, 0);
      let from = session.mark();
      session.type('echo typed-$((6*7))');
      // The command line comes back as typed (the terminal's echo), then the shell's answer.
      await session.waitFor(/echo typed-\$\(\(6\*7\)\)[\s\S]*typed-42/, from);
      // The CLI sends its size to the engine after the session starts (and again on SIGWINCH), on
      // another connection than the shell's input: ask until the shell sees the size asked for.
      // Until the first size arrives the terminal is 0×0, which busybox's stty refuses ("S--E").
      const sizeBecomes = async (rows: number, cols: number) => {
        // Polled, not counted: under an emulated CPU the resize can take seconds to arrive.
        const deadline = Date.now() + 90_000;
        while (Date.now() < deadline) {
          from = session.mark();
          session.type('echo S-$(stty size)-E');
          const [, seen] = await session.waitFor(/S-(\d* ?\d*)-E/, from);
          if (seen === `${rows} ${cols}`) return seen;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
        return 'never';
      };
      expect(await sizeBecomes(30, 100)).toBe('30 100');
      session.pty.resize(120, 40);
      expect(await sizeBecomes(40, 120)).toBe('40 120');
      session.type('exit');
      expect(await session.exit).toBe(0);
    } finally {
      session.kill();
    }
  }, 5 * 60_000);

  it('docker logs -f streams lines while the container runs and ends when it exits', async () => {
    await run(['run', '-d', '--name', 'ticker', busybox, 'sh', '-c', 'i=0; while [ ! -e /tmp/stop ]; do i=$((i+1)); echo tick-$i; sleep 1; done; echo done-ticking']);
    const follow = spawn(DOCKER_BIN, ['logs', '-f', 'ticker'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let ended = false;
    const closed = new Promise<number | null>((resolve) => follow.on('close', (code) => {
      ended = true;
      resolve(code);
    }));
    try {
      follow.stdout.on('data', (d: Buffer) => (out += d.toString()));
      expect(await waitUntil(() => /tick-2\n/.test(out), 120_000)).toBe(true);
      // Lines arrived and the follow is still open while the container runs.
      expect(ended).toBe(false);
      expect(await run(['inspect', '--format', '{{.State.Running}}', 'ticker'])).toBe('true');
      await run(['exec', 'ticker', 'touch', '/tmp/stop']);
      expect(await closed).toBe(0);
      expect(out).toMatch(/tick-1\ntick-2\n[\s\S]*done-ticking\n$/);
    } finally {
      follow.kill('SIGKILL');
    }
    await run(['rm', 'ticker']);
  }, 5 * 60_000);

  it('docker cp copies host → container and container → host byte for byte', async () => {
    await run(['run', '-d', '--name', 'cpbox', busybox, 'sleep', '3600']);
    const dir = join(scratch, 'cp');
    mkdirSync(dir);
    const sent = randomBytes(300_000);
    writeFileSync(join(dir, 'sent.bin'), sent);
    await run(['cp', join(dir, 'sent.bin'), 'cpbox:/tmp/in.bin']);
    expect((await run(['exec', 'cpbox', 'sha256sum', '/tmp/in.bin'])).split(/\s+/)[0]).toBe(sha256(sent));
    const made = (await run(['exec', 'cpbox', 'sh', '-c', 'head -c 250000 /dev/urandom > /tmp/out.bin && sha256sum /tmp/out.bin'])).split(/\s+/)[0];
    await run(['cp', 'cpbox:/tmp/out.bin', join(dir, 'got.bin')]);
    expect(sha256(readFileSync(join(dir, 'got.bin')))).toBe(made);
    await run(['cp', 'cpbox:/tmp/in.bin', join(dir, 'back.bin')]);
    expect(readFileSync(join(dir, 'back.bin')).equals(sent)).toBe(true);
    await run(['rm', '-f', 'cpbox']);
  }, 3 * 60_000);

  it("Debian's docker-compose brings a 2-service project up (both running) and down (nothing left)", async () => {
    const dir = join(scratch, 'compose');
    mkdirSync(dir);
    const project = `berthvm${process.pid}`;
    const service = `    image: ${busybox}\n    command: ["sleep", "3600"]\n    stop_signal: SIGKILL\n`;
    writeFileSync(join(dir, 'docker-compose.yml'), `version: "3.8"\nservices:\n  one:\n${service}  two:\n${service}`);
    const compose = (...args: string[]) => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('docker-compose', args, { cwd: dir, env: { ...process.env, ...env, COMPOSE_PROJECT_NAME: project }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    const up = await compose('up', '-d');
    expect(up.code, up.stderr).toBe(0);
    const ps = await compose('ps');
    expect(ps.code, ps.stderr).toBe(0);
    expect(ps.stdout).toMatch(new RegExp(`^${project}_one_1 .* Up\\s*$`, 'm'));
    expect(ps.stdout).toMatch(new RegExp(`^${project}_two_1 .* Up\\s*$`, 'm'));
    const down = await compose('down');
    expect(down.code, down.stderr).toBe(0);
    expect(await run(['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`])).toBe('');
    expect(await run(['network', 'ls', '-q', '--filter', `name=${project}_default`])).toBe('');
  }, 5 * 60_000);

  it('the forwarded agent port closes a connection with a wrong secret without sending a byte', async () => {
    const { agentPort } = state()!;
    const received = await new Promise<number>((resolve, reject) => {
      let bytes = 0;
      const probe = connect({ host: '127.0.0.1', port: agentPort });
      probe.on('data', (d: Buffer) => (bytes += d.length));
      probe.on('error', reject);
      probe.on('close', () => resolve(bytes));
      probe.write(`BERTH/1 ${'0'.repeat(48)} engine\n`);
    });
    expect(received).toBe(0);
    // The same request with the home's secret is let through: the refusal was the secret's.
    const secret = readFileSync(join(home, 'secret'), 'utf8').trim();
    const accepted = await dialAgentPipe(agentPort, secret);
    accepted.destroy();
  }, 60_000);

  it('vm logs prints the guest console, --qemu the QEMU log', async () => {
    const logs = await berth(['vm', 'logs']);
    expect(logs.code, logs.stderr).toBe(0);
    // The guest may have written more since: what was printed is the file as it was then.
    expect(readFileSync(join(home, 'logs', 'console.log'), 'utf8').startsWith(logs.stdout)).toBe(true);
    expect(logs.stdout).toMatch(/^berth-boot: /m);
    const qemu = await berth(['vm', 'logs', '--qemu']);
    expect(qemu.code, qemu.stderr).toBe(0);
    expect(readFileSync(join(home, 'logs', 'qemu.log'), 'utf8').startsWith(qemu.stdout)).toBe(true);
  }, 60_000);

  it('vm reset without --yes and without a terminal exits 2 with a message and touches nothing', async () => {
    const before = state()!;
    const refused = await berth(['vm', 'reset']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('no terminal to ask on, so pass --yes to confirm');
    expect(processAlive(before.qemuPid)).toBe(true);
    expect(existsSync(join(home, 'data.qcow2'))).toBe(true);
    expect(await run(['version', '--format', '{{.Server.Os}}'])).toBe('linux');
  }, 60_000);

  it('a second start re-attaches to the running VM instead of booting another QEMU', async () => {
    const before = state()!;
    const again = await berth(['vm', 'start']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/re-attaching/);
    expect(state()!.qemuPid).toBe(before.qemuPid);
    expect(state()!.forwarderPid).toBe(before.forwarderPid);
    expect(qemusOfHome(home)).toEqual([before.qemuPid]);
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

  it('restart powers off and boots again with the same resources; the image and a volume\'s file are still there', async () => {
    await run(['volume', 'create', 'keepvol']);
    await run(['run', '--rm', '-v', 'keepvol:/data', busybox, 'sh', '-c', 'echo kept-$((3*4)) > /data/file']);
    const before = state()!;
    const restarted = await timedBoot('restart', ['vm', 'restart']);
    expect(restarted.code, restarted.stderr).toBe(0);
    expect(restarted.stdout).toBe(`export DOCKER_HOST=unix://${socket}\n`);
    // The verdict of the first start is remembered: no second trial of KVM.
    const again = boots(restarted.stderr);
    expect(again).toHaveLength(1);
    if (firstAccel!.fellBack) expect(again[0]).toEqual({ accel: 'tcg', why: expect.stringMatching(/^KVM failed at a boot on \d{4}-\d\d-\d\d/) });
    else if (firstAccel!.accel === 'kvm') expect(again[0]).toEqual({ accel: 'kvm', why: '/dev/kvm works here' });
    expect(processAlive(before.qemuPid)).toBe(false);
    const after = state()!;
    expect(after.qemuPid).not.toBe(before.qemuPid);
    expect(qemusOfHome(home)).toEqual([after.qemuPid]);
    // No flags given: the previous boot's resources (not the defaults) and its insecure registry.
    expect(after.resources).toEqual(before.resources);
    expect(after.insecureRegistry).toBe(guestRegistry);
    expect(await run(['image', 'inspect', '--format', '{{.Id}}', busybox])).toMatch(/^sha256:/);
    // --pull never: the image must come from the disk, not from the registry again.
    expect(await run(['run', '--rm', '--pull', 'never', '-v', 'keepvol:/data', busybox, 'cat', '/data/file'])).toBe('kept-12');
    expect(await run(['ps', '-a', '--format', '{{.Names}}', '--filter', 'name=survivor'])).toBe('survivor');
  }, BOOT);

  it('reset --yes stops the running VM and deletes the data disk, keeping the logs; the next start has no images or volumes', async () => {
    const before = state()!;
    const reset = await berth(['vm', 'reset', '--yes']);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stderr).toContain('deleted the data disk');
    expect(processAlive(before.qemuPid)).toBe(false);
    expect(processesOfHome(home)).toEqual([]);
    expect(existsSync(join(home, 'data.qcow2'))).toBe(false);
    expect(readFileSync(join(home, 'logs', 'console.log'), 'utf8')).toMatch(/^berth-boot: /m);
    const started = await timedBoot('after reset', ['vm', 'start', ...resources]);
    expect(started.code, started.stderr).toBe(0);
    expect(await run(['image', 'ls', '-q'])).toBe('');
    expect(await run(['volume', 'ls', '-q'])).toBe('');
    expect(await run(['ps', '-aq'])).toBe('');
  }, BOOT);

  it('stop powers the guest off and leaves no QEMU, no forwarder, no socket; status then exits 1', async () => {
    const before = state()!;
    const stopped = await berth(['vm', 'stop']);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stderr).toMatch(/the VM powered off/);
    expect(processAlive(before.qemuPid)).toBe(false);
    expect(processAlive(before.forwarderPid!)).toBe(false);
    expect(processesOfHome(home)).toEqual([]);
    expect(existsSync(socket)).toBe(false);
    const status = await berth(['vm', 'status']);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/^State: stopped$/m);
  }, 3 * 60_000);
});
