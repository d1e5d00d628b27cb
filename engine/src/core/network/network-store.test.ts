import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NetworkStore } from './network-store.ts';
import type { NetworkRecord } from './network-types.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function record(id: string, name: string): NetworkRecord {
  return {
    Id: id, Name: name, Created: '2026-01-01T00:00:00Z', Driver: 'bridge', EnableIPv6: false, Internal: false, Attachable: false,
    IPAM: { Driver: 'default', Options: {}, Config: [] }, Options: {}, Labels: {}, DnsEnabled: true, Predefined: false,
  };
}

describe('NetworkStore', () => {
  it('persists records across loads, ignoring temp files of an interrupted write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netstore-'));
    dirs.push(dir);
    const store = new NetworkStore(dir);
    await store.load();
    await store.save(record('a'.repeat(64), 'front'));
    writeFileSync(join(dir, '.x.json.123.tmp'), '{half');
    const again = new NetworkStore(dir);
    await again.load();
    expect(again.get('front').Id).toBe('a'.repeat(64));
    await again.delete(again.get('front'));
    expect(readdirSync(dir).filter((f) => !f.startsWith('.'))).toEqual([]);
  });

  it('finds by id, name, then unique id prefix; unknown is "network X not found"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netstore-'));
    dirs.push(dir);
    const store = new NetworkStore(dir);
    await store.load();
    await store.save(record(`ab${'1'.repeat(62)}`, 'one'));
    await store.save(record(`ac${'2'.repeat(62)}`, 'two'));
    expect(store.get('ab').Name).toBe('one');
    expect(store.get('two').Name).toBe('two');
    expect(() => store.get('a')).toThrow(/ambiguous/);
    expect(() => store.get('nope')).toThrow('network nope not found');
  });
});
