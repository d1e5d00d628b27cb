import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, eventually } from './test-bundle.ts';
import { Harness } from './test-harness.ts';

const h = new Harness();
beforeAll(() => h.setup('berth-readopt-'));
afterAll(() => h.cleanup());

describe('LinuxRuntime re-adoption', () => {
  it('keeps containers running when the engine is SIGKILLed, and a new engine attaches, kills and sees the exit', async () => {
    const id = h.newId('adopt');
    const child = spawn(
      process.execPath,
      [join(import.meta.dirname, 'test-engine-child.ts'), join(h.dir, 'state'), join(h.dir, 'runc'), h.rootfs, join(h.dir, 'bundles', id), id],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const printed = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => resolve(chunk.trim()));
      child.on('exit', (code) => reject(new Error(`engine child exited early (${code})`)));
    });
    expect(printed).toBe(id);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('close', resolve));

    const engine2 = h.newRuntime();
    try {
      const state = await engine2.state(id);
      expect(state.status).toBe('running');
      expect(await engine2.monitorPid(id)).toBeGreaterThan(0);
      expect(await engine2.exitOf(id)).toBeUndefined();

      const session = await engine2.attach(id, { stdin: true });
      const out = collect(session);
      session.write(Buffer.from('still here\n'));
      await eventually(() => out.stdout() === 'still here\n');

      const exited = h.nextExit(id, engine2);
      await engine2.kill(id, 9);
      expect((await exited).exitCode).toBe(137);
      await out.closed;
      await engine2.delete(id);
    } finally {
      engine2.close();
    }
  });

  it('reports an exit that happened while no engine was watching', async () => {
    const { id } = await h.create('down', ['sh', '-c', 'sleep 0.2; exit 9']);
    await h.runtime.start(id);
    h.runtime.close();
    await eventually(async () => (await h.runtime.monitorPid(id)) === undefined);
    const engine2 = h.newRuntime();
    try {
      const exit = await h.nextExit(id, engine2);
      expect(exit.exitCode).toBe(9);
      expect((await engine2.state(id)).status).toBe('stopped');
      await engine2.delete(id);
    } finally {
      engine2.close();
    }
  });
});

describe('LinuxRuntime monitor loss', () => {
  it('records exit 255 when conmon died without a record and the process is gone', async () => {
    const { id } = await h.create('lost', ['sleep', '1000']);
    await h.runtime.start(id);
    const monitor = await h.runtime.monitorPid(id);
    expect(monitor).toBeGreaterThan(0);
    process.kill(monitor!, 'SIGKILL');
    await h.runtime.kill(id, 9);
    const exit = await h.nextExit(id);
    expect(exit.exitCode).toBe(255);
    await h.runtime.delete(id, true);
  });
});
