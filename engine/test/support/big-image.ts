// A large, deterministic image for pull/unpack benchmarks (not pushed by global setup). Content is
// half word salad and half keystream bytes, so gzip/zstd do real work (gzip ratio about 0.87 with
// the defaults) and the same options always give the same digests, which keeps the cache useful.
// A 300 MB build takes ~10 s cold and ~2.5 s from the cache.
import { createCipheriv, createHash } from 'node:crypto';
import { layerBlob } from './fixture-cache.ts';
import { buildImage, type ManifestFormat } from './image-builder.ts';
import { MT, type BuiltImage, type LayerBlob } from './oci.ts';
import { busyboxRootfs, loadBusybox } from './rootfs.ts';
import { buildTar, type Compression, type LayerEntry } from './tar-layer.ts';

export interface BigImageOptions {
  /** Number of layers; the first also carries the busybox rootfs so the image can run `sh`. */
  layers?: number;
  /** Approximate uncompressed payload over all layers (busybox not counted). */
  totalBytes?: number;
  filesPerLayer?: number;
  /** Share of the payload that is compressible text, 0..1. */
  textFraction?: number;
  seed?: number;
  format?: ManifestFormat;
  /** gzip by default; zstd requires format 'oci'. */
  compression?: Compression;
  /** Reuse compressed layers from .berth/fixtures/big (verified on read). Default true. */
  cache?: boolean;
}

const WORDS = (
  'the of and to in is that for it as with was on be by at this are from or an which but not have ' +
  'container image layer registry manifest digest overlay snapshot engine network volume runtime ' +
  'kernel process signal socket buffer stream archive compress verify content platform config'
).split(' ');

const BLOCK = 32 * 1024;

/** splitmix32: tiny, fast and good enough to pick words deterministically. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function textBlock(out: Buffer, offset: number, len: number, next: () => number): void {
  let i = offset;
  const end = offset + len;
  while (i < end) {
    const w = WORDS[next() % WORDS.length];
    const sep = next() % 13 === 0 ? '\n' : ' ';
    i += out.write(w + sep, i, end - i, 'latin1');
  }
}

/** AES-CTR keystream: incompressible, deterministic per seed, and far faster than a JS PRNG. */
function randomBytes(seed: string, len: number): Buffer {
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  return cipher.update(Buffer.alloc(len));
}

function fileContent(seed: number, layer: number, file: number, size: number, textFraction: number): Buffer {
  const out = Buffer.alloc(size);
  const next = prng(seed * 1_000_003 + layer * 1009 + file);
  const noise = randomBytes(`${seed}/${layer}/${file}`, size);
  // Interleave blocks so every part of the file compresses about the same (no long easy tail).
  for (let off = 0, n = 0; off < size; off += BLOCK, n++) {
    const len = Math.min(BLOCK, size - off);
    if ((n * 997) % 1000 < textFraction * 1000) textBlock(out, off, len, next);
    else noise.copy(out, off, off, off + len);
  }
  return out;
}

export async function buildBigImage(opts: BigImageOptions = {}): Promise<BuiltImage> {
  const layers = opts.layers ?? 6;
  const totalBytes = opts.totalBytes ?? 300 * 1024 * 1024;
  const filesPerLayer = opts.filesPerLayer ?? 8;
  const textFraction = opts.textFraction ?? 0.5;
  const seed = opts.seed ?? 1;
  const format = opts.format ?? 'docker';
  const compression = opts.compression ?? 'gzip';
  if (compression === 'zstd' && format === 'docker') throw new Error('Docker schema2 has no zstd layer type; use format "oci"');
  const mediaType = format === 'docker' ? MT.dockerLayerGzip : compression === 'gzip' ? MT.ociLayerGzip : MT.ociLayerZstd;
  const fileSize = Math.max(1, Math.floor(totalBytes / layers / filesPerLayer));

  const blobs: LayerBlob[] = [];
  for (let l = 0; l < layers; l++) {
    const entries: LayerEntry[] = l === 0 ? busyboxRootfs(loadBusybox()) : [];
    for (let f = 0; f < filesPerLayer; f++) {
      entries.push({ type: 'file', path: `data/layer-${l}/file-${f}.bin`, content: fileContent(seed, l, f, fileSize, textFraction) });
    }
    // One layer at a time: only its tar and the compressed blobs are held in memory.
    blobs.push(layerBlob(await buildTar(entries), { compression, mediaType, cacheDir: opts.cache === false ? undefined : 'big' }));
  }
  return buildImage({
    format,
    layers: blobs,
    config: { Labels: { 'org.berth.test.big': `${layers}x${fileSize * filesPerLayer}`, 'org.berth.test.seed': String(seed) } },
  });
}
