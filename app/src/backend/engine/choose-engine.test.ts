// Which engine the app, the dashboard and the CLI get, per platform, user and setting; and that
// createEngine builds the provider the choice names, on the paths the caller gave.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { EngineLocation } from '../../common/app-settings.ts';
import { chooseEngineKind, createEngine, type CreateEngineOptions } from './choose-engine.ts';
import { VmEngine } from './vm-engine.ts';

const dir = mkdtempSync(join(tmpdir(), 'berth-choose-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const kind = (platform: NodeJS.Platform, uid: number | undefined, location: EngineLocation) => chooseEngineKind({ platform, uid, location }).kind;

describe('chooseEngineKind', () => {
  test('macOS and Windows always get the VM, whatever the setting says', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      for (const location of ['auto', 'local', 'vm'] as const) expect(kind(platform, 501, location), `${platform} ${location}`).toBe('vm');
    }
    expect(chooseEngineKind({ platform: 'darwin', uid: 501, location: 'local' }).why).toMatch(/macOS has no Linux kernel/);
  });

  test('Linux as root keeps the local kernel unless the setting asks for the VM', () => {
    expect(kind('linux', 0, 'auto')).toBe('local');
    expect(kind('linux', 0, 'local')).toBe('local');
    expect(kind('linux', 0, 'vm')).toBe('vm');
  });

  test('Linux without root gets the VM (no password) unless the setting says local, which means pkexec', () => {
    expect(kind('linux', 1000, 'auto')).toBe('vm');
    expect(kind('linux', 1000, 'vm')).toBe('vm');
    expect(kind('linux', 1000, 'local')).toBe('elevated');
    expect(chooseEngineKind({ platform: 'linux', uid: 1000, location: 'auto' }).why).toMatch(/needs no password/);
  });
});

describe('createEngine', () => {
  const base: CreateEngineOptions = {
    platform: 'linux', uid: 1000, location: 'auto', node: process.execPath, entry: '/nonexistent/main.js', userLogDir: dir,
    vmHomeDir: join(dir, 'home'), vmResources: () => ({ cpus: '1' }),
  };

  test('the VM engine serves <home>/run/docker.sock and is stopped, with the resources the next start will use', async () => {
    const engine = createEngine(base);
    expect(engine).toBeInstanceOf(VmEngine);
    expect(engine.kind).toBe('vm');
    expect(engine.endpoint).toBe(`unix://${join(dir, 'home', 'run', 'docker.sock')}`);
    expect(engine.startedByUs).toBe(false);
    expect(typeof engine.reset).toBe('function');
    expect(await engine.details()).toMatchObject({ state: 'stopped', home: join(dir, 'home'), cpus: 1, memoryMiB: 2048, diskSizeBytes: 64 * 1024 ** 3 });
  });

  test('local and elevated engines serve the default socket and have no VM details or reset', async () => {
    const local = createEngine({ ...base, uid: 0 });
    expect(local.kind).toBe('local');
    expect(local.endpoint).toBe('unix:///run/berth/docker.sock');
    expect(await local.details()).toBeUndefined();
    expect(local.reset).toBeUndefined();
    const elevated = createEngine({ ...base, location: 'local' });
    expect(elevated.kind).toBe('elevated');
    expect(elevated.reset).toBeUndefined();
    // A launcher given (tests, another polkit front end) is used even as root.
    expect(createEngine({ ...base, uid: 0, location: 'local', launcher: ['/usr/bin/env'] }).kind).toBe('elevated');
  });
});
