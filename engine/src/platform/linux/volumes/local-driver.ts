// Docker's `local` volume driver: a plain directory <root>/<name>/_data, or, with options, a
// filesystem mounted there while containers use it (moby volume/local): `type=tmpfs
// device=tmpfs o=size=64m`, `type=none o=bind device=/host/path`, nfs and the like.
import { execFile } from 'node:child_process';
import { lstat, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { invalid, systemError } from '../../../core/errors.ts';
import type { VolumeDriver } from '../../../core/volume/volume-types.ts';
import { isMountPoint, mountsUnder } from './mount-table.ts';

const run = promisify(execFile);

const VALID_OPTIONS = new Set(['type', 'o', 'device', 'size']);
/** moby's mandatoryOpts: an option that needs others beside it. */
const REQUIRED_WITH: Record<string, string[]> = { device: ['type'], type: ['device'], o: ['device', 'type'] };

const stderrOf = (error: unknown) => String((error as { stderr?: string }).stderr ?? '').trim() || (error as Error).message;

export class LocalVolumeDriver implements VolumeDriver {
  readonly name = 'local';
  readonly #root: string;

  constructor(root: string) {
    this.#root = root;
  }

  validateOptions(options: Record<string, string>): void {
    for (const key of Object.keys(options)) {
      if (!VALID_OPTIONS.has(key)) throw invalid(`invalid option: ${JSON.stringify(key)}`);
    }
    // Quotas need an XFS/ext4 project-quota backing dockerd probes for; Berth has none.
    if ('size' in options) throw invalid('quota size requested but no quota support');
    for (const [key, needs] of Object.entries(REQUIRED_WITH)) {
      if (!(key in options)) continue;
      for (const need of needs) if (!(need in options)) throw invalid(`missing required option: ${JSON.stringify(need)}`);
    }
  }

  path(name: string): string {
    return join(this.#root, name, '_data');
  }

  async create(name: string, _options: Record<string, string>): Promise<void> {
    await mkdir(join(this.#root, name), { recursive: true, mode: 0o701 });
    await mkdir(this.path(name), { recursive: true, mode: 0o755 });
  }

  async mount(name: string, options: Record<string, string>): Promise<void> {
    if (!options.device) return;
    const path = this.path(name);
    if (await isMountPoint(path)) return;
    await mkdir(path, { recursive: true, mode: 0o755 });
    const args = ['-t', options.type, ...(options.o ? ['-o', options.o] : []), '--', options.device, path];
    try {
      await run('mount', args);
    } catch (error) {
      throw systemError(`error while mounting volume '${path}': failed to mount local volume: mount ${options.device}:${path}, data: ${options.o ?? ''}: ${stderrOf(error)}`, error);
    }
  }

  async unmount(name: string, options: Record<string, string>): Promise<void> {
    if (!options.device) return;
    await this.#unmountAll(join(this.#root, name));
  }

  /** Unmounts everything at or under `dir`; a busy mount is detached lazily (MNT_DETACH). */
  async #unmountAll(dir: string): Promise<void> {
    for (const point of await mountsUnder(dir)) {
      await run('umount', ['--', point]).catch(() => run('umount', ['-l', '--', point])).catch(() => undefined);
    }
  }

  async remove(name: string): Promise<void> {
    const dir = join(this.#root, name);
    await this.#unmountAll(dir);
    // Deleting recursively through a mount would delete the mounted filesystem's files (the host
    // directory of a `o=bind` volume): refuse rather than risk it.
    const left = await mountsUnder(dir);
    if (left.length > 0) throw systemError(`remove ${name}: ${left[0]} is still mounted`);
    await rm(dir, { recursive: true, force: true });
  }

  async size(name: string): Promise<number> {
    const root = this.path(name);
    const top = await lstat(root).catch(() => undefined);
    if (!top) return -1;
    // Like dockerd's directory.Size: regular files' sizes, each inode once, one filesystem only.
    const seen = new Set<bigint>();
    let total = 0;
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir).catch(() => [] as string[]);
      for (const entry of entries) {
        const path = join(dir, entry);
        const st = await lstat(path, { bigint: true }).catch(() => undefined);
        if (!st || st.dev !== BigInt(top.dev)) continue;
        if (st.isDirectory()) await walk(path);
        else if (!seen.has(st.ino)) {
          seen.add(st.ino);
          total += Number(st.size);
        }
      }
    };
    await walk(root);
    return total;
  }
}

