// The Berth VM booted for real under QEMU's TCG (KVM does not work on these machines): the amd64
// guest serves the real docker CLI through the agent, runs containers under cgroup v2, stops them
// cleanly on poweroff and keeps its data disk across a reboot; the arm64 guest boots until berthd
// answers. Slow by nature (Node runs ~10× slower under TCG), so one boot serves many checks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../engine/test/support/docker-cli.ts';
import { testImage } from '../../engine/test/support/fixtures.ts';
import { askAgent, dialAgent, forwardEngineSocket } from './agent-client.ts';
import { bootGuest, ensureImages, type Guest } from './qemu-guest.ts';
import type { Server } from 'node:net';

const BOOT = 6 * 60_000;
const dir = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-vm-test-'));
const dataDisk = join(dir, 'data.raw');
// The run's registry listens on the host's 127.0.0.1; QEMU's user-mode network shows the host's
// loopback to the guest as 10.0.2.2.
const hostRegistry = testImage('busybox').ref.split('/')[0];
const guestRegistry = hostRegistry.replace(/^127\.0\.0\.1:/, '10.0.2.2:');
const busybox = `${guestRegistry}/busybox:latest`;
const figures: Record<string, unknown> = {};

let guest: Guest | undefined;
let forwarder: Server | undefined;
let env: { DOCKER_HOST: string };

async function boot(): Promise<void> {
  guest = await bootGuest({ arch: 'amd64', dataDisk, cmdline: [`berth.insecure_registry=${guestRegistry}`] });
  const status = await guest.waitEngine();
  const sock = join(dir, 'docker.sock');
  rmSync(sock, { force: true });
  forwarder = await forwardEngineSocket(sock, guest.port, guest.secret);
  env = { DOCKER_HOST: `unix://${sock}` };
  figures[`amd64 boot ${Object.keys(figures).length}`] = { ...guest.marks(), engineAnsweredBy: status.uptimeSeconds };
}

async function shutdown(): Promise<void> {
  await new Promise<void>((resolve) => (forwarder ? forwarder.close(() => resolve()) : resolve()));
  forwarder = undefined;
  await guest?.stop();
  guest = undefined;
}

const run = async (args: string[], timeoutMs = 180_000) => {
  const result = await docker(args, { env, timeoutMs });
  expect(result.stderr, args.join(' ')).not.toMatch(/Error/);
  expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout.trim();
};

beforeAll(() => ensureImages(['amd64', 'arm64']), 10 * 60_000);

afterAll(async () => {
  await shutdown();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`Berth VM boot figures (guest uptime, seconds): ${JSON.stringify(figures)}\n`);
});

