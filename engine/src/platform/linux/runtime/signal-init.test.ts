import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCgroupV2 } from '../oci-spec/host.ts';
import { signalInit } from './signal-init.ts';
import { Harness } from './test-harness.ts';

const h = new Harness();
beforeAll(() => h.setup('berth-sig-'));
afterAll(() => h.cleanup());

describe('signalInit', () => {
  it("signals a running container's init without runc, and the exit follows", async () => {
    const { id, pid } = await h.create('direct', ['sleep', '1000']);
    await h.runtime.start(id);
    const exited = h.nextExit(id);
    expect(await signalInit(pid, id, isCgroupV2(), 9)).toBe(true);
    expect((await exited).exitCode).toBe(137);
    // Gone: nothing is sent to a pid that may be someone else's by now; runc answers instead.
    expect(await signalInit(pid, id, isCgroupV2(), 9)).toBe(false);
    await expect(h.runtime.kill(id, 9)).rejects.toMatchObject({ kind: 'conflict' });
    await h.runtime.delete(id);
  });

  it('leaves a paused container, and a process that is not the container, to runc', async () => {
    const { id, pid } = await h.create('paused', ['sleep', '1000']);
    await h.runtime.start(id);
    await h.runtime.pause(id);
    expect(await signalInit(pid, id, isCgroupV2(), 9)).toBe(false);
    expect((await h.runtime.state(id)).status).toBe('paused');
    // `docker kill` of a paused container: runc thaws it for the SIGKILL.
    const exited = h.nextExit(id);
    await h.runtime.kill(id, 9);
    expect((await exited).exitCode).toBe(137);
    await h.runtime.delete(id);

    const outsider = spawn('sleep', ['1000'], { stdio: 'ignore' });
    try {
      expect(await signalInit(outsider.pid ?? 0, id, isCgroupV2(), 15)).toBe(false);
      expect(outsider.exitCode).toBeNull();
      expect(outsider.signalCode).toBeNull();
    } finally {
      outsider.kill('SIGKILL');
    }
  });
});
