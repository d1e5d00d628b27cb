// Runs specs from buildSpec under the real runc (Debian's 1.1) with a static busybox rootfs, to
// prove the defaults hold where it matters: in the kernel, not just in the JSON.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostConfig } from '../../../core/container-types.ts';
import { isCgroupV2 } from './host.ts';
import { specToJson } from './process-env.ts';
import { buildSpec } from './spec.ts';
import { makeRecord } from './test-support.ts';
import { resolveUser } from './user.ts';

const RUNC = '/usr/sbin/runc';
const BUSYBOX = '/bin/busybox';
const runnable = process.getuid?.() === 0 && existsSync(RUNC) && existsSync(BUSYBOX);
const MiB = 1024 * 1024;

const parent = `berth-ocitest-${process.pid}`;
const ids: string[] = [];
let dir: string;
let rootfs: string;

function runc(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(RUNC, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Writes a bundle for `script` and runs it to completion; returns its stdout. */
async function runScript(script: string, hostConfig: Partial<HostConfig>) {
  const id = `${parent}-${ids.length}`;
  ids.push(id);
  const bundle = join(dir, id);
  mkdirSync(bundle);
  const record = makeRecord({ HostConfig: { NetworkMode: 'none', ...hostConfig } });
  const spec = buildSpec({
    record, rootfs, args: ['/bin/sh', '-c', script], user: await resolveUser(rootfs, ''),
    cgroupsPath: `/${parent}/${id}`, hostname: 'berthtest',
  });
  writeFileSync(join(bundle, 'config.json'), specToJson(spec));
  const result = await runc(['run', '--bundle', bundle, id]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

function removeCgroups() {
  // runc delete removes the container's own cgroups; the shared parent is ours to remove.
  const roots = isCgroupV2() ? ['/sys/fs/cgroup'] : readdirSync('/sys/fs/cgroup').map((c) => `/sys/fs/cgroup/${c}`);
  for (const root of roots) {
    for (const id of ids) {
      try { rmdirSync(join(root, parent, id)); } catch { /* already gone */ }
    }
    try { rmdirSync(join(root, parent)); } catch { /* absent */ }
  }
}

describe.skipIf(!runnable)('buildSpec under runc', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-runc-'));
    rootfs = join(dir, 'rootfs');
    for (const d of ['bin', 'proc', 'sys', 'dev', 'mnt', 'etc', 'tmp']) mkdirSync(join(rootfs, d), { recursive: true });
    copyFileSync(BUSYBOX, join(rootfs, 'bin/busybox'));
    for (const applet of ['sh', 'mount', 'cat', 'id', 'grep', 'wc', 'unshare', 'echo']) symlinkSync('busybox', join(rootfs, 'bin', applet));
    writeFileSync(join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  });

  afterAll(() => {
    for (const id of ids) spawnSync(RUNC, ['delete', '-f', id]);
    removeCgroups();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('confines a default container the way docker run does, and CapAdd SYS_ADMIN opens mount', async () => {
    const memPath = isCgroupV2() ? '/sys/fs/cgroup/memory.max' : '/sys/fs/cgroup/memory/memory.limit_in_bytes';
    // Masked paths that exist on this kernel must read empty inside (runc skips absent ones).
    const masked = ['/proc/kcore', '/proc/timer_list', '/proc/keys'].filter((p) => existsSync(p));
    expect(masked.length).toBeGreaterThan(0);
    const out = await runScript([
      'echo "pid=$$"',
      'mount -t tmpfs x /mnt 2>&1; echo "mount=$?"',
      'unshare -U true 2>&1; echo "unshare=$?"',
      ...masked.map((p) => `echo "masked ${p}=$(cat ${p} 2>/dev/null | wc -c)"`),
      'grep CapEff /proc/self/status',
      'grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status',
      `echo "mem=$(cat ${memPath})"`,
      'echo "uid=$(id -u)"',
    ].join('\n'), { Memory: 64 * MiB });

    expect(out).toContain('pid=1\n');
    expect(out).toMatch(/mount: permission denied|Operation not permitted/);
    expect(out).toMatch(/mount=[1-9]/);
    // unshare needs no capability for a user namespace: only seccomp can refuse it.
    expect(out).toMatch(/unshare: unshare\(0x10000000\): Operation not permitted/);
    for (const p of masked) expect(out).toContain(`masked ${p}=0\n`);
    expect(out).toMatch(/CapEff:\s+00000000a80425fb/);
    expect(out).toMatch(/Seccomp:\s+2/);
    expect(out).toMatch(/NoNewPrivs:\s+0/);
    expect(out).toContain(`mem=${64 * MiB}\n`);
    expect(out).toContain('uid=0\n');

    const admin = await runScript('mount -t tmpfs x /mnt && echo mounted; grep CapEff /proc/self/status', { CapAdd: ['sys_admin'] });
    expect(admin).toContain('mounted\n');
    expect(admin).toMatch(/CapEff:\s+00000000a82425fb/);
  });
});
