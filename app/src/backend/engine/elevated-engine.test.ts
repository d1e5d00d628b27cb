// The elevated engine path against a real berthd. The launcher is a real prefix program
// (/usr/bin/env; this test runs as root, as CI does), and pkexec's answers are played by a small
// script of that name, since no one is here to type a password.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cleanupEngine } from '../../../../engine/test/support/engine-cleanup.ts';
import { cleanupEngineNetwork, pickEngineNetwork } from '../../../../engine/test/support/network-cleanup.ts';
import { pingEngineSocket, processAlive } from '../engine-process-helpers.ts';
import { ElevatedEngine, type ElevatedEngineOptions } from './elevated-engine.ts';
import { shouldStopEngineOnQuit } from './choose-engine.ts';

const dir = mkdtempSync(join(tmpdir(), 'berth-elev-'));
const id = basename(dir).slice('berth-elev-'.length);
const dataRoot = join(dir, 'data');
const execRoot = join(dir, 'run');
const socketPath = join(dir, 'docker.sock');
const cgroupPrefix = `berth-test-${id}`;
const network = pickEngineNetwork(id);
const engines: ElevatedEngine[] = [];
const entry = process.env.BERTH_ENGINE_ENTRY ?? join(import.meta.dirname, '../../../../engine/src/main.ts');

function engine(extra: Partial<ElevatedEngineOptions> = {}): ElevatedEngine {
  const e = new ElevatedEngine({
    socketPath,
    pidfile: join(execRoot, 'berthd.pid'),
    logFile: join(dir, 'logs', 'berthd.log'),
    node: process.execPath,
    entry,
    // env(1) as the launcher: it sets the test engine's cgroup prefix and runs the rest, as pkexec would.
    launcher: ['/usr/bin/env', `BERTH_CGROUP_PARENT=${cgroupPrefix}`],
    extraArgs: ['--data-root', dataRoot, '--exec-root', execRoot, '--bridge', network.bridge, '--bip', network.bip, '--default-address-pool', network.pool],
    ...extra,
  });
  engines.push(e);
  return e;
}

function fakePkexec(code: number): string {
  const bin = join(dir, `bin-${code}`);
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'pkexec'), `#!/bin/sh\nexit ${code}\n`);
  chmodSync(join(bin, 'pkexec'), 0o755);
  return join(bin, 'pkexec');
}

afterAll(async () => {
  for (const e of engines) await e.stop().catch(() => {});
  cleanupEngine({ dataRoot, execRoot, cgroupPrefix });
  cleanupEngineNetwork(network, dataRoot, execRoot);
  rmSync(dir, { recursive: true, force: true });
});

describe('engine started through a launcher', () => {
  test('starts berthd through the launcher, reports transitions, and stops only what it started', async () => {
    const first = engine();
    const transitions: (string | null)[] = [];
    first.onTransition(() => transitions.push(first.transition));
    await first.start();
    expect(await pingEngineSocket(socketPath)).toBe(true);
    expect(first.startedByUs).toBe(true);
    expect(transitions).toEqual(['starting', null]);
    const pid = Number(readFileSync(join(execRoot, 'berthd.pid'), 'utf8'));
    expect(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')).toContain(`BERTH_CGROUP_PARENT=${cgroupPrefix}`);

    // An engine that already answers is used, not replaced, and not counted as ours.
    const second = engine({ confirm: async () => { throw new Error('must not ask: the engine already answers'); } });
    await second.start();
    expect(second.startedByUs).toBe(false);
    expect(shouldStopEngineOnQuit(second, false)).toBe(false);
    expect(shouldStopEngineOnQuit(first, true)).toBe(false);
    expect(shouldStopEngineOnQuit(first, false)).toBe(true);

    await first.stop();
    expect(processAlive(pid)).toBe(false);
    expect(await pingEngineSocket(socketPath)).toBe(false);
    expect(first.startedByUs).toBe(false);
  });

  test('a cancelled explanation starts nothing; pkexec refusals come back in words', async () => {
    const cancelled = engine({ socketPath: join(dir, 'c.sock'), confirm: async () => false });
    await expect(cancelled.start()).rejects.toThrow('Starting the engine was cancelled.');
    const dismissed = engine({ socketPath: join(dir, 'd.sock'), launcher: [fakePkexec(126)] });
    await expect(dismissed.start()).rejects.toThrow(/password prompt was dismissed/);
    const noAgent = engine({ socketPath: join(dir, 'n.sock'), launcher: [fakePkexec(127)] });
    await expect(noAgent.start()).rejects.toThrow(/no polkit authentication agent/);
    expect(noAgent.transition).toBe(null);
  });
});
