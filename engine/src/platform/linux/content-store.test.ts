import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FsContentStore } from './content-store.ts';

const sha = (b: Buffer | string) => 'sha256:' + createHash('sha256').update(b).digest('hex');

describe('FsContentStore', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'berth-cs-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('stores a streamed blob under blobs/sha256/<hex> and reads it back', async () => {
    const store = new FsContentStore(root);
    const data = Buffer.from('hello world');
    const seen: number[] = [];
    await store.write({ digest: sha(data), size: data.length }, Readable.from([data.subarray(0, 5), data.subarray(5)]), (n) => seen.push(n));
    expect(seen).toEqual([5, 11]);
    expect(existsSync(join(root, 'blobs', 'sha256', sha(data).slice(7)))).toBe(true);
    expect(await store.has(sha(data))).toBe(true);
    expect(await store.size(sha(data))).toBe(11);
    expect((await store.read(sha(data))).toString()).toBe('hello world');
    const chunks: Buffer[] = [];
    for await (const c of store.openRead(sha(data))) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('hello world');
    expect(await store.list()).toEqual([sha(data)]);
    expect(readdirSync(join(root, 'ingest'))).toEqual([]);
  });

  it('rejects a digest mismatch naming expected and actual, and leaves nothing behind', async () => {
    const store = new FsContentStore(root);
    const expected = sha('something else');
    await expect(store.write({ digest: expected }, Readable.from([Buffer.from('data')]))).rejects.toThrow(
      `digest mismatch: expected ${expected}, got ${sha('data')}`,
    );
    expect(await store.has(expected)).toBe(false);
    expect(readdirSync(join(root, 'ingest'))).toEqual([]);
    expect(await store.list()).toEqual([]);
  });

  it('rejects short and long content against the expected size', async () => {
    const store = new FsContentStore(root);
    const data = Buffer.from('abcdef');
    await expect(store.write({ digest: sha(data), size: 10 }, Readable.from([data]))).rejects.toThrow('expected 10 bytes, got 6');
    await expect(store.write({ digest: sha(data), size: 3 }, Readable.from([data]))).rejects.toThrow('expected 3 bytes');
    expect(readdirSync(join(root, 'ingest'))).toEqual([]);
  });

  it('cleans up when the source stream fails midway', async () => {
    const store = new FsContentStore(root);
    async function* failing() {
      yield Buffer.from('part');
      throw new Error('connection reset');
    }
    await expect(store.write({ digest: sha('partial') }, Readable.from(failing()))).rejects.toThrow('connection reset');
    expect(readdirSync(join(root, 'ingest'))).toEqual([]);
  });

  it('reads a stored blob in 1 MiB chunks (save and push stream hundreds of MB through it)', async () => {
    const store = new FsContentStore(root);
    const data = Buffer.alloc(3 * 1024 * 1024, 7);
    const digest = await store.put(data);
    const sizes: number[] = [];
    for await (const chunk of store.openRead(digest)) sizes.push((chunk as Buffer).length);
    expect(sizes).toEqual([1024 * 1024, 1024 * 1024, 1024 * 1024]);
  });

  it('ingests a blob of unknown digest, commits it under the digest it hashed, or discards it', async () => {
    const store = new FsContentStore(root);
    const kept = await store.ingest(Readable.from([Buffer.from('kept '), Buffer.from('blob')]));
    expect(kept.digest).toBe('sha256:' + createHash('sha256').update('kept blob').digest('hex'));
    expect(kept.size).toBe(9);
    expect(await store.has(kept.digest)).toBe(false); // not content before the commit
    await kept.commit();
    expect((await store.read(kept.digest)).toString()).toBe('kept blob');
    const dropped = await store.ingest(Readable.from([Buffer.from('dropped')]));
    await dropped.discard();
    expect(await store.has(dropped.digest)).toBe(false);
    expect(readdirSync(join(root, 'ingest'))).toEqual([]);
  });

  it('removes ingest debris of a crashed write at construction', () => {
    new FsContentStore(root);
    writeFileSync(join(root, 'ingest', 'deadbeef-123'), 'half a blob');
    new FsContentStore(root);
    expect(readdirSync(join(root, 'ingest'))).toEqual([]);
  });

  it('put stores bytes by their own digest; delete removes; missing blobs are not-found', async () => {
    const store = new FsContentStore(root);
    const d = await store.put(Buffer.from('{"a":1}'));
    expect(d).toBe(sha('{"a":1}'));
    expect(await store.put(Buffer.from('{"a":1}'))).toBe(d);
    await store.delete(d);
    expect(await store.has(d)).toBe(false);
    expect(await store.size(d)).toBeUndefined();
    await expect(store.read(d)).rejects.toMatchObject({ kind: 'not-found' });
    const stream = store.openRead(d);
    await expect(new Promise((_, reject) => stream.on('error', reject))).rejects.toMatchObject({ kind: 'not-found' });
    await expect(store.has('md5:abc')).rejects.toThrow('invalid digest');
  });
});
