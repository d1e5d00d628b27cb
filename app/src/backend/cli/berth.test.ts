// The `berth` CLI as a user runs it: a real child process, its stdout, stderr and exit code.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEngine, type EngineHandle } from '../../../../engine/test/support/engine-harness.ts';
import { pingEngineSocket, waitUntil } from '../engine-process-helpers.ts';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, 'berth.ts');
const LAUNCHER = join(here, '..', '..', '..', 'bin', 'berth');
const home = mkdtempSync(join(tmpdir(), 'berth-cli-'));
// The CLI keeps settings under $XDG_CONFIG_HOME/berth: point that at a temp dir, never the user's.
const env = { ...process.env, XDG_CONFIG_HOME: home };
let engine: EngineHandle;

beforeAll(async () => {
  engine = await startEngine();
});
afterAll(async () => {
  await engine?.stop();
  rmSync(home, { recursive: true, force: true });
});

function runCli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', CLI, ...args], { env, encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts `berth dashboard …`; resolves its first stdout line and a way to stop it. */
async function startDashboard(args: string[], command = process.execPath, prefix = ['--disable-warning=ExperimentalWarning', CLI]) {
  const child = spawn(command, [...prefix, 'dashboard', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: tmpdir() });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    void exit.then((code) => reject(new Error(`exited ${code} before printing a URL:\n${stderr}`)));
  });
  return { child, firstLine, exit, stderr: () => stderr };
}

describe('berth dashboard', () => {
  test('prints the URL with its secret as the first line, serves it, and exits 0 on SIGTERM', async () => {
    const dashboard = await startDashboard(['--engine', `unix://${engine.socket}`, '--port', '0']);
    try {
      const url = new URL(dashboard.firstLine);
      expect(url.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(url.searchParams.get('token')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const answer = await fetch(url, { redirect: 'manual' });
      expect(answer.status).toBe(303);
      // The engine line follows once the engine has answered the status check.
      await waitUntil(() => dashboard.stderr().includes(`unix://${engine.socket} (running)`), 10_000);
      expect(dashboard.stderr()).toContain(`Engine: unix://${engine.socket} (running)`);
    } finally {
      dashboard.child.kill('SIGTERM');
    }
    expect(await dashboard.exit).toBe(0);
  });

  test('the sh launcher runs it from any directory', async () => {
    const dashboard = await startDashboard(['--engine', `unix://${engine.socket}`], LAUNCHER, []);
    dashboard.child.kill('SIGTERM');
    expect(dashboard.firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect(await dashboard.exit).toBe(0);
  });

  test('--manage-engine leaves an engine it did not start running when it exits', async () => {
    const dashboard = await startDashboard(['--engine', `unix://${engine.socket}`, '--manage-engine']);
    dashboard.child.kill('SIGINT');
    expect(await dashboard.exit).toBe(0);
    expect(dashboard.stderr()).toMatch(/already answers/);
    expect(await pingEngineSocket(engine.socket)).toBe(true);
  });

  test('refuses a non-loopback --host, a bad --port and --manage-engine with a tcp:// engine', () => {
    const host = runCli(['dashboard', '--host', '0.0.0.0']);
    expect(host.code).toBe(1);
    expect(host.stderr).toMatch(/not a loopback address/);
    expect(host.stdout).toBe('');
    const port = runCli(['dashboard', '--port', 'http']);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/--port must be a number/);
    const managed = runCli(['dashboard', '--manage-engine', '--engine', 'tcp://127.0.0.1:2375']);
    expect(managed.code).toBe(2);
    for (const [args, message] of [
      [['--vm', '--manage-engine'], /--vm and --manage-engine each manage an engine/],
      [['--vm', '--engine', 'unix:///x.sock'], /leave out --engine/],
      [['--home', home], /--home names the VM's instance home: it goes with --vm/],
      [['--data-root', home], /are for the engine --manage-engine starts/],
      [['--engine', 'unix:///x.sock', '--', '--bridge', 'b1'], /are for the engine --manage-engine starts/],
      [['stray'], /unexpected argument "stray"/],
    ] as const) {
      const refused = runCli(['dashboard', ...args]);
      expect(refused.code, args.join(' ')).toBe(2);
      expect(refused.stderr, args.join(' ')).toMatch(message);
    }
  });
});

describe('berth status and usage', () => {
  test('status: exit 0 with state, version and endpoint when the engine answers', () => {
    const result = runCli(['status', '--engine', `unix://${engine.socket}`]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/state: +running/);
    expect(result.stdout).toMatch(/version: +\S+/);
    expect(result.stdout).toContain(`export DOCKER_HOST=unix://${engine.socket}`);
  });

  test('status: exit 1 when nothing answers', () => {
    const result = runCli(['status', '--engine', `unix://${join(home, 'nothing.sock')}`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/state: +stopped/);
  });

  test('status --vm --home: the VM of that home is the engine; not running, it says so and exits 1', () => {
    const vmHomeDir = join(home, 'vm-home');
    const result = runCli(['status', '--vm', '--home', vmHomeDir]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/state: +stopped/);
    expect(result.stdout).toContain(`endpoint: unix://${vmHomeDir}/run/docker.sock`);
    expect(result.stdout).toMatch(/message: +The Berth VM is not running/);
    expect(result.stdout).toMatch(new RegExp(`vm: +stopped, home ${vmHomeDir}`));
    expect(result.stdout).toMatch(/memory: +2048 MiB/);
  });

  test('--help, unknown commands and unknown flags print the usage on stderr and exit 2', () => {
    for (const args of [['--help'], [], ['frobnicate'], ['dashboard', '--no-such-flag'], ['status', 'extra']]) {
      const result = runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toContain('Usage: berth <command>');
      expect(result.stdout, args.join(' ')).toBe('');
    }
  });
});