describe('Berth VM, amd64 under TCG', () => {
  it('serves the docker CLI through the agent: version, pull from the host registry, run', async () => {
    await boot();
    expect(await run(['version', '--format', '{{.Server.Os}}/{{.Server.Arch}}'])).toBe('linux/amd64');
    expect(await run(['info', '--format', '{{.CgroupVersion}} {{.Driver}}'])).toMatch(/^2 /);
    await run(['pull', busybox]);
    expect(await run(['run', '--rm', busybox, 'echo', 'hello from the VM'])).toBe('hello from the VM');
  }, BOOT);

  it('applies -m, --cpus and --pids-limit in cgroup v2, and docker stats shows memory', async () => {
    const limits = await run(['run', '--rm', '-m', '64m', '--cpus', '0.5', '--pids-limit', '50', busybox,
      'cat', '/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/cpu.max', '/sys/fs/cgroup/pids.max']);
    expect(limits.split('\n')).toEqual([String(64 * 1024 * 1024), '50000 100000', '50']);
    await run(['run', '-d', '--name', 'statee', '-m', '64m', busybox, 'sleep', '3600']);
    const stats = await run(['stats', '--no-stream', '--format', '{{.Name}} {{.MemUsage}}', 'statee']);
    expect(stats).toMatch(/^statee [\d.]+[KMG]?i?B \/ 64MiB$/);
    await run(['rm', '-f', 'statee']);
  }, BOOT);

  it('refuses a connection with a wrong or missing secret', async () => {
    if (!guest) throw new Error('no guest');
    await expect(dialAgent(guest.port, 'not-the-secret', { kind: 'engine' })).rejects.toThrow(/without an answer/);
    await expect(dialAgent(guest.port, `${guest.secret}x`, { kind: 'engine' })).rejects.toThrow(/without an answer/);
    // The right one still works.
    expect(JSON.parse(await askAgent(guest.port, guest.secret, { kind: 'status' })).engine.up).toBe(true);
    // Containers cannot reach the agent at all: not through their bridge's gateway, not on the
    // guest's own address, not from the host network namespace.
    const probe = 'for a in 10.47.0.1 10.0.2.15 127.0.0.1; do if nc $a 7755 </dev/null; then echo "$a open"; else echo "$a refused"; fi; done';
    expect(await run(['run', '--rm', busybox, 'sh', '-c', probe])).toBe('10.47.0.1 refused\n10.0.2.15 refused\n127.0.0.1 refused');
    expect(await run(['run', '--rm', '--network', 'host', busybox, 'sh', '-c', probe])).toBe('10.47.0.1 refused\n10.0.2.15 refused\n127.0.0.1 refused');
  }, BOOT);

  it('powers off with SIGTERM to containers first, and the data disk survives a reboot', async () => {
    if (!guest) throw new Error('no guest');
    // The container's trap writes to a volume on the data disk: only a SIGTERM gets it there.
    await run(['run', '-d', '--name', 'trapper', '-v', 'trapvol:/out', busybox, 'sh', '-c',
      'trap "echo got SIGTERM > /out/signal; exit 0" TERM; echo ready > /out/ready; while true; do sleep 1; done']);
    expect(await run(['run', '--rm', '-v', 'trapvol:/out', busybox, 'sh', '-c', 'while [ ! -f /out/ready ]; do sleep 0.2; done; cat /out/ready'])).toBe('ready');
    expect(await askAgent(guest.port, guest.secret, { kind: 'poweroff' })).toBe('OK\n');
    expect(await guest.exited).toBe(0);
    expect(guest.console()).toMatch(/stopped 1 container/);
    await shutdown();

    await boot();
    expect(await run(['images', '--format', '{{.Repository}}:{{.Tag}}'])).toContain(busybox);
    expect(await run(['run', '--rm', '-v', 'trapvol:/out', busybox, 'cat', '/out/signal'])).toBe('got SIGTERM');
    expect(await run(['ps', '-a', '--filter', 'name=trapper', '--format', '{{.Status}}'])).toMatch(/^Exited \(0\)/);
  }, 2 * BOOT);

  it('sets the guest clock when asked', async () => {
    if (!guest) throw new Error('no guest');
    const y2031 = Date.UTC(2031, 0, 1, 12);
    expect(JSON.parse(await askAgent(guest.port, guest.secret, { kind: 'set-clock', unixMs: y2031 }))).toMatchObject({ ok: true });
    // Containers share the guest's kernel clock.
    expect(await run(['run', '--rm', busybox, 'date', '-u', '+%Y-%m-%d'])).toBe('2031-01-01');
    expect(JSON.parse(await askAgent(guest.port, guest.secret, { kind: 'set-clock', unixMs: Date.now() }))).toMatchObject({ ok: true });
  }, BOOT);

  it('powers off cleanly on the power button (ACPI), containers first', async () => {
    if (!guest) throw new Error('no guest');
    await run(['run', '-d', '--name', 'sleeper', busybox, 'sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done']);
    await guest.pressPowerButton();
    expect(await guest.exited).toBe(0);
    expect(guest.console()).toMatch(/stopped 1 container/);
    await shutdown();
  }, BOOT);
});

describe('Berth VM, arm64 under TCG', () => {
  it('boots under qemu-system-aarch64 -M virt -cpu max until berthd answers, and powers off on its power key', async () => {
    await shutdown();
    const armDisk = join(dir, 'arm64.raw');
    const arm = await bootGuest({ arch: 'arm64', dataDisk: armDisk, secretVia: 'cmdline' });
    try {
      const status = await arm.waitEngine();
      figures['arm64 boot'] = { ...arm.marks(), engineAnsweredBy: status.uptimeSeconds };
      const sock = join(dir, 'arm64.sock');
      forwarder = await forwardEngineSocket(sock, arm.port, arm.secret);
      const ping = await docker(['version', '--format', '{{.Server.Arch}}'], { env: { DOCKER_HOST: `unix://${sock}` }, timeoutMs: 120_000 });
      expect(ping.stdout.trim()).toBe('arm64');
      // arm64 virt has no ACPI button here: the power key is a GPIO key (gpio-keys, pl061).
      await arm.pressPowerButton();
      expect(await arm.exited).toBe(0);
      expect(arm.console()).toMatch(/stopped 0 container/);
    } finally {
      await new Promise<void>((resolve) => (forwarder ? forwarder.close(() => resolve()) : resolve()));
      forwarder = undefined;
      await arm.stop();
    }
  }, BOOT);
});
