// The backend's calls against a real berthd: containers, files, images, volumes, networks, engine
// status and endpoints, with the bad input the renderer might send.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until, useEngineWithBusybox } from '../../../../engine/test/support/engine-fixture.ts';
import { createDesktopBackend } from '../create-desktop-backend.ts';
import type { BackendCalls } from '../desktop-backend.ts';
import { parseStatListing } from './container-files.ts';

const fixture = useEngineWithBusybox();
let settingsDir: string;
let backend: ReturnType<typeof createDesktopBackend>;
let calls: BackendCalls;
const prefix = `bk${process.pid}`;

/** Calls through an `unknown` signature, as the wire does: arguments are whatever JSON arrived. */
function raw(name: keyof BackendCalls, ...args: unknown[]): Promise<unknown> {
  return Promise.resolve().then(() => (calls[name] as (...a: unknown[]) => unknown)(...args));
}

async function status(promise: Promise<unknown>): Promise<{ statusCode?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { statusCode?: number; message: string };
  }
  throw new Error('expected the call to fail');
}

beforeAll(() => {
  settingsDir = mkdtempSync(join(tmpdir(), 'berth-backend-settings-'));
  backend = createDesktopBackend({ settingsDir, endpoint: `unix://${fixture.engine.socket}`, hostTerminal: false, shell: 'dashboard' });
  calls = backend.calls;
});

afterAll(async () => {
  // What the tests made, removed through the backend while it still runs (the engine's own stop
  // would remove it too; this keeps a failed run's leftovers from depending on that).
  if (calls) {
    for (const c of await Promise.resolve(calls.listContainers()).catch(() => [])) {
      if (c.Names.some((n) => n.startsWith(`/${prefix}`))) await raw('removeContainer', c.Id, { force: true, volumes: true }).catch(() => {});
    }
    await raw('removeVolume', `${prefix}-data`, { force: true }).catch(() => {});
  }
  await backend?.dispose();
  rmSync(settingsDir, { recursive: true, force: true });
});

describe('engine', () => {
  it('reports a running engine with its version and DOCKER_HOST line', async () => {
    const s = await calls.engineStatus();
    expect(s.state).toBe('running');
    expect(s.version?.ApiVersion).toMatch(/^1\.\d+$/);
    expect(s.dockerHostLine).toBe(`export DOCKER_HOST=unix://${fixture.engine.socket}`);
    expect(s.controllable).toBe(false);
  });

  it('reports capabilities from the options', async () => {
    expect(await calls.capabilities()).toEqual({ hostTerminal: false, platform: process.platform, shell: 'dashboard' });
  });

  it('refuses engine start/stop without a local engine to control', async () => {
    const error = await status(raw('engineControl', 'stop'));
    expect(error.statusCode).toBe(409);
    expect(error.message).toMatch(/cannot stop/);
    expect((await status(raw('engineControl', 'explode'))).statusCode).toBe(400);
  });

  it('sums /system/df into disk usage', async () => {
    await calls.createVolume({ name: `${prefix}-df` });
    const usage = await calls.diskUsage();
    expect(usage.images.count).toBe((await calls.listImages()).length);
    expect(usage.images.size).toBeGreaterThan(0);
    const volumes = await calls.listVolumes();
    expect(volumes.some((v) => v.Name === `${prefix}-df`)).toBe(true);
    expect(usage.volumes.count).toBe(volumes.length);
    await calls.removeVolume(`${prefix}-df`, { force: false });
  });
});

