import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { LinuxBuildPlatform } from './index.ts';

const tmp = mkdtempSync(join(tmpdir(), 'build-platform-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// The layout is only used for snapshot layers, which these tests do not make.
const platform = new LinuxBuildPlatform({ layout: undefined as never, tmpDir: tmp });

async function tarOf(entries: Array<{ name: string; content?: string; linkname?: string }>): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of p) chunks.push(c as Buffer);
  })();
  for (const e of entries) {
    if (e.linkname) p.entry({ name: e.name, type: 'symlink', linkname: e.linkname });
    else p.entry({ name: e.name, mode: 0o644 }, e.content ?? '');
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

describe('build context on Linux', () => {
  it('unpacks a gzip context and checksums files by content', async () => {
    const tar = await tarOf([{ name: 'Dockerfile', content: 'FROM scratch\n' }, { name: 'src/a.txt', content: 'A' }]);
    const context = await platform.unpackContext(Readable.from([gzipSync(tar)]));
    try {
      expect(String(await platform.readContextFile(context.dir, 'Dockerfile'))).toBe('FROM scratch\n');
      const { base, entries } = await platform.listTree(context.dir, 'src');
      expect(base).toBe('src');
      expect(entries.map((e) => `${e.rel}:${e.type}`)).toEqual(['src:dir', 'src/a.txt:file']);
      const item = { source: 'src/a.txt', dest: 'a.txt', type: 'file' as const, mode: 0o644, mtimeMs: 0 };
      const sum = await platform.checksum(context.dir, [item]);
      expect(sum).toMatch(/^[0-9a-f]{64}$/);
      expect(await platform.checksum(context.dir, [{ ...item, dest: 'b.txt' }])).not.toBe(sum);
    } finally {
      await context.dispose();
    }
  });

  it('never reads through a context symlink to a host file', async () => {
    const tar = await tarOf([{ name: 'link', linkname: '/' }, { name: 'Dockerfile', content: 'FROM scratch\n' }]);
    const context = await platform.unpackContext(Readable.from([tar]));
    try {
      expect(await platform.readContextFile(context.dir, 'link/etc/hostname')).toBeUndefined();
      const { entries } = await platform.listTree(context.dir, 'link/etc');
      expect(entries).toEqual([]);
      await expect(platform.readContextFile(context.dir, '../outside')).rejects.toThrow(/outside the build context/);
    } finally {
      await context.dispose();
    }
  });
});
