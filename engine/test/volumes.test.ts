// Volumes and mounts through the real docker CLI: named and anonymous volumes, copy-up, binds,
// tmpfs, --volumes-from, option-backed (tmpfs) volumes, and dockerd's errors for bad input.
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mountsUnder } from './support/engine-cleanup.ts';
import { rawApi } from './support/raw-api.ts';
import { useEngineWithBusybox } from './support/engine-fixture.ts';
import { MULTILAYER_EXPECT } from './support/test-images.ts';
import { testImage } from './support/fixtures.ts';

const fixture = useEngineWithBusybox();
const docker = (...args: string[]) => fixture.engine.docker(args);
const run = (...args: string[]) => docker('run', '--network=none', ...args);
const volumeNames = async () => (await docker('volume', 'ls', '-q')).stdout.split('\n').filter(Boolean);
const mountsOf = async (ref: string) => JSON.parse((await docker('inspect', '--format', '{{json .Mounts}}', ref)).stdout) as Array<Record<string, unknown>>;
const volumeRoot = () => join(fixture.engine.dataRoot, 'volumes');

const hostDirs: string[] = [];
const hostDir = () => {
  const dir = mkdtempSync(join(fixture.engine.dir, 'bind-'));
  hostDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of hostDirs) rmSync(d, { recursive: true, force: true });
});

describe('named volumes', () => {
  it('are created on first use with -v name:/path and keep data across containers', async () => {
    const write = await run('--rm', '-v', 'keep:/data', fixture.busybox, 'sh', '-c', 'echo persisted > /data/f');
    expect(write.code, write.stderr).toBe(0);
    const read = await run('--rm', '-v', 'keep:/data', fixture.busybox, 'cat', '/data/f');
    expect(read.stdout).toBe('persisted\n');
    expect(readFileSync(join(volumeRoot(), 'keep', '_data', 'f'), 'utf8')).toBe('persisted\n');
    const inspect = JSON.parse((await docker('volume', 'inspect', 'keep')).stdout)[0];
    expect(inspect).toMatchObject({ Name: 'keep', Driver: 'local', Scope: 'local', Mountpoint: join(volumeRoot(), 'keep', '_data') });
    expect(Date.parse(inspect.CreatedAt)).toBeGreaterThan(0);
    expect(await volumeNames()).toContain('keep');
  });

  it('support docker volume create, ls with filters, inspect, rm and rm -f', async () => {
    const created = await docker('volume', 'create', '--label', 'team=berth', '-o', 'type=tmpfs', '-o', 'device=tmpfs', '-o', 'o=size=1m', 'labelled');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout.trim()).toBe('labelled');
    // Same name and driver again: dockerd answers with the existing volume.
    expect((await docker('volume', 'create', 'labelled')).code).toBe(0);
    expect((await docker('volume', 'ls', '-q', '--filter', 'label=team=berth')).stdout.trim()).toBe('labelled');
    expect((await docker('volume', 'ls', '-q', '--filter', 'name=abell')).stdout.trim()).toBe('labelled');
    expect((await docker('volume', 'ls', '-q', '--filter', 'label=team=other')).stdout.trim()).toBe('');
    const info = JSON.parse((await docker('volume', 'inspect', 'labelled')).stdout)[0];
    expect(info.Labels).toEqual({ team: 'berth' });
    expect(info.Options).toEqual({ type: 'tmpfs', device: 'tmpfs', o: 'size=1m' });
    expect((await docker('volume', 'rm', 'labelled')).code).toBe(0);
    expect(existsSync(join(volumeRoot(), 'labelled'))).toBe(false);
    const missing = await docker('volume', 'rm', 'labelled');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('No such volume: labelled');
    // The CLI rewords a 404; the engine's own text is dockerd's.
    const missingApi = await rawApi(fixture.engine.socket, 'DELETE', '/v1.47/volumes/labelled');
    expect(missingApi.status).toBe(404);
    expect(JSON.parse(missingApi.body.toString())).toEqual({ message: 'get labelled: no such volume' });
    expect((await docker('volume', 'rm', '-f', 'labelled')).code).toBe(0);
    const badName = await docker('volume', 'create', 'a/b');
    expect(badName.stderr).toContain('includes invalid characters for a local volume name');
    const badOption = await docker('volume', 'create', '-o', 'colour=blue', 'opts');
    expect(badOption.stderr).toContain('invalid option: "colour"');
    expect(await volumeNames()).not.toContain('opts');
  });

  it('refuse removal while a container uses them (409) and allow it after', async () => {
    const id = (await run('-d', '-v', 'busy:/d', fixture.busybox, 'sleep', '60')).stdout.trim();
    const refused = await docker('volume', 'rm', 'busy');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`remove busy: volume is in use - [${id}]`);
    expect((await docker('volume', 'ls', '-q', '--filter', 'dangling=false')).stdout).toContain('busy');
    await docker('rm', '-f', id);
    expect((await docker('volume', 'ls', '-q', '--filter', 'dangling=true')).stdout).toContain('busy');
    expect((await docker('volume', 'rm', 'busy')).code).toBe(0);
  });

  it('get the image content copied up when empty, with owners, modes and links, unless nocopy', async () => {
    const image = testImage('multilayer').ref;
    const sh = (...args: string[]) => run('--rm', '--entrypoint', '/bin/sh', ...args.slice(0, -1), '-c', args.at(-1)!);
    const result = await sh('-v', 'appdata:/app', image, 'cat /app/hello.txt; readlink /app/link-to-hello; stat -c "%u:%g %a" /app/owned-by-app.txt');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`hello from layer 3\nhello.txt\n1000:1000 640\n`);
    const data = join(volumeRoot(), 'appdata', '_data');
    expect(readlinkSync(join(data, 'link-to-hello'))).toBe('hello.txt');
    expect(statSync(join(data, 'l3/hardlink.txt')).ino).toBe(statSync(join(data, 'l3/original.txt')).ino);
    const owned = lstatSync(join(data, MULTILAYER_EXPECT.owned.path.slice('/app/'.length)));
    expect([owned.uid, owned.gid, owned.mode & 0o777]).toEqual([1000, 1000, 0o640]);
    // A volume that already holds data is never overwritten.
    writeFileSync(join(data, 'hello.txt'), 'changed\n');
    expect((await sh('-v', 'appdata:/app', image, 'cat /app/hello.txt')).stdout).toBe('changed\n');
    const noCopy = await sh('-v', 'bare:/app:nocopy', image, 'ls -A /app | wc -l');
    expect(noCopy.stdout.trim()).toBe('0');
    const etc = await run('--rm', '--mount', 'type=volume,source=etcvol,target=/etc', fixture.busybox, 'cat', '/etc/group');
    expect(etc.stdout).toContain('root:x:0:');
    await docker('volume', 'rm', 'appdata', 'bare', 'etcvol');
  });
});

