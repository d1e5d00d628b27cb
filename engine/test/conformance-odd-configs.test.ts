// Image configs with what real images carry and our own fixtures never had: `null` in every
// optional field (Debian's dockerd writes that for `docker import`), a null inside Env, an
// Entrypoint of [""], ExposedPorts keys dockerd reads leniently ("80", "x/tcp", "99999/tcp"),
// null history entries and null annotations. Each is pushed as raw JSON to the test registry and
// run through the docker CLI; dockerd runs every one of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineHandle } from './support/engine-harness.ts';
import { layerBlob } from './support/fixture-cache.ts';
import { testRegistry } from './support/fixtures.ts';
import { MT, jsonBlob, type LayerBlob } from './support/oci.ts';
import { pushBlob, pushManifest } from './support/registry-push.ts';
import { busyboxRootfs, DEFAULT_PATH, loadBusybox } from './support/rootfs.ts';
import { buildTar } from './support/tar-layer.ts';

let engine: EngineHandle;
let base: LayerBlob;

const docker = (args: string[]) => engine.docker(args);

/** Pushes an image whose config is exactly `config` plus rootfs, and returns its reference. */
async function pushRaw(name: string, config: Record<string, unknown>, manifestExtra: Record<string, unknown> = {}): Promise<string> {
  const { url, host } = testRegistry();
  const configBlob = jsonBlob(MT.dockerConfig, { architecture: 'amd64', os: 'linux', ...config, rootfs: { type: 'layers', diff_ids: [base.diffId] } });
  const manifest = jsonBlob(MT.dockerManifest, {
    schemaVersion: 2,
    mediaType: MT.dockerManifest,
    config: { mediaType: MT.dockerConfig, digest: configBlob.digest, size: configBlob.size },
    layers: [{ mediaType: base.mediaType, digest: base.digest, size: base.size, annotations: null, urls: null }],
    ...manifestExtra,
  });
  const repo = `odd/${name}`;
  await pushBlob(url, repo, base);
  await pushBlob(url, repo, configBlob);
  await pushManifest(url, repo, 'latest', manifest);
  return `${host}/${repo}:latest`;
}

