// Images in and out through the real docker CLI: save/load (docker-save and OCI layout
// archives), hostile and corrupt archives, import, commit.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { useEngineWithBusybox } from './support/engine-fixture.ts';
import { startEngine } from './support/engine-harness.ts';
import { startLocalRegistry, type LocalRegistry } from './support/local-registry.ts';
import { testImage } from './support/fixtures.ts';

const fx = useEngineWithBusybox();
const work = mkdtempSync(join(tmpdir(), 'berth-transfer-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type ArchiveEntry = { name: string; data: Buffer | string } | { name: string; symlink: string };

async function packArchive(entries: ArchiveEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const entry of entries) {
    await new Promise<void>((resolve, reject) => {
      const cb = (error?: Error | null) => (error ? reject(error) : resolve());
      if ('symlink' in entry) pack.entry({ name: entry.name, type: 'symlink', linkname: entry.symlink }, cb);
      else pack.entry({ name: entry.name }, typeof entry.data === 'string' ? Buffer.from(entry.data) : entry.data, cb);
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

async function unpackArchive(bytes: Buffer): Promise<Map<string, Buffer>> {
  const extract = tar.extract();
  const files = new Map<string, Buffer>();
  const done = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      if (entry.header.type === 'file') files.set(entry.header.name, Buffer.concat(chunks));
    }
  })();
  extract.end(bytes);
  await done;
  return files;
}

const sha = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
const blob = (digest: string) => `blobs/sha256/${digest.slice(7)}`;

/** What the engine holds: image IDs and committed layers. */
function stored(): { images: string; blobs: number; layers: string[] } {
  return { images: readdirSync(join(fx.engine.dataRoot, 'image', 'images')).sort().join(','), blobs: readdirSync(join(fx.engine.dataRoot, 'content', 'blobs', 'sha256')).length, layers: readdirSync(join(fx.engine.dataRoot, 'overlay', 'layers')).sort() };
}

describe('docker save / load', () => {
  it('saves several images, loads them back after rmi, and runs one', async () => {
    const { engine, busybox } = fx;
    const multi = testImage('multilayer').ref;
    expect((await engine.docker(['pull', multi])).code).toBe(0);
    const ids = (await engine.docker(['image', 'inspect', '--format', '{{.Id}}', busybox, multi])).stdout.trim().split('\n');
    const file = join(work, 'two.tar');
    const save = await engine.docker(['save', '-o', file, busybox, multi]);
    expect(save.code, save.stderr).toBe(0);
    const files = await unpackArchive(readFileSync(file));
    const manifest = JSON.parse(files.get('manifest.json')!.toString()) as Array<{ Config: string; RepoTags: string[]; Layers: string[] }>;
    expect(manifest.map((m) => m.RepoTags[0])).toEqual([busybox, multi]);
    expect(files.has('oci-layout') && files.has('index.json')).toBe(true);
    for (const layer of manifest.flatMap((m) => m.Layers)) expect(sha(files.get(layer)!)).toBe(`sha256:${layer.split('/').pop()}`);

    expect((await engine.docker(['rmi', busybox, multi])).code).toBe(0);
    const load = await engine.docker(['load', '-i', file]);
    expect(load.code, load.stderr).toBe(0);
    expect(load.stdout).toContain(`Loaded image: ${busybox}`);
    expect(load.stdout).toContain(`Loaded image: ${multi}`);
    expect((await engine.docker(['image', 'inspect', '--format', '{{.Id}}', busybox, multi])).stdout.trim().split('\n')).toEqual(ids);
    const run = await engine.docker(['run', '--rm', busybox, 'echo', 'loaded-ok']);
    expect(run.stdout.trim(), run.stderr).toBe('loaded-ok');
  });

  it('saves one image by tag to stdout and loads a gzip of it', async () => {
    const { engine, busybox } = fx;
    const file = join(work, 'one.tar');
    expect((await engine.docker(['save', '-o', file, busybox])).code).toBe(0);
    writeFileSync(`${file}.gz`, gzipSync(readFileSync(file)));
    const load = await engine.docker(['load', '-i', `${file}.gz`]);
    expect(load.code, load.stderr).toBe(0);
    expect(load.stdout).toContain(`Loaded image: ${busybox}`);
  });

  it('loads an OCI image layout archive (gzip layers, no manifest.json) and runs it', async () => {
    const { engine, busybox } = fx;
    const file = join(work, 'one.tar');
    const files = await unpackArchive(readFileSync(file));
    const [entry] = JSON.parse(files.get('manifest.json')!.toString()) as Array<{ Config: string; Layers: string[] }>;
    const config = files.get(entry.Config)!;
    const layers = entry.Layers.map((path) => gzipSync(files.get(path)!));
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
      layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha(l), size: l.length })),
    });
    const index = { schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha(manifest), size: manifest.length, annotations: { 'io.containerd.image.name': 'docker.io/library/ocitest:v1', 'org.opencontainers.image.ref.name': 'v1' } }] };
    const archive = await packArchive([
      { name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' },
      { name: 'index.json', data: JSON.stringify(index) },
      { name: blob(sha(manifest)), data: manifest },
      { name: blob(sha(config)), data: config },
      ...layers.map((l) => ({ name: blob(sha(l)), data: l })),
    ]);
    writeFileSync(join(work, 'oci.tar'), archive);
    expect((await engine.docker(['rmi', busybox])).code).toBe(0);
    const load = await engine.docker(['load', '-i', join(work, 'oci.tar')]);
    expect(load.code, load.stderr).toBe(0);
    expect(load.stdout).toContain('Loaded image: ocitest:v1');
    const run = await engine.docker(['run', '--rm', 'ocitest:v1', 'echo', 'oci-ok']);
    expect(run.stdout.trim(), run.stderr).toBe('oci-ok');
    expect((await engine.docker(['tag', 'ocitest:v1', busybox])).code).toBe(0);
  });

  it('rejects corrupt archives with a 400 and stores nothing', async () => {
    const { engine } = fx;
    const before = stored();
    const files = await unpackArchive(readFileSync(join(work, 'one.tar')));
    const [entry] = JSON.parse(files.get('manifest.json')!.toString()) as Array<{ Config: string; Layers: string[] }>;
    const cases: Array<[string, ArchiveEntry[], RegExp]> = [
      ['bad JSON', [{ name: 'manifest.json', data: '[{not json' }], /not valid JSON/],
      ['missing blob', [{ name: 'manifest.json', data: JSON.stringify([{ Config: 'c.json', RepoTags: ['broken:v1'], Layers: ['nope/layer.tar'] }]) }, { name: 'c.json', data: files.get(entry.Config)! }], /missing/],
      [
        'layer that does not match its diff ID',
        [
          { name: 'manifest.json', data: JSON.stringify([{ Config: 'c.json', RepoTags: ['broken:v1'], Layers: ['l/layer.tar'] }]) },
          { name: 'c.json', data: files.get(entry.Config)!.toString().replace(/sha256:[a-f0-9]{64}/, `sha256:${'0'.repeat(64)}`) },
          { name: 'l/layer.tar', data: files.get(entry.Layers[0])! },
        ],
        /diff ID mismatch/,
      ],
    ];
    for (const [what, entries, message] of cases) {
      const path = join(work, 'corrupt.tar');
      writeFileSync(path, await packArchive(entries));
      const load = await engine.docker(['load', '-i', path]);
      expect(load.code, what).not.toBe(0);
      expect(load.stderr, what).toMatch(message);
    }
    expect(stored()).toEqual(before);
    expect((await engine.docker(['images', '-q', 'broken'])).stdout.trim()).toBe('');
  });

  it('rejects hostile archives (../ paths, symlinks out) and writes nothing outside the store', async () => {
    const { engine } = fx;
    const before = stored();
    const escape = join(dirname(engine.dataRoot), 'escaped-by-load');
    const cases: Array<[string, ArchiveEntry[], RegExp]> = [
      ['../ entry', [{ name: '../../escaped-by-load', data: 'x' }, { name: 'manifest.json', data: '[]' }], /outside the archive/],
      [
        'symlink out',
        [
          { name: 'link', symlink: '../../../../etc' },
          { name: 'manifest.json', data: JSON.stringify([{ Config: 'link/hostname', RepoTags: ['evil:v1'], Layers: [] }]) },
        ],
        /outside the archive/,
      ],
    ];
    for (const [what, entries, message] of cases) {
      const path = join(work, 'hostile.tar');
      writeFileSync(path, await packArchive(entries));
      const load = await engine.docker(['load', '-i', path]);
      expect(load.code, what).not.toBe(0);
      expect(load.stderr, what).toMatch(message);
    }
    expect(existsSync(escape)).toBe(false);
    expect(stored()).toEqual(before);
    expect(readdirSync(join(engine.dataRoot, 'tmp', 'images'))).toEqual([]);
  });
});

