// After `kill -9` of berthd and a restart, running containers are still running, re-adopted
// through conmon, and every command still works on them.
import { describe, expect, it } from 'vitest';
import { useEngineWithBusybox } from './support/engine-fixture.ts';
import { testImage } from './support/fixtures.ts';

const fixture = useEngineWithBusybox();

describe('engine crash and restart', () => {
  it('re-adopts running containers and records exits that happened while it was down', async () => {
    const survivor = await fixture.engine.docker(['run', '-d', '--network=none', '--name', 'survivor', fixture.busybox, 'sh', '-c', 'echo before; sleep 300']);
    expect(survivor.code, survivor.stderr).toBe(0);
    const shortLived = await fixture.engine.docker(['run', '-d', '--network=none', '--name', 'short', fixture.busybox, 'sh', '-c', 'sleep 1; exit 9']);
    expect(shortLived.code).toBe(0);
    const pidBefore = (await fixture.engine.docker(['inspect', '-f', '{{.State.Pid}}', 'survivor'])).stdout.trim();

    await fixture.engine.kill9();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await fixture.engine.restart();

    const state = JSON.parse((await fixture.engine.docker(['inspect', 'survivor'])).stdout)[0].State;
    expect(state.Status).toBe('running');
    expect(String(state.Pid)).toBe(pidBefore);
    expect((await fixture.engine.docker(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'short'])).stdout.trim()).toBe('exited 9');

    const exec = await fixture.engine.docker(['exec', 'survivor', 'echo', 'still here']);
    expect(exec.stdout).toBe('still here\n');
    expect((await fixture.engine.docker(['logs', 'survivor'])).stdout).toBe('before\n');
    expect((await fixture.engine.docker(['pause', 'survivor'])).code).toBe(0);
    expect((await fixture.engine.docker(['unpause', 'survivor'])).code).toBe(0);
    const stop = await fixture.engine.docker(['stop', '-t', '1', 'survivor']);
    expect(stop.code, stop.stderr).toBe(0);
    expect((await fixture.engine.docker(['inspect', '-f', '{{.State.ExitCode}}', 'survivor'])).stdout.trim()).toBe('137');
    expect((await fixture.engine.docker(['rm', 'survivor', 'short'])).code).toBe(0);
  });

  it('leaves no half image when a pull is interrupted by a crash', async () => {
    const ref = testImage('multilayer').ref;
    const pulling = fixture.engine.docker(['pull', ref]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await fixture.engine.kill9();
    await pulling;
    await fixture.engine.restart();
    const images = await fixture.engine.docker(['images', '--format', '{{.Repository}}:{{.Tag}}']);
    // Either the pull finished before the crash (a whole image) or nothing of it is listed.
    if (images.stdout.includes(ref)) {
      expect((await fixture.engine.docker(['run', '--rm', '--network=none', ref, 'true'])).code).toBe(0);
    }
    const again = await fixture.engine.docker(['pull', ref]);
    expect(again.code, again.stderr).toBe(0);
    expect((await fixture.engine.docker(['run', '--rm', '--network=none', '--entrypoint', 'true', ref])).code).toBe(0);
  });
});
