import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extract } from 'tar-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { layerFromUpper } from './upper-layer.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function names(tar: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const out: string[] = [];
    const ex = extract();
    ex.on('entry', (header, stream, next) => {
      out.push(header.name);
      stream.on('end', next);
      stream.resume();
    });
    ex.on('finish', () => resolve(out));
    ex.on('error', reject);
    ex.end(tar);
  });
}

describe('layer tar from an overlay upper directory', () => {
  it.skipIf(process.getuid?.() !== 0)('turns whiteout devices into .wh. entries, leaves out empty mount points and hashes the tar', async () => {
    const upper = mkdtempSync(join(tmpdir(), 'upper-'));
    const lower = mkdtempSync(join(tmpdir(), 'lower-'));
    dirs.push(upper, lower);
    mkdirSync(join(upper, 'etc'));
    writeFileSync(join(upper, 'etc', 'hosts'), ''); // runc's bind-mount target
    writeFileSync(join(upper, 'etc', 'app.conf'), 'x=1\n');
    execFileSync('mknod', [join(upper, 'etc', 'gone'), 'c', '0', '0']);
    const layer = await layerFromUpper({ upper, lowers: [lower] });
    expect(await names(layer.tar)).toEqual(['etc/', 'etc/app.conf', 'etc/.wh.gone']);
    expect(layer.diffId).toBe(`sha256:${createHash('sha256').update(layer.tar).digest('hex')}`);
  });

  it('marks a directory opaque when the merged view hides a lower entry', { timeout: 5000 }, async () => {
    const upper = mkdtempSync(join(tmpdir(), 'upper-'));
    const lower = mkdtempSync(join(tmpdir(), 'lower-'));
    const merged = mkdtempSync(join(tmpdir(), 'merged-'));
    dirs.push(upper, lower, merged);
    mkdirSync(join(upper, 'data'));
    writeFileSync(join(upper, 'data', 'new'), 'n');
    mkdirSync(join(lower, 'data'));
    writeFileSync(join(lower, 'data', 'old'), 'o');
    mkdirSync(join(merged, 'data'));
    writeFileSync(join(merged, 'data', 'new'), 'n'); // "old" is not visible any more
    const layer = await layerFromUpper({ upper, lowers: [lower], merged });
    expect(await names(layer.tar)).toEqual(['data/', 'data/.wh..wh..opq', 'data/new']);
  });
});
