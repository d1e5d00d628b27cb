// Shared folders for real: one boot of the amd64 guest under TCG with a temp directory as the
// user's home ($HOME for the CLI, so it is the folder `berth vm start` always shares). Through
// 9p at the same path: the container sees what the host wrote, the host sees what the container
// wrote (owned by QEMU's user, i.e. whoever started the VM), compose's relative binds work, and a
// bind from outside the shares fails with the message. afterAll kills every QEMU and forwarder
// of the test home, even after a failure.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../../../engine/test/support/docker-cli.ts';
import { testImage } from '../../../../engine/test/support/fixtures.ts';
import { ensureImages } from '../../../../vm-assets/test/qemu-guest.ts';
import { waitUntil } from '../engine-process-helpers.ts';
import type { VmState } from './vm-home.ts';
import { berth as runBerth, processesOfHome } from './vm-test-helpers.ts';

const BOOT = 8 * 60_000;
const scratch = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-vm-shares-'));
const home = join(scratch, 'vm-home');
// The user's home as the CLI sees it ($HOME); a path with a space, as real homes may have.
const userHome = join(scratch, 'user home');
const extra = join(scratch, 'extra');
const unshared = join(scratch, 'unshared');
for (const dir of [join(userHome, 'proj'), extra, unshared]) mkdirSync(dir, { recursive: true });
const dockerConfig = join(scratch, 'docker-config');
mkdirSync(dockerConfig);
const socket = join(home, 'run', 'docker.sock');
const env = { DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: dockerConfig };
const guestRegistry = testImage('busybox').ref.split('/')[0].replace(/^127\.0\.0\.1:/, '10.0.2.2:');
const busybox = `${guestRegistry}/busybox:latest`;

const berth = (args: string[]) => runBerth([...args, '--home', home], { DOCKER_CONFIG: dockerConfig, HOME: userHome });

const run = async (args: string[]) => {
  const result = await docker(args, { env, timeoutMs: 180_000 });
  expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout.trim();
};

function qemuUid(): { uid: number; gid: number } {
  const state = JSON.parse(readFileSync(join(home, 'state.json'), 'utf8')) as VmState;
  const status = readFileSync(`/proc/${state.qemuPid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)![1]);
  return { uid: field('Uid'), gid: field('Gid') };
}

beforeAll(() => ensureImages(['amd64']), 10 * 60_000);

afterAll(async () => {
  for (const pid of processesOfHome(home)) process.kill(pid, 'SIGKILL');
  await waitUntil(() => processesOfHome(home).length === 0, 10_000);
  rmSync(scratch, { recursive: true, force: true });
}, 60_000);

describe('shared folders of the Berth VM (amd64 under TCG)', () => {
  it('start shares the home and --share folders; status lists them', async () => {
    const started = await berth(['vm', 'start', '--cpus', '1', '--memory', '1G', '--disk', '4G', '--insecure-registry', guestRegistry, '--share', extra]);
    expect(started.code, started.stderr).toBe(0);
    const status = await berth(['vm', 'status']);
    expect(status.stdout).toContain(`Shared folders: ${extra}, ${userHome}`);
  }, BOOT);

  it('docker run -v <home>/proj:/app sees what the host wrote, before and after the container starts', async () => {
    writeFileSync(join(userHome, 'proj', 'hello.txt'), 'written on the host\n');
    expect(await run(['run', '--rm', '-v', `${userHome}/proj:/app`, busybox, 'cat', '/app/hello.txt'])).toBe('written on the host');
    writeFileSync(join(userHome, 'proj', 'hello.txt'), 'changed on the host\n');
    expect(await run(['run', '--rm', '-v', `${userHome}/proj:/app`, busybox, 'cat', '/app/hello.txt'])).toBe('changed on the host');
    writeFileSync(join(extra, 'more.txt'), 'an added folder\n');
    expect(await run(['run', '--rm', '-v', `${extra}:/extra:ro`, busybox, 'cat', '/extra/more.txt'])).toBe('an added folder');
  }, 180_000);

  it('a file written in the container appears on the host owned by QEMU\'s user (the one who started the VM), readable, while the container keeps its own view of the owner', async () => {
    const open = join(userHome, 'proj', 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    const inside = await run(['run', '--rm', '-v', `${userHome}/proj:/app`, busybox, 'sh', '-c',
      'echo from the container >/app/made.txt && chmod 600 /app/made.txt && stat -c "%u %a" /app/made.txt && mkdir /app/sub && ' +
      'su nobody -s /bin/sh -c "echo as nobody >/app/open/nobody.txt" && stat -c %U /app/open/nobody.txt']);
    // The guest keeps what the container asked (mapped-xattr stores it in user.virtfs.* xattrs).
    expect(inside.split('\n')).toEqual(['0 600', 'nobody']);
    const owner = qemuUid();
    expect(owner.uid).toBe(process.getuid!());
    // Host-side modes come from the share's fmode/dmode (0644/0755), not the guest's chmod.
    const host = (path: string) => {
      const stat = statSync(path);
      return { uid: stat.uid, gid: stat.gid, mode: (stat.mode & 0o777).toString(8) };
    };
    expect(host(join(userHome, 'proj', 'made.txt'))).toEqual({ ...owner, mode: '644' });
    expect(host(join(open, 'nobody.txt'))).toEqual({ ...owner, mode: '644' });
    expect(host(join(userHome, 'proj', 'sub'))).toEqual({ ...owner, mode: '755' });
    expect(readFileSync(join(userHome, 'proj', 'made.txt'), 'utf8')).toBe('from the container\n');
  }, 180_000);

  it('a bind from a folder that is not shared fails, naming the path and how to share it', async () => {
    const result = await docker(['run', '--rm', '-v', `${unshared}:/x`, busybox, 'true'], { env, timeoutMs: 180_000 });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`bind source path is not shared with the Berth VM: ${unshared}`);
    expect(result.stderr).toContain('Shared folders');
    expect(result.stderr).toContain('berth vm restart --share');
  }, 180_000);

  it("Debian's docker-compose with a relative bind (./data) reads and writes the host folder", async () => {
    const dir = join(userHome, 'compose app');
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'data', 'in.txt'), 'compose input\n');
    writeFileSync(join(dir, 'docker-compose.yml'),
      `version: "3.8"\nservices:\n  job:\n    image: ${busybox}\n    volumes:\n      - ./data:/data\n    command: ["sh", "-c", "cat /data/in.txt && echo compose output >/data/out.txt"]\n`);
    const compose = (...args: string[]) => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('docker-compose', args, { cwd: dir, env: { ...process.env, ...env, COMPOSE_PROJECT_NAME: 'sharetest' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    const ran = await compose('run', '-T', '--rm', 'job');
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toContain('compose input');
    expect(readFileSync(join(dir, 'data', 'out.txt'), 'utf8')).toBe('compose output\n');
    const down = await compose('down');
    expect(down.code, down.stderr).toBe(0);
  }, 300_000);
});
