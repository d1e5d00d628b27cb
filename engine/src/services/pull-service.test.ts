// Pulls from Debian's real docker-registry into a real FsContentStore; the Snapshotter is an
// in-memory stand-in that decompresses for real (the overlay one is another engineer's).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { LayerApplyResult, Snapshotter } from '../core/interfaces.ts';
import { chainIds } from '../core/chain-id.ts';
import { parseReference } from '../core/reference.ts';
import { FsContentStore } from '../platform/linux/content-store.ts';
import { openDecompressed } from '../platform/linux/layer-decompress.ts';
import { RegistryClient } from '../platform/linux/registry/registry-client.ts';
import { buildTestImage, pushTestImage, startTestRegistry } from '../platform/linux/registry/test-registry.ts';
import type { TestImage, TestRegistry } from '../platform/linux/registry/test-registry.ts';
import { PullService } from './pull-service.ts';
import type { PulledImageCommit, PullServiceDeps } from './pull-service.ts';
import { humanSize, progressBar } from './pull-progress.ts';

class MemorySnapshotter implements Pick<Snapshotter, 'hasLayer' | 'applyLayer'> {
  layers = new Map<string, { parent?: string; diffId: string }>();
  order: string[] = [];
  async hasLayer(chainId: string) {
    return this.layers.has(chainId);
  }
  applying = new Map<string, Promise<LayerApplyResult>>();
  applyLayer(opts: Parameters<Snapshotter['applyLayer']>[0]): Promise<LayerApplyResult> {
    const apply = this.unpackThenCommit(opts);
    this.applying.set(opts.chainId, apply);
    return apply;
  }
  /** The Snapshotter contract: applies may overlap, but a layer commits only after its parent. */
  async unpackThenCommit(opts: Parameters<Snapshotter['applyLayer']>[0]): Promise<LayerApplyResult> {
    const { stream } = await openDecompressed(opts.source, opts.mediaType, opts.onBytes);
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of stream) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    const diffId = 'sha256:' + hash.digest('hex');
    // Deliberately no diff ID check here: the pull service must catch mismatches itself.
    if (opts.parentChainId) await this.applying.get(opts.parentChainId)?.catch(() => undefined);
    if (opts.parentChainId && !this.layers.has(opts.parentChainId)) throw new Error(`parent ${opts.parentChainId} missing`);
    this.layers.set(opts.chainId, { parent: opts.parentChainId, diffId });
    this.order.push(opts.chainId);
    return { diffId, size };
  }
}

let registry: TestRegistry;
let root: string;
let content: FsContentStore;
let snapshotter: MemorySnapshotter;
let commits: PulledImageCommit[];
let fetches: string[];

beforeAll(async () => {
  registry = await startTestRegistry();
});
afterAll(async () => registry?.stop());
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'berth-pull-'));
  content = new FsContentStore(root);
  snapshotter = new MemorySnapshotter();
  commits = [];
  fetches = [];
  return () => rmSync(root, { recursive: true, force: true });
});

function service(overrides: Partial<PullServiceDeps> = {}, slow = false): PullService {
  const client = new RegistryClient();
  return new PullService({
    registry: {
      resolve: (ref, o) => client.resolve(ref, o),
      async fetchBlob(ref, d, o) {
        fetches.push(d.digest);
        const stream = await client.fetchBlob(ref, d, o);
        if (!slow) return stream;
        // Trickle the body so a test can abort mid-transfer.
        return Readable.from((async function* () {
          for await (const chunk of stream) {
            await new Promise((r) => setTimeout(r, 20));
            yield chunk;
          }
        })());
      },
    },
    content,
    snapshotter: snapshotter as unknown as Snapshotter,
    commitImage: async (image) => void commits.push(image),
    ...overrides,
  });
}

const layerFiles = [
  { name: 'one.txt', content: 'first layer' },
  { name: 'two.txt', content: 'second layer', compression: 'zstd' as const },
  { name: 'three.txt', content: 'third layer' },
  { name: 'four.txt', content: 'fourth layer', compression: 'zstd' as const },
];

async function pushed(repo: string, image: TestImage = buildTestImage({ files: layerFiles, mediaType: 'oci' })) {
  const digest = await pushTestImage(registry, repo, 'v1', image);
  return { image, digest, ref: parseReference(`${registry.host}/${repo}:v1`) };
}

