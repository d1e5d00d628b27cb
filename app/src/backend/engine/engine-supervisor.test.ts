// The supervisor against a real berthd in a temp data root, with the same isolation every test
// engine gets (its own socket, bridge, address ranges and cgroup prefix; engine-harness.ts).
import { readdirSync, readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cleanupEngine } from '../../../../engine/test/support/engine-cleanup.ts';
import { cleanupEngineNetwork, pickEngineNetwork } from '../../../../engine/test/support/network-cleanup.ts';
import { pingEngineSocket, processAlive } from '../engine-process-helpers.ts';
import { EngineSupervisor, type EngineSupervisorOptions } from './engine-supervisor.ts';

const dir = mkdtempSync(join(tmpdir(), 'berth-sv-'));
const id = basename(dir).slice('berth-sv-'.length);
const dataRoot = join(dir, 'data');
const execRoot = join(dir, 'run');
const socketPath = join(dir, 'docker.sock');
const cgroupPrefix = `berth-test-${id}`;
const network = pickEngineNetwork(id);
const started: EngineSupervisor[] = [];

function supervisor(extra: EngineSupervisorOptions = {}): EngineSupervisor {
  const s = new EngineSupervisor({
    socketPath, dataRoot, execRoot,
    logFile: join(dir, 'berthd.log'),
    extraArgs: ['--bridge', network.bridge, '--bip', network.bip, '--default-address-pool', network.pool],
    env: { BERTH_CGROUP_PARENT: cgroupPrefix },
    ...extra,
  });
  started.push(s);
  return s;
}

/** berthd processes serving this test's data root (to prove a second start spawned nothing). */
function enginesForThisTest(): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(dataRoot) && processAlive(pid);
    } catch {
      return false;
    }
  });
}

afterAll(async () => {
  for (const s of started) await s.stop().catch(() => {});
  cleanupEngine({ dataRoot, execRoot, cgroupPrefix });
  cleanupEngineNetwork(network, dataRoot, execRoot);
  rmSync(dir, { recursive: true, force: true });
});

describe('engine supervisor', () => {
  test('starts a detached berthd, reuses one that answers, and stops it by its pidfile', async () => {
    const first = supervisor();
    const transitions: (string | null)[] = [];
    first.onTransition(() => transitions.push(first.transition));
    expect(first.endpoint).toBe(`unix://${socketPath}`);

    await first.start();
    expect(await pingEngineSocket(socketPath)).toBe(true);
    expect(first.startedByUs).toBe(true);
    expect(transitions).toEqual(['starting', null]);
    const pid = first.pid!;
    expect(processAlive(pid)).toBe(true);
    expect(Number(readFileSync(join(execRoot, 'berthd.pid'), 'utf8'))).toBe(pid);
    // Detached: the engine leads its own process group, so a Ctrl-C aimed at the app misses it.
    expect(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[2]).toBe(String(pid));

    // Another supervisor on the same socket finds the engine answering and starts nothing.
    const second = supervisor();
    await second.start();
    expect(second.startedByUs).toBe(false);
    expect(enginesForThisTest()).toEqual([pid]);

    // It did not start the engine, yet may stop it through the pidfile.
    await second.stop();
    expect(processAlive(pid)).toBe(false);
    expect(await pingEngineSocket(socketPath)).toBe(false);

    // The first one finds nothing left to stop; a fresh start spawns a new engine that it stops itself.
    await first.stop();
    await first.start();
    expect(first.startedByUs).toBe(true);
    const again = first.pid!;
    expect(again).not.toBe(pid);
    await first.stop();
    expect(first.startedByUs).toBe(false);
    expect(processAlive(again)).toBe(false);
    expect(readFileSync(join(dir, 'berthd.log'), 'utf8')).not.toBe('');
  });

  test('an engine that dies at start is reported with the end of its log', async () => {
    const entry = join(dir, 'dies.mjs');
    writeFileSync(entry, 'console.error("berthd: cannot create the bridge (for the test)"); process.exit(3);\n');
    const failing = supervisor({ entry, socketPath: join(dir, 'other.sock'), logFile: join(dir, 'dies.log') });
    await expect(failing.start()).rejects.toThrow(/exited \(3\)[\s\S]*cannot create the bridge/);
    expect(failing.transition).toBe(null);
    expect(failing.startedByUs).toBe(false);
  });

  test('stop() with no engine anywhere resolves at once', async () => {
    const idle = supervisor({ socketPath: join(dir, 'none.sock'), pidfile: join(dir, 'none.pid') });
    await idle.stop();
    expect(idle.transition).toBe(null);
  });
});