describe('anonymous volumes', () => {
  it('come from -v /path, are labelled anonymous, and go with rm -v but not plain rm', async () => {
    const id = (await docker('create', '-v', '/data', fixture.busybox, 'true')).stdout.trim();
    const [mount] = await mountsOf(id);
    expect(mount).toMatchObject({ Type: 'volume', Destination: '/data', Driver: 'local', RW: true });
    const name = mount.Name as string;
    expect(name).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse((await docker('volume', 'inspect', name)).stdout)[0].Labels).toEqual({ 'com.docker.volume.anonymous': '' });
    expect((await docker('rm', '-v', id)).code).toBe(0);
    expect(await volumeNames()).not.toContain(name);

    const kept = (await docker('create', '-v', '/data', fixture.busybox, 'true')).stdout.trim();
    const keptName = (await mountsOf(kept))[0].Name as string;
    await docker('rm', kept);
    expect(await volumeNames()).toContain(keptName);
    // Prune (API ≥ 1.42) takes the anonymous dangling volume and leaves named ones; the all
    // filter takes those too (what `docker volume prune -a` of a newer CLI sends).
    await docker('volume', 'create', 'named-survivor');
    const newApi = { DOCKER_API_VERSION: '1.47' };
    const prune = await fixture.engine.docker(['volume', 'prune', '-f'], { env: newApi });
    expect(prune.stdout).toContain(keptName);
    expect(await volumeNames()).toContain('named-survivor');
    expect((await fixture.engine.docker(['volume', 'prune', '-f', '--filter', 'all=true'], { env: newApi })).stdout).toContain('named-survivor');
    expect(await volumeNames()).not.toContain('named-survivor');
    // Before 1.42 prune took every unused volume, named ones included, as dockerd does.
    await docker('volume', 'create', 'named-old-api');
    expect((await docker('volume', 'prune', '-f')).stdout).toContain('named-old-api');
  });

  it('are removed with the container by --rm', async () => {
    const before = await volumeNames();
    const result = await run('--rm', '-v', '/scratch', fixture.busybox, 'sh', '-c', 'echo x > /scratch/x');
    expect(result.code, result.stderr).toBe(0);
    expect(await volumeNames()).toEqual(before);
  });
});

