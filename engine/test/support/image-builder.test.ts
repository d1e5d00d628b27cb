import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_CACHE_ROOT, layerBlob } from './fixture-cache.ts';
import { buildImage } from './image-builder.ts';
import { MT, sha256 } from './oci.ts';
import { readTar } from './tar-read.ts';
import { buildTar, decompress } from './tar-layer.ts';

describe('fixture image builder', () => {
  it('builds the same tar, and so the same diffId, from the same entries', async () => {
    const entries = [{ type: 'file' as const, path: '/a/b/c.txt', content: 'x' }];
    const [one, two] = [await buildTar(entries), await buildTar(entries)];
    expect(sha256(one)).toBe(sha256(two));
    expect((await readTar(one)).map((e) => `${e.type}:${e.name}`)).toEqual(['directory:a/', 'directory:a/b/', 'file:a/b/c.txt']);
  });

  it('rebuilds a corrupted cache entry instead of trusting it', async () => {
    const sub = `test-${process.pid}`;
    const cacheDir = join(FIXTURE_CACHE_ROOT, sub);
    try {
      const tarBytes = await buildTar([{ type: 'file', path: 'f', content: `cache test ${Date.now()}` }]);
      const first = layerBlob(tarBytes, { compression: 'gzip', mediaType: MT.dockerLayerGzip, cacheDir: sub });
      const [file] = readdirSync(cacheDir);
      writeFileSync(join(cacheDir, file), 'not gzip');
      const second = layerBlob(tarBytes, { compression: 'gzip', mediaType: MT.dockerLayerGzip, cacheDir: sub });
      expect(second.digest).toBe(first.digest);
      expect(sha256(decompress(second.data, 'gzip'))).toBe(second.diffId);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('refuses history that does not match the layers one to one', async () => {
    const layer = layerBlob(await buildTar([]), { compression: 'gzip', mediaType: MT.dockerLayerGzip });
    expect(() => buildImage({ format: 'docker', layers: [layer], history: [{ created_by: 'ENV A=b', empty_layer: true }] })).toThrow(/history/);
  });

  it('refuses zstd layers in a Docker schema2 manifest', async () => {
    const layer = layerBlob(await buildTar([]), { compression: 'zstd', mediaType: MT.ociLayerZstd });
    expect(() => buildImage({ format: 'docker', layers: [layer] })).toThrow(/gzip/);
  });
});
