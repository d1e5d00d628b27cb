// docker cp, docker diff and docker export through the real docker CLI (and hostile archives
// through the raw API): the file operations work on running and stopped containers alike, and
// nothing an archive or a container symlink says can write outside the container.
import { chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { useEngineWithBusybox } from './support/engine-fixture.ts';
import { readTar } from './support/tar-read.ts';
import { rawApi } from './support/raw-api.ts';

const fixture = useEngineWithBusybox();
const docker = (...args: string[]) => fixture.engine.docker(args);
const scratch = () => mkdtempSync(join(fixture.engine.dir, 'cp-'));

/** A running container to copy into and out of. */
async function runningContainer(name: string, ...flags: string[]): Promise<void> {
  const run = await docker('run', '-d', '--network=none', '--name', name, ...flags, fixture.busybox, 'sleep', '300');
  expect(run.code, run.stderr).toBe(0);
}

async function exec(name: string, script: string): Promise<string> {
  const result = await docker('exec', name, 'sh', '-c', script);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

/** One raw API call over the engine's socket; bodies are tar archives here. */
const api = (method: string, path: string, body?: Buffer) => rawApi(fixture.engine.socket, method, path, body, 'application/x-tar');

type TarItem = { name: string; type?: 'file' | 'directory' | 'symlink'; linkname?: string; content?: string };
async function buildTar(items: TarItem[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of p) chunks.push(c as Buffer);
  })();
  for (const item of items) {
    await new Promise<void>((resolve, reject) => {
      const header = { name: item.name, type: item.type ?? 'file', linkname: item.linkname, mode: item.type === 'directory' ? 0o755 : 0o644 };
      p.entry(header, item.content ?? '', (error) => (error ? reject(error) : resolve()));
    });
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

describe('docker cp host → container', () => {
  it('copies a file and a directory, into a directory with and without a trailing slash, and "dir/." copies the contents', async () => {
    await runningContainer('cp-in');
    const dir = scratch();
    writeFileSync(join(dir, 'note.txt'), 'hello cp\n');
    mkdirSync(join(dir, 'tree/sub'), { recursive: true });
    writeFileSync(join(dir, 'tree/sub/leaf.txt'), 'leaf\n');
    expect((await docker('cp', join(dir, 'note.txt'), 'cp-in:/tmp/')).code).toBe(0);
    expect((await docker('cp', join(dir, 'note.txt'), 'cp-in:/tmp/renamed.txt')).code).toBe(0);
    expect((await docker('cp', join(dir, 'tree'), 'cp-in:/srv')).code).toBe(0); // /srv missing: becomes the copy
    expect((await docker('cp', join(dir, 'tree'), 'cp-in:/tmp')).code).toBe(0); // existing dir: tree goes inside
    expect((await docker('cp', `${join(dir, 'tree')}/.`, 'cp-in:/var')).code).toBe(0); // contents only
    const out = await exec('cp-in', 'cat /tmp/note.txt /tmp/renamed.txt /srv/sub/leaf.txt /tmp/tree/sub/leaf.txt /var/sub/leaf.txt');
    expect(out).toBe('hello cp\nhello cp\nleaf\nleaf\nleaf\n');
  });

  it('keeps the tar\'s uid/gid, and with -a gives everything to the container user (dockerd copyUIDGID)', async () => {
    const create = await docker('create', '--network=none', '--name', 'cp-owner', '--user', 'app', fixture.busybox, 'sh', '-c', 'stat -c "%n %u:%g" /tmp/plain /tmp/archived');
    expect(create.code, create.stderr).toBe(0);
    const dir = scratch();
    for (const name of ['plain', 'archived']) {
      writeFileSync(join(dir, name), name);
      chownSync(join(dir, name), 1234, 5678);
    }
    expect((await docker('cp', join(dir, 'plain'), 'cp-owner:/tmp/')).code).toBe(0);
    const archived = await docker('cp', '-a', join(dir, 'archived'), 'cp-owner:/tmp/');
    expect(archived.code, archived.stderr).toBe(0);
    const ids = (await docker('run', '--rm', '--network=none', '--user', 'app', fixture.busybox, 'sh', '-c', 'echo $(id -u):$(id -g)')).stdout.trim();
    const started = await docker('start', '-a', 'cp-owner');
    expect(started.stdout).toBe(`/tmp/plain 1234:5678\n/tmp/archived ${ids}\n`);
  });

  it('copies into a stopped (never started) container, which then sees the file', async () => {
    const create = await docker('create', '--network=none', '--name', 'cp-stopped', fixture.busybox, 'cat', '/etc/greeting');
    expect(create.code, create.stderr).toBe(0);
    const dir = scratch();
    writeFileSync(join(dir, 'greeting'), 'from the host\n');
    const cp = await docker('cp', join(dir, 'greeting'), 'cp-stopped:/etc/greeting');
    expect(cp.code, cp.stderr).toBe(0);
    expect((await docker('start', '-a', 'cp-stopped')).stdout).toBe('from the host\n');
    // Left unmounted as it was found: the rootfs is not a mount point once the container exited.
    const merged = join(fixture.engine.dataRoot, 'overlay/containers', (await docker('inspect', '-f', '{{.Id}}', 'cp-stopped')).stdout.trim(), 'merged');
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(` ${merged} `);
  });

  it('writes into a volume mounted in the container, and refuses a read-only rootfs', async () => {
    await docker('create', '--network=none', '--name', 'cp-vol', '-v', 'cpvol:/data', fixture.busybox, 'true');
    const dir = scratch();
    writeFileSync(join(dir, 'in-volume'), 'volume data\n');
    const cp = await docker('cp', join(dir, 'in-volume'), 'cp-vol:/data/');
    expect(cp.code, cp.stderr).toBe(0);
    expect((await docker('run', '--rm', '--network=none', '-v', 'cpvol:/data', fixture.busybox, 'cat', '/data/in-volume')).stdout).toBe('volume data\n');
    await docker('create', '--network=none', '--name', 'cp-ro', '--read-only', fixture.busybox, 'true');
    const ro = await docker('cp', join(dir, 'in-volume'), 'cp-ro:/tmp/');
    expect(ro.code).not.toBe(0);
    expect(ro.stderr).toContain('container rootfs is marked read-only');
  });

  it('refuses to replace a file mount (a file bind mount, the engine\'s /etc/hosts) instead of dropping the copy', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'mounted'), 'original\n');
    writeFileSync(join(dir, 'new'), 'replacement\n');
    await runningContainer('cp-filemount', '-v', `${join(dir, 'mounted')}:/x/t`);
    for (const target of ['/x/t', '/etc/hosts']) {
      const before = await exec('cp-filemount', `cat ${target}`);
      const cp = await docker('cp', join(dir, 'new'), `cp-filemount:${target}`);
      // dockerd cannot unlink a mount point either; what must not happen is a success that the
      // container never sees (the file written under the mount, in the rootfs).
      expect(cp.code, `${target}: ${cp.stdout}`).not.toBe(0);
      expect(cp.stderr).toContain('device or resource busy');
      expect(await exec('cp-filemount', `cat ${target}`)).toBe(before);
    }
    expect(readFileSync(join(dir, 'mounted'), 'utf8')).toBe('original\n');
    await docker('rm', '-f', 'cp-filemount');
  });

  it('refuses to replace a directory with a file (noOverwriteDirNonDir)', async () => {
    await docker('create', '--network=none', '--name', 'cp-clash', fixture.busybox, 'true');
    const dir = scratch();
    writeFileSync(join(dir, 'etc'), 'not a directory');
    const cp = await docker('cp', join(dir, 'etc'), 'cp-clash:/');
    expect(cp.code).not.toBe(0);
    expect(cp.stderr).toContain('cannot overwrite directory "etc" with non-directory "/"');
  });
});