describe('PullService', () => {
  it('pulls gzip and zstd layers, applies them in chain order, and reports progress as dockerd does', async () => {
    const { image, digest, ref } = await pushed('pull/full');
    const messages: Array<Record<string, unknown>> = [];
    const result = await service({ maxConcurrentDownloads: 1 }).pull(ref, { onProgress: (m) => messages.push(m as never) });
    const chains = chainIds(image.layers.map((l) => l.diffId));
    expect(snapshotter.order).toEqual(chains);
    expect(result).toEqual({ id: image.configDigest, manifestDigest: digest, upToDate: false });
    expect(commits).toHaveLength(1);
    expect(commits[0]).toMatchObject({ manifestDigest: digest, configDigest: image.configDigest, platformManifestDigest: digest });
    expect(commits[0].reference.familiarName()).toBe(`${registry.host}/pull/full:v1`);
    expect(commits[0].config.rootfs.diff_ids).toEqual(image.layers.map((l) => l.diffId));
    expect((await content.list()).sort()).toEqual([image.configDigest, digest, ...image.layers.map((l) => l.digest)].sort());

    expect(messages[0]).toEqual({ status: 'Pulling from pull/full', id: 'v1' });
    expect(messages.at(-2)).toEqual({ status: `Digest: ${digest}` });
    expect(messages.at(-1)).toEqual({ status: `Status: Downloaded newer image for ${registry.host}/pull/full:v1` });
    const id = image.layers[3].digest.slice(7, 19);
    const forLayer = messages.filter((m) => m.id === id).map((m) => m.status);
    expect(forLayer).toEqual(['Pulling fs layer', 'Waiting', 'Downloading', 'Verifying Checksum', 'Download complete', 'Extracting', 'Pull complete']);
    const downloading = messages.find((m) => m.id === id && m.status === 'Downloading');
    const size = image.layers[3].compressed.length;
    expect(downloading).toEqual({ status: 'Downloading', progressDetail: { current: size, total: size }, progress: progressBar(size, size), id });
  });

  it('says up to date and downloads nothing when the tag already names this image', async () => {
    const { image, digest, ref } = await pushed('pull/again');
    await service().pull(ref);
    fetches = [];
    const messages: object[] = [];
    const result = await service({ currentImage: () => image.configDigest }).pull(ref, { onProgress: (m) => messages.push(m) });
    expect(result.upToDate).toBe(true);
    expect(fetches).toEqual([]);
    expect(messages).toEqual([
      { status: 'Pulling from pull/again', id: 'v1' },
      { status: `Digest: ${digest}` },
      { status: `Status: Image is up to date for ${registry.host}/pull/again:v1` },
    ]);
  });

  it('marks layers that already exist and only fetches the new ones', async () => {
    const base = buildTestImage({ files: layerFiles.slice(0, 2) });
    await service().pull((await pushed('pull/base', base)).ref);
    fetches = [];
    const { image, ref } = await pushed('pull/derived', buildTestImage({ files: layerFiles.slice(0, 3) }));
    const messages: Array<Record<string, unknown>> = [];
    await service().pull(ref, { onProgress: (m) => messages.push(m as never) });
    expect(fetches).toEqual([image.configDigest, image.layers[2].digest]);
    expect(messages.filter((m) => m.status === 'Already exists').map((m) => m.id)).toEqual(image.layers.slice(0, 2).map((l) => l.digest.slice(7, 19)));
  });

  it('pulls by digest and reports the digest form', async () => {
    const { digest } = await pushed('pull/bydigest');
    const ref = parseReference(`${registry.host}/pull/bydigest@${digest}`);
    const messages: object[] = [];
    await service().pull(ref, { onProgress: (m) => messages.push(m) });
    expect(messages[0]).toEqual({ status: 'Pulling from pull/bydigest', id: digest });
    expect(messages.at(-1)).toEqual({ status: `Status: Downloaded newer image for ${registry.host}/pull/bydigest@${digest}` });
  });

  it('fails on a diff ID mismatch and records no image', async () => {
    const wrong = 'sha256:' + 'e'.repeat(64);
    const image = buildTestImage({ files: layerFiles.slice(0, 1), diffIdOverride: [wrong] });
    const { ref } = await pushed('pull/diffid', image);
    await expect(service().pull(ref)).rejects.toThrow(`image config expects diff ID ${wrong}`);
    expect(commits).toEqual([]);
    expect(readdirSync(join(root, 'ingest'))).toEqual([]);
  });

  it('fails on a truncated layer, keeping no partial blob and no image', async () => {
    const image = buildTestImage({ files: layerFiles.slice(0, 2) });
    await pushTestImage(registry, 'pull/trunc', 'ok', image);
    const manifest = JSON.parse(image.manifest.toString()) as { layers: Array<{ size: number }> };
    manifest.layers[1].size += 7;
    await registry.pushManifest('pull/trunc', 'v1', 'application/vnd.docker.distribution.manifest.v2+json', JSON.stringify(manifest));
    await expect(service().pull(parseReference(`${registry.host}/pull/trunc:v1`))).rejects.toThrow('size mismatch');
    expect(commits).toEqual([]);
    expect(await content.has(image.layers[1].digest)).toBe(false);
    expect(readdirSync(join(root, 'ingest'))).toEqual([]);
  });

  it('shares one download between concurrent pulls of the same blobs', async () => {
    const { image, ref } = await pushed('pull/concurrent');
    const pulls = service();
    await Promise.all([pulls.pull(ref), pulls.pull(ref)]);
    expect(fetches.filter((d) => d === image.layers[0].digest)).toHaveLength(1);
    expect(new Set(fetches).size).toBe(fetches.length);
    expect(commits).toHaveLength(2);
  });

  it('unpacks a layer while it downloads, not after', async () => {
    const big = { name: 'big.bin', content: randomBytes(2 * 1024 * 1024).toString('base64') };
    const { image, ref } = await pushed('pull/stream', buildTestImage({ files: [big] }));
    const layer = image.layers[0].digest;
    const events: string[] = [];
    let unpackStarted!: () => void;
    const unpacking = new Promise<void>((resolve) => (unpackStarted = resolve));
    const applyLayer = snapshotter.applyLayer.bind(snapshotter);
    snapshotter.applyLayer = (opts) =>
      applyLayer({
        ...opts,
        onBytes: (n) => {
          if (n > 0 && !events.includes('unpack')) events.push('unpack');
          unpackStarted();
        },
      });
    const client = new RegistryClient();
    const pulls = service({
      registry: {
        resolve: (r, o) => client.resolve(r, o),
        async fetchBlob(r, d, o) {
          const stream = await client.fetchBlob(r, d, o);
          if (d.digest !== layer) return stream;
          // Holds the last bytes back until the unpack has seen the first ones; the timeout only
          // lets a write-then-unpack pull finish, and fail the order check below.
          return Readable.from((async function* () {
            const chunks: Buffer[] = [];
            for await (const chunk of stream) chunks.push(chunk as Buffer);
            const all = Buffer.concat(chunks);
            yield all.subarray(0, all.length - 1);
            await Promise.race([unpacking, new Promise((r) => setTimeout(r, 3000))]);
            events.push('download end');
            yield all.subarray(all.length - 1);
          })());
        },
      },
    });
    await pulls.pull(ref);
    expect(events).toEqual(['unpack', 'download end']);
    expect(await content.has(layer)).toBe(true);
    expect(commits).toHaveLength(1);
  });

  it('an aborted pull stops its downloads and leaves no image or partial blob', async () => {
    const big = { name: 'big.bin', content: randomBytes(3 * 1024 * 1024).toString('base64') };
    const { image, ref } = await pushed('pull/abort', buildTestImage({ files: [big, layerFiles[0]] }));
    const controller = new AbortController();
    const pull = service({}, true).pull(ref, {
      signal: controller.signal,
      onProgress: (m) => {
        if ((m as { status: string }).status === 'Downloading') controller.abort(new Error('client went away'));
      },
    });
    await expect(pull).rejects.toThrow('client went away');
    expect(commits).toEqual([]);
    expect(await content.has(image.layers[0].digest)).toBe(false);
    await new Promise((r) => setTimeout(r, 100));
    expect(readdirSync(join(root, 'ingest'))).toEqual([]);
  });
});

describe('progress formatting', () => {
  it('matches go-units and the daemon’s progress bar', () => {
    expect([0, 512, 1000, 22867, 2215591, 32768].map(humanSize)).toEqual(['0B', '512B', '1kB', '22.87kB', '2.216MB', '32.77kB']);
    expect(progressBar(22867, 2215591)).toBe(`[>${' '.repeat(50)}]  22.87kB/2.216MB`);
    expect(progressBar(2215591, 2215591)).toBe(`[${'='.repeat(50)}>]  2.216MB/2.216MB`);
    expect(progressBar(1107796, 2215591)).toBe(`[${'='.repeat(25)}>${' '.repeat(25)}]  1.108MB/2.216MB`);
  });
});