describe('docker import / commit', () => {
  it('imports a rootfs tarball with -c and -m, then runs it', async () => {
    const { engine, busybox } = fx;
    expect((await engine.docker(['create', '--name', 'to-export', busybox])).code).toBe(0);
    const rootfs = join(work, 'rootfs.tar');
    expect((await engine.docker(['export', '-o', rootfs, 'to-export'])).code).toBe(0);
    const imported = await engine.docker(['import', '-c', 'CMD ["echo","imported-ok"]', '-m', 'from a tarball', rootfs, 'imported:v1']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout.trim()).toMatch(/^sha256:[a-f0-9]{64}$/);
    const run = await engine.docker(['run', '--rm', 'imported:v1']);
    expect(run.stdout.trim(), run.stderr).toBe('imported-ok');
    const history = await engine.docker(['history', '--format', '{{.Comment}}', 'imported:v1']);
    expect(history.stdout).toContain('from a tarball');
  });

  it('commits a container with -c CMD and -m; the image keeps its changes and deletions', async () => {
    const { engine, busybox } = fx;
    const made = await engine.docker(['run', '--name', 'to-commit', busybox, 'sh', '-c', 'echo committed-data > /data.txt && rm /bin/vi']);
    expect(made.code, made.stderr).toBe(0);
    const commit = await engine.docker(['commit', '-c', 'CMD ["cat","/data.txt"]', '-c', 'ENV FOO=bar', '-m', 'my commit message', 'to-commit', 'committed:v1']);
    expect(commit.code, commit.stderr).toBe(0);
    expect(commit.stdout.trim()).toMatch(/^sha256:[a-f0-9]{64}$/);
    const run = await engine.docker(['run', '--rm', 'committed:v1']);
    expect(run.stdout.trim(), run.stderr).toBe('committed-data');
    const env = await engine.docker(['run', '--rm', 'committed:v1', 'sh', '-c', 'echo $FOO; ls /bin/vi || echo gone']);
    expect(env.stdout).toContain('bar');
    expect(env.stdout).toContain('gone');
    const history = await engine.docker(['history', '--format', '{{.Comment}}', 'committed:v1']);
    expect(history.stdout.split('\n')[0]).toBe('my commit message');
    const bad = await engine.docker(['commit', '-c', 'RUN echo no', 'to-commit']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/not a valid change command/);
  });
});