describe('endpoints', () => {
  it('rejects malformed endpoint URLs with 400', async () => {
    for (const url of ['http://x', 'unix://relative.sock', 'tcp://host', 'tcp://host:99999', 42, '']) {
      const error = await status(raw('selectEndpoint', url));
      expect(error.statusCode, String(url)).toBe(400);
      // The accepted forms, ssh:// included since the backend dials it.
      expect(error.message).toMatch(/unix:\/\/\/absolute\/path\/to\/docker\.sock, tcp:\/\/host:port or ssh:\/\/\[user@\]host\[:port\]/);
    }
  });

  it('switches to a missing socket (stopped), remembers it, and switches back', async () => {
    const missing = join(settingsDir, 'nothing.sock');
    const s = await calls.selectEndpoint(`unix://${missing}`);
    expect(s.state).toBe('stopped');
    expect(s.message).toMatch(/does not exist/);
    const failed = await status(raw('listContainers'));
    expect(failed.statusCode).toBe(503);
    const list = await calls.listEndpoints();
    expect(list.current).toBe(`unix://${missing}`);
    expect(list.endpoints.map((e) => e.url)).toContain(`unix://${missing}`);

    // A new backend on the same settings starts on the stored choice.
    const again = createDesktopBackend({ settingsDir, hostTerminal: false, shell: 'dashboard' });
    expect((await again.calls.listEndpoints()).current).toBe(`unix://${missing}`);
    await again.dispose();

    expect((await calls.selectEndpoint(`unix://${fixture.engine.socket}`)).state).toBe('running');
    // Talking to the fixture's engine again: its busybox is listed.
    expect((await calls.listImages()).some((i) => i.RepoTags?.includes(fixture.busybox))).toBe(true);
  });
});

describe('containers', () => {
  it('runs a container from a RunSpec with ports, env, a volume and a name', async () => {
    const name = `${prefix}-web`;
    const result = await calls.runContainer({
      image: fixture.busybox, name, command: ['sh', '-c', 'trap "exit 0" TERM; echo started; while sleep 1; do :; done'],
      env: ['GREETING=hi'], ports: [{ containerPort: 80, protocol: 'tcp' }],
      volumes: [{ source: `${prefix}-data`, target: '/data', readOnly: false }],
    });
    expect(result.id).toMatch(/^[0-9a-f]{64}$/);
    const info = await calls.inspectContainer(name) as { State: { Running: boolean }; Config: { Env: string[] }; HostConfig: { PortBindings: Record<string, unknown> } };
    expect(info.State.Running).toBe(true);
    expect(info.Config.Env).toContain('GREETING=hi');
    expect(Object.keys(info.HostConfig.PortBindings)).toEqual(['80/tcp']);
    const listed = await calls.listContainers();
    expect(listed.find((c) => c.Id === result.id)?.State).toBe('running');
  });

  it('rejects bad RunSpecs with 400 naming the field', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /image is required/],
      [{ image: fixture.busybox, name: '-bad' }, /container name/],
      [{ image: fixture.busybox, ports: [{ containerPort: 70000, protocol: 'tcp' }] }, /ports\[0\]\.containerPort/],
      [{ image: fixture.busybox, volumes: [{ source: 'v1', target: 'relative', readOnly: false }] }, /volumes\[0\]\.target/],
      [{ image: fixture.busybox, env: 'A=1' }, /env must be a list/],
      ['not an object', /run spec must be an object/],
    ];
    for (const [spec, message] of cases) {
      const error = await status(raw('runContainer', spec));
      expect(error.statusCode, JSON.stringify(spec)).toBe(400);
      expect(error.message).toMatch(message);
    }
  });

  it('removes the container when start fails, and reports the engine message', async () => {
    const name = `${prefix}-nostart`;
    const error = await status(raw('runContainer', { image: fixture.busybox, name, command: ['/no/such/binary'] }));
    expect(error.message).toMatch(/could not start.*removed/);
    expect((await status(raw('inspectContainer', name))).statusCode).toBe(404);
  });

  it('performs actions and passes engine errors through with their status', async () => {
    const name = `${prefix}-web`;
    await calls.containerAction(name, 'pause');
    expect((await calls.inspectContainer(name) as { State: { Paused: boolean } }).State.Paused).toBe(true);
    await calls.containerAction(name, 'unpause');
    await calls.containerAction(name, 'restart');
    await calls.containerAction(name, 'stop');
    expect((await calls.inspectContainer(name) as { State: { Running: boolean } }).State.Running).toBe(false);
    const kill = await status(raw('containerAction', name, 'kill'));
    expect(kill.statusCode).toBe(409);
    expect((await status(raw('containerAction', name, 'explode'))).statusCode).toBe(400);
    expect((await status(raw('containerAction', `${prefix}-missing`, 'start'))).statusCode).toBe(404);
    await calls.containerAction(name, 'start');
  });

  it('answers 404 for an unknown container and 400 for a non-string id', async () => {
    const missing = await status(raw('inspectContainer', 'no-such-container-here'));
    expect(missing.statusCode).toBe(404);
    expect(missing.message).toMatch(/No such container/);
    expect((await status(raw('inspectContainer', { id: 1 }))).statusCode).toBe(400);
    expect((await status(raw('removeContainer', 'x', 'force'))).statusCode).toBe(400);
  });
});

