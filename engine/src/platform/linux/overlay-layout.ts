// On-disk layout of the overlay snapshotter, under `<data-root>/overlay/`:
//   layers/<chain-id hex>/diff       read-only layer content (whiteouts in overlayfs form)
//   layers/<chain-id hex>/meta.json  { chainId, parent, diffId, size, link } written crash-safely
//   l/<link>                         short symlink → ../layers/<hex>/diff, so `lowerdir=` stays
//                                    under the one-page (4096 bytes) mount-data limit for deep
//                                    images, as dockerd's overlay2 `l/` directory does
//   containers/<id>/{upper,work,merged}
//   empty/                           the lower dir of an image without layers
//   tmp/                             layers being unpacked or removed; emptied on start
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { invalid } from '../../core/errors.ts';
import { writeJsonAtomic } from '../../core/atomic-file.ts';

export interface LayerMeta {
  chainId: string;
  parent: string | null;
  diffId: string;
  size: number;
  /** Name of this layer's short symlink in `l/`. */
  link: string;
}

const CHAIN_ID = /^sha256:([a-f0-9]{64})$/;
const CONTAINER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export class OverlayLayout {
  /** `<data-root>/overlay`. */
  readonly base: string;

  constructor(dataRoot: string) {
    this.base = join(dataRoot, 'overlay');
  }

  get layersDir(): string {
    return join(this.base, 'layers');
  }
  get linksDir(): string {
    return join(this.base, 'l');
  }
  get containersDir(): string {
    return join(this.base, 'containers');
  }
  get tmpDir(): string {
    return join(this.base, 'tmp');
  }
  get emptyDir(): string {
    return join(this.base, 'empty');
  }

  layerDir(chainId: string): string {
    return join(this.layersDir, chainHex(chainId));
  }
  metaPath(chainId: string): string {
    return join(this.layerDir(chainId), 'meta.json');
  }
  containerDir(id: string): string {
    if (!CONTAINER_ID.test(id)) throw invalid(`invalid container snapshot id: ${JSON.stringify(id)}`);
    return join(this.containersDir, id);
  }

  /** What `l/<link>` points at, relative so the data root can move. */
  static linkTarget(hex: string): string {
    return `../layers/${hex}/diff`;
  }

  async readMeta(chainId: string): Promise<LayerMeta | undefined> {
    try {
      return JSON.parse(await readFile(this.metaPath(chainId), 'utf8')) as LayerMeta;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Writes meta.json into a layer directory that is not yet visible (DESIGN.md rule 4). */
  static writeMeta(dir: string, meta: LayerMeta): Promise<void> {
    return writeJsonAtomic(join(dir, 'meta.json'), meta);
  }
}

/** The 64 hex digits of a chain ID; anything else could name a path outside `layers/`. */
export function chainHex(chainId: string): string {
  const match = CHAIN_ID.exec(chainId);
  if (!match) throw invalid(`invalid chain ID: ${JSON.stringify(chainId)}`);
  return match[1];
}

export function isChainHex(name: string): boolean {
  return /^[a-f0-9]{64}$/.test(name);
}

/** 12 characters from [A-Z0-9]: with `l/` and `:`, 15 bytes per layer in the mount options. */
export function newLinkName(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return [...randomBytes(12)].map((byte) => alphabet[byte % alphabet.length]).join('');
}
