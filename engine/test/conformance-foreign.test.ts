// Conformance with images no one here made (support/foreign-images.ts): built, committed and
// imported by Debian's dockerd, built by buildah and podman, copied by skopeo — pulled from the
// test registry and run through Debian's docker CLI, dockerode and docker-compose against berthd.
// Before configs were parsed at the edge, the first of these (`docker import`, "Env": null)
// failed `docker run` with "image is not iterable".
import Docker from 'dockerode';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineHandle } from './support/engine-harness.ts';
import { testRegistry } from './support/fixtures.ts';
import { FOREIGN_DEFAULT_OUTPUT, FOREIGN_IMAGE_NAMES, prepareForeignImages, type ForeignFixtures } from './support/foreign-images.ts';

let engine: EngineHandle;
let foreign: ForeignFixtures;

beforeAll(async () => {
  foreign = await prepareForeignImages(testRegistry());
  engine = await startEngine();
}, 600_000);

afterAll(async () => {
  await engine?.stop();
  if (foreign) rmSync(foreign.dir, { recursive: true, force: true });
});

/** Debian's docker CLI against berthd. */
const docker = (args: string[], input?: string | Buffer) => engine.docker(args, { input, timeoutMs: 120_000 });

async function ok(args: string[]): Promise<string> {
  const result = await docker(args);
  expect(result.code, `docker ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

describe.each(FOREIGN_IMAGE_NAMES)('foreign image %s through the docker CLI', (name) => {
  const ref = () => foreign.images[name];

  it('pulls and runs with the default command, with args, and with -e', async () => {
    await ok(['pull', ref()]);
    const expected = FOREIGN_DEFAULT_OUTPUT[name];
    if (expected === undefined) {
      // An import has no Cmd: dockerd says "No command specified", and so must we (not a crash).
      const bare = await docker(['run', '--rm', '--network', 'none', ref()]);
      expect(bare.code).not.toBe(0);
      expect(bare.stderr).toMatch(/no command specified/i);
    } else {
      expect((await ok(['run', '--rm', '--network', 'none', ref()])).trim()).toBe(expected);
    }
    const withArgs = await ok(['run', '--rm', '--network', 'none', '--entrypoint', 'sh', '-e', 'FROM_CLI=yes', ref(), '-c', 'echo "args $FROM_CLI $PATH"']);
    expect(withArgs.trim()).toBe('args yes /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  });

  it('inspects, shows history, and survives docker save | docker load', async () => {
    const [inspect] = JSON.parse(await ok(['image', 'inspect', ref()])) as Array<{ Id: string; RootFS: { Layers: string[] }; Config: { Env: string[] | null } }>;
    expect(inspect.Id).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(inspect.RootFS.Layers.length).toBeGreaterThan(0);
    const history = await ok(['history', '--no-trunc', '--format', '{{.ID}}|{{.CreatedBy}}', ref()]);
    expect(history.trim().split('\n').length).toBeGreaterThan(0);
    expect(history).toContain(inspect.Id);

    const archive = join(engine.dir, `${name}-save.tar`);
    await ok(['save', '-o', archive, ref()]);
    await ok(['rmi', ref()]);
    const loaded = await ok(['load', '-i', archive]);
    expect(loaded).toContain(`Loaded image: ${ref()}`);
    const [again] = JSON.parse(await ok(['image', 'inspect', ref()])) as Array<{ Id: string }>;
    expect(again.Id).toBe(inspect.Id);
    const out = await ok(['run', '--rm', '--network', 'none', '--entrypoint', 'sh', ref(), '-c', 'echo round-trip']);
    expect(out.trim()).toBe('round-trip');
  });
});

describe('archives written by other tools, through docker load', () => {
  it('dockerd\'s `docker save` (legacy layout with VERSION/json/layer.tar per layer)', async () => {
    const { file, tag } = foreign.archives['dockerd-save'];
    expect(await ok(['load', '-i', file])).toContain(`Loaded image: ${tag}`);
    expect((await ok(['run', '--rm', '--network', 'none', tag as string])).trim()).toBe('built-by-dockerd');
  });

  it('skopeo\'s oci-archive and docker-archive', async () => {
    for (const name of ['skopeo-oci-archive', 'skopeo-docker-archive'] as const) {
      const { file, tag } = foreign.archives[name];
      const loaded = await ok(['load', '-i', file]);
      expect(loaded).toContain(`Loaded image: ${tag}`);
      expect((await ok(['run', '--rm', '--network', 'none', tag as string])).trim()).toBe('built-by-podman');
    }
  });
});

describe('foreign images through other clients', () => {
  it('dockerode: create, start, wait and logs of dockerd\'s `docker import` image (Env: null)', async () => {
    const client = new Docker({ socketPath: engine.socket });
    const ref = foreign.images['dockerd-import'];
    await ok(['pull', ref]);
    const container = await client.createContainer({ Image: ref, Cmd: ['sh', '-c', 'echo dockerode-$X'], Env: ['X=ok'], HostConfig: { NetworkMode: 'none' } });
    try {
      await container.start();
      expect((await container.wait()).StatusCode).toBe(0);
      const logs = (await container.logs({ stdout: true, stderr: true })) as unknown as Buffer;
      // Multiplexed frames: an 8-byte header per frame, then the payload.
      expect(logs.subarray(8).toString().trim()).toBe('dockerode-ok');
      const info = await container.inspect();
      expect(info.Config.Env).toContain('X=ok');
    } finally {
      await container.remove({ force: true });
    }
  });

  it('docker-compose: runs a service on dockerd\'s built image and on buildah\'s', async () => {
    const dir = mkdtempSync(join(engine.dir, 'compose-'));
    writeFileSync(join(dir, 'docker-compose.yml'), `version: "3.8"
services:
  built:
    image: ${foreign.images['dockerd-build']}
    network_mode: none
  scratch:
    image: ${foreign.images['buildah-scratch']}
    network_mode: none
    environment: [GREETING=compose]
`);
    const compose = (...args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile('docker-compose', args, {
          cwd: dir,
          timeout: 180_000,
          env: { ...process.env, ...engine.dockerEnv, COMPOSE_PROJECT_NAME: `foreign${process.pid}` },
        }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }));
      });
    try {
      const up = await compose('up', '--no-color');
      expect(up.code, up.stderr).toBe(0);
      expect(up.stdout).toContain('built-by-dockerd');
      expect(up.stdout).toContain('from-buildah compose');
    } finally {
      await compose('down', '-v');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

it('reports what made the images', () => {
  // Not a behaviour check: the note's "images from other tools run" count comes from here.
  console.log(`foreign images: ${FOREIGN_IMAGE_NAMES.length} + ${Object.keys(foreign.archives).length} archives (cache ${foreign.fromCache ? 'hit' : 'built'}); tools: ${JSON.stringify(foreign.tools)}`);
  expect(foreign.tools.docker).toMatch(/20\.10/);
});
