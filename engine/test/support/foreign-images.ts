// Images no one here made: built, committed and imported by Debian's dockerd, built by buildah and
// podman, and copied into an OCI layout by skopeo, then pushed by those tools to the test registry
// (and saved as archives). Each tool writes its configs and manifests its own way — dockerd's
// `"Env": null`, buildah's OCI manifests, podman's schema2, skopeo's layouts — which is the point:
// our own fixtures never had those habits.
//
// Making them takes tens of seconds, so what the tools pushed is kept in the fixture cache
// (registry-snapshot.ts: exact bytes) together with the archives, under a key over everything that
// shapes them: the recipes below, the busybox binary and the tools' versions. A cache entry is
// used only when every file still hashes to what was recorded; otherwise everything is rebuilt,
// so a clean machine and a stale cache both work.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDockerd } from './dockerd-fixture.ts';
import { mountsUnder, unmountAll } from './engine-cleanup.ts';
import { FIXTURE_CACHE_ROOT } from './fixture-cache.ts';
import { pushSnapshot, snapshotFromRegistry, type RegistrySnapshot } from './registry-snapshot.ts';
import { busyboxRootfs, loadBusybox } from './rootfs.ts';
import { buildTar } from './tar-layer.ts';

export const FOREIGN_IMAGE_NAMES = ['dockerd-import', 'dockerd-build', 'dockerd-commit', 'buildah-scratch', 'podman-build', 'skopeo-oci'] as const;
export type ForeignImageName = (typeof FOREIGN_IMAGE_NAMES)[number];
export const FOREIGN_ARCHIVE_NAMES = ['dockerd-save', 'skopeo-oci-archive', 'skopeo-docker-archive'] as const;
export type ForeignArchiveName = (typeof FOREIGN_ARCHIVE_NAMES)[number];

/** Recipes; any change here changes the cache key. */
const DOCKERFILE = [
  'FROM foreign/dockerd-import:latest',
  'RUN echo built-by-dockerd > /built.txt',
  'ENV GREETING=hello',
  'EXPOSE 8080 53/udp',
  'LABEL org.berth.tool=dockerd',
  'WORKDIR /srv',
  // Written as [""] in the config; dockerd resets it and runs CMD.
  'ENTRYPOINT [""]',
  'CMD ["cat", "/built.txt"]',
  '',
].join('\n');
const CONTAINERFILE = [
  'FROM localhost/foreign-buildah:latest',
  'RUN echo built-by-podman > /p.txt',
  'ENTRYPOINT ["cat"]',
  'CMD ["/p.txt"]',
  '',
].join('\n');
const BUILDAH_CONFIG = ['--cmd', '["sh", "-c", "echo from-buildah $GREETING"]', '--env', 'GREETING=buildah', '--port', '80', '--label', 'org.berth.tool=buildah'];
const COMMIT_CHANGES = ['-c', 'CMD ["cat", "/committed.txt"]', '-c', 'ENV COMMITTED=yes'];
const RECIPE_VERSION = 1;

/** What each image prints when run with its default command (checked through berthd). */
export const FOREIGN_DEFAULT_OUTPUT: Record<ForeignImageName, string | undefined> = {
  'dockerd-import': undefined, // no Cmd at all: `docker run` needs one
  'dockerd-build': 'built-by-dockerd',
  'dockerd-commit': 'committed',
  'buildah-scratch': 'from-buildah buildah',
  'podman-build': 'built-by-podman',
  'skopeo-oci': 'built-by-podman',
};

export interface ForeignFixtures {
  /** Reference in the test registry, e.g. 127.0.0.1:PORT/foreign/dockerd-build:latest. */
  images: Record<ForeignImageName, string>;
  /** Archive files (inside `dir`) and the tag each carries, if any. */
  archives: Record<ForeignArchiveName, { file: string; tag?: string }>;
  /** The tools' versions, for the report. */
  tools: Record<string, string>;
  /** Private copy of the archives; remove when done. */
  dir: string;
  fromCache: boolean;
}

interface CacheIndex {
  images: Record<ForeignImageName, RegistrySnapshot>;
  /** Archive name → sha256 of the file. */
  archives: Record<ForeignArchiveName, string>;
}

const ARCHIVE_TAGS: Record<ForeignArchiveName, string | undefined> = {
  'dockerd-save': 'foreign/dockerd-build:latest',
  'skopeo-oci-archive': 'foreign/skopeo-oci-archive:latest',
  'skopeo-docker-archive': 'foreign/skopeo-docker-archive:latest',
};

const hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

function toolVersions(): Record<string, string> {
  const version = (cmd: string) => execFileSync(cmd, ['--version'], { encoding: 'utf8' }).trim();
  return { docker: version('/usr/sbin/dockerd'), buildah: version('buildah'), podman: version('podman'), skopeo: version('skopeo') };
}

function run(cmd: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** Reads a cache entry back, or undefined when anything is missing or does not hash right. */
function readCache(dir: string): CacheIndex | undefined {
  try {
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as CacheIndex;
    for (const name of FOREIGN_IMAGE_NAMES) {
      const snap = index.images[name];
      for (const digest of [...snap.blobs, ...snap.manifests.map((m) => m.digest)]) {
        if (`sha256:${hex(readFileSync(join(dir, 'blobs', digest.slice(7))))}` !== digest) return undefined;
      }
    }
    for (const name of FOREIGN_ARCHIVE_NAMES) if (hex(readFileSync(join(dir, 'archives', `${name}.tar`))) !== index.archives[name]) return undefined;
    return index;
  } catch {
    return undefined;
  }
}

/** Builds every image with its tool, pushes it with that tool, and records it in `cacheDir`. */
async function buildAll(registry: { url: string; host: string }, work: string, cacheDir: string): Promise<CacheIndex> {
  const rootfs = join(work, 'rootfs.tar');
  writeFileSync(rootfs, await buildTar(busyboxRootfs()));
  mkdirSync(join(cacheDir, 'blobs'), { recursive: true });
  mkdirSync(join(cacheDir, 'archives'), { recursive: true });
  const archive = (name: ForeignArchiveName) => join(cacheDir, 'archives', `${name}.tar`);
  const R = registry.host;

  // Debian's dockerd: import, build (FROM the import), commit; its own push; docker save.
  const dockerd = await startDockerd();
  try {
    await dockerd.must(['import', rootfs, `${R}/foreign/dockerd-import:latest`]);
    await dockerd.must(['tag', `${R}/foreign/dockerd-import:latest`, 'foreign/dockerd-import:latest']);
    const context = join(work, 'dockerd-context');
    mkdirSync(context);
    writeFileSync(join(context, 'Dockerfile'), DOCKERFILE);
    await dockerd.must(['build', '--network', 'none', '-t', `${R}/foreign/dockerd-build:latest`, '-t', 'foreign/dockerd-build:latest', context], { timeoutMs: 180_000 });
    await dockerd.must(['run', '--name', 'to-commit', '--network', 'none', `${R}/foreign/dockerd-build:latest`, 'sh', '-c', 'echo committed > /committed.txt']);
    await dockerd.must(['commit', ...COMMIT_CHANGES, 'to-commit', `${R}/foreign/dockerd-commit:latest`]);
    await dockerd.must(['rm', 'to-commit']);
    // dockerd treats 127.0.0.0/8 registries as insecure (plain HTTP) by default.
    for (const name of ['dockerd-import', 'dockerd-build', 'dockerd-commit']) await dockerd.must(['push', `${R}/foreign/${name}:latest`], { timeoutMs: 120_000 });
    await dockerd.must(['save', '-o', archive('dockerd-save'), 'foreign/dockerd-build:latest']);
  } finally {
    await dockerd.stop();
  }

  // buildah from scratch, podman build, skopeo: one throwaway storage (vfs: no mounts to leak).
  const storage = ['--root', join(work, 'storage'), '--runroot', join(work, 'runroot'), '--storage-driver', 'vfs'];
  const env = { CONTAINERS_REGISTRIES_CONF: join(work, 'registries.conf'), TMPDIR: work };
  writeFileSync(env.CONTAINERS_REGISTRIES_CONF, 'unqualified-search-registries = []\n');
  try {
    const ctr = run('buildah', [...storage, 'from', 'scratch'], { env }).trim();
    run('buildah', [...storage, 'add', ctr, rootfs, '/'], { env });
    run('buildah', [...storage, 'config', ...BUILDAH_CONFIG, ctr], { env });
    run('buildah', [...storage, 'commit', '-q', ctr, 'localhost/foreign-buildah:latest'], { env });
    run('buildah', [...storage, 'rm', ctr], { env });
    run('buildah', [...storage, 'push', '--tls-verify=false', 'localhost/foreign-buildah:latest', `docker://${R}/foreign/buildah-scratch:latest`], { env });

    const context = join(work, 'podman-context');
    mkdirSync(context);
    writeFileSync(join(context, 'Containerfile'), CONTAINERFILE);
    const podman = ['podman', ...storage, '--cgroup-manager', 'cgroupfs', '--events-backend', 'file'];
    run(podman[0], [...podman.slice(1), 'build', '--network', 'none', '--format', 'docker', '-t', 'localhost/foreign-podman:latest', context], { env });
    run(podman[0], [...podman.slice(1), 'push', '--tls-verify=false', 'localhost/foreign-podman:latest', `docker://${R}/foreign/podman-build:latest`], { env });

    const layout = join(work, 'oci-layout');
    const source = `containers-storage:[vfs@${join(work, 'storage')}+${join(work, 'runroot')}]localhost/foreign-podman:latest`;
    run('skopeo', ['copy', source, `oci:${layout}:latest`], { env });
    run('skopeo', ['copy', '--dest-tls-verify=false', `oci:${layout}:latest`, `docker://${R}/foreign/skopeo-oci:latest`], { env });
    run('skopeo', ['copy', `oci:${layout}:latest`, `oci-archive:${archive('skopeo-oci-archive')}:${ARCHIVE_TAGS['skopeo-oci-archive']}`], { env });
    run('skopeo', ['copy', `oci:${layout}:latest`, `docker-archive:${archive('skopeo-docker-archive')}:${ARCHIVE_TAGS['skopeo-docker-archive']}`], { env });
  } finally {
    unmountAll([work]);
  }

  const write = (digest: string, data: Buffer) => writeFileSync(join(cacheDir, 'blobs', digest.slice(7)), data);
  const images = {} as CacheIndex['images'];
  for (const name of FOREIGN_IMAGE_NAMES) images[name] = await snapshotFromRegistry(registry.url, `foreign/${name}`, 'latest', write);
  const archives = {} as CacheIndex['archives'];
  for (const name of FOREIGN_ARCHIVE_NAMES) archives[name] = hex(readFileSync(archive(name)));
  const index: CacheIndex = { images, archives };
  writeFileSync(join(cacheDir, 'index.json'), JSON.stringify(index, null, 2));
  return index;
}

/** Makes (or takes from the cache) every foreign image, pushed to `registry` under foreign/<name>. */
export async function prepareForeignImages(registry: { url: string; host: string }): Promise<ForeignFixtures> {
  const tools = toolVersions();
  const key = hex(JSON.stringify({ RECIPE_VERSION, DOCKERFILE, CONTAINERFILE, BUILDAH_CONFIG, COMMIT_CHANGES, busybox: loadBusybox().sha256, tools })).slice(0, 16);
  const cacheDir = join(FIXTURE_CACHE_ROOT, `foreign-${key}`);
  const dir = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-foreign-'));
  let index = readCache(cacheDir);
  const fromCache = index !== undefined;
  if (index) {
    for (const name of FOREIGN_IMAGE_NAMES) await pushSnapshot(registry.url, index.images[name], (digest) => readFileSync(join(cacheDir, 'blobs', digest.slice(7))));
  } else {
    // Built into a fresh directory and renamed into place, so a crash never leaves half an entry.
    const building = `${cacheDir}.${process.pid}.tmp`;
    const work = mkdtempSync(join(tmpdir(), 'berth-foreign-work-'));
    rmSync(building, { recursive: true, force: true });
    try {
      index = await buildAll(registry, work, building);
      rmSync(cacheDir, { recursive: true, force: true });
      renameSync(building, cacheDir);
    } finally {
      if (mountsUnder([work]).length === 0) rmSync(work, { recursive: true, force: true });
      rmSync(building, { recursive: true, force: true });
    }
  }
  const archives = {} as ForeignFixtures['archives'];
  for (const name of FOREIGN_ARCHIVE_NAMES) {
    const file = join(dir, `${name}.tar`);
    writeFileSync(file, readFileSync(join(cacheDir, 'archives', `${name}.tar`)));
    archives[name] = { file, tag: ARCHIVE_TAGS[name] };
  }
  const images = Object.fromEntries(FOREIGN_IMAGE_NAMES.map((name) => [name, `${registry.host}/foreign/${name}:latest`])) as ForeignFixtures['images'];
  if (!existsSync(cacheDir)) throw new Error(`foreign image cache ${cacheDir} missing after build`);
  return { images, archives, tools, dir, fromCache };
}
