// `berth vm start` with bad input: a clear message, exit 2, and nothing half started (no state
// file, no QEMU, no socket). No guest is booted here: every refusal comes before QEMU would start.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BERTH = fileURLToPath(new URL('../../../bin/berth', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'berth-vm-errors-'));
// Stand-in guest files: enough for the asset check, and QEMU is never reached with them.
const assets = join(root, 'assets');
mkdirSync(assets);
for (const name of ['vmlinuz', 'initramfs.img', 'system.img']) writeFileSync(join(assets, name), '');
let taken: Server | undefined;

afterAll(async () => {
  await new Promise<void>((resolve) => (taken ? taken.close(() => resolve()) : resolve()));
  rmSync(root, { recursive: true, force: true });
});

function start(name: string, args: string[], env: Record<string, string> = {}) {
  const home = join(root, name);
  const result = spawnSync(BERTH, ['vm', 'start', '--home', home, ...args], {
    env: { ...process.env, BERTH_VM_ASSETS: assets, ...env }, encoding: 'utf8', timeout: 60_000,
  });
  return { code: result.status, stderr: result.stderr, stdout: result.stdout, home };
}

function nothingStarted(home: string): void {
  expect(existsSync(join(home, 'state.json'))).toBe(false);
  expect(existsSync(join(home, 'secret'))).toBe(false);
  expect(existsSync(join(home, 'data.raw'))).toBe(false);
}

describe('berth vm start refuses bad input before starting anything', () => {
  it('more CPUs than the host has', () => {
    const r = start('cpus', ['--cpus', String(availableParallelism() + 1)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`this host has only ${availableParallelism()} CPUs`);
    nothingStarted(r.home);
  });

  it('more memory than the host has', () => {
    const r = start('memory', ['--memory', '100000G']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--memory \d+ MiB: this host has only \d+ MiB/);
    nothingStarted(r.home);
  });

  it('a missing QEMU', () => {
    const r = start('qemu', [], { BERTH_QEMU: join(root, 'no-qemu') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`BERTH_QEMU=${join(root, 'no-qemu')}: no such file`);
    nothingStarted(r.home);
  });

  it('missing guest assets', () => {
    const r = start('assets', [], { BERTH_VM_ASSETS: join(root, 'nowhere') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/guest image is missing in .*nowhere \(vmlinuz, initramfs.img, system.img\): run `npm run dist:vm/);
    nothingStarted(r.home);
  });

  it('a socket path another process is serving', async () => {
    const home = join(root, 'taken');
    mkdirSync(join(home, 'run'), { recursive: true });
    taken = createServer();
    await new Promise<void>((resolve) => taken!.listen(join(home, 'run', 'docker.sock'), resolve));
    // spawnSync would block this process's event loop, and with it the listener it must find busy.
    const child = spawn(BERTH, ['vm', 'start', '--home', home], { env: { ...process.env, BERTH_VM_ASSETS: assets } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('docker.sock is in use by another process');
    nothingStarted(home);
    expect(readdirSync(join(home, 'run'))).toEqual(['docker.sock']);
  });

  it('an unknown subcommand, or none, is a usage error', () => {
    const r = spawnSync(BERTH, ['vm', 'launch'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown vm subcommand "launch"');
    const none = spawnSync(BERTH, ['vm'], { encoding: 'utf8' });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('vm needs a subcommand: start, restart, stop, status, logs, reset');
    // An inherited property name is no subcommand either.
    expect(spawnSync(BERTH, ['vm', 'constructor'], { encoding: 'utf8' }).status).toBe(2);
  });

  it('a flag the subcommand does not take, or a bad value, is a usage error and starts nothing', () => {
    const cases: Array<[string[], RegExp]> = [
      [['status', '--cpus', '2'], /Unknown option '--cpus'/],
      [['logs', '--yes'], /Unknown option '--yes'/],
      [['reset', '--memory', '1G'], /Unknown option '--memory'/],
      [['stop', '--timeout', 'soon'], /--timeout: "soon" is not a number of seconds/],
      [['start', '--bogus'], /Unknown option '--bogus'/],
      [['restart', '--cpus'], /argument missing/],
    ];
    for (const [args, message] of cases) {
      const home = join(root, 'flags');
      const r = spawnSync(BERTH, ['vm', args[0], '--home', home, ...args.slice(1)], { env: { ...process.env, BERTH_VM_ASSETS: assets }, encoding: 'utf8' });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(existsSync(home), args.join(' ')).toBe(false);
    }
  });
});
