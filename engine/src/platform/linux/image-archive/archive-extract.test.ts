import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanArchivePath, extractArchive } from './archive-extract.ts';

type Entry = { name: string; data?: string; symlink?: string; linkname?: string; type?: 'file' | 'directory' | 'link' | 'character-device' };

async function tarOf(entries: Entry[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of p) chunks.push(c as Buffer);
  })();
  for (const e of entries) {
    await new Promise<void>((resolve, reject) => {
      const cb = (err?: Error | null) => (err ? reject(err) : resolve());
      if (e.symlink !== undefined) p.entry({ name: e.name, type: 'symlink', linkname: e.symlink }, cb);
      else if (e.type && e.type !== 'file') p.entry({ name: e.name, type: e.type, linkname: e.linkname ?? 'x' }, cb);
      else p.entry({ name: e.name }, e.data ?? '', cb);
    });
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

const dirs: string[] = [];
/** A temp root with an empty archive directory inside it (escapes would land in the root). */
function fresh(): { root: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), 'archive-extract-'));
  dirs.push(root);
  const dir = join(root, 'inside');
  mkdirSync(dir);
  return { root, dir };
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('cleanArchivePath', () => {
  it('normalises harmless names and refuses ../ and absolute ones', () => {
    expect(cleanArchivePath('./blobs//sha256/abc')).toBe('blobs/sha256/abc');
    expect(() => cleanArchivePath('../x')).toThrow(/outside the archive/);
    expect(() => cleanArchivePath('a/../../x')).toThrow(/outside the archive/);
    expect(() => cleanArchivePath('/etc/passwd')).toThrow(/absolute/);
  });
});

describe('extractArchive', () => {
  it('unpacks plain and gzip archives and resolves links inside the archive', async () => {
    const { dir } = fresh();
    const tar = await tarOf([{ name: 'one/layer.tar', data: 'L' }, { name: 'two/layer.tar', symlink: '../one/layer.tar' }, { name: 'manifest.json', data: '[]' }]);
    const archive = await extractArchive(Readable.from([gzipSync(tar)]), dir);
    expect((await archive.read('two/layer.tar')).toString()).toBe('L');
    expect(await archive.readJson('manifest.json')).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'one']);
  });

  it.each([
    ['a ../ entry', [{ name: '../escape', data: 'x' }], /outside the archive/],
    ['an absolute entry', [{ name: '/escape', data: 'x' }], /absolute|outside/],
    ['a symlink leading out', [{ name: 'l', symlink: '../../etc' }], /outside the archive/],
    ['an absolute symlink', [{ name: 'l', symlink: '/etc' }], /absolute target/],
    ['a hardlink', [{ name: 'h', type: 'link' as const, linkname: '/etc/passwd' }], /unsupported entry type/],
    ['a device node', [{ name: 'd', type: 'character-device' as const }], /unsupported entry type/],
    ['a duplicate entry', [{ name: 'x', data: '1' }, { name: './x', data: '2' }], /duplicate/],
  ])('rejects %s and writes nothing outside', async (_what, entries, message) => {
    const { root, dir } = fresh();
    await expect(extractArchive(Readable.from([await tarOf(entries as Entry[])]), dir)).rejects.toThrow(message);
    expect(existsSync(join(root, 'escape'))).toBe(false);
    expect(existsSync('/escape')).toBe(false);
  });
});
