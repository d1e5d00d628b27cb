// The berth-engine .deb as a server admin gets it: built by `npm run dist:engine`'s own code,
// installed by dpkg into a clean root (its own dpkg database, so this machine's /usr and package
// list stay untouched), then its /usr/bin/berthd started on an isolated socket, data root, exec
// root, bridge and cgroup parent, and asked by the real docker CLI and the installed `berth`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEngineDeb, DEB_DEPENDS } from '../scripts/dist/engine-deb.mjs';
import { ENGINE_VERSION } from '../engine/src/api/routes/system/system-routes.ts';
import { docker } from '../engine/test/support/docker-cli.ts';
import { cleanupEngine } from '../engine/test/support/engine-cleanup.ts';
import { pingSocket } from '../engine/test/support/engine-harness.ts';
import { cleanupEngineNetwork, pickEngineNetwork } from '../engine/test/support/network-cleanup.ts';
import { waitExit } from '../engine/test/support/child-exit.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(command, args, { encoding: 'utf8', env, timeout: 120_000 });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe('berth-engine .deb', () => {
  // Short paths: the socket and conmon's attach sockets must fit in sun_path's 108 bytes.
  const dir = mkdtempSync(join(tmpdir(), 'berth-deb-'));
  const id = basename(dir).slice('berth-deb-'.length);
  const installRoot = join(dir, 'root');
  const dataRoot = join(dir, 'data');
  const execRoot = join(dir, 'run');
  const socket = join(dir, 'docker.sock');
  const cgroupPrefix = `berth-test-deb${id}`;
  const network = pickEngineNetwork(`deb${id}`);
  const dockerEnv = { DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: join(dir, 'docker-config') };
  let debPath = '';
  let berthd: ChildProcess | undefined;
  let berthdOutput = '';

  beforeAll(async () => {
    debPath = buildEngineDeb({ root: REPO_ROOT, node: process.execPath, log: (m) => process.stderr.write(`[dist] ${m}\n`) }).path;

    const admin = join(installRoot, 'var', 'lib', 'dpkg');
    for (const sub of ['info', 'updates', 'triggers']) mkdirSync(join(admin, sub), { recursive: true });
    writeFileSync(join(admin, 'status'), '');
    // --force-script-chrootless runs the maintainer scripts here with DPKG_ROOT set (they then
    // leave systemd alone); --force-depends because runc & co. live in this machine's database,
    // not in the clean root's.
    const install = run('dpkg', ['--root', installRoot, '--log', join(dir, 'dpkg.log'), '--force-depends', '--force-script-chrootless', '--install', debPath]);
    if (install.code !== 0) throw new Error(`dpkg --install failed:\n${install.stderr}`);

    for (const d of [dataRoot, execRoot, dockerEnv.DOCKER_CONFIG]) mkdirSync(d);
    const child = spawn(join(installRoot, 'usr', 'bin', 'berthd'), [
      '--data-root', dataRoot, '--exec-root', execRoot, '-H', `unix://${socket}`, '--pidfile', join(dir, 'berthd.pid'),
      '--bridge', network.bridge, '--bip', network.bip, '--default-address-pool', network.pool,
    ], { env: { ...process.env, BERTH_CGROUP_PARENT: cgroupPrefix }, stdio: ['ignore', 'pipe', 'pipe'] });
    berthd = child;
    const collect = (d: Buffer) => {
      berthdOutput = (berthdOutput + d.toString()).slice(-8000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
      if (child.exitCode !== null) throw new Error(`installed berthd exited (${child.exitCode}):\n${berthdOutput}`);
      if ((await pingSocket(socket).catch(() => 0)) === 200) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`installed berthd did not answer /_ping within 30 s:\n${berthdOutput}`);
  }, 300_000);

  afterAll(async () => {
    if (berthd && berthd.exitCode === null) {
      berthd.kill('SIGTERM');
      if (!(await waitExit(berthd, 15_000))) {
        berthd.kill('SIGKILL');
        await waitExit(berthd, 5_000);
      }
    }
    cleanupEngine({ dataRoot, execRoot, cgroupPrefix });
    cleanupEngineNetwork(network, dataRoot, execRoot);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('declares what berthd needs to run and a proper control file', () => {
    const fields = run('dpkg-deb', ['--field', debPath, 'Package', 'Architecture', 'Depends', 'Maintainer', 'Installed-Size', 'Description']).stdout;
    expect(fields).toMatch(/^Package: berth-engine$/m);
    expect(fields).toMatch(/^Architecture: amd64$/m);
    expect(fields).toMatch(/^Maintainer: .+ <[^>]+@[^>]+>$/m);
    expect(fields).toMatch(/^Installed-Size: [1-9]\d*$/m);
    const depends = /^Depends: (.*)$/m.exec(fields)?.[1].split(', ').map((d) => d.split(' ')[0]) ?? [];
    for (const pkg of ['runc', 'conmon', 'netavark', 'aardvark-dns', 'iptables', 'iproute2', 'tini']) expect(depends).toContain(pkg);
    expect(depends).toEqual(DEB_DEPENDS.map((d) => d.split(' ')[0]));
    const status = run('dpkg-query', ['--admindir', join(installRoot, 'var', 'lib', 'dpkg'), '-W', '-f', '${Status}', 'berth-engine']).stdout;
    expect(status).toBe('install ok installed');
  });

  it('installs the wrappers, the systemd unit and the runtime, with no TypeScript under node_modules', () => {
    const files = run('dpkg-deb', ['--contents', debPath]).stdout.split('\n').map((line) => line.split(/\s+/).at(-1) ?? '');
    for (const path of ['./usr/bin/berthd', './usr/bin/berth', './lib/systemd/system/berth.service', './usr/lib/berth/node', './usr/lib/berth/berth-native', './usr/lib/berth/engine/dist/main.js', './usr/lib/berth/app/src/backend/cli/berth.ts', './usr/lib/berth/app/dist/renderer/index.html']) {
      expect(files).toContain(path);
    }
    // Node refuses to strip types under node_modules: the CLI would not start from there.
    expect(files.filter((f) => f.includes('/node_modules/') && /\.(ts|mts|cts)$/.test(f))).toEqual([]);
    const unit = readFileSync(join(installRoot, 'lib', 'systemd', 'system', 'berth.service'), 'utf8');
    // conmon must outlive a restart of the service (KillMode=process); berthd makes cgroups (Delegate).
    for (const line of ['Type=simple', 'ExecStart=/usr/bin/berthd', 'Restart=on-failure', 'KillMode=process', 'Delegate=yes', 'WantedBy=multi-user.target']) {
      expect(unit.split('\n')).toContain(line);
    }
  });

  it('starts from /usr/bin/berthd on the shipped Node and answers the shipped docker CLI\'s `docker version` with the engine version', async () => {
    const shippedCli = join(installRoot, 'usr', 'lib', 'berth', 'docker');
    const result = await docker(['version', '--format', '{{.Server.Version}} {{(index .Server.Components 0).Details.GoVersion}}'], { env: dockerEnv, bin: shippedCli });
    expect(result.code, result.stderr).toBe(0);
    const [version, runtime] = result.stdout.trim().split(' ');
    expect(version).toBe(ENGINE_VERSION);
    expect(runtime).toBe(run(join(installRoot, 'usr', 'lib', 'berth', 'node'), ['--version']).stdout.trim());
    // The process serving is the packaged binary, not the Node running this test.
    expect(readlinkSync(`/proc/${berthd?.pid}/exe`)).toBe(join(installRoot, 'usr', 'lib', 'berth', 'node'));
  });

  it('offers its docker CLI as /usr/bin/docker through update-alternatives', () => {
    expect(readlinkSync(join(installRoot, 'usr', 'bin', 'docker'))).toBe('/etc/alternatives/docker');
    expect(readlinkSync(join(installRoot, 'etc', 'alternatives', 'docker'))).toBe('/usr/lib/berth/docker');
    const client = run(join(installRoot, 'usr', 'lib', 'berth', 'docker'), ['--version']);
    expect(client.stdout).toMatch(/^Docker version \d+\.\d+\.\d+/);
  });

  it('runs the installed `berth status`, which reports the engine running', () => {
    const result = run(join(installRoot, 'usr', 'bin', 'berth'), ['status', '--engine', `unix://${socket}`, '--settings-dir', join(dir, 'settings')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^state:\s+running$/m);
    expect(result.stdout).toContain(`version:  ${ENGINE_VERSION}`);
    expect(result.stdout).toContain(`export DOCKER_HOST=unix://${socket}`);
  });
});
