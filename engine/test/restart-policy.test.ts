// Restart policies with Docker's semantics, across an engine restart, and `docker update`.
import { describe, expect, it } from 'vitest';
import { until, useEngineWithBusybox } from './support/engine-fixture.ts';

const fixture = useEngineWithBusybox();

async function inspect(name: string): Promise<{ State: { Status: string; ExitCode: number; Pid: number }; RestartCount: number; HostConfig: { Memory: number; RestartPolicy: { Name: string } } }> {
  return JSON.parse((await fixture.engine.docker(['inspect', name])).stdout)[0];
}

describe('restart policies', () => {
  it('on-failure:2 retries twice with back-off, then stays exited', async () => {
    await fixture.engine.docker(['run', '-d', '--network=none', '--name', 'flaky', '--restart', 'on-failure:2', fixture.busybox, 'sh', '-c', 'exit 3']);
    await until(async () => {
      const c = await inspect('flaky');
      return c.RestartCount === 2 && c.State.Status === 'exited';
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const c = await inspect('flaky');
    expect(c.RestartCount).toBe(2);
    expect(c.State.ExitCode).toBe(3);
    await fixture.engine.docker(['rm', 'flaky']);
  });

  it('always restarts after a clean exit; stop and kill end it for good', async () => {
    await fixture.engine.docker(['run', '-d', '--network=none', '--name', 'phoenix', '--restart', 'always', fixture.busybox, 'sh', '-c', 'sleep 0.3']);
    await until(async () => (await inspect('phoenix')).RestartCount >= 2);
    expect((await fixture.engine.docker(['stop', '-t', '1', 'phoenix'])).code).toBe(0);
    const count = (await inspect('phoenix')).RestartCount;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await inspect('phoenix')).State.Status).toBe('exited');
    expect((await inspect('phoenix')).RestartCount).toBe(count);

    await fixture.engine.docker(['start', 'phoenix']);
    await until(async () => (await inspect('phoenix')).State.Status === 'running');
    expect((await fixture.engine.docker(['kill', 'phoenix'])).code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await inspect('phoenix')).State.Status).toBe('exited');
    await fixture.engine.docker(['rm', 'phoenix']);
  });

  it('unless-stopped brings back a container that died while the engine was down', async () => {
    await fixture.engine.docker(['run', '-d', '--network=none', '--name', 'keeper', '--restart', 'unless-stopped', fixture.busybox, 'sleep', '300']);
    const pid = (await inspect('keeper')).State.Pid;
    await fixture.engine.kill9();
    process.kill(pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await fixture.engine.restart();
    await until(async () => {
      const c = await inspect('keeper');
      return c.State.Status === 'running' && c.RestartCount === 1;
    });
    expect((await inspect('keeper')).State.Pid).not.toBe(pid);
    await fixture.engine.docker(['rm', '-f', 'keeper']);
  });

  it('docker update changes the restart policy and the memory limit of a running container', async () => {
    await fixture.engine.docker(['run', '-d', '--network=none', '--name', 'tuned', '-m', '64m', fixture.busybox, 'sleep', '300']);
    const update = await fixture.engine.docker(['update', '-m', '32m', '--memory-swap', '64m', '--restart', 'always', 'tuned']);
    expect(update.code, update.stderr).toBe(0);
    const c = await inspect('tuned');
    expect(c.HostConfig.Memory).toBe(32 * 1024 * 1024);
    expect(c.HostConfig.RestartPolicy.Name).toBe('always');
    const limit = await fixture.engine.docker(['exec', 'tuned', 'sh', '-c', 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max']);
    expect(limit.stdout.trim()).toBe(String(32 * 1024 * 1024));
    const bad = await fixture.engine.docker(['update', '-m', '1k', 'tuned']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('Minimum memory limit allowed is 6MB');
    await fixture.engine.docker(['rm', '-f', 'tuned']);
  });
});