describe('container files', () => {
  it("parses what busybox's find and stat print for a directory", async () => {
    const out = await fixture.engine.docker(['exec', `${prefix}-web`, 'find', '/etc/.', '-maxdepth', '1', '-exec', 'stat', '-c', '%f/%s/%Y/%n\n%N', '{}', '+']);
    expect(out.code, out.stderr).toBe(0);
    const { self, entries } = parseStatListing('/etc', out.stdout);
    expect(self).toBe('dir');
    expect(entries.find((e) => e.name === 'passwd')).toMatchObject({ path: '/etc/passwd', type: 'file', mode: 0o644 });
    const root = parseStatListing('/', (await fixture.engine.docker(['exec', `${prefix}-web`, 'find', '/.', '-maxdepth', '1', '-exec', 'stat', '-c', '%f/%s/%Y/%n\n%N', '{}', '+'])).stdout);
    expect(root.entries.find((e) => e.name === 'bin')?.type).toBe('dir');
  });

  it('lists a running container directory through exec', async () => {
    const listing = await calls.listContainerFiles(`${prefix}-web`, '/etc/../etc/');
    expect(listing.path).toBe('/etc');
    const passwd = listing.entries.find((e) => e.name === 'passwd');
    expect(passwd).toMatchObject({ path: '/etc/passwd', type: 'file' });
    expect(passwd!.size).toBeGreaterThan(0);
    expect(passwd!.modified).toBeGreaterThan(0);
    const root = await calls.listContainerFiles(`${prefix}-web`, '/');
    expect(root.entries.map((e) => e.name)).toEqual(expect.arrayContaining(['bin', 'etc', 'data']));
    expect(root.entries.find((e) => e.name === 'bin')?.type).toBe('dir');
  });

  it('lists a stopped container from the archive', async () => {
    const name = `${prefix}-stopped`;
    const { id } = await calls.runContainer({ image: fixture.busybox, name, command: ['sh', '-c', 'mkdir -p /x/sub && echo hi > /x/f && ln -s f /x/l'] });
    await until(async () => !(await calls.inspectContainer(id) as { State: { Running: boolean } }).State.Running);
    const listing = await calls.listContainerFiles(id, '/x');
    const byName = Object.fromEntries(listing.entries.map((e) => [e.name, e]));
    expect(Object.keys(byName).sort()).toEqual(['f', 'l', 'sub']);
    expect(byName.f).toMatchObject({ type: 'file', size: 3, path: '/x/f' });
    expect(byName.sub.type).toBe('dir');
    expect(byName.l).toMatchObject({ type: 'symlink', linkTarget: 'f' });
    const file = await calls.readContainerFile(id, '/x/f');
    expect(Buffer.from(file.base64, 'base64').toString()).toBe('hi\n');
    expect(file).toMatchObject({ name: 'f', size: 3 });
    await calls.removeContainer(id, { force: true, volumes: false });
  });

  it('reads a file, refuses directories and relative paths', async () => {
    const file = await calls.readContainerFile(`${prefix}-web`, '/etc/hostname');
    expect(Buffer.from(file.base64, 'base64').toString().trim().length).toBeGreaterThan(0);
    const dir = await status(raw('readContainerFile', `${prefix}-web`, '/etc'));
    expect(dir.statusCode).toBe(400);
    expect(dir.message).toMatch(/is a directory/);
    expect((await status(raw('listContainerFiles', `${prefix}-web`, 'etc'))).statusCode).toBe(400);
    expect((await status(raw('listContainerFiles', `${prefix}-web`, '/etc/passwd'))).statusCode).toBe(400);
    expect((await status(raw('readContainerFile', `${prefix}-web`, '/no/such/file'))).statusCode).toBe(404);
  });
});

