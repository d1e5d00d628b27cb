import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VolumeRefs } from './volume-refs.ts';
import { VolumeStore } from './volume-store.ts';
import { validateVolumeName, type VolumeRecord } from './volume-types.ts';

const dirs: string[] = [];
const tempRoot = () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-volstore-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const record = (name: string): VolumeRecord => ({ Name: name, Driver: 'local', CreatedAt: '2024-01-01T00:00:00.000Z', Labels: { a: 'b' }, Options: {} });

describe('VolumeStore', () => {
  it('persists records beside the data, survives a reload, and forgets deleted ones', async () => {
    const root = tempRoot();
    const store = new VolumeStore(root);
    await store.load();
    await store.save(record('one'));
    await store.save(record('two'));
    expect(readdirSync(join(root, 'one'))).toEqual(['volume.json']);
    await store.delete('two');
    const again = new VolumeStore(root);
    await again.load();
    expect(again.list().map((v) => v.Name)).toEqual(['one']);
    expect(again.get('one').Labels).toEqual({ a: 'b' });
    expect(() => again.get('two')).toThrow('get two: no such volume');
  });

  it('ignores a directory whose record was never committed (a create that crashed)', async () => {
    const root = tempRoot();
    mkdirSync(join(root, 'half', '_data'), { recursive: true });
    const store = new VolumeStore(root);
    await store.load();
    expect(store.list()).toEqual([]);
  });
});

describe('validateVolumeName', () => {
  it('accepts Docker names and refuses paths and one-character names', () => {
    for (const ok of ['ab', 'my_vol.1-x', 'A0']) expect(() => validateVolumeName(ok)).not.toThrow();
    for (const bad of ['../x', 'a/b', '.hidden', '-x', 'with space']) {
      expect(() => validateVolumeName(bad)).toThrow('includes invalid characters for a local volume name');
    }
    // dockerd's own words for one character (volume/local validateName).
    expect(() => validateVolumeName('a')).toThrow('volume name is too short, names should be at least two alphanumeric characters');
  });
});

describe('VolumeRefs', () => {
  it('counts containers per volume and tells when the last one lets go', () => {
    const refs = new VolumeRefs();
    refs.add('v', 'c1');
    refs.add('v', 'c2');
    refs.add('w', 'c1');
    expect(refs.users('v')).toEqual(['c1', 'c2']);
    expect(refs.remove('v', 'c1')).toBe(false);
    expect(refs.removeContainer('c2')).toEqual(['v']);
    expect(refs.inUse('v')).toBe(false);
    expect(refs.inUse('w')).toBe(true);
    refs.forget('w');
    expect(refs.users('w')).toEqual([]);
  });
});
