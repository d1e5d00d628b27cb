// Throughput and memory of unpacking a large layer. Opt-in (BERTH_PERF=1): it writes ~1 GB.
//   BERTH_PERF=1 BERTH_PERF_MB=300 node node_modules/vitest/vitest.mjs run engine/src/platform/linux/layer-unpack.perf
import { createReadStream, createWriteStream, mkdtempSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip, createZstdCompress } from 'node:zlib';
import { pack } from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { unpackLayer } from './layer-unpack.ts';
import { ensureNativeHelper } from './layer-test-support.ts';

const enabled = process.env.BERTH_PERF === '1';
const totalMb = Number(process.env.BERTH_PERF_MB ?? 300);

/** A distro-like mix: many small files (most of a rootfs by count), a few big ones (by bytes). */
async function writeLayer(path: string, compress: 'gzip' | 'zstd'): Promise<number> {
  const tar = pack();
  const out = pipeline(tar, compress === 'gzip' ? createGzip({ level: 1 }) : createZstdCompress(), createWriteStream(path));
  const words = Buffer.from('lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor '.repeat(64));
  let seed = 1;
  const noise = (size: number) => {
    const buf = Buffer.allocUnsafe(size);
    for (let i = 0; i < size; i += words.length) words.copy(buf, i, 0, Math.min(words.length, size - i));
    for (let i = 0; i < size; i += 16) buf[i] = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    return buf;
  };
  const add = (header: Parameters<typeof tar.entry>[0], body?: Buffer) =>
    new Promise<void>((resolve, reject) => {
      const cb = (error?: Error | null) => (error ? reject(error) : resolve());
      if (body) tar.entry(header, body, cb);
      else tar.entry(header, cb).end(undefined);
    });
  let bytes = 0;
  const target = totalMb * 1024 * 1024;
  const bigShare = target * 0.5;
  for (let d = 0; bytes < target; d++) {
    await add({ name: `usr/share/d${d}/`, type: 'directory' });
    for (let f = 0; f < 200 && bytes < target; f++) {
      const size = bytes < bigShare && f === 0 ? 8 * 1024 * 1024 : 512 + ((f * 7919) % 24_000);
      await add({ name: `usr/share/d${d}/f${f}`, size, mode: 0o644 }, noise(size));
      bytes += size;
    }
  }
  tar.finalize();
  await out;
  return bytes;
}

describe.skipIf(!enabled)('unpackLayer throughput', () => {
  const base = enabled ? mkdtempSync(join(tmpdir(), 'berth-perf-')) : '';
  afterAll(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it.each(['gzip', 'zstd'] as const)('unpacks a %s layer of BERTH_PERF_MB MB with bounded memory', async (compression) => {
    ensureNativeHelper();
    const blob = join(base, `layer.tar.${compression}`);
    const bytes = await writeLayer(blob, compression);
    const dest = join(base, `out-${compression}`);
    mkdirSync(dest);
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
    const started = performance.now();
    const result = await unpackLayer({
      source: createReadStream(blob, { highWaterMark: 1024 * 1024 }),
      mediaType: `application/vnd.oci.image.layer.v1.tar+${compression}`,
      dest,
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const mb = bytes / 1024 / 1024;
    console.log(
      `${compression}: ${mb.toFixed(0)} MB in ${result.entries} entries (blob ${(statSync(blob).size / 1048576).toFixed(0)} MB) ` +
        `unpacked in ${seconds.toFixed(2)} s = ${(mb / seconds).toFixed(0)} MB/s; ` +
        `RSS growth peak ${((rssPeak - rssBefore) / 1048576).toFixed(0)} MB`,
    );
    expect(result.size).toBe(bytes);
    expect(rssPeak - rssBefore).toBeLessThan(400 * 1024 * 1024);
    rmSync(dest, { recursive: true, force: true });
  }, 600_000);
});
