// Faults leave nothing behind (issue 10 item 7): an engine killed during a load or a start, or
// stopped, leaves no scratch files, mounts, runtime state, bridge, NAT chain, forwarding rule or
// veth; `rmi` of a built image takes its untagged parents with it, as dockerd does.
// The moments of the kills are conditions, never delays: a load is killed once its archive is
// half on disk (the client holds the rest back), a start once the runtime is inside `runc create`
// (a wrapper around runc waits there on a FIFO the test holds).
import { execFileSync as run, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorName } from '../src/platform/linux/network/bridge-anchor.ts';
import { until } from './support/engine-fixture.ts';
import { startEngine, type EngineHandle } from './support/engine-harness.ts';
import { DOCKER_BIN } from './support/docker-cli.ts';
import { testImage } from './support/fixtures.ts';

let engine: EngineHandle;
let busybox: string;
let hooks: string;
const holdFifo = () => join(hooks, 'hold-create');
const heldMarker = () => join(hooks, 'held');

beforeAll(async () => {
  hooks = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-fault-hooks-'));
  const runc = run('sh', ['-c', 'command -v runc'], { encoding: 'utf8' }).trim();
  // Passes every call through to runc; a `create` waits while the hold FIFO exists.
  const wrapper = join(hooks, 'runc');
  writeFileSync(
    wrapper,
    `#!/bin/sh\nfor a in "$@"; do\n  if [ "$a" = create ] && [ -p '${holdFifo()}' ]; then : > '${heldMarker()}'; cat '${holdFifo()}' > /dev/null; fi\ndone\nexec '${runc}' "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  engine = await startEngine({ extraArgs: ['--runtime', wrapper] });
  busybox = testImage('busybox').ref;
  const pull = await engine.docker(['pull', busybox]);
  expect(pull.code, pull.stderr).toBe(0);
});

afterAll(async () => {
  await engine?.stop();
  if (hooks) rmSync(hooks, { recursive: true, force: true });
});

/** Every file (not directory) below `dir`. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  // A live load renames and removes files and folders while this walks: one gone meanwhile is not
  // a file here, and a folder gone mid-walk means walking again.
  for (let attempt = 0; ; attempt++) {
    try {
      return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) => statSync(join(dir, p), { throwIfNoEntry: false })?.isFile() === true);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 10) throw error;
    }
  }
}

function mountPoints(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' ')[4].replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))));
}

function iptablesLines(prefix: string): string[] {
  return ['filter', 'nat'].flatMap((table) =>
    run('iptables', ['-w', '-t', table, '-S'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(prefix)),
  );
}

const linkExists = (name: string) => existsSync(`/sys/class/net/${name}`);

describe('engine killed mid-operation', () => {
  it('leaves no scratch files of a load after a restart', async () => {
    const archive = join(hooks, 'busybox.tar');
    const save = await engine.docker(['save', '-o', archive, busybox]);
    expect(save.code, save.stderr).toBe(0);
    const bytes = readFileSync(archive);
    const load = spawn(DOCKER_BIN, ['load'], { env: { ...process.env, ...engine.dockerEnv }, stdio: ['pipe', 'ignore', 'ignore'] });
    load.stdin.on('error', () => undefined);
    // Half the archive, then nothing more: the engine is inside the load, with files on disk. A
    // load streams: each layer is hashed into the content store's ingest area and unpacked into
    // the snapshotter's tmp/ as it arrives (and the transfer scratch holds what is not a layer).
    load.stdin.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
    const scratchDirs = [join(engine.dataRoot, 'tmp'), join(engine.dataRoot, 'content', 'ingest'), join(engine.dataRoot, 'overlay', 'tmp')];
    const scratch = () => scratchDirs.flatMap((dir) => filesUnder(dir));
    await until(async () => scratch().length > 0, 30_000);

    await engine.kill9();
    load.kill('SIGKILL');
    await engine.restart();

    expect(scratch()).toEqual([]);
    const again = await engine.docker(['load', '-i', archive]);
    expect(again.code, again.stderr).toBe(0);
  });

  it('releases the mount, runtime state and namespace of a container whose start it never finished', async () => {
    run('mkfifo', [holdFifo()]);
    const starting = engine.docker(['run', '-d', '--name', 'half-started', busybox, 'sleep', '300']);
    await until(async () => existsSync(heldMarker()), 30_000);
    const id = (await engine.docker(['inspect', '-f', '{{.Id}}', 'half-started'])).stdout.trim();
    const merged = join(engine.dataRoot, 'overlay', 'containers', id, 'merged');
    expect(mountPoints()).toContain(merged);

    await engine.kill9();
    // Let the held `runc create` go on, as it would have without the hold: the crash is the fault.
    writeFileSync(holdFifo(), '');
    unlinkSync(holdFifo());
    await starting;
    await engine.restart();

    expect((await engine.docker(['inspect', '-f', '{{.State.Status}}', id])).stdout.trim()).toBe('created');
    expect(mountPoints()).not.toContain(merged);
    const runcIds = run('runc', ['--root', join(engine.execRoot, 'runc'), 'list', '-q'], { encoding: 'utf8' }).split('\n');
    expect(runcIds).not.toContain(id);
    expect(existsSync(join(engine.execRoot, 'netns', id))).toBe(false);

    const start = await engine.docker(['start', id]);
    expect(start.code, start.stderr).toBe(0);
    expect((await engine.docker(['inspect', '-f', '{{.State.Status}}', id])).stdout.trim()).toBe('running');
    expect((await engine.docker(['rm', '-f', id])).code).toBe(0);
  });
});

describe('a stopped engine', () => {
  it('leaves no bridge, NAT chain, forwarding rule or veth when no container runs', async () => {
    const prefix = engine.network.prefixes[0];
    const bridge = engine.network.bridge;
    const ran = await engine.docker(['run', '--rm', busybox, 'true']);
    expect(ran.code, ran.stderr).toBe(0);
    // What a container on the default bridge needs stays up between containers while we run.
    expect(linkExists(anchorName(bridge))).toBe(true);
    expect(iptablesLines(prefix).length).toBeGreaterThan(0);

    await engine.terminate();
    expect(iptablesLines(prefix)).toEqual([]);
    expect(linkExists(anchorName(bridge))).toBe(false);
    expect(linkExists(bridge)).toBe(false);
    await engine.restart();
  });

  it('keeps what running containers need, and removes it on the next start once they are gone', async () => {
    const prefix = engine.network.prefixes[0];
    const bridge = engine.network.bridge;
    const started = await engine.docker(['run', '-d', '--name', 'outliver', busybox, 'sleep', '300']);
    expect(started.code, started.stderr).toBe(0);
    const id = started.stdout.trim();

    await engine.terminate();
    // The container outlives the engine (conmon): its networking must keep working.
    expect(linkExists(bridge)).toBe(true);
    expect(iptablesLines(prefix).some((line) => line.includes('MASQUERADE') || line.includes('-j NETAVARK-'))).toBe(true);

    // It exits while the engine is down; the next start finds nothing that needs the bridge.
    run('runc', ['--root', join(engine.execRoot, 'runc'), 'kill', id, 'KILL']);
    const runcState = () => {
      try {
        return run('runc', ['--root', join(engine.execRoot, 'runc'), 'state', id], { encoding: 'utf8' });
      } catch {
        return 'gone';
      }
    };
    await until(async () => !runcState().includes('"running"'));
    await engine.restart();
    expect((await engine.docker(['inspect', '-f', '{{.State.Status}}', id])).stdout.trim()).toBe('exited');
    expect(iptablesLines(prefix)).toEqual([]);
    expect(linkExists(anchorName(bridge))).toBe(false);
    expect(linkExists(bridge)).toBe(false);
    expect((await engine.docker(['rm', id])).code).toBe(0);
  });
});

describe('rmi of a built image', () => {
  const dockerfile = (marker: string) => `FROM ${busybox}\nRUN echo ${marker} > /a\nRUN echo ${marker} > /b\n`;
  const allImages = async () => (await engine.docker(['images', '-a', '-q', '--no-trunc'])).stdout.split('\n').filter(Boolean).sort();

  it('deletes its untagged parents too, as dockerd does', async () => {
    const before = await allImages();
    const build = await engine.docker(['build', '-t', 'fault-built:1', '-'], { input: dockerfile('one') });
    expect(build.code, build.stderr).toBe(0);
    const built = await allImages();
    expect(built.length).toBe(before.length + 2); // the RUN step images: one parent, one tagged

    const rmi = await engine.docker(['rmi', 'fault-built:1']);
    expect(rmi.code, rmi.stderr).toBe(0);
    const deletedImages = built.filter((id) => !before.includes(id));
    for (const id of deletedImages) expect(rmi.stdout).toContain(`Deleted: ${id}`);
    expect(await allImages()).toEqual(before);
  });

  it('keeps them with --no-prune, and image prune collects them', async () => {
    const before = await allImages();
    const build = await engine.docker(['build', '-t', 'fault-built:2', '-'], { input: dockerfile('two') });
    expect(build.code, build.stderr).toBe(0);
    const rmi = await engine.docker(['rmi', '--no-prune', 'fault-built:2']);
    expect(rmi.code, rmi.stderr).toBe(0);
    expect((await allImages()).length).toBe(before.length + 1);
    const prune = await engine.docker(['image', 'prune', '-f']);
    expect(prune.code, prune.stderr).toBe(0);
    expect(await allImages()).toEqual(before);
  });
});
