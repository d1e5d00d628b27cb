// Images through the real docker CLI against a real berthd and a real local registry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineHandle } from './support/engine-harness.ts';
import { testImage, testRegistry } from './support/fixtures.ts';

let engine: EngineHandle;
beforeAll(async () => {
  engine = await startEngine();
});
afterAll(async () => {
  await engine?.stop();
});

describe('docker CLI: images', () => {
  it('negotiates API 1.47 and reports the engine', async () => {
    const result = await engine.docker(['version', '--format', '{{.Server.APIVersion}} {{.Server.Os}}']);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('1.47 linux');
  });

  it('pulls an image with progress and lists, inspects, tags and removes it', async () => {
    const ref = testImage('busybox').ref;
    const pull = await engine.docker(['pull', ref]);
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.stdout).toContain('Pull complete');
    expect(pull.stdout).toContain(`Digest: ${testImage('busybox').digest}`);
    expect(pull.stdout).toContain(`Status: Downloaded newer image for ${ref}`);

    const again = await engine.docker(['pull', ref]);
    expect(again.stdout).toContain(`Status: Image is up to date for ${ref}`);

    const list = await engine.docker(['images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}']);
    expect(list.stdout).toContain(`${ref} ${testImage('busybox').configDigest.slice(7, 19)}`);

    const inspect = JSON.parse((await engine.docker(['image', 'inspect', ref])).stdout)[0];
    expect(inspect.Id).toBe(testImage('busybox').configDigest);
    expect(inspect.RepoDigests).toEqual([`${testImage('busybox').repository}@${testImage('busybox').digest}`]);
    expect(inspect.Config.Cmd).toEqual(['sh']);

    expect((await engine.docker(['tag', ref, 'mine/busybox:v1'])).code).toBe(0);
    expect((await engine.docker(['images', '-q', 'mine/busybox'])).stdout.trim()).toBe(inspect.Id.slice(7, 19));
    const history = await engine.docker(['history', '--no-trunc', '--format', '{{.ID}}', 'mine/busybox:v1']);
    expect(history.stdout.split('\n')[0]).toBe(inspect.Id);

    const untag = await engine.docker(['rmi', 'mine/busybox:v1']);
    expect(untag.stdout.trim()).toBe('Untagged: mine/busybox:v1');
    const rmi = await engine.docker(['rmi', ref]);
    expect(rmi.code, rmi.stderr).toBe(0);
    expect(rmi.stdout).toContain(`Deleted: ${inspect.Id}`);
    expect((await engine.docker(['images', '-q'])).stdout.trim()).toBe('');
  });

  it('pulls the platform asked for from a manifest list', async () => {
    const ref = testImage('multiarch').ref;
    expect((await engine.docker(['pull', '--platform', 'linux/arm64', ref])).code).toBe(0);
    const labels = JSON.parse((await engine.docker(['image', 'inspect', '--format', '{{json .Config.Labels}}', ref])).stdout);
    expect(labels.arch).toBe('arm64');
    expect((await engine.docker(['pull', ref])).code).toBe(0);
    const amd = JSON.parse((await engine.docker(['image', 'inspect', '--format', '{{json .Config.Labels}}', ref])).stdout);
    expect(amd.arch).toBe('amd64');
  });

  it('pulls OCI images with zstd layers, directly and through an OCI index', async () => {
    for (const name of ['ocizstd', 'ociindex'] as const) {
      const result = await engine.docker(['pull', testImage(name).ref]);
      expect(result.code, result.stderr).toBe(0);
    }
  });

  it('reports a clear error for an image the registry does not have and stores nothing', async () => {
    const result = await engine.docker(['pull', `${testRegistry().host}/nothing-here:latest`]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/not found|manifest unknown/);
    expect((await engine.docker(['images', '-q', `${testRegistry().host}/nothing-here`])).stdout.trim()).toBe('');
  });

  it('answers bad references and unknown images with 400 and 404 in Docker\'s words', async () => {
    expect((await engine.docker(['image', 'inspect', 'no-such-image:latest'])).stderr).toContain('No such image: no-such-image:latest');
    const bad = await engine.docker(['pull', 'Busybox']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/invalid reference format/);
  });

  it('prunes dangling images only', async () => {
    const ref = testImage('busybox').ref;
    await engine.docker(['pull', ref]);
    const prune = await engine.docker(['image', 'prune', '-f']);
    expect(prune.code).toBe(0);
    expect((await engine.docker(['images', '-q', ref])).stdout.trim()).not.toBe('');
  });
});