describe('images', () => {
  it('lists, inspects, tags, shows history and removes', async () => {
    const images = await calls.listImages();
    expect(images.some((i) => i.RepoTags?.includes(fixture.busybox))).toBe(true);
    const info = await calls.inspectImage(fixture.busybox) as { Id: string };
    expect(info.Id).toMatch(/^sha256:/);
    expect((await calls.imageHistory(fixture.busybox)).length).toBeGreaterThan(0);
    await calls.tagImage(fixture.busybox, `${prefix}/copy`, 'v1');
    expect((await calls.listImages()).some((i) => i.RepoTags?.includes(`${prefix}/copy:v1`))).toBe(true);
    const removed = await calls.removeImage(`${prefix}/copy:v1`, { force: false });
    expect(removed.untagged).toContain(`${prefix}/copy:v1`);
    expect(removed.deleted).toEqual([]);
    expect((await status(raw('tagImage', fixture.busybox, 'Bad Repo', 'v1'))).statusCode).toBe(400);
    expect((await status(raw('tagImage', fixture.busybox, `${prefix}/copy`, '-bad'))).statusCode).toBe(400);
    expect((await status(raw('inspectImage', 'no-such-image:nope'))).statusCode).toBe(404);
  });

  it('prunes dangling images only', async () => {
    // Two commits under one tag: the second takes the tag, the first is left dangling (no tag, no
    // container); the second stays tagged and unused, which prune must keep all the same.
    const repo = `${prefix}/prune`;
    const docker = async (args: string[]) => {
      const r = await fixture.engine.docker(args);
      expect(r.code, `docker ${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r.stdout.trim();
    };
    await docker(['create', '--name', `${prefix}-prune-src`, fixture.busybox, 'true']);
    const dangling = await docker(['commit', '--change', 'LABEL round=1', `${prefix}-prune-src`, `${repo}:v1`]);
    const tagged = await docker(['commit', '--change', 'LABEL round=2', `${prefix}-prune-src`, `${repo}:v1`]);
    await docker(['rm', `${prefix}-prune-src`]);
    expect(dangling).not.toBe(tagged);
    const before = await calls.listImages();
    expect(before.find((i) => i.Id === dangling)?.RepoTags ?? []).toEqual([]);

    const result = await calls.pruneImages();
    expect(result.deleted).toBe(1);
    const after = await calls.listImages();
    const removed = before.filter((i) => !after.some((a) => a.Id === i.Id)).map((i) => i.Id);
    expect(removed).toEqual([dangling]);
    expect(after.find((i) => i.Id === tagged)?.RepoTags).toEqual([`${repo}:v1`]);
    expect(after.some((i) => i.RepoTags?.includes(fixture.busybox))).toBe(true);
    await calls.removeImage(`${repo}:v1`, { force: false });
  });
});

describe('volumes', () => {
  it('creates, lists with usage, browses and removes a volume', async () => {
    const name = `${prefix}-vol`;
    const created = await calls.createVolume({ name, labels: { purpose: 'test' } });
    expect(created.Name).toBe(name);
    const { id } = await calls.runContainer({
      image: fixture.busybox, command: ['sh', '-c', 'mkdir /v/dir && echo data > /v/dir/file && ln -s / /v/escape'],
      volumes: [{ source: name, target: '/v', readOnly: false }],
    });
    await until(async () => !(await calls.inspectContainer(id) as { State: { Running: boolean } }).State.Running);
    const listed = (await calls.listVolumes()).find((v) => v.Name === name);
    expect(listed?.Labels).toEqual({ purpose: 'test' });
    const root = await calls.listVolumeFiles(name, '/');
    expect(root.entries.map((e) => `${e.name}:${e.type}`).sort()).toEqual(['dir:dir', 'escape:symlink']);
    const inner = await calls.listVolumeFiles(name, '/dir');
    expect(inner.entries).toEqual([expect.objectContaining({ name: 'file', path: '/dir/file', type: 'file', size: 5 })]);
    // `..` stops at the volume's root; a symlink is never followed out of it.
    expect((await calls.listVolumeFiles(name, '/../../..')).entries.length).toBe(2);
    const escape = await status(raw('listVolumeFiles', name, '/escape/etc'));
    expect(escape.statusCode).toBe(400);
    expect(escape.message).toMatch(/symbolic link/);
    expect((await status(raw('listVolumeFiles', name, 'dir'))).statusCode).toBe(400);
    const file = await calls.readVolumeFile(name, '/dir/file');
    expect(file).toMatchObject({ name: 'file', size: 5 });
    expect(Buffer.from(file.base64, 'base64').toString()).toBe('data\n');
    expect((await status(raw('readVolumeFile', name, '/dir'))).message).toMatch(/is a directory/);
    expect((await status(raw('readVolumeFile', name, '/escape/etc/passwd'))).statusCode).toBe(400);
    expect((await status(raw('readVolumeFile', name, '/escape'))).statusCode).toBe(400);
    expect((await status(raw('readVolumeFile', name, '/dir/missing'))).statusCode).toBe(404);
    await calls.removeContainer(id, { force: true, volumes: false });
    await calls.removeVolume(name, { force: false });
    expect((await calls.listVolumes()).some((v) => v.Name === name)).toBe(false);
    expect((await status(raw('createVolume', { name: 'bad name' }))).statusCode).toBe(400);
    expect((await status(raw('removeVolume', `${prefix}-nope`, { force: false }))).statusCode).toBe(404);
  });

  it('never reads a host file while a container swaps a volume directory for a symlink', async () => {
    // The CVE-2018-15664 race on volume browsing: /v/d flips between a directory and a symlink
    // to a host directory holding a marker. Resolved on the host, the link would reach it. The
    // path-based lookup leaked 2 times in 1,500 rounds here; 6,000 rounds miss it rarely.
    const host = mkdtempSync(join(fixture.engine.dir, 'vol-race-'));
    writeFileSync(join(host, 'secret'), 'HOST-ONLY-MARKER\n');
    writeFileSync(join(host, 'host-only-name'), '');
    const name = `${prefix}-race`;
    await calls.createVolume({ name });
    const { id } = await calls.runContainer({
      image: fixture.busybox,
      command: ['sh', '-c', `mkdir -p /v/d && echo inside > /v/d/secret; while true; do mv /v/d /v/x; ln -s ${host} /v/d; rm /v/d; mv /v/x /v/d; done`],
      volumes: [{ source: name, target: '/v', readOnly: false }],
    });
    let leaked = 0;
    let read = 0;
    for (let i = 0; i < 6000; i++) {
      const content = await Promise.resolve(calls.readVolumeFile(name, '/d/secret')).then((f) => Buffer.from(f.base64, 'base64').toString(), () => '');
      const listing = await Promise.resolve(calls.listVolumeFiles(name, '/d')).then((l) => l.entries.map((e) => e.name).join(','), () => '');
      if (content.includes('HOST-ONLY') || listing.includes('host-only-name')) leaked++;
      if (content === 'inside\n') read++;
    }
    await calls.removeContainer(id, { force: true, volumes: false });
    await calls.removeVolume(name, { force: true });
    expect({ leaked }).toEqual({ leaked: 0 });
    expect(read).toBeGreaterThan(0);
  }, 300_000);
});

describe('networks', () => {
  it('creates with a subnet, shows connected containers, removes', async () => {
    const name = `${prefix}-net`;
    const { id } = await calls.createNetwork({ name, subnet: '10.213.7.0/24', gateway: '10.213.7.1' });
    const network = await calls.inspectNetwork(id);
    expect(network.Name).toBe(name);
    expect(network.Driver).toBe('bridge');
    expect(network.IPAM.Config?.[0]).toMatchObject({ Subnet: '10.213.7.0/24', Gateway: '10.213.7.1' });
    const run = await calls.runContainer({ image: fixture.busybox, command: ['sleep', '300'], network: name });
    const withContainer = await calls.inspectNetwork(name);
    expect(Object.keys(withContainer.Containers ?? {})).toContain(run.id);
    expect((await calls.listNetworks()).some((n) => n.Name === name)).toBe(true);
    const busy = await status(raw('removeNetwork', name));
    expect(busy.statusCode).toBeGreaterThanOrEqual(400);
    await calls.removeContainer(run.id, { force: true, volumes: false });
    await calls.removeNetwork(name);
    expect((await status(raw('inspectNetwork', name))).statusCode).toBe(404);
    expect((await status(raw('createNetwork', { name: 'x y' }))).statusCode).toBe(400);
    expect((await status(raw('createNetwork', { name: `${prefix}-n2`, subnet: 'nope' }))).statusCode).toBe(400);
  });
});
