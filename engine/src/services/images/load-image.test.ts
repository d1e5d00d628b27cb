import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { chainIds } from '../../core/chain-id.ts';
import type { ArchiveSource } from '../../platform/linux/image-archive/archive-extract.ts';
import type { ImageService } from './image-service.ts';
import { loadArchive } from './load-image.ts';

const sha = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

function archiveOf(files: Record<string, Buffer>): ArchiveSource {
  return {
    has: async (path) => path in files,
    read: async (path) => files[path],
    readJson: async (path) => JSON.parse(files[path].toString()) as unknown,
    open: (path) => Readable.from([files[path]]),
    size: async (path) => files[path].length,
    takeStaged: () => undefined,
    keep: async () => false,
    dispose: async () => undefined,
  };
}

/** An OCI layout with two layers, the config saying "Env": null as dockerd's imports do. */
function twoLayerLayout() {
  const layers = [Buffer.from('bottom layer tar'), Buffer.from('top')];
  const diffIds = layers.map((l) => sha(l));
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Env: null, Cmd: null }, rootfs: { type: 'layers', diff_ids: diffIds }, history: null }));
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length, annotations: null },
    layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha(l), size: l.length, annotations: null })),
  }));
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha(manifest), size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': 'example.com/two:1' }, platform: null }] }));
  const files: Record<string, Buffer> = { 'index.json': index };
  for (const blob of [config, manifest, ...layers]) files[`blobs/sha256/${sha(blob).slice(7)}`] = blob;
  return { files, layers, diffIds };
}

describe('docker load', () => {
  it('starts layer applies in chain order, whatever order their blobs finish storing in', async () => {
    const { files, layers, diffIds } = twoLayerLayout();
    const chains = chainIds(diffIds);
    const committed = new Set<string>();
    const inFlight = new Map<string, Promise<void>>();
    let topApplied!: () => void;
    const topAppliedSignal = new Promise<void>((resolve) => (topApplied = resolve));
    // Like the overlay snapshotter: a layer commits only after its parent, which it can wait for
    // only if the parent's apply has already been started.
    const snapshotter = {
      hasLayer: async (chain: string) => committed.has(chain),
      applyLayer(opts: { chainId: string; parentChainId?: string; expectedDiffId: string; source: Readable }) {
        const run = (async () => {
          opts.source.resume();
          if (opts.chainId === chains[1]) topApplied();
          if (opts.parentChainId) {
            await inFlight.get(opts.parentChainId);
            if (!committed.has(opts.parentChainId)) throw new Error(`parent layer ${opts.parentChainId} not found`);
          }
          committed.add(opts.chainId);
        })();
        inFlight.set(opts.chainId, run);
        return run.then(() => ({ diffId: opts.expectedDiffId, size: 1 }));
      },
      layerSize: async () => 1,
      removeLayer: async (chain: string) => void committed.delete(chain),
    };
    const blobs = new Set<string>();
    const content = {
      has: async (digest: string) => blobs.has(digest),
      // The bottom layer's blob is slow: it finishes only after the top layer's apply began.
      async write(expected: { digest: string }, source: Readable) {
        source.resume();
        if (expected.digest === sha(layers[0])) await topAppliedSignal;
        blobs.add(expected.digest);
      },
      put: async (data: Buffer) => (blobs.add(sha(data)), sha(data)),
      delete: async (digest: string) => void blobs.delete(digest),
    };
    const records = new Map<string, unknown>();
    const tags: string[] = [];
    const images = {
      snapshotter,
      content,
      store: { get: (id: string) => records.get(id), put: async (r: { id: string }) => void records.set(r.id, r) },
      events: { publish: () => undefined },
      tagRecord: async (_record: unknown, tag: string) => void tags.push(tag),
    } as unknown as ImageService;
    const messages: string[] = [];
    await loadArchive(images, archiveOf(files), (m) => messages.push(m));
    expect(committed).toEqual(new Set(chains));
    expect(tags).toEqual(['example.com/two:1']);
    expect(messages).toEqual(['Loaded image: example.com/two:1\n']);
  });
});