async function ok(args: string[]): Promise<string> {
  const result = await docker(args);
  expect(result.code, `docker ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

/** What `docker import` on Debian's dockerd writes into `config` (and container_config). */
const IMPORTED = {
  Hostname: '', Domainname: '', User: '', AttachStdin: false, AttachStdout: false, AttachStderr: false, Tty: false, OpenStdin: false,
  StdinOnce: false, Env: null, Cmd: null, Image: '', Volumes: null, WorkingDir: '', Entrypoint: null, OnBuild: null, Labels: null,
};

beforeAll(async () => {
  const bb = loadBusybox();
  base = layerBlob(await buildTar(busyboxRootfs(bb)), { compression: 'gzip', mediaType: MT.dockerLayerGzip, cacheDir: `busybox-${bb.sha256.slice(0, 16)}` });
  engine = await startEngine();
});

afterAll(async () => {
  await engine?.stop();
});

describe('configs with nulls run as dockerd runs them', () => {
  it('every optional field null (docker import): run with args, with -e, inspect and history', async () => {
    const ref = await pushRaw('all-null', {
      created: '2024-05-01T10:00:00Z', comment: 'Imported from -', docker_version: '20.10.24+dfsg1', author: null,
      config: { ...IMPORTED, ExposedPorts: null, StopSignal: null, Healthcheck: null, Shell: null },
      container_config: IMPORTED,
      history: [{ created: '2024-05-01T10:00:00Z', comment: 'Imported from -', created_by: null, empty_layer: null }],
    });
    await ok(['pull', ref]);
    expect((await ok(['run', '--rm', '--network', 'none', ref, 'sh', '-c', 'echo "ran $PATH"'])).trim()).toBe(`ran ${DEFAULT_PATH}`);
    expect((await ok(['run', '--rm', '--network', 'none', '-e', 'X=1', ref, 'sh', '-c', 'echo "x=$X"'])).trim()).toBe('x=1');
    const [image] = JSON.parse(await ok(['image', 'inspect', ref])) as Array<{ Config: Record<string, unknown>; Comment: string }>;
    expect(image.Config.Env).toBeNull();
    expect(image.Config.Cmd).toBeNull();
    expect(image.Comment).toBe('Imported from -');
    expect(await ok(['history', '--format', '{{.Comment}}', ref])).toContain('Imported from -');
    const bare = await docker(['run', '--rm', '--network', 'none', ref]);
    expect(bare.stderr).toMatch(/no command specified/i);
  });

  it('config, container_config and history null altogether', async () => {
    const ref = await pushRaw('no-config', { config: null, container_config: null, history: null, created: null });
    await ok(['pull', ref]);
    expect((await ok(['run', '--rm', '--network', 'none', ref, 'echo', 'bare'])).trim()).toBe('bare');
    expect((await ok(['history', '-q', ref])).trim()).toBe('');
  });

  it('Env ["A=1", null]: the null is Go\'s "", which sets nothing', async () => {
    const ref = await pushRaw('env-null-element', { config: { Env: [`PATH=${DEFAULT_PATH}`, 'A=1', null], Cmd: ['sh', '-c', 'echo "A=$A"; env | grep -c "^=" || true'] } });
    await ok(['pull', ref]);
    expect((await ok(['run', '--rm', '--network', 'none', ref])).trim().split('\n')).toEqual(['A=1', '0']);
  });

  it('Entrypoint [""]: ignored, and the image\'s Cmd runs', async () => {
    const ref = await pushRaw('entrypoint-empty', { config: { Env: [`PATH=${DEFAULT_PATH}`], Entrypoint: [''], Cmd: ['echo', 'cmd-ran'] } });
    await ok(['pull', ref]);
    expect((await ok(['run', '--rm', '--network', 'none', ref])).trim()).toBe('cmd-ran');
    expect((await ok(['run', '--rm', '--network', 'none', ref, 'echo', 'args-ran'])).trim()).toBe('args-ran');
  });

  it('ExposedPorts "80", "x/tcp", "99999/tcp": the container runs, also with -P', async () => {
    const ref = await pushRaw('odd-ports', { config: { Env: [`PATH=${DEFAULT_PATH}`], Cmd: ['sh', '-c', 'echo up; sleep 30'], ExposedPorts: { '80': {}, 'x/tcp': {}, '99999/tcp': {} } } });
    await ok(['pull', ref]);
    const name = `odd-ports-${process.pid}`;
    await ok(['run', '-d', '-P', '--name', name, ref]);
    try {
      const [info] = JSON.parse(await ok(['inspect', name])) as Array<{ State: { Running: boolean }; Config: { ExposedPorts: Record<string, object> }; NetworkSettings: { Ports: Record<string, Array<{ HostPort: string }> | null> } }>;
      expect(info.State.Running).toBe(true);
      // Kept as the image wrote them; listed under the keys dockerd 20.10 derives.
      expect(Object.keys(info.Config.ExposedPorts).sort()).toEqual(['80', '99999/tcp', 'x/tcp']);
      expect(Object.keys(info.NetworkSettings.Ports).sort()).toEqual(['0/tcp', '80/tcp']);
      expect(info.NetworkSettings.Ports['80/tcp']?.[0]?.HostPort).toMatch(/^\d+$/);
      expect(info.NetworkSettings.Ports['0/tcp']).toBeNull();
    } finally {
      await docker(['rm', '-f', name]);
    }
  });

  it('null annotations and urls in the manifest, null Labels values', async () => {
    const ref = await pushRaw('null-annotations', { config: { Env: [`PATH=${DEFAULT_PATH}`], Cmd: ['true'], Labels: { a: null, b: 'x' } } }, { annotations: null });
    await ok(['pull', ref]);
    await ok(['run', '--rm', '--network', 'none', ref]);
    const [image] = JSON.parse(await ok(['image', 'inspect', ref])) as Array<{ Config: { Labels: Record<string, string> } }>;
    expect(image.Config.Labels).toEqual({ a: '', b: 'x' });
  });
});

describe('what dockerd refuses is refused at pull time, with a message', () => {
  it('a config whose Env is a string', async () => {
    const ref = await pushRaw('env-string', { config: { Env: 'A=1' } });
    const pull = await docker(['pull', ref]);
    expect(pull.code).not.toBe(0);
    expect(pull.stderr).toMatch(/invalid image config .*config\.Env/);
    expect((await docker(['image', 'inspect', ref])).code).not.toBe(0);
    expect((await ok(['version', '--format', '{{.Server.Version}}'])).trim()).not.toBe('');
  });
});
