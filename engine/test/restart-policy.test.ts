// Restart policies with Docker's semantics, across an engine restart, and `docker update`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineHandle } from './support/engine-harness.ts';
import { testImage } from './support/fixtures.ts';

let engine: EngineHandle;
let busybox: string;

async function inspect(name: string): Promise<{ State: { Status: string; ExitCode: number; Pid: number }; RestartCount: number; HostConfig: { Memory: number; RestartPolicy: { Name: string } } }> {
  return JSON.parse((await engine.docker(['inspect', name])).stdout)[0];
}

async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('condition not met in time');
}

beforeAll(async () => {
  engine = await startEngine();
  busybox = testImage('busybox').ref;
  expect((await engine.docker(['pull', busybox])).code).toBe(0);
});
afterAll(async () => {
  await engine?.stop();
});

describe('restart policies', () => {
  it('on-failure:2 retries twice with back-off, then stays exited', async () => {
    await engine.docker(['run', '-d', '--network=none', '--name', 'flaky', '--restart', 'on-failure:2', busybox, 'sh', '-c', 'exit 3']);
    await until(async () => {
      const c = await inspect('flaky');
      return c.RestartCount === 2 && c.State.Status === 'exited';
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const c = await inspect('flaky');
    expect(c.RestartCount).toBe(2);
    expect(c.State.ExitCode).toBe(3);
    await engine.docker(['rm', 'flaky']);
  });

  it('always restarts after a clean exit; stop and kill end it for good', async () => {
    await engine.docker(['run', '-d', '--network=none', '--name', 'phoenix', '--restart', 'always', busybox, 'sh', '-c', 'sleep 0.3']);
    await until(async () => (await inspect('phoenix')).RestartCount >= 2);
    expect((await engine.docker(['stop', '-t', '1', 'phoenix'])).code).toBe(0);
    const count = (await inspect('phoenix')).RestartCount;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await inspect('phoenix')).State.Status).toBe('exited');
    expect((await inspect('phoenix')).RestartCount).toBe(count);

    await engine.docker(['start', 'phoenix']);
    await until(async () => (await inspect('phoenix')).State.Status === 'running');
    expect((await engine.docker(['kill', 'phoenix'])).code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await inspect('phoenix')).State.Status).toBe('exited');
    await engine.docker(['rm', 'phoenix']);
  });

  it('unless-stopped brings back a container that died while the engine was down', async () => {
    await engine.docker(['run', '-d', '--network=none', '--name', 'keeper', '--restart', 'unless-stopped', busybox, 'sleep', '300']);
    const pid = (await inspect('keeper')).State.Pid;
    await engine.kill9();
    process.kill(pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await engine.restart();
    await until(async () => {
      const c = await inspect('keeper');
      return c.State.Status === 'running' && c.RestartCount === 1;
    });
    expect((await inspect('keeper')).State.Pid).not.toBe(pid);
    await engine.docker(['rm', '-f', 'keeper']);
  });

  it('docker update changes the restart policy and the memory limit of a running container', async () => {
    await engine.docker(['run', '-d', '--network=none', '--name', 'tuned', '-m', '64m', busybox, 'sleep', '300']);
    const update = await engine.docker(['update', '-m', '32m', '--memory-swap', '64m', '--restart', 'always', 'tuned']);
    expect(update.code, update.stderr).toBe(0);
    const c = await inspect('tuned');
    expect(c.HostConfig.Memory).toBe(32 * 1024 * 1024);
    expect(c.HostConfig.RestartPolicy.Name).toBe('always');
    const limit = await engine.docker(['exec', 'tuned', 'sh', '-c', 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max']);
    expect(limit.stdout.trim()).toBe(String(32 * 1024 * 1024));
    const bad = await engine.docker(['update', '-m', '1k', 'tuned']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('Minimum memory limit allowed is 6MB');
    await engine.docker(['rm', '-f', 'tuned']);
  });
});