describe('docker push / login', () => {
  let registry: LocalRegistry;
  let locked: LocalRegistry;
  afterAll(async () => {
    await registry?.stop();
    await locked?.stop();
  });

  it('pushes to a fresh repository, mounts into a second one, and pulls it back into a fresh engine', async () => {
    const { engine, busybox } = fx;
    registry = await startLocalRegistry();
    const one = `${registry.host}/push/one:v1`;
    const two = `${registry.host}/push/two:v1`;
    expect((await engine.docker(['tag', busybox, one])).code).toBe(0);
    const first = await engine.docker(['push', one]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`The push refers to repository [${registry.host}/push/one]`);
    expect(first.stdout).toContain('Pushed');
    expect(first.stdout).toMatch(/v1: digest: sha256:[a-f0-9]{64} size: \d+/);

    expect((await engine.docker(['tag', busybox, two])).code).toBe(0);
    const second = await engine.docker(['push', two]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('Mounted from push/one');
    const again = await engine.docker(['push', two]);
    expect(again.stdout).toContain('Layer already exists');

    // A layer big enough for several PATCH chunks (the fresh engine uploads in 64 KiB chunks).
    const fresh = await startEngine({ registryHost: registry.host, extraEnv: { BERTH_PUSH_CHUNK_SIZE: '65536' } });
    try {
      const pull = await fresh.docker(['pull', two]);
      expect(pull.code, pull.stderr).toBe(0);
      const run = await fresh.docker(['run', '--name', 'big', two, 'sh', '-c', 'head -c 300000 /dev/urandom > /big.bin && md5sum /big.bin']);
      expect(run.code, run.stderr).toBe(0);
      const chunked = `${registry.host}/push/chunked:v1`;
      expect((await fresh.docker(['commit', 'big', chunked])).code).toBe(0);
      const push = await fresh.docker(['push', chunked]);
      expect(push.code, push.stderr).toBe(0);
      expect(push.stdout).toContain('Pushed');
      const back = await engine.docker(['run', '--rm', chunked, 'md5sum', '/big.bin']);
      expect(back.stdout.trim(), back.stderr).toBe(run.stdout.trim());
    } finally {
      await fresh.stop();
    }
  });

  it('logs in to a registry with Basic auth; push works only after login', async () => {
    const { engine, busybox } = fx;
    // bcrypt of "s3cret" (python3 crypt.METHOD_BLOWFISH), as htpasswd -B writes it.
    locked = await startLocalRegistry({ htpasswd: 'alice:$2b$12$OKhJFRbSmpUzSfAVzWbNn.mqPk4JWn2X5O4KQ2S6/o/n5Mj/A8kga\n' });
    const config = mkdtempSync(join(work, 'docker-config-'));
    const env = { DOCKER_CONFIG: config };
    const ref = `${locked.host}/private/app:v1`;
    expect((await engine.docker(['tag', busybox, ref])).code).toBe(0);
    const denied = await engine.docker(['push', ref], { env });
    expect(denied.code).not.toBe(0);
    expect(denied.stdout + denied.stderr).toMatch(/unauthorized|authentication required/);

    const wrong = await engine.docker(['login', locked.host, '-u', 'alice', '--password-stdin'], { env, input: 'nope\n' });
    expect(wrong.code).not.toBe(0);
    // dockerd's answer to a refused login, word for word.
    expect(wrong.stderr).toContain(`Error response from daemon: login attempt to http://${locked.host}/v2/ failed with status: 401 Unauthorized`);
    const login = await engine.docker(['login', locked.host, '-u', 'alice', '--password-stdin'], { env, input: 's3cret\n' });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain('Login Succeeded');

    const push = await engine.docker(['push', ref], { env });
    expect(push.code, push.stdout + push.stderr).toBe(0);
    expect(push.stdout).toMatch(/v1: digest: sha256:/);
    expect((await engine.docker(['logout', locked.host], { env })).code).toBe(0);
  });
});
