// After `kill -9` of berthd and a restart, running containers are still running, re-adopted
// through conmon, and every command still works on them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineHandle } from './support/engine-harness.ts';
import { testImage } from './support/fixtures.ts';

let engine: EngineHandle;
let busybox: string;

beforeAll(async () => {
  engine = await startEngine();
  busybox = testImage('busybox').ref;
  expect((await engine.docker(['pull', busybox])).code).toBe(0);
});
afterAll(async () => {
  await engine?.stop();
});

describe('engine crash and restart', () => {
  it('re-adopts running containers and records exits that happened while it was down', async () => {
    const survivor = await engine.docker(['run', '-d', '--network=none', '--name', 'survivor', busybox, 'sh', '-c', 'echo before; sleep 300']);
    expect(survivor.code, survivor.stderr).toBe(0);
    const shortLived = await engine.docker(['run', '-d', '--network=none', '--name', 'short', busybox, 'sh', '-c', 'sleep 1; exit 9']);
    expect(shortLived.code).toBe(0);
    const pidBefore = (await engine.docker(['inspect', '-f', '{{.State.Pid}}', 'survivor'])).stdout.trim();

    await engine.kill9();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await engine.restart();

    const state = JSON.parse((await engine.docker(['inspect', 'survivor'])).stdout)[0].State;
    expect(state.Status).toBe('running');
    expect(String(state.Pid)).toBe(pidBefore);
    expect((await engine.docker(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'short'])).stdout.trim()).toBe('exited 9');

    const exec = await engine.docker(['exec', 'survivor', 'echo', 'still here']);
    expect(exec.stdout).toBe('still here\n');
    expect((await engine.docker(['logs', 'survivor'])).stdout).toBe('before\n');
    expect((await engine.docker(['pause', 'survivor'])).code).toBe(0);
    expect((await engine.docker(['unpause', 'survivor'])).code).toBe(0);
    const stop = await engine.docker(['stop', '-t', '1', 'survivor']);
    expect(stop.code, stop.stderr).toBe(0);
    expect((await engine.docker(['inspect', '-f', '{{.State.ExitCode}}', 'survivor'])).stdout.trim()).toBe('137');
    expect((await engine.docker(['rm', 'survivor', 'short'])).code).toBe(0);
  });

  it('leaves no half image when a pull is interrupted by a crash', async () => {
    const ref = testImage('multilayer').ref;
    const pulling = engine.docker(['pull', ref]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await engine.kill9();
    await pulling;
    await engine.restart();
    const images = await engine.docker(['images', '--format', '{{.Repository}}:{{.Tag}}']);
    // Either the pull finished before the crash (a whole image) or nothing of it is listed.
    if (images.stdout.includes(ref)) {
      expect((await engine.docker(['run', '--rm', '--network=none', ref, 'true'])).code).toBe(0);
    }
    const again = await engine.docker(['pull', ref]);
    expect(again.code, again.stderr).toBe(0);
    expect((await engine.docker(['run', '--rm', '--network=none', '--entrypoint', 'true', ref])).code).toBe(0);
  });
});