describe('docker cp container → host', () => {
  it('copies a file, a directory, "dir/." contents, and a symlink as a link (or its target with -L)', async () => {
    await runningContainer('cp-out');
    await exec('cp-out', 'mkdir -p /out/sub && echo one > /out/sub/one.txt && ln -s /out/sub/one.txt /out/link');
    const dir = scratch();
    expect((await docker('cp', 'cp-out:/etc/passwd', join(dir, 'passwd'))).code).toBe(0);
    expect(readFileSync(join(dir, 'passwd'), 'utf8')).toContain('root:x:0:0');
    expect((await docker('cp', 'cp-out:/out', join(dir, 'copy'))).code).toBe(0);
    expect(readFileSync(join(dir, 'copy/sub/one.txt'), 'utf8')).toBe('one\n');
    mkdirSync(join(dir, 'contents'));
    expect((await docker('cp', 'cp-out:/out/sub/.', join(dir, 'contents'))).code).toBe(0);
    expect(readFileSync(join(dir, 'contents/one.txt'), 'utf8')).toBe('one\n');
    expect((await docker('cp', 'cp-out:/out/link', join(dir, 'link'))).code).toBe(0);
    expect(lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link'))).toBe('/out/sub/one.txt');
    expect((await docker('cp', '-L', 'cp-out:/out/link', join(dir, 'followed'))).code).toBe(0);
    expect(readFileSync(join(dir, 'followed'), 'utf8')).toBe('one\n');
  });

  it('reports the stat header with Go FileMode bits and a resolved link target', async () => {
    await runningContainer('cp-stat');
    const head = await api('HEAD', '/v1.47/containers/cp-stat/archive?path=/etc/passwd');
    expect(head.status).toBe(200);
    const stat = JSON.parse(Buffer.from(String(head.headers['x-docker-container-path-stat']), 'base64').toString());
    const size = Number((await exec('cp-stat', 'stat -c %s /etc/passwd')).trim());
    expect(stat).toMatchObject({ name: 'passwd', size, mode: 0o644, linkTarget: '' });
    const dir = JSON.parse(Buffer.from(String((await api('HEAD', '/v1.47/containers/cp-stat/archive?path=/etc/')).headers['x-docker-container-path-stat']), 'base64').toString());
    expect(dir).toMatchObject({ name: 'etc', mode: 2 ** 31 + 0o755 });
    expect(dir.mtime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    await exec('cp-stat', 'ln -s ../etc/passwd /tmp/pw');
    const link = JSON.parse(Buffer.from(String((await api('HEAD', '/v1.47/containers/cp-stat/archive?path=/tmp/pw')).headers['x-docker-container-path-stat']), 'base64').toString());
    expect(link).toMatchObject({ name: 'pw', mode: 2 ** 27 + 0o777, linkTarget: '/etc/passwd' });
  });

  it('says clearly when the path does not exist', async () => {
    await runningContainer('cp-missing');
    const cp = await docker('cp', 'cp-missing:/no/such/file', scratch());
    expect(cp.code).toBe(1);
    expect(cp.stderr).toContain('No such container:path: cp-missing:/no/such/file');
    expect((await api('HEAD', '/v1.47/containers/cp-missing/archive?path=/nope')).status).toBe(404);
    expect((await api('GET', '/v1.47/containers/cp-missing/archive')).status).toBe(400);
  });
});

describe('hostile archives (PUT /containers/{id}/archive)', () => {
  it('rejects a ../ entry and keeps writes through planted symlinks inside the rootfs', async () => {
    await runningContainer('cp-hostile');
    const outside = scratch(); // a real host directory an attacker would like to write into
    const escape = await api('PUT', '/v1.47/containers/cp-hostile/archive?path=/tmp&noOverwriteDirNonDir=true', await buildTar([{ name: '../../../../escaped', content: 'x' }]));
    expect(escape.status).toBe(400);
    expect(escape.body.toString()).toContain('invalid entry name');
    const planted = await buildTar([
      { name: 'abs', type: 'symlink', linkname: outside },
      { name: 'abs/pwned', content: 'through an absolute link' },
      { name: 'rel', type: 'symlink', linkname: '../../../../../../..' + outside },
      { name: 'rel/pwned-rel', content: 'through a relative link' },
    ]);
    const put = await api('PUT', '/v1.47/containers/cp-hostile/archive?path=/tmp&noOverwriteDirNonDir=true', planted);
    expect(put.status, put.body.toString()).toBe(200);
    expect(existsSync(join(outside, 'pwned'))).toBe(false);
    expect(existsSync(join(outside, 'pwned-rel'))).toBe(false);
    // Both landed where the container itself would resolve them: inside its own filesystem.
    expect(await exec('cp-hostile', `cat ${outside}/pwned ${outside}/pwned-rel`)).toBe('through an absolute linkthrough a relative link');
    // A container symlink as the destination resolves inside the container too.
    await exec('cp-hostile', `ln -s ${outside} /tmp/dest-link`);
    const viaDest = await api('PUT', '/v1.47/containers/cp-hostile/archive?path=/tmp/dest-link', await buildTar([{ name: 'via-dest', content: 'contained' }]));
    expect(viaDest.status).toBe(200);
    expect(existsSync(join(outside, 'via-dest'))).toBe(false);
    expect(await exec('cp-hostile', `cat ${outside}/via-dest`)).toBe('contained');
  });

  it('answers 404 for a missing destination and 400 for a file destination', async () => {
    await runningContainer('cp-dest');
    const tar = await buildTar([{ name: 'x', content: 'x' }]);
    const missing = await api('PUT', '/v1.47/containers/cp-dest/archive?path=/no/where', tar);
    expect(missing.status).toBe(404);
    expect(missing.body.toString()).toContain('Could not find the file /no/where in container cp-dest');
    const file = await api('PUT', '/v1.47/containers/cp-dest/archive?path=/etc/passwd', tar);
    expect(file.status).toBe(400);
    expect(file.body.toString()).toContain('extraction point is not a directory');
  });
});

describe('docker diff', () => {
  it('lists added, changed and deleted paths as dockerd does, without the engine-managed /etc files', async () => {
    const run = await docker('run', '--network=none', '--name', 'differ', fixture.busybox, 'sh', '-c',
      'echo new > /created.txt && echo "extra:x:4242:4242::/:/bin/sh" >> /etc/passwd && rm /bin/vi');
    expect(run.code, run.stderr).toBe(0);
    const diff = await docker('diff', 'differ');
    expect(diff.code, diff.stderr).toBe(0);
    const lines = diff.stdout.trim().split('\n');
    expect(lines).toEqual(expect.arrayContaining(['A /created.txt', 'C /etc', 'C /etc/passwd', 'C /bin', 'D /bin/vi']));
    expect(diff.stdout).not.toMatch(/\/etc\/(hosts|hostname|resolv\.conf)/);
    expect(lines).toHaveLength(5);
    const fresh = await docker('run', '--network=none', '--name', 'differ-none', fixture.busybox, 'true');
    expect(fresh.code).toBe(0);
    expect((await docker('diff', 'differ-none')).stdout).toBe('');
  });
});

describe('docker export', () => {
  it('exports the container filesystem as a tar that lists /bin/busybox and the created file', async () => {
    const run = await docker('run', '--network=none', '--name', 'exporter', '-v', 'exportvol:/data', fixture.busybox, 'sh', '-c', 'echo kept > /made.txt && ln /made.txt /made.txt.link && echo hidden > /data/in-volume');
    expect(run.code, run.stderr).toBe(0);
    const file = join(scratch(), 'export.tar');
    const exported = await docker('export', '-o', file, 'exporter');
    expect(exported.code, exported.stderr).toBe(0);
    const entries = await readTar(readFileSync(file), true);
    const byName = new Map(entries.map((e) => [e.name, e]));
    expect(byName.get('bin/busybox')?.type).toBe('file');
    expect(byName.get('made.txt')?.content?.toString()).toBe('kept\n');
    expect(byName.get('bin/')?.type).toBe('directory');
    // Hard links stay links (go-archive does the same): the bytes are in the archive once.
    expect(byName.get('made.txt.link')).toMatchObject({ type: 'link', linkname: 'made.txt' });
    // The volume's content is not the container's filesystem.
    expect(byName.has('data/in-volume')).toBe(false);
  });
});
