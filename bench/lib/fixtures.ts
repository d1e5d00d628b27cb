// The images benchmarks pull, served by a local Debian docker-registry on 127.0.0.1 (never the
// internet). Built with the integration-test builders and pushed lazily: a run of `ps` alone never
// pays for the 300 MB image.
import { buildBigImage } from '../../engine/test/support/big-image.ts';
import { startLocalRegistry, type LocalRegistry } from '../../engine/test/support/local-registry.ts';
import { pushArtifact } from '../../engine/test/support/registry-push.ts';
import { buildTestImages, describeArtifact } from '../../engine/test/support/test-images.ts';
import { onCleanup } from './cleanup.ts';

export interface BigImageInfo {
  ref: string;
  layers: number;
  /** Sum of the compressed layer blobs: the bytes a pull moves. */
  compressedBytes: number;
  uncompressedBytes: number;
}

export interface BenchFixtures {
  registry: LocalRegistry;
  /** "127.0.0.1:PORT/busybox:latest" */
  busybox(): Promise<string>;
  /** The ~300 MB, 6-layer image of engine/test/support/big-image.ts. */
  bigImage(): Promise<BigImageInfo>;
  stop(): Promise<void>;
}

function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= fn());
}

export async function startFixtures(): Promise<BenchFixtures> {
  const registry = await startLocalRegistry();
  const stop = onCleanup(() => registry.stop());
  const busybox = once(async () => {
    const built = await buildTestImages();
    await pushArtifact(registry.url, 'busybox', 'latest', built.busybox);
    return describeArtifact(registry.host, 'busybox', 'latest', built.busybox).ref;
  });
  const bigImage = once(async () => {
    const started = Date.now();
    process.stderr.write('bench: building and pushing the big image (6 layers, ~300 MB)…\n');
    const img = await buildBigImage({ layers: 6, totalBytes: 300 * 1024 * 1024 });
    await pushArtifact(registry.url, 'big', 'latest', img);
    process.stderr.write(`bench: big image ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return {
      ref: `${registry.host}/big:latest`,
      layers: img.layers.length,
      compressedBytes: img.layers.reduce((a, l) => a + l.size, 0),
      uncompressedBytes: img.layers.reduce((a, l) => a + l.uncompressedSize, 0),
    };
  });
  return { registry, busybox, bigImage, stop };
}
