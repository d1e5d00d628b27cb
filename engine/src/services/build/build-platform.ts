// What the builder needs from the host beyond the role interfaces (the seam
// platform/linux/build implements): the unpacked build context, the files COPY/ADD take, and a
// step's snapshot turned into a layer tar.
import type { Readable } from 'node:stream';

export interface SourceEntry {
  rel: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;
  size: number;
  mtimeMs: number;
}

export interface CopyItem {
  source: string;
  dest: string;
  type: SourceEntry['type'];
  mode: number;
  mtimeMs: number;
}

export interface BuildPlatform {
  /** Unpacks the context tar (plain or compressed) into a fresh private directory. */
  unpackContext(body: Readable): Promise<{ dir: string; dispose(): Promise<void> }>;
  /** A regular file of the context (the Dockerfile, .dockerignore); undefined when absent. */
  readContextFile(dir: string, rel: string): Promise<Buffer | undefined>;
  /** Entries at and below `under` (resolved chroot-style in `root`, so no symlink leads out);
   * `base` is the canonical relative path of `under`, and every `rel` starts with it. */
  listTree(root: string, under: string): Promise<{ base: string; entries: SourceEntry[] }>;
  checksum(root: string, items: readonly CopyItem[]): Promise<string>;
  packCopy(input: { root: string; items: readonly CopyItem[]; dirs: readonly string[]; uid: number; gid: number }): Readable;
  /** Host path of a source file, for archive detection and ADD extraction. */
  sourcePath(root: string, rel: string): string;
  isArchive(hostPath: string): Promise<boolean>;
  openFile(hostPath: string): Readable;
  /** The container snapshot `id` (over `topChainId`) as an uncompressed layer tar. */
  snapshotLayer(id: string, topChainId: string | undefined, merged?: string): Promise<{ tar: Buffer; diffId: string }>;
}