describe('bind mounts and tmpfs', () => {
  it('bind host directories read-write and read-only', async () => {
    const dir = hostDir();
    const rw = await run('--rm', '-v', `${dir}:/mnt`, fixture.busybox, 'sh', '-c', 'echo from-container > /mnt/out');
    expect(rw.code, rw.stderr).toBe(0);
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('from-container\n');
    const ro = await run('--rm', '-v', `${dir}:/mnt:ro`, fixture.busybox, 'sh', '-c', 'cat /mnt/out; touch /mnt/new 2>&1; true');
    expect(ro.stdout).toContain('from-container');
    expect(ro.stdout).toContain('Read-only file system');
    const file = join(dir, 'single.txt');
    writeFileSync(file, 'one file\n');
    expect((await run('--rm', '--mount', `type=bind,source=${file},target=/etc/single.txt,readonly`, fixture.busybox, 'cat', '/etc/single.txt')).stdout).toBe('one file\n');
    const inspectId = (await docker('create', '-v', `${dir}:/mnt:ro`, fixture.busybox, 'true')).stdout.trim();
    expect((await mountsOf(inspectId))[0]).toMatchObject({ Type: 'bind', Source: dir, Destination: '/mnt', Mode: 'ro', RW: false, Propagation: 'rprivate' });
    await docker('rm', inspectId);
  });

  it('create a missing host directory for -v, as dockerd does', async () => {
    const missing = join(hostDir(), 'made', 'by', 'engine');
    expect((await run('--rm', '-v', `${missing}:/m`, fixture.busybox, 'true')).code).toBe(0);
    expect(statSync(missing).isDirectory()).toBe(true);
  });

  it('mount tmpfs from --mount type=tmpfs and --tmpfs with their sizes', async () => {
    const viaMount = await run('--rm', '--mount', 'type=tmpfs,target=/fast,tmpfs-size=1m', fixture.busybox, 'grep', ' /fast ', '/proc/mounts');
    expect(viaMount.stdout).toMatch(/^tmpfs \/fast tmpfs rw,.*size=1024k/);
    const viaFlag = await run('--rm', '--tmpfs', '/run:size=1m', fixture.busybox, 'grep', ' /run ', '/proc/mounts');
    expect(viaFlag.stdout).toMatch(/^tmpfs \/run tmpfs rw,.*size=1024k/);
  });

  it('share another container\'s mounts with --volumes-from, read-only when asked', async () => {
    const dir = hostDir();
    const src = (await docker('create', '--name', 'vsrc', '-v', 'shared:/shared', '-v', `${dir}:/bound`, '-v', '/anon', fixture.busybox, 'true')).stdout.trim();
    expect((await run('--rm', '--volumes-from', 'vsrc', fixture.busybox, 'sh', '-c', 'echo hi > /shared/f && echo b > /bound/b && echo a > /anon/a')).code).toBe(0);
    const ro = await run('--rm', '--volumes-from', 'vsrc:ro', fixture.busybox, 'sh', '-c', 'cat /shared/f /bound/b /anon/a; touch /shared/g 2>&1; true');
    expect(ro.stdout).toContain('hi\nb\na\n');
    expect(ro.stdout).toContain('Read-only file system');
    const anon = (await mountsOf(src)).find((m) => m.Destination === '/anon')!.Name as string;
    // The --rm containers above asked for anonymous volumes to go, but vsrc still uses this one.
    expect(await volumeNames()).toContain(anon);
    await docker('rm', '-v', 'vsrc');
    expect(await volumeNames()).not.toContain(anon);
    await docker('volume', 'rm', 'shared');
  });
});

describe('option-backed volumes', () => {
  it('mount a tmpfs volume while a container uses it, with its size, and unmount after', async () => {
    const since = Math.floor(Date.now() / 1000) - 1;
    expect((await docker('volume', 'create', '-o', 'type=tmpfs', '-o', 'device=tmpfs', '-o', 'o=size=2m', 'tv')).code).toBe(0);
    const data = join(volumeRoot(), 'tv', '_data');
    const result = await run('--rm', '-v', 'tv:/t', fixture.busybox, 'sh', '-c', 'dd if=/dev/zero of=/t/big bs=1M count=3 2>&1; du -k /t/big');
    expect(result.stdout).toContain('No space left on device');
    expect(Number(result.stdout.trim().split('\n').at(-1)!.split(/\s+/)[0])).toBeLessThanOrEqual(2048);
    expect(mountsUnder([data])).toEqual([]);
    // Mounted for exactly as long as a container runs with it.
    const id = (await run('-d', '-v', 'tv:/t', fixture.busybox, 'sleep', '60')).stdout.trim();
    expect(mountsUnder([data])).toEqual([data]);
    await docker('rm', '-f', id);
    expect(mountsUnder([data])).toEqual([]);
    expect((await docker('volume', 'rm', 'tv')).code).toBe(0);
    const events = await docker('events', '--since', String(since), '--until', String(Math.ceil(Date.now() / 1000) + 1), '--filter', 'type=volume', '--filter', 'volume=tv', '--format', '{{.Action}}');
    const actions = events.stdout.split('\n').filter(Boolean);
    expect(actions[0]).toBe('create');
    expect(actions).toContain('mount');
    expect(actions).toContain('unmount');
    expect(actions.at(-1)).toBe('destroy');
  });

  it('bind a host directory with type=none,o=bind and leave its files alone on rm', async () => {
    const dir = hostDir();
    writeFileSync(join(dir, 'precious'), 'keep me\n');
    expect((await docker('volume', 'create', '-o', 'type=none', '-o', 'o=bind', '-o', `device=${dir}`, 'hostbacked')).code).toBe(0);
    expect((await run('--rm', '-v', 'hostbacked:/h', fixture.busybox, 'cat', '/h/precious')).stdout).toBe('keep me\n');
    expect((await docker('volume', 'rm', 'hostbacked')).code).toBe(0);
    expect(readFileSync(join(dir, 'precious'), 'utf8')).toBe('keep me\n');
  });
});

describe('across an engine restart', () => {
  it('keeps volumes, their users and their mounts, and unmounts when the last user goes', async () => {
    await docker('volume', 'create', '-o', 'type=tmpfs', '-o', 'device=tmpfs', '-o', 'o=size=1m', 'durable');
    const id = (await run('-d', '-v', 'durable:/d', '-v', 'plain:/p', fixture.busybox, 'sleep', '60')).stdout.trim();
    await fixture.engine.restart();
    const data = join(volumeRoot(), 'durable', '_data');
    expect(mountsUnder([data])).toEqual([data]);
    expect((await docker('volume', 'rm', 'plain')).stderr).toContain(`remove plain: volume is in use - [${id}]`);
    await docker('rm', '-f', id);
    expect(mountsUnder([data])).toEqual([]);
    expect((await docker('volume', 'rm', 'durable', 'plain')).code).toBe(0);
  });
});

describe('bad mount input', () => {
  it('answers 400 with dockerd\'s messages and creates nothing', async () => {
    const volumesBefore = await volumeNames();
    const containersBefore = (await docker('ps', '-aq')).stdout;
    const relative = await docker('create', '-v', 'relvol:relative', '-v', '/anon-not-made', fixture.busybox, 'true');
    expect(relative.code).not.toBe(0);
    expect(relative.stderr).toContain('invalid mount path: \'relative\' mount path must be absolute');
    const dup = await docker('create', '-v', 'dupa:/x', '-v', 'dupb:/x', fixture.busybox, 'true');
    expect(dup.stderr).toContain('Duplicate mount point: /x');
    const dupTmpfs = await docker('create', '-v', 'dupc:/run', '--tmpfs', '/run', fixture.busybox, 'true');
    expect(dupTmpfs.stderr).toContain('Duplicate mount point: /run');
    const missing = await docker('create', '--mount', 'type=bind,source=/nonexistent/berth-src,target=/x', fixture.busybox, 'true');
    expect(missing.stderr).toContain('invalid mount config for type "bind": bind source path does not exist: /nonexistent/berth-src');
    const root = await docker('create', '-v', 'rootvol:/', fixture.busybox, 'true');
    expect(root.stderr).toContain('destination can\'t be \'/\'');
    const badName = await docker('create', '-v', 'x/y:/data', '-v', '/anon-not-made', fixture.busybox, 'true');
    expect(badName.stderr).toContain('includes invalid characters for a local volume name');
    expect(await volumeNames()).toEqual(volumesBefore);
    expect((await docker('ps', '-aq')).stdout).toBe(containersBefore);
  });

  it('leaves no mount under the engine\'s data root once containers are gone', async () => {
    const ids = (await docker('ps', '-aq')).stdout.split('\n').filter(Boolean);
    if (ids.length) await docker('rm', '-f', '-v', ...ids);
    expect(mountsUnder([fixture.engine.dataRoot])).toEqual([]);
  });
});
